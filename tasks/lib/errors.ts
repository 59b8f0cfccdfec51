/**
 * Contract reverts in plain language. The custom errors come from the deployment's ABIs
 * (contracts/interfaces/*.sol); each known one gets a sentence saying what went wrong and what to
 * do, the rest are shown decoded (`Name(arg, …)`) rather than as raw bytes.
 */
import { type Interface, type Result } from "ethers";

import { CREDENTIAL_ADMIN_ROLE, CREDENTIAL_ROLES } from "@careledger/sdk";

import { TaskError } from "./context.js";

type Explain = (args: Result) => string;

const PURPOSES = ["treatment", "claims", "research", "emergency"];
const ROLE_NAMES: Record<string, string> = {
  ...Object.fromEntries(CREDENTIAL_ROLES.map((role) => [role.id, `${role.noun} credential`])),
  [CREDENTIAL_ADMIN_ROLE]: "credential admin role",
};

const EXPLANATIONS: Record<string, Explain> = {
  AccessControlUnauthorizedAccount: (a) =>
    `${a[0]} lacks the authority role this needs. Run it --from the credentialing authority (the admin multisig / timelock on real networks).`,
  RegistryPatientAlreadyRegistered: (a) => `${a[0]} is already registered as a patient; nothing to do.`,
  RegistryNotPatient: (a) => `${a[0]} is not a registered patient. The patient runs \`careledger:register\` first.`,
  RegistryInvalidCredentialTransition: (a) =>
    `The ${ROLE_NAMES[a[0]] ?? "credential"} of ${a[1]} cannot change that way from its current status (${["none", "active", "suspended", "revoked"][Number(a[2])] ?? a[2]}). ` +
    "Grant needs none, suspend needs active, reinstate needs suspended; revoked is final.",
  RegistryInvalidAccount: (a) => `${a[0]} cannot hold a credential (the zero address?).`,
  RegistryAccountMoved: (a) =>
    `${a[0]} no longer speaks for this patient: the identity moved to ${a[1]} by account recovery. Run it --from ${a[1]}.`,
  RegistryNotRecoveryGuardian: (a) =>
    `${a[1]} is not a recovery guardian of ${a[0]} right now; the patient names it with the recovery right first.`,
  RegistryRecoveryAlreadyApproved: (a) => `${a[1]} already approved a new address for ${a[0]} in this round.`,
  RegistryRecoveryNotEnabled: (a) => `${a[0]} has not turned account recovery on (no threshold set).`,
  RegistryInvalidRecoveryAccount: (a) =>
    `${a[1]} cannot take over ${a[0]}: use a fresh address (not registered, not linked, no published key).`,
  RegistryNoRecoveryScheduled: (a) =>
    `No move of ${a[0]} has enough approvals (or it was cancelled); \`careledger:recover status --patient ${a[0]}\` shows where it stands.`,
  RegistryRecoveryNotReady: (a) =>
    `The move of ${a[0]} can complete from ${new Date(Number(a[1]) * 1000).toISOString()}: the delay lets the old address cancel.`,
  ConsentInvalidGrantee: (a) => `${a[1]} cannot be a grantee of ${a[0]} (yourself or the zero address).`,
  ConsentInvalidScope: () => "The grant names no valid category.",
  ConsentInvalidPeriod: () => "The grant's period is empty or already over; choose --days of at least 1.",
  ConsentSignatureRevoked: (a) =>
    `The ${PURPOSES[Number(a[2])]} grant from ${a[0]} to ${a[1]} was revoked or cancelled after this signature was made; sign again.`,
  ConsentGuardianSelfGrant: (a) => `${a[1]} is a guardian of ${a[0]} and cannot grant consent to itself.`,
  ConsentGuardianGrantOutlivesGuardianship: (a) =>
    `The grant would outlast the guardianship (ends ${new Date(Number(a[1]) * 1000).toISOString()}); choose fewer --days.`,
  RecordNotPatient: (a) => `${a[0]} is not a registered patient. Run \`careledger:register\` first.`,
  RecordWriterNotCredentialed: (a) =>
    `${a[0]} is not a credentialed provider. The authority grants it: \`careledger:credential grant --role provider --account ${a[0]}\`.`,
  RecordWriteNotConsented: (a) =>
    `No consent: patient ${a[0]} has not given ${a[1]} write access to category ${a[2]} for treatment. ` +
    `The patient grants it: \`careledger:grant --grantee ${a[1]} --categories ${a[2]} --access read,write\`.`,
  RecordCategoryKeyMissing: (a) =>
    `Patient ${a[0]} has no key for category ${a[1]} yet. The patient runs \`careledger:register\` (it publishes the category keys).`,
  RecordStaleKeyEpoch: (a) =>
    `The patient rotated the key of category ${a[1]} (epoch ${a[3]}, not ${a[2]}) while this was being written; run the command again.`,
  RecordRotationEpochMismatch: (a) =>
    `Category ${a[1]} of ${a[0]} is at epoch ${a[3]}, not ${a[2]}: it was rotated meanwhile. Run the command again (it reads the epochs afresh).`,
  RecordCategoryNeedsNewKeys: (a) =>
    `Category ${a[1]} of ${a[0]} needs new keys (a grantee holding epoch ${a[2]} was revoked). The patient runs \`careledger:renew-keys\` first.`,
  RecordCategoryKeyEnded: (a) =>
    `Category ${a[1]} of ${a[0]} needs new keys (a grant holding epoch ${a[2]} ended at ${a[3]}). The patient runs \`careledger:renew-keys\` first.`,
  ConsentRewrapToEndedGrant: (a) =>
    `The ${a[2]} grant of ${a[1]} has ended and cannot receive new keys; run the command again (it re-reads the grants).`,
  RecordNotFound: (a) => `There is no record ${a[0]} on this chain; check --record and --network.`,
  ClaimsMissingCredential: (a) =>
    `${a[1]} lacks the credential this needs (${ROLE_NAMES[a[0]] ?? a[0]}). The authority grants it with \`careledger:credential grant\`.`,
  PlanInvalidTerms: () =>
    "The plan terms are invalid: coverage at most 100 %, review, appeal and filing windows above zero.",
  PlanUnknown: (a) => `There is no plan ${a[0]}.`,
  PlanInactive: (a) => `Plan ${a[0]} is deactivated.`,
  PlanUnauthorizedInsurer: (a) => `${a[1]} is not the insurer of plan ${a[0]}; run it --from the plan's insurer.`,
  CoverageNotPatient: (a) => `${a[0]} is not a registered patient; coverage is offered to patients.`,
  CoverageUnknown: (a) => `There is no coverage ${a[0]}.`,
  CoverageInvalidStatus: (a) =>
    `Coverage ${a[0]} is not in a state that allows this (${["none", "offered", "accepted"][Number(a[1])]}).`,
  CoverageUnauthorizedAcceptor: (a) =>
    `${a[1]} may not accept coverage ${a[0]}: only the patient (or a guardian managing consent).`,
  CoverageNotEligible: (a) =>
    `Coverage ${a[0]} does not cover the service date: ${["eligible", "no coverage", "coverage not accepted by the patient", "coverage not started", "coverage expired", "plan inactive", "insurer not credentialed"][Number(a[2])]}.`,
  PoolZeroAmount: () => "The amount must be above zero.",
  PoolInsufficientFunds: (a) =>
    `The pool of ${a[0]} has ${a[1]} available but ${a[2]} are needed (units of the token's smallest denomination). The insurer funds it with \`careledger:fund-pool\`.`,
  ClaimInvalidAmount: (a) => `Amount ${a[0]} is out of range (maximum ${a[1]}).`,
  ClaimInvalidEvidenceCount: (a) => `A claim carries 1..${a[1]} evidence records, not ${a[0]}.`,
  ClaimEvidenceNotOfPatient: (a) => `Evidence record ${a[0]} belongs to ${a[2]}, not to the covered patient ${a[1]}.`,
  ClaimEvidenceNoConsent: (a) =>
    `No consent: the insurer ${a[1]} may not read category ${a[2]} of evidence record ${a[0]} for claims. ` +
    `The patient grants it: \`careledger:grant --grantee ${a[1]} --purpose claims --categories ${a[2]}\`.`,
  ClaimDuplicateEncounter: (a) => `This encounter was already claimed (claim ${a[1]}).`,
  ClaimAnnualLimitReached: (a) => `Coverage ${a[0]} reached its annual limit for plan year ${a[1]}.`,
  ClaimServiceDateInFuture: () => "The service date is in the future.",
  ClaimUnknown: (a) => `There is no claim ${a[0]}.`,
  ClaimInvalidStatus: (a) =>
    `Claim ${a[0]} is ${["unknown", "pending", "approved", "denied", "appealed", "closed"][Number(a[1])]}; only a pending claim can be approved or denied.`,
  ClaimReviewWindowClosed: (a) =>
    `The review window of claim ${a[0]} closed at ${new Date(Number(a[1]) * 1000).toISOString()}; the claim can be appealed.`,
  PreAuthRequired: (a) =>
    `Service class ${a[1]} needs an approved pre-authorisation under coverage ${a[0]}; pass --pre-auth <id>.`,
  PayoutNothingToWithdraw: (a) => `Nothing is owed to ${a[0]} from the pool of ${a[1]}.`,
  ERC20InsufficientBalance: (a) =>
    `${a[0]} holds ${a[1]} of the stablecoin but ${a[2]} are needed. Get tokens first (locally: --faucet).`,
  ERC20InsufficientAllowance: (a) => `The stablecoin allowance of ${a[0]} is ${a[1]}, ${a[2]} needed.`,
  FaucetCooldown: (a) =>
    `The faucet was used recently by ${a[0]}; next at ${new Date(Number(a[1]) * 1000).toISOString()}.`,
  AccessControlEnforcedDefaultAdminDelay: (a) =>
    `The admin transfer delay has not passed yet; accept after ${new Date(Number(a[0]) * 1000).toISOString()}.`,
  AccessControlInvalidDefaultAdmin: (a) =>
    `${a[0]} is not the pending admin; run accept --from the account named in begin.`,
};

/** Finds revert data anywhere in an ethers / provider error. */
function revertData(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== "object" || depth > 6) return undefined;
  const e = error as Record<string, unknown>;
  if (typeof e.data === "string" && /^0x[0-9a-f]{8}/i.test(e.data)) return e.data;
  for (const key of ["error", "info", "cause", "data", "payload"]) {
    const found = revertData(e[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A TaskError saying in plain words why `what` failed. */
export function explainRevert(error: unknown, abi: Interface, what: string): Error {
  if (error instanceof TaskError) return error;
  const data = revertData(error);
  if (data) {
    try {
      const parsed = abi.parseError(data);
      if (parsed) {
        const explain = EXPLANATIONS[parsed.name];
        const detail = explain ? explain(parsed.args) : `${parsed.name}(${parsed.args.map(String).join(", ")})`;
        const failure = new TaskError(`${what} was rejected: ${detail}`);
        (failure as TaskError & { errorName?: string }).errorName = parsed.name;
        return failure;
      }
    } catch {
      /* not one of ours: fall through */
    }
  }
  const message = (error as Error)?.message ?? String(error);
  if (/insufficient funds/i.test(message)) {
    return new TaskError(`${what} failed: the signer has too little ETH for gas. Fund it (Sepolia: a faucet).`);
  }
  return new TaskError(`${what} failed: ${message.split("\n")[0]}`);
}
