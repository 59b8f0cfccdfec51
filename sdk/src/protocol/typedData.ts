/**
 * The one source of the EIP-712 schemas CareLedger signs: shared by the contracts' tests, the
 * scripts and the dApp. Typehashes sit next to their preimages; a test recomputes them.
 */
import { hashTypedData, keccak256, toBytes, type Address, type Hex } from "viem";

// ---------------------------------------------------------------------------------------------
// ConsentGrant: a patient's off-chain signed grant, submitted by a relayer or the grantee.
// The signature goes on chain as bytes: 65-byte r ‖ s ‖ v from an EOA, or whatever the patient's
// ERC-1271 wallet accepts (ConsentManager checks it with OpenZeppelin's SignatureChecker).
// ---------------------------------------------------------------------------------------------

export const CONSENT_MANAGER_DOMAIN_NAME = "CareLedger ConsentManager";
export const CONSENT_MANAGER_DOMAIN_VERSION = "1";

export const CONSENT_GRANT_TYPE =
  "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,uint256 deadline)";
/** keccak256(CONSENT_GRANT_TYPE) */
export const CONSENT_GRANT_TYPEHASH: Hex = keccak256(toBytes(CONSENT_GRANT_TYPE));

export const consentGrantTypes = {
  ConsentGrant: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "scope", type: "uint16" },
    { name: "purpose", type: "uint8" },
    { name: "access", type: "uint8" },
    { name: "notBefore", type: "uint64" },
    { name: "expiresAt", type: "uint64" },
    { name: "keyEnvelopes", type: "bytes" },
    { name: "issuedAt", type: "uint64" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface ConsentGrantMessage {
  patient: Address;
  grantee: Address;
  /** uint16 bit mask over categories. */
  scope: number;
  /** Purpose enum value. */
  purpose: number;
  /** ACCESS_READ | ACCESS_WRITE bits. */
  access: number;
  notBefore: bigint;
  expiresAt: bigint;
  /** encodeKeyEnvelopes(...) of the category keys wrapped to the grantee. */
  keyEnvelopes: Hex;
  /**
   * When the patient signed (unix seconds, at most the chain's time at submission). A revocation of
   * the same (patient, grantee, purpose) at or after it voids the signature.
   */
  issuedAt: bigint;
  nonce: bigint;
  deadline: bigint;
}

export function consentManagerDomain(chainId: number | bigint, verifyingContract: Address) {
  return {
    name: CONSENT_MANAGER_DOMAIN_NAME,
    version: CONSENT_MANAGER_DOMAIN_VERSION,
    chainId: BigInt(chainId),
    verifyingContract,
  } as const;
}

/** Everything viem's `signTypedData` / `verifyTypedData` need for a grant. */
export function consentGrantTypedData(args: {
  chainId: number | bigint;
  verifyingContract: Address;
  message: ConsentGrantMessage;
}) {
  return {
    domain: consentManagerDomain(args.chainId, args.verifyingContract),
    types: consentGrantTypes,
    primaryType: "ConsentGrant" as const,
    message: args.message,
  };
}

export function hashConsentGrant(args: Parameters<typeof consentGrantTypedData>[0]): Hex {
  return hashTypedData(consentGrantTypedData(args));
}

// ---------------------------------------------------------------------------------------------
// ConsentRevocation: a patient's off-chain signed revocation (same domain and nonce counter).
// ---------------------------------------------------------------------------------------------

export const CONSENT_REVOCATION_TYPE =
  "ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)";
/** keccak256(CONSENT_REVOCATION_TYPE) */
export const CONSENT_REVOCATION_TYPEHASH: Hex = keccak256(toBytes(CONSENT_REVOCATION_TYPE));

export const consentRevocationTypes = {
  ConsentRevocation: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "purpose", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

// ---------------------------------------------------------------------------------------------
// Identity key derivation (the wallet fallback; passkeys are the default custody): a message whose
// signature seeds the person's X25519 key. The domain binds the chain id and CareRegistry as the
// verifying contract, so a signature asked for by another deployment, another chain or a page that
// copies an older CareLedger message derives nothing of use here. It can still be phished: a page
// that asks for exactly this typed data (same chain, same registry) obtains the key. The dApp says so.
// ---------------------------------------------------------------------------------------------

export const IDENTITY_KEY_DOMAIN_NAME = "CareLedger identity key";
/** Version 2: bound to chain id and CareRegistry (version 1 had neither and is no longer derived). */
export const IDENTITY_KEY_DOMAIN_VERSION = "2";

export const IDENTITY_KEY_WARNING =
  "Sign this ONLY inside the CareLedger app. Your signature becomes the key to your medical records: " +
  "anyone holding it can read them. Never sign this message on any other website, app or wallet prompt.";

export const IDENTITY_KEY_TYPE = "CareLedgerIdentityKey(string warning,string application,uint32 keyVersion)";
/** keccak256(IDENTITY_KEY_TYPE) */
export const IDENTITY_KEY_TYPEHASH: Hex = keccak256(toBytes(IDENTITY_KEY_TYPE));

export const identityKeyTypes = {
  CareLedgerIdentityKey: [
    { name: "warning", type: "string" },
    { name: "application", type: "string" },
    { name: "keyVersion", type: "uint32" },
  ],
} as const;

export interface IdentityKeyBinding {
  /** The chain the key is registered on. */
  chainId: number | bigint;
  /** The CareRegistry the public key is registered in. */
  verifyingContract: Address;
}

export function identityKeyDomain(binding: IdentityKeyBinding) {
  return {
    name: IDENTITY_KEY_DOMAIN_NAME,
    version: IDENTITY_KEY_DOMAIN_VERSION,
    chainId: BigInt(binding.chainId),
    verifyingContract: binding.verifyingContract,
  } as const;
}

/** The typed data a wallet signs to derive identity key `keyVersion` (rotation bumps it) for one registry. */
export function identityKeyTypedData(binding: IdentityKeyBinding, keyVersion = 1) {
  if (!Number.isInteger(keyVersion) || keyVersion < 1 || keyVersion > 0xffffffff) {
    throw new RangeError(`keyVersion ${keyVersion} must be an integer in 1..2^32-1`);
  }
  if (!/^0x[0-9a-fA-F]{40}$/.test(binding.verifyingContract)) {
    throw new RangeError(`verifyingContract ${String(binding.verifyingContract)} is not an address (the CareRegistry)`);
  }
  return {
    domain: identityKeyDomain(binding),
    types: identityKeyTypes,
    primaryType: "CareLedgerIdentityKey" as const,
    message: {
      warning: IDENTITY_KEY_WARNING,
      application: "CareLedger identity encryption key",
      keyVersion,
    },
  };
}
export type IdentityKeyTypedData = ReturnType<typeof identityKeyTypedData>;
