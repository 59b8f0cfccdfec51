/**
 * Identity keys: an X25519 key pair derived from the wallet's EIP-712 signature over a fixed
 * message (protocol/typedData.ts). Only r ‖ s (the first 64 bytes) enter HKDF: the recovery byte
 * v differs between wallets (27/28 vs 0/1) for the same signature and carries no secret.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { fromHex, utf8 } from "../bytes.js";
import { NonDeterministicWalletError } from "../errors.js";
import { identityKeyTypedData, type IdentityKeyTypedData } from "../protocol/typedData.js";
import { keyIdOf, keyPairFromSecret, type X25519KeyPair } from "./keys.js";

export interface IdentityKey extends X25519KeyPair {
  /** 32-byte root secret: the private key, and the seed of every category key. Never leaves the device. */
  readonly secret: Uint8Array;
  /** Rotation counter; the version registered with the public key in CareRegistry. */
  readonly keyVersion: number;
  readonly keyId: Uint8Array;
}

/** viem's `walletClient.signTypedData` fits: `(td) => walletClient.signTypedData({ account, ...td })`. */
export type SignTypedData = (typedData: IdentityKeyTypedData) => Promise<`0x${string}`>;

const IDENTITY_SALT = utf8.encode("CareLedger identity key v1");

export function identityKeyFromSecret(secret: Uint8Array, keyVersion = 1): IdentityKey {
  const pair = keyPairFromSecret(secret);
  return { ...pair, secret, keyVersion, keyId: keyIdOf(pair.publicKey) };
}

/** Derives the identity key from one 65-byte signature (r ‖ s ‖ v). */
export function identityKeyFromSignature(signature: `0x${string}`, keyVersion = 1): IdentityKey {
  const bytes = fromHex(signature);
  if (bytes.length !== 65 && bytes.length !== 64) {
    throw new RangeError(`expected a 65-byte ECDSA signature, got ${bytes.length} bytes`);
  }
  const rs = bytes.subarray(0, 64);
  const secret = hkdf(sha256, rs, IDENTITY_SALT, utf8.encode(`x25519 identity key|version:${keyVersion}`), 32);
  return identityKeyFromSecret(secret, keyVersion);
}

/**
 * Asks the wallet to sign the fixed identity message twice and derives the key.
 * @throws NonDeterministicWalletError when the two signatures differ.
 */
export async function deriveIdentityKey(
  signTypedData: SignTypedData,
  options: { keyVersion?: number } = {},
): Promise<IdentityKey> {
  const keyVersion = options.keyVersion ?? 1;
  const typedData = identityKeyTypedData(keyVersion);
  const first = await signTypedData(typedData);
  const second = await signTypedData(typedData);
  if (first.slice(0, 130).toLowerCase() !== second.slice(0, 130).toLowerCase()) throw new NonDeterministicWalletError();
  return identityKeyFromSignature(first, keyVersion);
}
