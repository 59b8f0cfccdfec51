import { claimLabel } from "@careledger/sdk/protocol/claimIds";
import type { Hex } from "viem";
import { roleName } from "@/lib/roles";
import { formatMoment, formatMoney } from "@/lib/money";

/**
 * Every custom error a CareLedger contract (or the OpenZeppelin code under it) reverts with,
 * turned into a sentence a patient, clinician or insurer understands: what went wrong and what to
 * do. Arguments arrive in ABI order. Names follow the contracts' interfaces (ICareRegistry,
 * IConsentManager, IRecordRegistry, IClaimsSettlement); an error missing here gets
 * `fallbackMessage` with its name.
 */
type Explain = (args: readonly unknown[], money: MoneyText) => string;
/** Base units → text in the stablecoin's own symbol (the caller knows it: `useMoney`). */
export type MoneyText = (units: bigint) => string;
/** When the caller does not know the symbol: the amount alone, never a guessed symbol. */
export const plainMoney: MoneyText = (units) => formatMoney(units);

const who = (value: unknown) => {
  const text = String(value);
  return /^0x[0-9a-fA-F]{40}$/.test(text) ? `${text.slice(0, 6)}…${text.slice(-4)}` : text;
};
const when = (value: unknown) => {
  const seconds = Number(value);
  return !Number.isFinite(seconds) || seconds <= 0 ? "an unknown time" : formatMoment(seconds);
};
const role = (value: unknown) => roleName(String(value) as Hex);
/** Claim ids are encounter commitments: people see their short hex form. */
const claim = (value: unknown) => claimLabel(BigInt(String(value)));
const units = (value: unknown) => BigInt(String(value));
const named = (names: readonly string[]) => (value: unknown) => names[Number(value)] ?? `state ${String(value)}`;
const purpose = named(["treatment", "claims", "research", "emergency"]);
const credentialStatus = named(["not credentialed", "active", "suspended", "revoked"]);
const claimStatus = named(["unknown", "pending", "approved", "denied", "under appeal", "closed"]);
const coverageStatus = named(["unknown", "offered", "accepted"]);
const preAuthStatus = named(["unknown", "requested", "approved", "denied", "used"]);
const eligibility = named([
  "eligible",
  "there is no coverage",
  "the coverage was not accepted by the patient",
  "the coverage has not started",
  "the coverage has expired",
  "the plan is inactive",
  "the insurer is not credentialed",
]);

export const errorMessages: Record<string, Explain> = {
  // CareRegistry
  RegistryPatientAlreadyRegistered: ([account]) => `${who(account)} is already registered as a patient.`,
  RegistryNotPatient: ([account]) => `${who(account)} is not a registered patient. The patient has to register first.`,
  RegistryInvalidEncryptionKey: () => "The encryption key is not valid. Create the identity key again.",
  RegistryNoEncryptionKey: ([account]) =>
    `${who(account)} has no encryption key yet, so no passkey can hold one. Create the key first (register, or publish your key).`,
  RegistryUnknownCredentialRole: ([r]) => `${role(r)} is not a credential CareLedger knows.`,
  RegistryInvalidCredentialTransition: ([r, account, status]) =>
    `The ${role(r)} credential of ${who(account)} is ${credentialStatus(status)}, so it cannot be changed this way.`,
  RegistryInvalidAccount: ([account]) => `${who(account)} cannot be used here. Enter another address.`,
  RegistryInvalidGuardian: ([, guardian]) => `${who(guardian)} cannot be a guardian of this patient.`,
  RegistryInvalidGuardianRights: () => "Choose at least one right for the guardian.",
  RegistryInvalidGuardianPeriod: ([from, until]) =>
    `The guardian period ${when(from)} to ${when(until)} is not valid: it must end after it starts, in the future.`,
  RegistryGuardianNotFound: ([patient, guardian]) => `${who(guardian)} is not a guardian of ${who(patient)}.`,
  RegistryAccountMoved: ([account, movedTo]) =>
    `${who(account)} no longer speaks for this patient: the identity moved to ${who(movedTo)} by account recovery. Connect that wallet.`,
  RegistryInvalidRecoveryThreshold: ([threshold, min]) =>
    `A recovery threshold of ${String(threshold)} is not allowed: choose 0 (off) or at least ${String(min)} guardians, so no single guardian can move your account.`,
  RegistryRecoveryNotEnabled: ([patient]) =>
    `${who(patient)} has not turned on account recovery, so guardians cannot approve a move.`,
  RegistryNotRecoveryGuardian: ([patient, guardian]) =>
    `${who(guardian)} is not a recovery guardian of ${who(patient)} right now (the right is missing or outside its period).`,
  RegistryRecoveryAlreadyApproved: ([patient, guardian]) =>
    `${who(guardian)} already approved a new address for ${who(patient)} in this recovery; each guardian approves once.`,
  RegistryInvalidRecoveryAccount: ([, account]) =>
    `${who(account)} cannot take over this identity: use a fresh wallet that is not registered, not linked to another patient and has published no key.`,
  RegistryRecoveryAlreadyScheduled: ([, to, readyAt]) =>
    `A move to ${who(to)} is already approved; it can complete on ${when(readyAt)} unless the patient cancels it.`,
  RegistryNoRecoveryScheduled: ([patient]) =>
    `No move of ${who(patient)} has enough guardian approvals (or it was cancelled). Ask the guardians to approve.`,
  RegistryRecoveryNotReady: ([, readyAt]) =>
    `The move can complete on ${when(readyAt)}: the delay lets the old address cancel it. Try again then.`,

  // ConsentManager
  ConsentPatientNotRegistered: ([patient]) => `${who(patient)} is not a registered patient.`,
  ConsentUnauthorizedGuardian: ([patient, account]) =>
    `${who(account)} may not manage consent for ${who(patient)}: the guardian rights are missing or expired.`,
  ConsentInvalidGrantee: ([, grantee]) => `Consent cannot be granted to ${who(grantee)}. Enter another address.`,
  ConsentInvalidScope: () => "Choose at least one valid record category.",
  ConsentInvalidAccess: () => "Choose read access, write access or both.",
  ConsentInvalidPeriod: ([notBefore, expiresAt]) =>
    `The consent period ${when(notBefore)} to ${when(expiresAt)} is not valid: it must end after it starts, in the future.`,
  ConsentExpiredSignature: ([deadline]) =>
    `The signed consent expired on ${when(deadline)}. Ask the patient to sign it again.`,
  ConsentInvalidSignature: ([patient]) =>
    `The signature is not ${who(patient)}'s for these terms (another wallet, chain or contract, or altered terms). Ask the patient to sign again.`,
  ConsentSignatureFromFuture: ([issuedAt]) =>
    `The signed consent claims to be signed on ${when(issuedAt)}, later than now. Check the device clock and sign again.`,
  ConsentSignatureRevoked: ([, grantee, p, , revokedAt]) =>
    `The patient revoked or cancelled the ${purpose(p)} consent for ${who(grantee)} on ${when(revokedAt)}, after signing this one: it no longer applies. Ask the patient to sign again.`,
  ConsentInvalidNonceInvalidation: ([, current, next]) =>
    `The signature counter can only move forward, by a bounded step (now ${String(current)}, asked ${String(next)}).`,
  ConsentGuardianSelfGrant: () => "A guardian cannot grant consent to itself. Choose another grantee.",
  ConsentGuardianGrantOutlivesGuardianship: ([expiresAt, until]) =>
    `The consent would end on ${when(expiresAt)}, after your guardianship ends on ${when(until)}. Choose an earlier end.`,
  ConsentAccountMoved: ([account, movedTo]) =>
    `${who(account)} no longer speaks for this patient's consents: the identity moved to ${who(movedTo)}. Connect that wallet.`,
  ConsentAccountInSync: ([, controller]) =>
    `The consents already answer to ${who(controller)}; there is nothing to update.`,
  ConsentRewrapToEndedGrant: ([, grantee, p]) =>
    `The ${purpose(p)} grant of ${who(grantee)} has ended, so it cannot receive the new keys. Reload the page and try again.`,
  ConsentTooManyRewraps: ([count, max]) =>
    `One key change can pass the new keys to at most ${String(max)} grantees (this one: ${String(count)}). Revoke grants you no longer need first.`,
  ConsentUnauthorizedKeyRelease: ([patient]) =>
    `Only ${who(patient)}, a guardian with the emergency right, or the release agent the patient chose may release the emergency keys.`,
  ConsentEmptyKeyRelease: () => "The key release carried no key. Unlock your keys and release again.",
  ConsentInvalidReleaseAgent: () =>
    "You cannot be your own release agent. Choose a guardian, a clinic or a service you trust.",
  ConsentBreakGlassCoolingDown: ([patient, , reopensAt]) =>
    `${who(patient)} (or a guardian) closed your emergency access; you may open it again from ${when(reopensAt)}.`,
  ConsentProviderNotCredentialed: ([provider]) => `${who(provider)} is not a credentialed provider.`,
  ConsentBreakGlassOptedOut: ([patient]) => `${who(patient)} has opted out of emergency (break-glass) access.`,
  ConsentBreakGlassReasonRequired: () => "Emergency access needs a stated reason.",
  ConsentBreakGlassInvalidDuration: ([duration, max]) =>
    `Emergency access can last at most ${Number(max) / 3600} hours (asked: ${Number(duration) / 3600}).`,
  ConsentBreakGlassAlreadyOpen: ([patient, , expiresAt]) =>
    `Emergency access to ${who(patient)} is already open until ${when(expiresAt)}.`,
  ConsentBreakGlassNotOpen: ([patient]) => `There is no open emergency access to ${who(patient)}.`,
  ConsentUnauthorizedBreakGlassCloser: ([, , account]) => `${who(account)} may not close this emergency access.`,

  // RecordRegistry
  RecordNotPatient: ([account]) => `${who(account)} is not a registered patient.`,
  RecordInvalidCategory: ([category]) => `Record category ${String(category)} is not known.`,
  RecordInvalidCategoryKey: ([category]) => `The key for record category ${String(category)} is not valid.`,
  RecordLengthMismatch: () => "The batch is inconsistent. Reload the page and try again.",
  RecordEmptyCid: () => "The record has no storage address (CID). Upload it again.",
  RecordEmptyCommitment: () => "The record has no integrity commitment. Upload it again.",
  RecordWriterNotCredentialed: ([writer]) => `${who(writer)} is not a credentialed provider.`,
  RecordWriteNotConsented: ([patient, writer]) =>
    `${who(patient)} has not allowed ${who(writer)} to add records of this category.`,
  RecordCategoryKeyMissing: ([patient]) =>
    `${who(patient)} has not set up encryption for this record category yet. Ask the patient to open CareLedger.`,
  RecordStaleKeyEpoch: () =>
    "The patient changed the key of this category meanwhile. Reload the page and add the record again.",
  RecordInvalidBatchSize: ([size, max]) => `A batch holds at most ${String(max)} records (this one: ${String(size)}).`,
  RecordNotFound: ([recordId]) => `Record #${String(recordId)} does not exist.`,
  RecordAlreadySuperseded: ([recordId, by]) =>
    `Record #${String(recordId)} was already amended by record #${String(by)}. Amend the latest version.`,
  RecordUnauthorizedAmender: ([recordId, account]) => `${who(account)} may not amend record #${String(recordId)}.`,
  RecordNotConsentManager: () => "Only the consent contract may change category keys. Use the Consents page.",
  RecordCategoryKeyAlreadyPublished: ([, category, epoch]) =>
    `The key of category ${String(category)} is already published (epoch ${String(epoch)}); a new key comes with a key renewal on the Consents page.`,
  RecordRotationEpochMismatch: ([, category, expected, current]) =>
    `The key of category ${String(category)} changed meanwhile (epoch ${String(current)}, this page expected ${String(expected)}): it was already renewed, perhaps in another tab. Reload the page; renew again only if it still asks.`,
  RecordCategoryNeedsNewKeys: ([patient]) =>
    `Someone who held ${who(patient)}'s key for this kind of record lost access, so nothing more is written under that key. The patient renews the keys when they next unlock CareLedger; add the record after that.`,
  RecordCategoryKeyEnded: ([patient, , , until]) =>
    `A grant (or emergency access) that held ${who(patient)}'s key for this kind of record ended on ${when(until)}, so nothing more is written under that key. The patient renews the keys when they next unlock CareLedger; add the record after that.`,

  // ClaimsSettlement
  ClaimsMissingCredential: ([r, account]) => `${who(account)} needs an active ${role(r)} credential for this.`,
  PlanInvalidTerms: () =>
    "The plan terms are not valid: check the coverage share and the review, appeal and filing windows.",
  PlanUnknown: ([planId]) => `Plan #${String(planId)} does not exist.`,
  PlanInactive: ([planId]) => `Plan #${String(planId)} is no longer active.`,
  PlanUnauthorizedInsurer: ([planId, caller]) => `${who(caller)} is not the insurer of plan #${String(planId)}.`,
  CoverageNotPatient: ([account]) => `${who(account)} is not a registered patient.`,
  CoverageInvalidPeriod: ([start, end]) => `The coverage period ${when(start)} to ${when(end)} is not valid.`,
  CoverageUnknown: ([coverageId]) => `Coverage #${String(coverageId)} does not exist.`,
  CoverageInvalidStatus: ([coverageId, status]) =>
    `Coverage #${String(coverageId)} is ${coverageStatus(status)}, so this step is not possible now.`,
  CoverageUnauthorizedAcceptor: ([coverageId]) => `Only the patient can accept coverage #${String(coverageId)}.`,
  CoverageNotEligible: ([coverageId, serviceDate, reason]) =>
    `Coverage #${String(coverageId)} does not cover a service on ${when(serviceDate)}: ${eligibility(reason)}.`,
  PoolZeroAmount: () => "Enter an amount greater than zero.",
  PoolInsufficientFunds: ([, available, needed], money) =>
    `The claims pool holds ${money(units(available))}, less than the ${money(units(needed))} needed. The insurer must fund it.`,
  PreAuthUnknown: ([id]) => `Pre-authorisation #${String(id)} does not exist.`,
  PreAuthInvalidStatus: ([id, status]) =>
    `Pre-authorisation #${String(id)} is ${preAuthStatus(status)}, so this step is not possible now.`,
  PreAuthExpired: ([id, at]) => `Pre-authorisation #${String(id)} expired on ${when(at)}.`,
  PreAuthInvalidExpiry: ([at]) => `The expiry ${when(at)} is not valid. Choose a later date.`,
  PreAuthRequired: ([coverageId]) =>
    `This service needs pre-authorisation under coverage #${String(coverageId)} before a claim.`,
  PreAuthMismatch: ([id]) => `Pre-authorisation #${String(id)} is for another patient, provider or service.`,
  PreAuthExceeded: ([id, approved, billed], money) =>
    `The claim (${money(units(billed))}) is above the ${money(units(approved))} approved in pre-authorisation #${String(id)}.`,
  ClaimInvalidServiceClass: ([serviceClass]) => `Service class ${String(serviceClass)} is not known.`,
  ClaimServiceDateInFuture: ([date]) => `The service date ${when(date)} is in the future.`,
  ClaimInvalidAmount: ([amount, max], money) =>
    `The amount ${money(units(amount))} is not valid (at most ${money(units(max))}).`,
  ClaimInvalidEvidenceCount: ([count, max]) =>
    `Attach between 1 and ${String(max)} evidence records (attached: ${String(count)}).`,
  ClaimEvidenceNotOfPatient: ([recordId]) => `Evidence record #${String(recordId)} is about another patient.`,
  ClaimEvidenceNoConsent: ([recordId, insurer]) =>
    `The patient has not allowed ${who(insurer)} to read evidence record #${String(recordId)} for claims.`,
  ClaimInvalidEncounter: () =>
    "The claim's encounter commitment is zero. Commit to the encounter (its id and a salt) and submit again.",
  ClaimDuplicateEncounter: ([, existing]) => `You already claimed this encounter as claim ${claim(existing)}.`,
  ClaimEvidenceNoTreatmentConsent: ([recordId, provider]) =>
    `The patient has not given ${who(provider)} Treatment consent covering evidence record #${String(recordId)}: ask the patient for consent first.`,
  ClaimEvidenceNotAscending: ([previous, recordId]) =>
    `Evidence record #${String(recordId)} is listed after #${String(previous)}: list each record once, in ascending order.`,
  ClaimFilingWindowClosed: ([serviceDate, deadline]) =>
    `The plan's filing window for the service on ${when(serviceDate)} closed on ${when(deadline)}.`,
  PreAuthServiceBeforeRequest: ([id, requestedAt, serviceDate]) =>
    `The service on ${when(serviceDate)} precedes pre-authorisation #${String(id)}, requested on ${when(requestedAt)}.`,
  ClaimAnnualLimitReached: ([coverageId, , limit], money) =>
    `Coverage #${String(coverageId)} reached its annual limit of ${money(units(limit))}.`,
  ClaimUnknown: ([claimId]) => `Claim ${claim(claimId)} does not exist.`,
  ClaimInvalidStatus: ([claimId, status]) =>
    `Claim ${claim(claimId)} is ${claimStatus(status)}, so this step is not possible now.`,
  ClaimUnauthorizedCaller: ([claimId, caller]) => `${who(caller)} may not act on claim ${claim(claimId)}.`,
  ClaimReviewWindowClosed: ([claimId, deadline]) =>
    `The review window of claim ${claim(claimId)} closed on ${when(deadline)}.`,
  ClaimReviewWindowOpen: ([claimId, deadline]) => `Claim ${claim(claimId)} is still in review until ${when(deadline)}.`,
  ClaimAppealWindowClosed: ([claimId, deadline]) =>
    `The appeal window of claim ${claim(claimId)} closed on ${when(deadline)}.`,
  ClaimAppealWindowOpen: ([claimId, deadline]) =>
    `Claim ${claim(claimId)} can still be appealed until ${when(deadline)}.`,
  ClaimNotAppealable: ([claimId]) => `Claim ${claim(claimId)} cannot be appealed.`,
  PayoutNothingToWithdraw: () => "There is no payout waiting to be withdrawn.",
  FaucetCooldown: ([, availableAt]) => `The test-token faucet can be used again on ${when(availableAt)}.`,

  // OpenZeppelin: access control, tokens, signatures
  AccessControlUnauthorizedAccount: ([account, neededRole]) =>
    `The account ${who(account)} is not allowed to do this: it needs the ${role(neededRole)} role.`,
  AccessControlBadConfirmation: () => "Only the account itself can renounce its own role.",
  AccessControlEnforcedDefaultAdminDelay: ([schedule]) =>
    `The admin handover can be accepted only after ${when(schedule)}.`,
  ERC20InsufficientBalance: ([sender, balance, needed], money) =>
    `${who(sender)} holds ${money(units(balance))} but ${money(units(needed))} is needed.`,
  ERC20InsufficientAllowance: ([, allowance, needed], money) =>
    `CareLedger may spend only ${money(units(allowance))} of your tokens, ${money(units(needed))} is needed. Approve a larger amount first.`,
  ERC2612ExpiredSignature: ([deadline]) => `The signature expired on ${when(deadline)}. Sign again.`,
  InvalidAccountNonce: ([account]) =>
    `This signature of ${who(account)} was already used or cancelled, or is out of order. Ask for a new one.`,
  ECDSAInvalidSignature: () => "The signature is not valid. Sign again with the right account.",
  ReentrancyGuardReentrantCall: () => "The contract refused a nested call.",
  AccessControlEnforcedDefaultAdminRules: () =>
    "The authority role can only change hands through the delayed two-step handover.",
  AccessControlInvalidDefaultAdmin: ([admin]) => `${who(admin)} cannot become the credentialing authority.`,
  ECDSAInvalidSignatureLength: () => "The signature is malformed. Sign again.",
  ECDSAInvalidSignatureS: () => "The signature is malformed. Sign again.",
  ERC2612InvalidSigner: ([signer, owner]) => `The permit was signed by ${who(signer)}, not by ${who(owner)}.`,
  ERC20InvalidApprover: ([approver]) => `${who(approver)} cannot approve token spending.`,
  ERC20InvalidReceiver: ([receiver]) => `Tokens cannot be sent to ${who(receiver)}.`,
  ERC20InvalidSender: ([sender]) => `Tokens cannot be sent from ${who(sender)}.`,
  ERC20InvalidSpender: ([spender]) => `${who(spender)} cannot be allowed to spend tokens.`,
  SafeERC20FailedOperation: () => "The token transfer failed. Check the balance and the approval, then try again.",
  SafeCastOverflowedUintDowncast: () => "A number is too large for the contract. Use a smaller value.",
  InvalidShortString: () => "A text value is too long for the contract.",
  StringTooLong: () => "A text value is too long for the contract.",
};

export const fallbackMessage =
  "The transaction was rejected by the contract. Nothing was changed. Check the details and try again.";
