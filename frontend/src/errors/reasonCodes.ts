/**
 * The reason codes an insurer gives when denying a claim or a pre-authorisation (denyClaim /
 * denyPreAuth `reasonCode`), in plain language, in one place. Codes are X12 claim adjustment reason
 * codes (CARC), as the seeded world uses. The number goes on chain only sealed to the patient, the
 * provider and the insurer (hooks/useDenialReasons), so only they read it.
 */
export const REASON_CODES: readonly { code: number; title: string; explanation: string }[] = [
  { code: 96, title: "Not covered by the plan", explanation: "The service is not a benefit of the patient's plan." },
  {
    code: 50,
    title: "Not medically necessary",
    explanation: "The evidence does not show the service was medically necessary.",
  },
  {
    code: 16,
    title: "Missing information",
    explanation:
      "The claim or its evidence lacks what is needed to decide it. Attach the clinical notes and appeal or resubmit.",
  },
  { code: 18, title: "Duplicate claim", explanation: "This service was already claimed." },
  {
    code: 197,
    title: "Pre-authorisation missing",
    explanation: "The service needed an approved pre-authorisation first.",
  },
  {
    code: 27,
    title: "Coverage not active on the service date",
    explanation: "The patient was not covered on the date of service.",
  },
  {
    code: 45,
    title: "Above the allowed rate",
    explanation: "The billed amount is above what the plan allows for this service.",
  },
  {
    code: 11,
    title: "Diagnosis does not match the service",
    explanation: "The diagnosis in the claim is inconsistent with the service. Correct and resubmit.",
  },
  {
    code: 119,
    title: "Benefit limit reached",
    explanation: "The patient's benefit maximum for this period has been used.",
  },
];

export function reasonText(code: number | bigint): string {
  const found = REASON_CODES.find((r) => r.code === Number(code));
  return found ? `${found.title}: ${found.explanation}` : `Reason code ${String(code)}.`;
}

/** The short title of a reason code ("Not medically necessary"). */
export function reasonTitle(code: number | bigint): string {
  return REASON_CODES.find((r) => r.code === Number(code))?.title ?? `reason code ${String(code)}`;
}

/** A sealed denial reason in words, as far as this reader can open it (hooks/useDenialReasons). */
export function sealedReasonText(
  state: { status: "locked" } | { status: "read"; code: number } | { status: "unreadable" } | undefined,
): string | undefined {
  if (!state) return undefined;
  if (state.status === "read") return reasonText(state.code);
  if (state.status === "locked") return "The reason is sealed to you: unlock your key to read it.";
  return "The reason was not sealed to this account.";
}
