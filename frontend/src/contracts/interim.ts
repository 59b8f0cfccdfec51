/**
 * INTERIM — delete this file once the generated `deployments/index.ts` (ABIs `as const` + address
 * book, written by scripts/lib/deployments.ts on deploy) is committed: point the import in
 * `./deployments.ts` at it and drop the `env` block of `next.config.ts`. Nothing else in the dApp
 * imports this module.
 *
 * The ABIs below were copied once from the compiled artifacts (core contracts from main, claims
 * and the mock stablecoin from the claims branch), so they can drift from the contracts until the
 * generated file replaces them. The address book arrives through NEXT_PUBLIC_CARELEDGER_DEPLOYMENTS,
 * which next.config.ts builds from deployments/<chainId>.json at build time (the same shape as the
 * generated `deployments`). No address lives in source.
 */
import type { Abi } from "viem";

export const careRegistryAbi = [
  { inputs: [], name: "AccessControlBadConfirmation", type: "error" },
  { inputs: [{ name: "schedule", type: "uint48" }], name: "AccessControlEnforcedDefaultAdminDelay", type: "error" },
  { inputs: [], name: "AccessControlEnforcedDefaultAdminRules", type: "error" },
  { inputs: [{ name: "defaultAdmin", type: "address" }], name: "AccessControlInvalidDefaultAdmin", type: "error" },
  {
    inputs: [
      { name: "account", type: "address" },
      { name: "neededRole", type: "bytes32" },
    ],
    name: "AccessControlUnauthorizedAccount",
    type: "error",
  },
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
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "authority", type: "address" },
    ],
    name: "CredentialGranted",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "authority", type: "address" },
    ],
    name: "CredentialReinstated",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "authority", type: "address" },
    ],
    name: "CredentialRevoked",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "authority", type: "address" },
    ],
    name: "CredentialSuspended",
    type: "event",
  },
  { anonymous: false, inputs: [], name: "DefaultAdminDelayChangeCanceled", type: "event" },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: "newDelay", type: "uint48" },
      { indexed: false, name: "effectSchedule", type: "uint48" },
    ],
    name: "DefaultAdminDelayChangeScheduled",
    type: "event",
  },
  { anonymous: false, inputs: [], name: "DefaultAdminTransferCanceled", type: "event" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "newAdmin", type: "address" },
      { indexed: false, name: "acceptSchedule", type: "uint48" },
    ],
    name: "DefaultAdminTransferScheduled",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "account", type: "address" },
      { indexed: false, name: "encryptionKey", type: "bytes32" },
      { indexed: false, name: "keyVersion", type: "uint32" },
    ],
    name: "EncryptionKeyUpdated",
    type: "event",
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
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: false, name: "encryptionKey", type: "bytes32" },
      { indexed: false, name: "keyVersion", type: "uint32" },
    ],
    name: "PatientRegistered",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "previousAdminRole", type: "bytes32" },
      { indexed: true, name: "newAdminRole", type: "bytes32" },
    ],
    name: "RoleAdminChanged",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "sender", type: "address" },
    ],
    name: "RoleGranted",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "role", type: "bytes32" },
      { indexed: true, name: "account", type: "address" },
      { indexed: true, name: "sender", type: "address" },
    ],
    name: "RoleRevoked",
    type: "event",
  },
  {
    inputs: [],
    name: "ADMIN_TRANSFER_DELAY",
    outputs: [{ name: "", type: "uint48" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "DEFAULT_ADMIN_ROLE",
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "acceptDefaultAdminTransfer", outputs: [], stateMutability: "nonpayable", type: "function" },
  {
    inputs: [{ name: "newAdmin", type: "address" }],
    name: "beginDefaultAdminTransfer",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  { inputs: [], name: "cancelDefaultAdminTransfer", outputs: [], stateMutability: "nonpayable", type: "function" },
  {
    inputs: [{ name: "newDelay", type: "uint48" }],
    name: "changeDefaultAdminDelay",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
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
    inputs: [],
    name: "defaultAdmin",
    outputs: [{ name: "", type: "address" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "defaultAdminDelay",
    outputs: [{ name: "", type: "uint48" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "defaultAdminDelayIncreaseWait",
    outputs: [{ name: "", type: "uint48" }],
    stateMutability: "view",
    type: "function",
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
    inputs: [{ name: "role", type: "bytes32" }],
    name: "getRoleAdmin",
    outputs: [{ name: "", type: "bytes32" }],
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
    name: "grantRole",
    outputs: [],
    stateMutability: "nonpayable",
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
    inputs: [{ name: "patient", type: "address" }],
    name: "guardians",
    outputs: [{ name: "", type: "address[]" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "hasRole",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "isCredentialed",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "guardian", type: "address" },
      { name: "rights", type: "uint8" },
    ],
    name: "isGuardian",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "account", type: "address" }],
    name: "isPatient",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "owner", outputs: [{ name: "", type: "address" }], stateMutability: "view", type: "function" },
  {
    inputs: [],
    name: "pendingDefaultAdmin",
    outputs: [
      { name: "newAdmin", type: "address" },
      { name: "schedule", type: "uint48" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "pendingDefaultAdminDelay",
    outputs: [
      { name: "newDelay", type: "uint48" },
      { name: "schedule", type: "uint48" },
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
    name: "renounceRole",
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
    inputs: [{ name: "guardian", type: "address" }],
    name: "revokeGuardian",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "revokeRole",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  { inputs: [], name: "rollbackDefaultAdminDelay", outputs: [], stateMutability: "nonpayable", type: "function" },
  {
    inputs: [{ name: "encryptionKey_", type: "bytes32" }],
    name: "setEncryptionKey",
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
  {
    inputs: [{ name: "interfaceId", type: "bytes4" }],
    name: "supportsInterface",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
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
] as const satisfies Abi;

export const consentManagerAbi = [
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
    ],
    name: "ConsentAlreadyRevoked",
    type: "error",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
      { name: "expiresAt", type: "uint64" },
    ],
    name: "ConsentBreakGlassAlreadyOpen",
    type: "error",
  },
  {
    inputs: [
      { name: "duration", type: "uint64" },
      { name: "maxDuration", type: "uint64" },
    ],
    name: "ConsentBreakGlassInvalidDuration",
    type: "error",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
    ],
    name: "ConsentBreakGlassNotOpen",
    type: "error",
  },
  { inputs: [{ name: "patient", type: "address" }], name: "ConsentBreakGlassOptedOut", type: "error" },
  { inputs: [], name: "ConsentBreakGlassReasonRequired", type: "error" },
  { inputs: [{ name: "deadline", type: "uint256" }], name: "ConsentExpiredSignature", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
    ],
    name: "ConsentGrantNotFound",
    type: "error",
  },
  { inputs: [{ name: "access", type: "uint8" }], name: "ConsentInvalidAccess", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
    ],
    name: "ConsentInvalidGrantee",
    type: "error",
  },
  {
    inputs: [
      { name: "notBefore", type: "uint64" },
      { name: "expiresAt", type: "uint64" },
      { name: "currentTime", type: "uint64" },
    ],
    name: "ConsentInvalidPeriod",
    type: "error",
  },
  { inputs: [{ name: "scope", type: "uint16" }], name: "ConsentInvalidScope", type: "error" },
  {
    inputs: [
      { name: "signer", type: "address" },
      { name: "patient", type: "address" },
    ],
    name: "ConsentInvalidSigner",
    type: "error",
  },
  { inputs: [{ name: "patient", type: "address" }], name: "ConsentPatientNotRegistered", type: "error" },
  { inputs: [{ name: "provider", type: "address" }], name: "ConsentProviderNotCredentialed", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
      { name: "account", type: "address" },
    ],
    name: "ConsentUnauthorizedBreakGlassCloser",
    type: "error",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "account", type: "address" },
      { name: "rights", type: "uint8" },
    ],
    name: "ConsentUnauthorizedGuardian",
    type: "error",
  },
  { inputs: [], name: "ECDSAInvalidSignature", type: "error" },
  { inputs: [{ name: "length", type: "uint256" }], name: "ECDSAInvalidSignatureLength", type: "error" },
  { inputs: [{ name: "s", type: "bytes32" }], name: "ECDSAInvalidSignatureS", type: "error" },
  {
    inputs: [
      { name: "account", type: "address" },
      { name: "currentNonce", type: "uint256" },
    ],
    name: "InvalidAccountNonce",
    type: "error",
  },
  { inputs: [], name: "InvalidShortString", type: "error" },
  { inputs: [{ name: "str", type: "string" }], name: "StringTooLong", type: "error" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "provider", type: "address" },
      { indexed: true, name: "closedBy", type: "address" },
    ],
    name: "BreakGlassClosed",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "provider", type: "address" },
      { indexed: false, name: "reasonCode", type: "uint16" },
      { indexed: false, name: "expiresAt", type: "uint64" },
    ],
    name: "BreakGlassOpened",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: false, name: "optedOut", type: "bool" },
      { indexed: true, name: "updatedBy", type: "address" },
    ],
    name: "BreakGlassOptOutUpdated",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "grantee", type: "address" },
      { indexed: false, name: "purpose", type: "uint8" },
      { indexed: false, name: "scope", type: "uint16" },
      { indexed: false, name: "access", type: "uint8" },
      { indexed: false, name: "notBefore", type: "uint64" },
      { indexed: false, name: "expiresAt", type: "uint64" },
      { indexed: false, name: "grantedBy", type: "address" },
      { indexed: false, name: "keyEnvelopes", type: "bytes" },
    ],
    name: "ConsentGranted",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "grantee", type: "address" },
      { indexed: false, name: "purpose", type: "uint8" },
      { indexed: false, name: "revokedBy", type: "address" },
    ],
    name: "ConsentRevoked",
    type: "event",
  },
  { anonymous: false, inputs: [], name: "EIP712DomainChanged", type: "event" },
  {
    inputs: [],
    name: "CONSENT_GRANT_TYPEHASH",
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "CONSENT_REVOCATION_TYPEHASH",
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "DOMAIN_SEPARATOR",
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "MAX_BREAK_GLASS_DURATION",
    outputs: [{ name: "", type: "uint64" }],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "REGISTRY", outputs: [{ name: "", type: "address" }], stateMutability: "view", type: "function" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
    ],
    name: "breakGlassOf",
    outputs: [
      {
        components: [
          { name: "openedAt", type: "uint64" },
          { name: "expiresAt", type: "uint64" },
          { name: "reasonCode", type: "uint16" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "patient", type: "address" }],
    name: "breakGlassOptedOut",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
    ],
    name: "closeBreakGlass",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
    ],
    name: "consentOf",
    outputs: [
      {
        components: [
          { name: "scope", type: "uint16" },
          { name: "access", type: "uint8" },
          { name: "revoked", type: "bool" },
          { name: "notBefore", type: "uint64" },
          { name: "expiresAt", type: "uint64" },
          { name: "grantedAt", type: "uint64" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "eip712Domain",
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      {
        components: [
          { name: "grantee", type: "address" },
          { name: "scope", type: "uint16" },
          { name: "purpose", type: "uint8" },
          { name: "access", type: "uint8" },
          { name: "notBefore", type: "uint64" },
          { name: "expiresAt", type: "uint64" },
        ],
        name: "terms",
        type: "tuple",
      },
      { name: "keyEnvelopes", type: "bytes" },
    ],
    name: "grantConsent",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      {
        components: [
          { name: "grantee", type: "address" },
          { name: "scope", type: "uint16" },
          { name: "purpose", type: "uint8" },
          { name: "access", type: "uint8" },
          { name: "notBefore", type: "uint64" },
          { name: "expiresAt", type: "uint64" },
        ],
        name: "terms",
        type: "tuple",
      },
      { name: "keyEnvelopes", type: "bytes" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "r", type: "bytes32" },
      { name: "vs", type: "bytes32" },
    ],
    name: "grantConsentBySig",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      {
        components: [
          { name: "grantee", type: "address" },
          { name: "scope", type: "uint16" },
          { name: "purpose", type: "uint8" },
          { name: "access", type: "uint8" },
          { name: "notBefore", type: "uint64" },
          { name: "expiresAt", type: "uint64" },
        ],
        name: "terms",
        type: "tuple",
      },
      { name: "keyEnvelopes", type: "bytes" },
    ],
    name: "grantConsentFor",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "category", type: "uint8" },
      { name: "purpose", type: "uint8" },
      { name: "access", type: "uint8" },
    ],
    name: "hasConsent",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "provider", type: "address" },
    ],
    name: "isBreakGlassOpen",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "owner", type: "address" }],
    name: "nonces",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "reasonCode", type: "uint16" },
      { name: "duration", type: "uint64" },
    ],
    name: "openBreakGlass",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
    ],
    name: "revokeConsent",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
      { name: "nonce", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "r", type: "bytes32" },
      { name: "vs", type: "bytes32" },
    ],
    name: "revokeConsentBySig",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "grantee", type: "address" },
      { name: "purpose", type: "uint8" },
    ],
    name: "revokeConsentFor",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "optedOut", type: "bool" }],
    name: "setBreakGlassOptOut",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "optedOut", type: "bool" },
    ],
    name: "setBreakGlassOptOutFor",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
] as const satisfies Abi;

export const recordRegistryAbi = [
  {
    inputs: [
      { name: "recordId", type: "uint256" },
      { name: "supersededBy", type: "uint256" },
    ],
    name: "RecordAlreadySuperseded",
    type: "error",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
    ],
    name: "RecordCategoryKeyMissing",
    type: "error",
  },
  { inputs: [], name: "RecordEmptyCid", type: "error" },
  { inputs: [], name: "RecordEmptyCommitment", type: "error" },
  {
    inputs: [
      { name: "size", type: "uint256" },
      { name: "maxSize", type: "uint256" },
    ],
    name: "RecordInvalidBatchSize",
    type: "error",
  },
  { inputs: [{ name: "category", type: "uint8" }], name: "RecordInvalidCategory", type: "error" },
  { inputs: [{ name: "category", type: "uint8" }], name: "RecordInvalidCategoryKey", type: "error" },
  {
    inputs: [
      { name: "left", type: "uint256" },
      { name: "right", type: "uint256" },
    ],
    name: "RecordLengthMismatch",
    type: "error",
  },
  { inputs: [{ name: "recordId", type: "uint256" }], name: "RecordNotFound", type: "error" },
  { inputs: [{ name: "account", type: "address" }], name: "RecordNotPatient", type: "error" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
      { name: "keyEpoch", type: "uint32" },
      { name: "currentEpoch", type: "uint32" },
    ],
    name: "RecordStaleKeyEpoch",
    type: "error",
  },
  {
    inputs: [
      { name: "recordId", type: "uint256" },
      { name: "account", type: "address" },
    ],
    name: "RecordUnauthorizedAmender",
    type: "error",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "writer", type: "address" },
      { name: "category", type: "uint8" },
    ],
    name: "RecordWriteNotConsented",
    type: "error",
  },
  { inputs: [{ name: "writer", type: "address" }], name: "RecordWriterNotCredentialed", type: "error" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "category", type: "uint8" },
      { indexed: false, name: "epoch", type: "uint32" },
      { indexed: false, name: "publicKey", type: "bytes32" },
    ],
    name: "CategoryKeyPublished",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "author", type: "address" },
      { indexed: false, name: "recordId", type: "uint256" },
      { indexed: false, name: "cid", type: "bytes" },
    ],
    name: "RecordAdded",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "previousId", type: "uint256" },
      { indexed: true, name: "recordId", type: "uint256" },
      { indexed: true, name: "author", type: "address" },
    ],
    name: "RecordAmended",
    type: "event",
  },
  { inputs: [], name: "CONSENTS", outputs: [{ name: "", type: "address" }], stateMutability: "view", type: "function" },
  {
    inputs: [],
    name: "MAX_BATCH",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "REGISTRY", outputs: [{ name: "", type: "address" }], stateMutability: "view", type: "function" },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
      { name: "cid", type: "bytes" },
      { name: "commitment", type: "bytes32" },
      { name: "keyEpoch", type: "uint32" },
    ],
    name: "addRecord",
    outputs: [{ name: "recordId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      {
        components: [
          { name: "category", type: "uint8" },
          { name: "keyEpoch", type: "uint32" },
          { name: "commitment", type: "bytes32" },
          { name: "cid", type: "bytes" },
        ],
        name: "records",
        type: "tuple[]",
      },
    ],
    name: "addRecords",
    outputs: [{ name: "recordIds_", type: "uint256[]" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "previousId", type: "uint256" },
      { name: "cid", type: "bytes" },
      { name: "commitment", type: "bytes32" },
      { name: "keyEpoch", type: "uint32" },
    ],
    name: "amendRecord",
    outputs: [{ name: "recordId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
    ],
    name: "categoryKey",
    outputs: [
      { name: "publicKey", type: "bytes32" },
      { name: "epoch", type: "uint32" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
      { name: "index", type: "uint256" },
    ],
    name: "computeRecordId",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "pure",
    type: "function",
  },
  {
    inputs: [
      { name: "categories", type: "uint8[]" },
      { name: "publicKeys", type: "bytes32[]" },
    ],
    name: "publishCategoryKeys",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "recordId", type: "uint256" }],
    name: "record",
    outputs: [
      {
        components: [
          { name: "patient", type: "address" },
          { name: "category", type: "uint8" },
          { name: "author", type: "address" },
          { name: "keyEpoch", type: "uint32" },
          { name: "createdAt", type: "uint40" },
          { name: "commitment", type: "bytes32" },
          { name: "supersedes", type: "uint256" },
          { name: "supersededBy", type: "uint256" },
        ],
        name: "result",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
    ],
    name: "recordCount",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
      { name: "offset", type: "uint256" },
      { name: "limit", type: "uint256" },
    ],
    name: "recordIds",
    outputs: [{ name: "ids", type: "uint256[]" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "recordId", type: "uint256" }],
    name: "recordSubject",
    outputs: [
      { name: "patient", type: "address" },
      { name: "category", type: "uint8" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "category", type: "uint8" },
      { name: "publicKey", type: "bytes32" },
    ],
    name: "rotateCategoryKey",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
] as const satisfies Abi;

export const stablecoinAbi = [
  { inputs: [], name: "ECDSAInvalidSignature", type: "error" },
  { inputs: [{ name: "length", type: "uint256" }], name: "ECDSAInvalidSignatureLength", type: "error" },
  { inputs: [{ name: "s", type: "bytes32" }], name: "ECDSAInvalidSignatureS", type: "error" },
  {
    inputs: [
      { name: "spender", type: "address" },
      { name: "allowance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
    name: "ERC20InsufficientAllowance",
    type: "error",
  },
  {
    inputs: [
      { name: "sender", type: "address" },
      { name: "balance", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
    name: "ERC20InsufficientBalance",
    type: "error",
  },
  { inputs: [{ name: "approver", type: "address" }], name: "ERC20InvalidApprover", type: "error" },
  { inputs: [{ name: "receiver", type: "address" }], name: "ERC20InvalidReceiver", type: "error" },
  { inputs: [{ name: "sender", type: "address" }], name: "ERC20InvalidSender", type: "error" },
  { inputs: [{ name: "spender", type: "address" }], name: "ERC20InvalidSpender", type: "error" },
  { inputs: [{ name: "deadline", type: "uint256" }], name: "ERC2612ExpiredSignature", type: "error" },
  {
    inputs: [
      { name: "signer", type: "address" },
      { name: "owner", type: "address" },
    ],
    name: "ERC2612InvalidSigner",
    type: "error",
  },
  {
    inputs: [
      { name: "account", type: "address" },
      { name: "availableAt", type: "uint256" },
    ],
    name: "FaucetCooldown",
    type: "error",
  },
  {
    inputs: [
      { name: "account", type: "address" },
      { name: "currentNonce", type: "uint256" },
    ],
    name: "InvalidAccountNonce",
    type: "error",
  },
  { inputs: [], name: "InvalidShortString", type: "error" },
  { inputs: [{ name: "str", type: "string" }], name: "StringTooLong", type: "error" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "owner", type: "address" },
      { indexed: true, name: "spender", type: "address" },
      { indexed: false, name: "value", type: "uint256" },
    ],
    name: "Approval",
    type: "event",
  },
  { anonymous: false, inputs: [], name: "EIP712DomainChanged", type: "event" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "account", type: "address" },
      { indexed: false, name: "amount", type: "uint256" },
    ],
    name: "FaucetDrawn",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "from", type: "address" },
      { indexed: true, name: "to", type: "address" },
      { indexed: false, name: "value", type: "uint256" },
    ],
    name: "Transfer",
    type: "event",
  },
  {
    inputs: [],
    name: "DOMAIN_SEPARATOR",
    outputs: [{ name: "", type: "bytes32" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "FAUCET_AMOUNT",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [],
    name: "FAUCET_COOLDOWN",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
    ],
    name: "allowance",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
    ],
    name: "approve",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "account", type: "address" }],
    name: "balanceOf",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "decimals", outputs: [{ name: "", type: "uint8" }], stateMutability: "pure", type: "function" },
  {
    inputs: [],
    name: "eip712Domain",
    outputs: [
      { name: "fields", type: "bytes1" },
      { name: "name", type: "string" },
      { name: "version", type: "string" },
      { name: "chainId", type: "uint256" },
      { name: "verifyingContract", type: "address" },
      { name: "salt", type: "bytes32" },
      { name: "extensions", type: "uint256[]" },
    ],
    stateMutability: "view",
    type: "function",
  },
  { inputs: [], name: "faucet", outputs: [], stateMutability: "nonpayable", type: "function" },
  { inputs: [], name: "name", outputs: [{ name: "", type: "string" }], stateMutability: "view", type: "function" },
  {
    inputs: [{ name: "account", type: "address" }],
    name: "nextFaucetAt",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "owner", type: "address" }],
    name: "nonces",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
      { name: "deadline", type: "uint256" },
      { name: "v", type: "uint8" },
      { name: "r", type: "bytes32" },
      { name: "s", type: "bytes32" },
    ],
    name: "permit",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  { inputs: [], name: "symbol", outputs: [{ name: "", type: "string" }], stateMutability: "view", type: "function" },
  {
    inputs: [],
    name: "totalSupply",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
    ],
    name: "transfer",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "from", type: "address" },
      { name: "to", type: "address" },
      { name: "value", type: "uint256" },
    ],
    name: "transferFrom",
    outputs: [{ name: "", type: "bool" }],
    stateMutability: "nonpayable",
    type: "function",
  },
] as const satisfies Abi;

export const claimsSettlementAbi = [
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "planYear", type: "uint256" },
      { name: "annualLimit", type: "uint256" },
    ],
    name: "ClaimAnnualLimitReached",
    type: "error",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
    name: "ClaimAppealWindowClosed",
    type: "error",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
    name: "ClaimAppealWindowOpen",
    type: "error",
  },
  {
    inputs: [
      { name: "encounterCommitment", type: "bytes32" },
      { name: "existingClaimId", type: "uint256" },
    ],
    name: "ClaimDuplicateEncounter",
    type: "error",
  },
  {
    inputs: [
      { name: "recordId", type: "uint256" },
      { name: "insurer", type: "address" },
      { name: "category", type: "uint8" },
    ],
    name: "ClaimEvidenceNoConsent",
    type: "error",
  },
  {
    inputs: [
      { name: "recordId", type: "uint256" },
      { name: "patient", type: "address" },
      { name: "subject", type: "address" },
    ],
    name: "ClaimEvidenceNotOfPatient",
    type: "error",
  },
  {
    inputs: [
      { name: "amount", type: "uint256" },
      { name: "max", type: "uint256" },
    ],
    name: "ClaimInvalidAmount",
    type: "error",
  },
  {
    inputs: [
      { name: "count", type: "uint256" },
      { name: "max", type: "uint256" },
    ],
    name: "ClaimInvalidEvidenceCount",
    type: "error",
  },
  { inputs: [{ name: "serviceClass", type: "uint8" }], name: "ClaimInvalidServiceClass", type: "error" },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "status", type: "uint8" },
    ],
    name: "ClaimInvalidStatus",
    type: "error",
  },
  { inputs: [{ name: "claimId", type: "uint256" }], name: "ClaimNotAppealable", type: "error" },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
    name: "ClaimReviewWindowClosed",
    type: "error",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "deadline", type: "uint256" },
    ],
    name: "ClaimReviewWindowOpen",
    type: "error",
  },
  { inputs: [{ name: "serviceDate", type: "uint40" }], name: "ClaimServiceDateInFuture", type: "error" },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "caller", type: "address" },
    ],
    name: "ClaimUnauthorizedCaller",
    type: "error",
  },
  { inputs: [{ name: "claimId", type: "uint256" }], name: "ClaimUnknown", type: "error" },
  {
    inputs: [
      { name: "role", type: "bytes32" },
      { name: "account", type: "address" },
    ],
    name: "ClaimsMissingCredential",
    type: "error",
  },
  {
    inputs: [
      { name: "start", type: "uint40" },
      { name: "end", type: "uint40" },
    ],
    name: "CoverageInvalidPeriod",
    type: "error",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "status", type: "uint8" },
    ],
    name: "CoverageInvalidStatus",
    type: "error",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "serviceDate", type: "uint40" },
      { name: "reason", type: "uint8" },
    ],
    name: "CoverageNotEligible",
    type: "error",
  },
  { inputs: [{ name: "account", type: "address" }], name: "CoverageNotPatient", type: "error" },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "caller", type: "address" },
    ],
    name: "CoverageUnauthorizedAcceptor",
    type: "error",
  },
  { inputs: [{ name: "coverageId", type: "uint256" }], name: "CoverageUnknown", type: "error" },
  {
    inputs: [
      { name: "provider", type: "address" },
      { name: "insurer", type: "address" },
    ],
    name: "PayoutNothingToWithdraw",
    type: "error",
  },
  { inputs: [{ name: "planId", type: "uint256" }], name: "PlanInactive", type: "error" },
  {
    inputs: [
      { name: "coverageBps", type: "uint16" },
      { name: "reviewWindow", type: "uint32" },
      { name: "appealWindow", type: "uint32" },
    ],
    name: "PlanInvalidTerms",
    type: "error",
  },
  {
    inputs: [
      { name: "planId", type: "uint256" },
      { name: "caller", type: "address" },
    ],
    name: "PlanUnauthorizedInsurer",
    type: "error",
  },
  { inputs: [{ name: "planId", type: "uint256" }], name: "PlanUnknown", type: "error" },
  {
    inputs: [
      { name: "insurer", type: "address" },
      { name: "available", type: "uint256" },
      { name: "needed", type: "uint256" },
    ],
    name: "PoolInsufficientFunds",
    type: "error",
  },
  { inputs: [], name: "PoolZeroAmount", type: "error" },
  {
    inputs: [
      { name: "preAuthId", type: "uint256" },
      { name: "approvedAmount", type: "uint256" },
      { name: "billed", type: "uint256" },
    ],
    name: "PreAuthExceeded",
    type: "error",
  },
  {
    inputs: [
      { name: "preAuthId", type: "uint256" },
      { name: "expiresAt", type: "uint40" },
    ],
    name: "PreAuthExpired",
    type: "error",
  },
  { inputs: [{ name: "expiresAt", type: "uint40" }], name: "PreAuthInvalidExpiry", type: "error" },
  {
    inputs: [
      { name: "preAuthId", type: "uint256" },
      { name: "status", type: "uint8" },
    ],
    name: "PreAuthInvalidStatus",
    type: "error",
  },
  { inputs: [{ name: "preAuthId", type: "uint256" }], name: "PreAuthMismatch", type: "error" },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "serviceClass", type: "uint8" },
    ],
    name: "PreAuthRequired",
    type: "error",
  },
  { inputs: [{ name: "preAuthId", type: "uint256" }], name: "PreAuthUnknown", type: "error" },
  { inputs: [], name: "ReentrancyGuardReentrantCall", type: "error" },
  {
    inputs: [
      { name: "bits", type: "uint8" },
      { name: "value", type: "uint256" },
    ],
    name: "SafeCastOverflowedUintDowncast",
    type: "error",
  },
  { inputs: [{ name: "token", type: "address" }], name: "SafeERC20FailedOperation", type: "error" },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: false, name: "overturned", type: "bool" },
      { indexed: false, name: "allowed", type: "uint256" },
      { indexed: false, name: "payerAmount", type: "uint256" },
      { indexed: false, name: "patientShare", type: "uint256" },
    ],
    name: "AppealDecided",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: true, name: "appellant", type: "address" },
      { indexed: false, name: "evidenceCommitment", type: "bytes32" },
    ],
    name: "ClaimAppealed",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: false, name: "allowed", type: "uint256" },
      { indexed: false, name: "payerAmount", type: "uint256" },
      { indexed: false, name: "patientShare", type: "uint256" },
      { indexed: false, name: "automatic", type: "bool" },
    ],
    name: "ClaimApproved",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: false, name: "finalDecision", type: "uint8" },
    ],
    name: "ClaimClosed",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: false, name: "reasonCode", type: "uint16" },
    ],
    name: "ClaimDenied",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: true, name: "provider", type: "address" },
      { indexed: true, name: "insurer", type: "address" },
      { indexed: false, name: "amount", type: "uint256" },
    ],
    name: "ClaimPaid",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "claimId", type: "uint256" },
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "provider", type: "address" },
      { indexed: false, name: "coverageId", type: "uint256" },
      { indexed: false, name: "serviceClass", type: "uint8" },
      { indexed: false, name: "serviceDate", type: "uint40" },
      { indexed: false, name: "billed", type: "uint256" },
      { indexed: false, name: "encounterCommitment", type: "bytes32" },
      { indexed: false, name: "claimCommitment", type: "bytes32" },
      { indexed: false, name: "evidence", type: "uint256[]" },
      { indexed: false, name: "preAuthId", type: "uint256" },
    ],
    name: "ClaimSubmitted",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "coverageId", type: "uint256" },
      { indexed: true, name: "patient", type: "address" },
      { indexed: true, name: "acceptedBy", type: "address" },
    ],
    name: "CoverageAccepted",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "coverageId", type: "uint256" },
      { indexed: true, name: "planId", type: "uint256" },
      { indexed: true, name: "patient", type: "address" },
      { indexed: false, name: "start", type: "uint40" },
      { indexed: false, name: "end", type: "uint40" },
    ],
    name: "CoverageOffered",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "provider", type: "address" },
      { indexed: true, name: "insurer", type: "address" },
      { indexed: false, name: "amount", type: "uint256" },
    ],
    name: "PayoutWithdrawn",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "planId", type: "uint256" },
      { indexed: true, name: "insurer", type: "address" },
      {
        components: [
          { name: "coverageBps", type: "uint16" },
          { name: "preAuthClasses", type: "uint16" },
          { name: "deductible", type: "uint80" },
          { name: "annualLimit", type: "uint80" },
          { name: "autoApproveThreshold", type: "uint80" },
          { name: "reviewWindow", type: "uint32" },
          { name: "appealWindow", type: "uint32" },
        ],
        indexed: false,
        name: "terms",
        type: "tuple",
      },
    ],
    name: "PlanCreated",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [{ indexed: true, name: "planId", type: "uint256" }],
    name: "PlanDeactivated",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "insurer", type: "address" },
      { indexed: false, name: "amount", type: "uint256" },
    ],
    name: "PoolFunded",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "insurer", type: "address" },
      { indexed: true, name: "to", type: "address" },
      { indexed: false, name: "amount", type: "uint256" },
    ],
    name: "PoolWithdrawn",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "preAuthId", type: "uint256" },
      { indexed: false, name: "amount", type: "uint256" },
      { indexed: false, name: "expiresAt", type: "uint40" },
    ],
    name: "PreAuthApproved",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "preAuthId", type: "uint256" },
      { indexed: false, name: "reasonCode", type: "uint16" },
    ],
    name: "PreAuthDenied",
    type: "event",
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: "preAuthId", type: "uint256" },
      { indexed: true, name: "coverageId", type: "uint256" },
      { indexed: true, name: "provider", type: "address" },
      { indexed: false, name: "serviceClass", type: "uint8" },
      { indexed: false, name: "estimate", type: "uint256" },
      { indexed: false, name: "evidence", type: "uint256[]" },
    ],
    name: "PreAuthRequested",
    type: "event",
  },
  {
    inputs: [],
    name: "MAX_EVIDENCE",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "coverageId", type: "uint256" }],
    name: "acceptCoverage",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "evidenceCommitment", type: "bytes32" },
    ],
    name: "appealClaim",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "allowed", type: "uint256" },
    ],
    name: "approveClaim",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "preAuthId", type: "uint256" },
      { name: "amount", type: "uint256" },
      { name: "expiresAt", type: "uint40" },
    ],
    name: "approvePreAuth",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "planId", type: "uint256" },
      { name: "serviceDate", type: "uint40" },
    ],
    name: "checkEligibility",
    outputs: [
      { name: "reason", type: "uint8" },
      { name: "coverageId", type: "uint256" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "encounterCommitment", type: "bytes32" }],
    name: "claimOfEncounter",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "claimId", type: "uint256" }],
    name: "closeClaim",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "serviceDate", type: "uint40" },
    ],
    name: "coverageEligibility",
    outputs: [{ name: "", type: "uint8" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "planId", type: "uint256" },
    ],
    name: "coverageOf",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      {
        components: [
          { name: "coverageBps", type: "uint16" },
          { name: "preAuthClasses", type: "uint16" },
          { name: "deductible", type: "uint80" },
          { name: "annualLimit", type: "uint80" },
          { name: "autoApproveThreshold", type: "uint80" },
          { name: "reviewWindow", type: "uint32" },
          { name: "appealWindow", type: "uint32" },
        ],
        name: "terms",
        type: "tuple",
      },
    ],
    name: "createPlan",
    outputs: [{ name: "planId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "provider", type: "address" },
      { name: "insurer", type: "address" },
    ],
    name: "creditOf",
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "planId", type: "uint256" }],
    name: "deactivatePlan",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "overturn", type: "bool" },
      { name: "newAllowed", type: "uint256" },
    ],
    name: "decideAppeal",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "claimId", type: "uint256" },
      { name: "reasonCode", type: "uint16" },
    ],
    name: "denyClaim",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "preAuthId", type: "uint256" },
      { name: "reasonCode", type: "uint16" },
    ],
    name: "denyPreAuth",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "amount", type: "uint256" }],
    name: "fundPool",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "claimId", type: "uint256" }],
    name: "getClaim",
    outputs: [
      {
        components: [
          { name: "provider", type: "address" },
          { name: "coverageId", type: "uint32" },
          { name: "status", type: "uint8" },
          { name: "serviceClass", type: "uint8" },
          { name: "updatedAt", type: "uint40" },
          { name: "billed", type: "uint80" },
          { name: "allowed", type: "uint80" },
          { name: "payerAmount", type: "uint80" },
          { name: "planYear", type: "uint16" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "coverageId", type: "uint256" }],
    name: "getCoverage",
    outputs: [
      {
        components: [
          { name: "patient", type: "address" },
          { name: "start", type: "uint40" },
          { name: "end", type: "uint40" },
          { name: "status", type: "uint8" },
          { name: "planId", type: "uint32" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "planId", type: "uint256" }],
    name: "getPlan",
    outputs: [
      {
        components: [
          { name: "insurer", type: "address" },
          { name: "coverageBps", type: "uint16" },
          { name: "preAuthClasses", type: "uint16" },
          { name: "active", type: "bool" },
          { name: "deductible", type: "uint80" },
          { name: "annualLimit", type: "uint80" },
          { name: "autoApproveThreshold", type: "uint80" },
          { name: "reviewWindow", type: "uint32" },
          { name: "appealWindow", type: "uint32" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "insurer", type: "address" }],
    name: "getPool",
    outputs: [
      {
        components: [
          { name: "balance", type: "uint128" },
          { name: "reserved", type: "uint128" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [{ name: "preAuthId", type: "uint256" }],
    name: "getPreAuth",
    outputs: [
      {
        components: [
          { name: "provider", type: "address" },
          { name: "coverageId", type: "uint32" },
          { name: "serviceClass", type: "uint8" },
          { name: "status", type: "uint8" },
          { name: "expiresAt", type: "uint40" },
          { name: "estimate", type: "uint80" },
          { name: "approvedAmount", type: "uint80" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "planYear", type: "uint256" },
    ],
    name: "getUsage",
    outputs: [
      {
        components: [
          { name: "deductibleMet", type: "uint80" },
          { name: "paid", type: "uint80" },
        ],
        name: "",
        type: "tuple",
      },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "patient", type: "address" },
      { name: "planId", type: "uint256" },
      { name: "start", type: "uint40" },
      { name: "end", type: "uint40" },
    ],
    name: "offerCoverage",
    outputs: [{ name: "coverageId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "serviceDate", type: "uint40" },
      { name: "allowed", type: "uint256" },
    ],
    name: "quote",
    outputs: [
      { name: "payerAmount", type: "uint256" },
      { name: "patientShare", type: "uint256" },
    ],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      { name: "coverageId", type: "uint256" },
      { name: "serviceClass", type: "uint8" },
      { name: "estimate", type: "uint256" },
      { name: "evidence", type: "uint256[]" },
    ],
    name: "requestPreAuth",
    outputs: [{ name: "preAuthId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [],
    name: "stablecoin",
    outputs: [{ name: "", type: "address" }],
    stateMutability: "view",
    type: "function",
  },
  {
    inputs: [
      {
        components: [
          { name: "coverageId", type: "uint256" },
          { name: "serviceClass", type: "uint8" },
          { name: "serviceDate", type: "uint40" },
          { name: "billed", type: "uint256" },
          { name: "encounterCommitment", type: "bytes32" },
          { name: "claimCommitment", type: "bytes32" },
          { name: "evidence", type: "uint256[]" },
          { name: "preAuthId", type: "uint256" },
        ],
        name: "request",
        type: "tuple",
      },
    ],
    name: "submitClaim",
    outputs: [{ name: "claimId", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [{ name: "insurer", type: "address" }],
    name: "withdraw",
    outputs: [{ name: "amount", type: "uint256" }],
    stateMutability: "nonpayable",
    type: "function",
  },
  {
    inputs: [
      { name: "amount", type: "uint256" },
      { name: "to", type: "address" },
    ],
    name: "withdrawPool",
    outputs: [],
    stateMutability: "nonpayable",
    type: "function",
  },
] as const satisfies Abi;

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
