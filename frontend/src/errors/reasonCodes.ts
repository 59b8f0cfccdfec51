/**
 * The reason codes an insurer gives when denying a claim or a pre-authorisation (denyClaim /
 * denyPreAuth `reasonCode`), in plain language, in one place. Codes follow the spirit of the X12
 * claim adjustment reason codes; only the number goes on chain.
 */
export const REASON_CODES: readonly { code: number; title: string; explanation: string }[] = [
  { code: 1, title: "Not covered by the plan", explanation: "The service is not a benefit of the patient's plan." },
  { code: 2, title: "Not medically necessary", explanation: "The evidence does not show the service was medically necessary." },
  { code: 3, title: "Missing or unreadable evidence", explanation: "The records attached could not support the claim. Attach the clinical notes and resubmit or appeal." },
  { code: 4, title: "Duplicate claim", explanation: "This service was already claimed." },
  { code: 5, title: "Pre-authorisation required", explanation: "The service needed an approved pre-authorisation first." },
  { code: 6, title: "Coverage not active on the service date", explanation: "The patient was not covered on the date of service." },
  { code: 7, title: "Amount above the usual rate", explanation: "The billed amount is above what the plan allows for this service." },
  { code: 8, title: "Coding error", explanation: "The service or diagnosis coding in the claim is inconsistent. Correct and resubmit." },
  { code: 9, title: "Annual limit reached", explanation: "The patient's plan year benefit limit has been used." },
];

export function reasonText(code: number | bigint): string {
  const found = REASON_CODES.find((r) => r.code === Number(code));
  return found ? `${found.title}: ${found.explanation}` : `Reason code ${String(code)}.`;
}
