/**
 * EIP-712 schemas of ConsentManager as ethers `signTypedData` wants them. The SDK's
 * `sdk/src/protocol/typedData.ts` (viem) holds the same `ConsentGrant` schema for the dApp;
 * `test/contracts/ConsentManager.test.ts` checks both typehashes against the contract constants.
 */
import type { TypedDataDomain } from "ethers";

export const CONSENT_MANAGER_DOMAIN_NAME = "CareLedger ConsentManager";
export const CONSENT_MANAGER_DOMAIN_VERSION = "1";

export const CONSENT_GRANT_TYPE =
  "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)";

export const CONSENT_REVOCATION_TYPE =
  "ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)";

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
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export const consentRevocationTypes = {
  ConsentRevocation: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "purpose", type: "uint8" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

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
