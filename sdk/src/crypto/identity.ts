/**
 * Identity keys. The default custody is a passkey (crypto/passkey.ts): a random X25519 key wrapped
 * under the passkey's PRF output. This file holds the key shape and the wallet-signature fallback:
 * an X25519 key pair derived from the wallet's EIP-712 signature over a message bound to the chain
 * and CareRegistry (protocol/typedData.ts). The fallback can be phished (a page that asks for the
 * same typed data on the same chain obtains the key), and the dApp says so where it offers it.
 *
 * Before derivation the signature is checked and normalised:
 *  - a contract account (code at the address, an ERC-6492 wrapper, an ERC-1271 signature of any
 *    length but 65, or a 65-byte signature that does not recover to the account) is refused with
 *    ContractAccountError: its signatures are not a secret only its owner can reproduce;
 *  - s is brought to the low half of the curve order (EIP-2), so the malleable twin (r, n − s)
 *    that some signers return derives the same key;
 *  - only r ‖ s enter HKDF: the recovery byte v (27/28 vs 0/1) carries no secret.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { recoverTypedDataAddress, type Address, type Hex } from "viem";
import { fromHex, toHex, utf8 } from "../bytes.js";
import { ContractAccountError, MalformedInputError, NonDeterministicWalletError } from "../errors.js";
import { identityKeyTypedData, type IdentityKeyBinding, type IdentityKeyTypedData } from "../protocol/typedData.js";
import { keyIdOf, keyPairFromSecret, type X25519KeyPair } from "./keys.js";

export interface IdentityKey extends X25519KeyPair {
  /** 32-byte root secret: the private key, and the seed of every category key. Never leaves the device. */
  readonly secret: Uint8Array;
  /** Rotation counter; the version registered with the public key in CareRegistry. */
  readonly keyVersion: number;
  readonly keyId: Uint8Array;
}

/** viem's `walletClient.signTypedData` fits: `(td) => walletClient.signTypedData({ account, ...td })`. */
export type SignTypedData = (typedData: IdentityKeyTypedData) => Promise<Hex>;

/** viem's `publicClient.getCode({ address })` fits: the bytecode at an address, or undefined / "0x". */
export type GetCode = (address: Address) => Promise<Hex | undefined>;

/** Everything the wallet fallback needs to know about the account and where its key is registered. */
export interface WalletKeyOptions extends IdentityKeyBinding {
  account: Address;
  getCode: GetCode;
  keyVersion?: number;
}

const IDENTITY_SALT = utf8.encode("CareLedger identity key v2 (wallet signature)");

/** secp256k1's group order n (SEC 2, §2.4.1). */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** ERC-6492's magic suffix of a signature from a not-yet-deployed contract wallet. */
export const ERC6492_MAGIC = "6492649264926492649264926492649264926492649264926492649264926492";
/** EIP-7702's delegation designator: an EOA (it still signs with its own key) that runs delegated code. */
const EIP7702_PREFIX = "0xef0100";

export function identityKeyFromSecret(secret: Uint8Array, keyVersion = 1): IdentityKey {
  const pair = keyPairFromSecret(secret);
  return { ...pair, secret, keyVersion, keyId: keyIdOf(pair.publicKey) };
}

/**
 * The canonical form of a 65-byte (r ‖ s ‖ v) or 64-byte ECDSA signature: s in the low half of the
 * order, v as 27/28 flipped to match. A 64-byte input gets no v (and keeps 64 bytes).
 * @throws MalformedInputError when r or s is zero or not below n.
 */
export function normaliseSignature(signature: Hex): Hex {
  const bytes = fromHex(signature);
  if (bytes.length !== 65 && bytes.length !== 64) {
    throw new MalformedInputError(`expected a 65-byte ECDSA signature (r ‖ s ‖ v), got ${bytes.length} bytes`);
  }
  const r = BigInt(toHex(bytes.subarray(0, 32)));
  let s = BigInt(toHex(bytes.subarray(32, 64)));
  if (r === 0n || s === 0n || r >= SECP256K1_N || s >= SECP256K1_N) {
    throw new MalformedInputError("the signature's r or s is outside 1..n-1: not a secp256k1 signature");
  }
  let v = bytes.length === 65 ? bytes[64]! : undefined;
  if (v !== undefined && v < 27) v += 27;
  if (s > SECP256K1_N / 2n) {
    s = SECP256K1_N - s;
    if (v !== undefined) v = v === 27 ? 28 : 27;
  }
  const hex = (n: bigint) => n.toString(16).padStart(64, "0");
  return `0x${hex(r)}${hex(s)}${v === undefined ? "" : v.toString(16).padStart(2, "0")}`;
}

/** Derives the identity key from one ECDSA signature (r ‖ s ‖ v), normalised to low-s first. */
export function identityKeyFromSignature(signature: Hex, keyVersion = 1): IdentityKey {
  const rs = fromHex(normaliseSignature(signature)).subarray(0, 64);
  const secret = hkdf(sha256, rs, IDENTITY_SALT, utf8.encode(`x25519 identity key|version:${keyVersion}`), 32);
  return identityKeyFromSecret(secret, keyVersion);
}

/**
 * Refuses what is not a plain ECDSA signature of `account` over `typedData`, and returns it
 * normalised. @throws ContractAccountError
 */
export async function checkedWalletSignature(
  typedData: IdentityKeyTypedData,
  signature: Hex,
  account: Address,
): Promise<Hex> {
  if (signature.toLowerCase().endsWith(ERC6492_MAGIC)) throw new ContractAccountError(account, "erc6492-signature");
  if (fromHex(signature).length !== 65) throw new ContractAccountError(account, "erc1271-signature");
  const normalised = normaliseSignature(signature);
  let signer: Address | undefined;
  try {
    signer = await recoverTypedDataAddress({ ...typedData, signature: normalised });
  } catch {
    signer = undefined;
  }
  if (signer?.toLowerCase() !== account.toLowerCase()) throw new ContractAccountError(account, "not-signed-by-account");
  return normalised;
}

/** @throws ContractAccountError when there is contract code at the address (an EIP-7702 delegation is allowed). */
export async function assertExternallyOwned(account: Address, getCode: GetCode): Promise<void> {
  const code = (await getCode(account)) ?? "0x";
  if (code !== "0x" && !code.toLowerCase().startsWith(EIP7702_PREFIX)) {
    throw new ContractAccountError(account, "code-at-address");
  }
}

/**
 * The wallet fallback: checks the account is externally owned, asks the wallet to sign the
 * identity message twice (bound to `chainId` and `verifyingContract`), and derives the key.
 * @throws ContractAccountError for a smart-contract wallet (before any signature is asked for when
 *   its code is on chain); NonDeterministicWalletError when the two signatures differ.
 */
export async function deriveIdentityKey(signTypedData: SignTypedData, options: WalletKeyOptions): Promise<IdentityKey> {
  const keyVersion = options.keyVersion ?? 1;
  const typedData = identityKeyTypedData(options, keyVersion);
  await assertExternallyOwned(options.account, options.getCode);
  const first = await checkedWalletSignature(typedData, await signTypedData(typedData), options.account);
  const second = await checkedWalletSignature(typedData, await signTypedData(typedData), options.account);
  if (first.slice(0, 130) !== second.slice(0, 130)) throw new NonDeterministicWalletError();
  return identityKeyFromSignature(first, keyVersion);
}
