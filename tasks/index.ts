/**
 * CareLedger's Hardhat tasks: every role's actions from the command line, against any network
 * configured in hardhat.config.ts (`npx hardhat careledger:<action> --network <name>`).
 * Actions are loaded lazily, so `npx hardhat --help` stays fast.
 */
import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

import { CREDENTIAL_ROLES } from "@careledger/sdk/protocol/constants";

const FROM = {
  name: "from",
  description: "Signer: an account address or its index among the network's accounts",
  defaultValue: "0",
} as const;

const IPFS_API = {
  name: "ipfsApi" as const,
  description:
    "Kubo RPC URL(s) of the record store, comma-separated (writes go to all, reads fall back); " +
    "$CARELEDGER_IPFS_API when set, else the embedded store of `npm start`",
  defaultValue: process.env.CARELEDGER_IPFS_API ?? "http://127.0.0.1:5001",
};

export const careLedgerTasks = [
  task(
    "careledger:register",
    "Register your CareLedger encryption key from your encrypted key file (a new random key and file when you have none)",
  )
    .addOption(FROM)
    .addFlag({
      name: "keyOnly",
      description:
        "Only publish the encryption key (providers, insurers, guardians: needed to receive consent keys), do not register as a patient",
    })
    .setAction(() => import("./actions/register.js"))
    .build(),

  task(
    "careledger:credential",
    "Authority: grant (with its directory listing), suspend, reinstate or revoke a credential, or update a listing",
  )
    .addPositionalArgument({ name: "action", description: "grant | suspend | reinstate | revoke | profile" })
    .addOption({
      name: "role",
      description: CREDENTIAL_ROLES.map((role) => role.flag).join(" | "),
      defaultValue: "provider",
    })
    .addOption({ name: "account", description: "The account to credential (address)", defaultValue: "" })
    .addOption({
      name: "name",
      description: "grant: the name patients will see in the directory (required), or to rename a party with `profile`",
      defaultValue: "",
    })
    .addOption({
      name: "kind",
      description:
        "grant / profile: clinician | practice | hospital | laboratory | pharmacy | insurer | research | sponsor | ethics-board | regulator | manufacturer | distributor | other (default: the role's own kind)",
      defaultValue: "",
    })
    .addOption({
      name: "registryId",
      description: 'grant / profile: a professional registry identifier patients can check, e.g. "NPI 1234567893"',
      defaultValue: "",
    })
    .addOption(FROM)
    .setAction(() => import("./actions/credential.js"))
    .build(),

  task(
    "careledger:add-record",
    "Encrypt a FHIR JSON file or a PDF for a patient, store it on IPFS and add its pointer on chain",
  )
    .addOption({ name: "patient", description: "The patient's address", defaultValue: "" })
    .addOption({ name: "file", description: "A FHIR R4 resource or Bundle (.json) or a PDF", defaultValue: "" })
    .addOption({
      name: "category",
      description: "Record category (name or 0..8); default: from the FHIR resource type, Documents for a PDF",
      defaultValue: "",
    })
    .addOption(IPFS_API)
    .addOption(FROM)
    .setAction(() => import("./actions/addRecord.js"))
    .build(),

  task(
    "careledger:grant",
    "Patient: grant consent to a provider, insurer or researcher (wraps the category keys to them)",
  )
    .addOption({ name: "grantee", description: "Who receives access (address)", defaultValue: "" })
    .addOption({
      name: "categories",
      description: "Comma-separated category names or numbers, or `emergency` / `all`",
      defaultValue: "",
    })
    .addOption({ name: "purpose", description: "treatment | claims | research | emergency", defaultValue: "treatment" })
    .addOption({ name: "access", description: "read | write | read,write", defaultValue: "read" })
    .addOption({ name: "days", description: "Days until the grant expires", type: ArgumentType.INT, defaultValue: 365 })
    .addOption(FROM)
    .setAction(() => import("./actions/grant.js"))
    .build(),

  task(
    "careledger:revoke",
    "Patient: revoke a consent grant and, in the same transaction, rotate its categories' keys for the grantees who keep reading",
  )
    .addOption({ name: "grantee", description: "Whose access ends (address)", defaultValue: "" })
    .addOption({ name: "purpose", description: "treatment | claims | research | emergency", defaultValue: "treatment" })
    .addFlag({
      name: "keepKeys",
      description: "Revoke only; its categories then refuse new records until careledger:renew-keys",
    })
    .addOption(FROM)
    .setAction(() => import("./actions/revoke.js"))
    .build(),
  task("careledger:renew-keys", "Patient: renew every category that needs new keys, in one transaction")
    .addOption(FROM)
    .setAction(() => import("./actions/renewKeys.js"))
    .build(),

  task("careledger:read", "Fetch a record, verify it against its on-chain commitment, decrypt it to a file")
    .addOption({ name: "record", description: "Record id (decimal or 0x hex)", defaultValue: "" })
    .addOption({ name: "out", description: "Where to write the decrypted content", defaultValue: "" })
    .addOption(IPFS_API)
    .addOption(FROM)
    .setAction(() => import("./actions/read.js"))
    .build(),

  task("careledger:create-plan", "Insurer: create a plan (amounts in stablecoin units, e.g. 250.00)")
    .addOption({
      name: "share",
      description: "Percent of the allowed amount the plan pays after the deductible",
      defaultValue: "80",
    })
    .addOption({ name: "deductible", description: "Per member and plan year", defaultValue: "0" })
    .addOption({
      name: "annualLimit",
      description: "Most the plan pays per member and plan year",
      defaultValue: "10000",
    })
    .addOption({
      name: "autoApprove",
      description: "Claims billed at or below this are approved at once",
      defaultValue: "0",
    })
    .addOption({
      name: "preAuthClasses",
      description: "Service classes (0..15, comma-separated) needing pre-authorisation",
      defaultValue: "",
    })
    .addOption({
      name: "reviewWindow",
      description: "Days to decide a claim (default: the network's ignition parameters, else 14)",
      defaultValue: "",
    })
    .addOption({
      name: "appealWindow",
      description: "Days to appeal a decision (default: the network's ignition parameters, else 30)",
      defaultValue: "",
    })
    .addOption(FROM)
    .setAction(() => import("./actions/createPlan.js"))
    .build(),

  task("careledger:coverage", "Insurer offers coverage under a plan; the patient accepts it")
    .addPositionalArgument({ name: "action", description: "offer | accept" })
    .addOption({ name: "patient", description: "offer: the patient (address)", defaultValue: "" })
    .addOption({ name: "plan", description: "offer: the plan id", defaultValue: "" })
    .addOption({
      name: "days",
      description: "offer: days of coverage from now",
      type: ArgumentType.INT,
      defaultValue: 365,
    })
    .addOption({ name: "coverageId", description: "accept: the coverage id", defaultValue: "" })
    .addOption(FROM)
    .setAction(() => import("./actions/coverage.js"))
    .build(),

  task(
    "careledger:recover",
    "Account recovery: a guardian approves a new address; the patient cancels; anyone completes",
  )
    .addPositionalArgument({ name: "action", description: "status | approve | cancel | complete" })
    .addOption({ name: "patient", description: "status, approve, complete: the patient (address)", defaultValue: "" })
    .addOption({
      name: "newAddress",
      description: "approve (and status): the new address to move the patient to",
      defaultValue: "",
    })
    .addOption(FROM)
    .setAction(() => import("./actions/recover.js"))
    .build(),

  task("careledger:fund-pool", "Insurer: move stablecoin into your claims pool")
    .addOption({ name: "amount", description: "Amount in stablecoin units, e.g. 5000", defaultValue: "" })
    .addFlag({ name: "faucet", description: "Draw from the mock stablecoin's faucet first (local and test networks)" })
    .addOption(FROM)
    .setAction(() => import("./actions/fundPool.js"))
    .build(),

  task("careledger:claim", "Provider submits a claim; the insurer approves or denies it")
    .addPositionalArgument({ name: "action", description: "submit | approve | deny" })
    .addOption({ name: "coverageId", description: "submit: the patient's coverage id", defaultValue: "" })
    .addOption({
      name: "evidence",
      description: "submit: record ids the insurer needs, comma-separated",
      defaultValue: "",
    })
    .addOption({ name: "billed", description: "submit: amount billed in stablecoin units", defaultValue: "" })
    .addOption({
      name: "serviceClass",
      description: "submit: the plan's service class (0..15)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "encounter",
      description: "submit: the encounter's FHIR id (committed, never published)",
      defaultValue: "",
    })
    .addOption({
      name: "preAuth",
      description: "submit: approved pre-authorisation id, when the class needs one",
      defaultValue: "0",
    })
    .addOption({
      name: "claimId",
      description: "approve / deny: the claim id, 0x hex as submit prints it",
      defaultValue: "",
    })
    .addOption({
      name: "allowed",
      description: "approve: allowed amount (default: the billed amount)",
      defaultValue: "",
    })
    .addOption({
      name: "reason",
      description: "deny: reason code (e.g. an X12 CARC number), sealed to the patient, provider and insurer",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption(FROM)
    .setAction(() => import("./actions/claim.js"))
    .build(),

  task(
    "careledger:withdraw",
    "Provider: withdraw payouts credited by an insurer; insurer: withdraw unreserved pool funds",
  )
    .addOption({ name: "insurer", description: "Provider: the insurer whose pool owes you", defaultValue: "" })
    .addOption({ name: "pool", description: "Insurer: amount to take out of your own pool instead", defaultValue: "" })
    .addOption(FROM)
    .setAction(() => import("./actions/withdraw.js"))
    .build(),

  task(
    "careledger:storage",
    "Verify every on-chain record pointer against the stores; --repair re-pins from a healthy copy",
  )
    .addFlag({ name: "repair", description: "Write missing or corrupt copies back from a healthy one" })
    .addFlag({
      name: "gc",
      description: "Then collect garbage in each store (intact record copies are pinned first)",
    })
    .addOption(IPFS_API)
    .addOption({
      name: "embedded",
      description: "Also check an embedded store folder directly (e.g. .careledger/ipfs, with `npm start` stopped)",
      defaultValue: "",
    })
    .setAction(() => import("./actions/storage.js"))
    .build(),

  task(
    "careledger:handover-admin",
    "Hand the credentialing authority to a multisig or timelock (two steps, 1-day delay)",
  )
    .addPositionalArgument({ name: "action", description: "status | begin | accept | cancel" })
    .addOption({ name: "to", description: "begin: the new admin (multisig / timelock address)", defaultValue: "" })
    .addFlag({
      name: "calldata",
      description: "Print the transaction for a multisig to propose instead of sending it",
    })
    .addOption(FROM)
    .setAction(() => import("./actions/handoverAdmin.js"))
    .build(),
];
