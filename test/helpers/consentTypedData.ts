/**
 * Signing helpers (ethers) for ConsentManager's EIP-712 grants and revocations. The schemas come
 * from the SDK's `sdk/src/protocol/typedData.ts`, the one source the dApp signs with;
 * `test/contracts/ConsentManager.test.ts` checks both typehashes against the contract constants.
 */
import type { TypedDataDomain, TypedDataField } from "ethers";

import {
  CONSENT_MANAGER_DOMAIN_NAME,
  CONSENT_MANAGER_DOMAIN_VERSION,
  consentGrantTypes as sdkConsentGrantTypes,
  consentRevocationTypes as sdkConsentRevocationTypes,
} from "../../sdk/src/protocol/typedData.js";

export {
  CONSENT_GRANT_TYPE,
  CONSENT_MANAGER_DOMAIN_NAME,
  CONSENT_MANAGER_DOMAIN_VERSION,
  CONSENT_REVOCATION_TYPE,
} from "../../sdk/src/protocol/typedData.js";

/** The SDK's schemas (the one source) as the mutable records ethers' `signTypedData` takes. */
const mutable = (types: Record<string, readonly TypedDataField[]>): Record<string, TypedDataField[]> =>
  Object.fromEntries(Object.entries(types).map(([name, fields]) => [name, [...fields]]));
export const consentGrantTypes = mutable(sdkConsentGrantTypes);
export const consentRevocationTypes = mutable(sdkConsentRevocationTypes);

export function consentManagerDomain(chainId: bigint, verifyingContract: string): TypedDataDomain {
  return {
    name: CONSENT_MANAGER_DOMAIN_NAME,
    version: CONSENT_MANAGER_DOMAIN_VERSION,
    chainId,
    verifyingContract,
  };
}

export interface ConsentTerms {
  grantee: string;
  scope: number;
  purpose: number;
  access: number;
  notBefore: bigint;
  expiresAt: bigint;
}

export interface SignerLike {
  getAddress(): Promise<string>;
  readonly provider?: { getBlock(tag: "latest"): Promise<{ timestamp: number } | null> } | null;
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** A signature for the contract (`serialized`: 65 bytes r ‖ s ‖ v) and its parts for inspection. */
export interface SplitSignature {
  v: number;
  r: string;
  s: string;
  serialized: string;
}

/** A signed grant: the signature and the `issuedAt` it covers (both go to `grantConsentBySig`). */
export interface SignedGrant extends SplitSignature {
  issuedAt: bigint;
}

export interface SignOptions {
  /** When the patient signed; defaults to the latest block's timestamp of the signer's provider. */
  issuedAt?: bigint;
  /** The patient signed for; defaults to the signer's own address (an ERC-1271 wallet's owner signs for the wallet). */
  patient?: string;
}

async function split(signature: string): Promise<SplitSignature> {
  const { Signature } = await import("ethers");
  const { v, r, s } = Signature.from(signature);
  return { v, r, s, serialized: signature };
}

async function latestTimestamp(signer: SignerLike): Promise<bigint> {
  const block = await signer.provider?.getBlock("latest");
  if (!block) throw new Error("signConsentGrant: pass issuedAt, the signer has no provider to read the time from");
  return BigInt(block.timestamp);
}

/** Signs a ConsentGrant as `patient` (or for `options.patient`) for `grantConsentBySig`. */
export async function signConsentGrant(
  patient: SignerLike,
  domain: TypedDataDomain,
  terms: ConsentTerms,
  keyEnvelopes: string,
  nonce: bigint,
  deadline: bigint,
  options: SignOptions = {},
): Promise<SignedGrant> {
  const issuedAt = options.issuedAt ?? (await latestTimestamp(patient));
  const signature = await patient.signTypedData(domain, consentGrantTypes, {
    patient: options.patient ?? (await patient.getAddress()),
    ...terms,
    keyEnvelopes,
    issuedAt,
    nonce,
    deadline,
  });
  return { ...(await split(signature)), issuedAt };
}

/** Signs a ConsentRevocation as `patient` (or for `options.patient`) for `revokeConsentBySig`. */
export async function signConsentRevocation(
  patient: SignerLike,
  domain: TypedDataDomain,
  grantee: string,
  purpose: number,
  nonce: bigint,
  deadline: bigint,
  options: Pick<SignOptions, "patient"> = {},
): Promise<SplitSignature> {
  const signature = await patient.signTypedData(domain, consentRevocationTypes, {
    patient: options.patient ?? (await patient.getAddress()),
    grantee,
    purpose,
    nonce,
    deadline,
  });
  return split(signature);
}
