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
  signTypedData(
    domain: TypedDataDomain,
    types: Record<string, { name: string; type: string }[]>,
    value: Record<string, unknown>,
  ): Promise<string>;
}

/** A signature split for the contract (`r`, `yParityAndS` = ERC-2098 `vs`) and for inspection. */
export interface SplitSignature {
  v: number;
  r: string;
  s: string;
  yParityAndS: string;
  serialized: string;
}

/** Signs a ConsentGrant as `patient` and returns v, r, s for `grantConsentBySig`. */
export async function signConsentGrant(
  patient: SignerLike,
  domain: TypedDataDomain,
  terms: ConsentTerms,
  keyEnvelopes: string,
  nonce: bigint,
  deadline: bigint,
): Promise<SplitSignature> {
  const { Signature } = await import("ethers");
  const signature = await patient.signTypedData(domain, consentGrantTypes, {
    patient: await patient.getAddress(),
    ...terms,
    keyEnvelopes,
    nonce,
    deadline,
  });
  const { v, r, s, yParityAndS } = Signature.from(signature);
  return { v, r, s, yParityAndS, serialized: signature };
}

/** Signs a ConsentRevocation as `patient` and returns v, r, s for `revokeConsentBySig`. */
export async function signConsentRevocation(
  patient: SignerLike,
  domain: TypedDataDomain,
  grantee: string,
  purpose: number,
  nonce: bigint,
  deadline: bigint,
): Promise<SplitSignature> {
  const { Signature } = await import("ethers");
  const signature = await patient.signTypedData(domain, consentRevocationTypes, {
    patient: await patient.getAddress(),
    grantee,
    purpose,
    nonce,
    deadline,
  });
  const { v, r, s, yParityAndS } = Signature.from(signature);
  return { v, r, s, yParityAndS, serialized: signature };
}
