/**
 * INTERIM — delete this file once the real contracts are deployed and the generated
 * `deployments/index.ts` (ABIs `as const` + address book, written by scripts/lib/deployments.ts)
 * is committed: point the import in `./deployments.ts` at it and drop the `env` block of
 * `next.config.ts`. Nothing else in the dApp imports this module.
 *
 * Until then it holds hand-typed ABI fragments of the functions the dApp already calls, and the
 * address book arrives through NEXT_PUBLIC_CARELEDGER_DEPLOYMENTS, which next.config.ts builds
 * from deployments/<chainId>.json at build time (same shape as the generated `deployments`).
 * No address lives in source.
 */
import type { Abi } from "viem";

export const careRegistryAbi = [
  {
    type: "function",
    name: "isPatient",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "isCredentialed",
    stateMutability: "view",
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "isGuardian",
    stateMutability: "view",
    inputs: [
      { name: "patient", type: "address" },
      { name: "guardian", type: "address" },
      { name: "rights", type: "uint8" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "hasRole",
    stateMutability: "view",
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "error",
    name: "AccessControlUnauthorizedAccount",
    inputs: [
      { name: "account", type: "address" },
      { name: "neededRole", type: "bytes32" },
    ],
  },
  { inputs: [], name: "AccessControlBadConfirmation", type: "error" },
  { inputs: [{ name: "schedule", type: "uint48" }], name: "AccessControlEnforcedDefaultAdminDelay", type: "error" },
  { inputs: [], name: "AccessControlEnforcedDefaultAdminRules", type: "error" },
  { inputs: [{ name: "defaultAdmin", type: "address" }], name: "AccessControlInvalidDefaultAdmin", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "guardian", type: "address" },
    ],
    name: "RegistryGuardianNotFound",
    type: "error",
  },
  { inputs: [{ name: "account", type: "address" }], name: "RegistryInvalidAccount", type: "error" },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
      { name: "status", type: "uint8" },
    ],
    name: "RegistryInvalidCredentialTransition",
    type: "error",
  },
  { inputs: [], name: "RegistryInvalidEncryptionKey", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "guardian", type: "address" },
    ],
    name: "RegistryInvalidGuardian",
    type: "error",
  },
  {
    inputs: [
      { name: "validFrom", type: "uint64" },
      { name: "validUntil", type: "uint64" },
      { name: "currentTime", type: "uint64" },
    ],
    name: "RegistryInvalidGuardianPeriod",
    type: "error",
  },
  { inputs: [{ name: "rights", type: "uint8" }], name: "RegistryInvalidGuardianRights", type: "error" },
  { inputs: [{ name: "account", type: "address" }], name: "RegistryNotPatient", type: "error" },
  { inputs: [{ name: "account", type: "address" }], name: "RegistryPatientAlreadyRegistered", type: "error" },
  { inputs: [{ name: "role", type: "bytes32" }], name: "RegistryUnknownCredentialRole", type: "error" },
  {
    inputs: [
      { name: "bits", type: "uint8" },
      { name: "value", type: "uint256" },
    ],
    name: "SafeCastOverflowedUintDowncast",
    type: "error",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "credentialStatus",
    outputs: [{ name: "", type: "uint8" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "grantCredential",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "reinstateCredential",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "revokeCredential",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "suspendCredential",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "guardian", type: "address" },
    ],
    name: "GuardianRevoked",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "guardian", type: "address" },
      { indexed: false, name: "rights", type: "uint8" },
      { indexed: false, name: "validFrom", type: "uint64" },
      { indexed: false, name: "validUntil", type: "uint64" },
    ],
    name: "GuardianSet",
    type: "event",
  },
  {
    inputs: [{ name: "account", type: "address" }],
    name: "encryptionKey",
    outputs: [
      { name: "key", type: "bytes32" },
      { name: "version", type: "uint32" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "guardian", type: "address" },
    ],
    name: "guardianOf",
    outputs: [
      {
        components: [
          { name: "rights", type: "uint8" },
          { name: "validFrom", type: "uint64" },
          { name: "validUntil", type: "uint64" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "encryptionKey_", type: "bytes32" }],
    name: "registerPatient",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "guardian", type: "address" },
      { name: "rights", type: "uint8" },
      { name: "validFrom", type: "uint64" },
      { name: "validUntil", type: "uint64" },
    ],
    name: "setGuardian",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
] as const satisfies Abi;

export const consentManagerAbi = [
  {
    type: "function",
    name: "hasConsent",
    stateMutability: "view",
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "category", type: "uint8" },
      { name: "purpose", type: "uint8" },
      { name: "access", type: "uint8" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
] as const satisfies Abi;

export const recordRegistryAbi = [
  {
    type: "function",
    name: "recordSubject",
    stateMutability: "view",
    inputs: [{ name: "recordId", type: "uint256" }],
    outputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
    ],
  },
] as const satisfies Abi;

export const stablecoinAbi = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "decimals",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint8" }],
  },
  {
    type: "function",
    name: "symbol",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "string" }],
  },
] as const satisfies Abi;

export const claimsSettlementAbi = [] as const satisfies Abi;

type AddressBook = Record<
  number,
  {
    chainId: number;
    network: string;
    rpcUrl: string;
    deploymentBlock: number;
    contracts: Record<string, `0x${string}`>;
  }
>;

export const deployments: AddressBook = JSON.parse(process.env.NEXT_PUBLIC_CARELEDGER_DEPLOYMENTS || "{}");
