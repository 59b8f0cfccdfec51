/**
 * The reason codes an insurer gives when denying a claim or a pre-authorisation (denyClaim /
 * denyPreAuth `reasonCode`), in plain language, in one place. Codes are X12 claim adjustment reason
 * codes (CARC), as the seeded world uses; only the number goes on chain.
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
