import type { Hex } from "viem";
import { roleName } from "@/lib/roles";

/**
 * Every custom error a CareLedger contract (or the OpenZeppelin code under it) can revert with,
 * turned into a sentence a patient, clinician or insurer understands: what went wrong and what to
 * do. Arguments arrive in ABI order. Errors missing here fall back to `fallbackMessage`.
 */
type Args = readonly unknown[];
type Explain = (args: Args) => string;

const short = (value: unknown) => {
  const text = String(value);
  return /^0x[0-9a-fA-F]{40}$/.test(text) ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
};
const when = (value: unknown) => {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0
    ? new Date(seconds * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" }) + " UTC"
    : "an unknown time";
};
const role = (value: unknown) => roleName(String(value) as Hex);
const purposes = ["treatment", "claims", "research", "emergency"];
const purpose = (value: unknown) => purposes[Number(value)] ?? `purpose ${String(value)}`;
const claimStatuses = ["submitted", "in review", "approved", "partially approved", "denied", "paid", "under appeal", "closed"];
const claimStatus = (value: unknown) => claimStatuses[Number(value)] ?? `state ${String(value)}`;

export const errorMessages: Record<string, Explain> = {
  // Access control and credentials
  AccessControlUnauthorizedAccount: ([account, neededRole]) =>
    `The account ${short(account)} is not allowed to do this: it needs the ${role(neededRole)} role.`,
  AccessControlBadConfirmation: () => "Only the account itself can renounce its own role.",
  RegistryNotCredentialed: ([role_, account]) =>
    `${short(account)} does not hold an active ${role(role_)} credential. Ask the credentialing authority.`,
  RegistryCredentialSuspended: ([role_, account]) =>
    `The ${role(role_)} credential of ${short(account)} is suspended.`,
  RegistryCredentialRevoked: ([role_, account]) =>
    `The ${role(role_)} credential of ${short(account)} was revoked.`,
  RegistryAlreadyRegistered: ([account]) => `${short(account)} is already registered as a patient.`,
  RegistryNotPatient: ([account]) =>
    `${short(account)} is not a registered patient. The patient has to register first.`,
  RegistryInvalidPublicKey: () => "The encryption key is not valid. Create the identity key again.",
  RegistryNotGuardian: ([patient, guardian]) =>
    `${short(guardian)} is not a guardian of ${short(patient)} with the rights this needs.`,

  // Consent
  ConsentMissing: ([patient, grantee]) =>
    `${short(grantee)} has no consent from ${short(patient)} for this. The patient can grant it.`,
  ConsentNotFound: ([grantId]) => `Consent #${String(grantId)} does not exist.`,
  ConsentExpired: ([grantId, expiredAt]) => `Consent #${String(grantId)} expired on ${when(expiredAt)}.`,
  ConsentRevoked: ([grantId]) => `Consent #${String(grantId)} was revoked by the patient.`,
  ConsentNotYetValid: ([grantId, notBefore]) => `Consent #${String(grantId)} starts only on ${when(notBefore)}.`,
  ConsentInvalidExpiry: ([expiry]) => `The expiry ${when(expiry)} is in the past. Pick a later date.`,
  ConsentInvalidPurpose: ([purpose_]) => `Consent for ${purpose(purpose_)} is not allowed here.`,
  ConsentEmptyScope: () => "Choose at least one record category.",
  ConsentNotGrantor: ([grantId, account]) =>
    `${short(account)} did not grant consent #${String(grantId)} and cannot change it.`,
  ConsentSignatureExpired: ([deadline]) =>
    `The signed consent expired on ${when(deadline)}. Ask the patient to sign it again.`,
  ConsentInvalidSigner: ([signer, patient]) =>
    `The consent was signed by ${short(signer)}, not by the patient ${short(patient)}.`,
  BreakGlassReasonRequired: () => "Emergency access needs a stated reason.",

  // Records
  RecordNotFound: ([recordId]) => `Record #${String(recordId)} does not exist.`,
  RecordInvalidCategory: ([category]) => `Record category ${String(category)} is not known.`,
  RecordNotAuthor: ([recordId, account]) =>
    `${short(account)} did not write record #${String(recordId)} and cannot amend it.`,
  RecordEmptyPointer: () => "The record has no storage address (CID). Upload it again.",

  // Claims
  ClaimNotFound: ([claimId]) => `Claim #${String(claimId)} does not exist.`,
  ClaimInvalidStatus: ([claimId, status]) =>
    `Claim #${String(claimId)} is ${claimStatus(status)}, so this step is not possible now.`,
  ClaimDuplicate: ([claimId]) => `This claim was already submitted as claim #${String(claimId)}.`,
  ClaimNoCoverage: ([patient, planId]) =>
    `${short(patient)} has no active coverage under plan #${String(planId)}.`,
  ClaimExceedsLimit: ([requested, remaining]) =>
    `The amount ${String(requested)} is above what the plan still covers (${String(remaining)}).`,
  ClaimAppealWindowClosed: ([claimId, closedAt]) =>
    `The appeal window of claim #${String(claimId)} closed on ${when(closedAt)}.`,
  ClaimPreAuthorisationRequired: ([serviceCode]) =>
    `This service (${String(serviceCode)}) needs pre-authorisation before a claim.`,
  PoolInsufficientFunds: ([needed, available]) =>
    `The claims pool holds ${String(available)}, less than the ${String(needed)} needed. The insurer must fund it.`,
  NothingToWithdraw: ([account]) => `${short(account)} has no payout waiting.`,

  // Tokens, signatures, safety (OpenZeppelin)
  ERC20InsufficientBalance: ([sender, balance, needed]) =>
    `${short(sender)} holds ${String(balance)} tokens but ${String(needed)} are needed.`,
  ERC20InsufficientAllowance: ([spender, allowance, needed]) =>
    `${short(spender)} may spend only ${String(allowance)} tokens, ${String(needed)} are needed. Approve a larger amount first.`,
  ERC2612ExpiredSignature: ([deadline]) => `The signature expired on ${when(deadline)}. Sign again.`,
  InvalidAccountNonce: ([account, currentNonce]) =>
    `This signature was already used or is out of order for ${short(account)} (next nonce ${String(currentNonce)}). Sign again.`,
  ECDSAInvalidSignature: () => "The signature is not valid. Sign again with the right account.",
  EnforcedPause: () => "CareLedger is paused by its operators. Try again later.",
  ReentrancyGuardReentrantCall: () => "The contract refused a nested call.",
};

export const fallbackMessage =
  "The transaction was rejected by the contract. Nothing was changed. Check the details and try again.";
