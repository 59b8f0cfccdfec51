/**
 * Recovery, so a lost wallet does not lose the history. Everything a patient can decrypt derives
 * from the identity secret, so both paths restore that secret:
 *  (a) an encrypted key export file: versioned JSON, scrypt(passphrase) → AES-256-GCM;
 *  (b) guardian shares: Shamir k-of-n (shamir.ts, on the audited `shamir-secret-sharing`), each
 *      share wrapped to a guardian's identity key; the rebuilt key is used only if its public half
 *      is the one registered on chain.
 */
import { scryptAsync } from "@noble/hashes/scrypt.js";
import {
  bufferSource,
  concatBytes,
  equalBytes,
  fromBase64,
  fromHex,
  randomBytes,
  toBase64,
  toHex,
  utf8,
} from "../bytes.js";
import { MalformedInputError, RecoveryError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
import { EnvelopePurpose, unwrapKey, wrapKey, type EnvelopeBinding, type KeyDomain } from "./envelope.js";
import { identityKeyFromSecret, type IdentityKey } from "./identity.js";
import type { X25519KeyPair } from "./keys.js";
import { combineShares, splitSecret } from "./shamir.js";

export const KEY_EXPORT_FORMAT = "careledger-key-export";
export const KEY_EXPORT_VERSION = 1;

export interface KeyExportFile {
  format: typeof KEY_EXPORT_FORMAT;
  version: number;
  keyVersion: number;
  /** hex X25519 public key, so the file can be matched with the key registered on chain. */
  publicKey: string;
  kdf: { name: "scrypt"; N: number; r: number; p: number; salt: string };
  cipher: { name: "AES-256-GCM"; nonce: string };
  ciphertext: string;
  createdAt: string;
}

/** Authenticated (associated data): everything but the ciphertext itself. */
function exportAad(file: Omit<KeyExportFile, "ciphertext">): Uint8Array {
  const { format, version, keyVersion, publicKey, kdf, cipher, createdAt } = file;
  return utf8.encode(JSON.stringify({ format, version, keyVersion, publicKey, kdf, cipher, createdAt }));
}

async function passphraseKey(passphrase: string, kdf: KeyExportFile["kdf"]): Promise<CryptoKey> {
  const raw = await scryptAsync(utf8.encode(passphrase.normalize("NFKC")), fromBase64(kdf.salt), {
    N: kdf.N,
    r: kdf.r,
    p: kdf.p,
    dkLen: 32,
  });
  return globalThis.crypto.subtle.importKey("raw", bufferSource(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

/**
 * Exports the identity secret as a passphrase-protected JSON file.
 * @param options.scryptN cost (default 2^17 ≈ 128 MiB·s class; lower only for tests).
 */
export async function exportKeyFile(
  identity: IdentityKey,
  passphrase: string,
  options: { scryptN?: number } = {},
): Promise<string> {
  if (passphrase.length < 8) throw new RangeError("use a passphrase of at least 8 characters");
  const header: Omit<KeyExportFile, "ciphertext"> = {
    format: KEY_EXPORT_FORMAT,
    version: KEY_EXPORT_VERSION,
    keyVersion: identity.keyVersion,
    publicKey: toHex(identity.publicKey),
    kdf: { name: "scrypt", N: options.scryptN ?? 2 ** 17, r: 8, p: 1, salt: toBase64(randomBytes(16)) },
    cipher: { name: "AES-256-GCM", nonce: toBase64(randomBytes(12)) },
    createdAt: new Date().toISOString(),
  };
  const key = await passphraseKey(passphrase, header.kdf);
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: bufferSource(fromBase64(header.cipher.nonce)),
      additionalData: bufferSource(exportAad(header)),
    },
    key,
    bufferSource(identity.secret),
  );
  return JSON.stringify(
    { ...header, ciphertext: toBase64(new Uint8Array(ciphertext)) } satisfies KeyExportFile,
    null,
    2,
  );
}

/**
 * Restores the identity key from an export file.
 * @throws UnsupportedVersionError, MalformedInputError, WrongKeyError (wrong passphrase or altered file).
 */
export async function importKeyFile(json: string, passphrase: string): Promise<IdentityKey> {
  let file: KeyExportFile;
  try {
    file = JSON.parse(json) as KeyExportFile;
  } catch {
    throw new MalformedInputError("the key export file is not JSON");
  }
  if (file.format !== KEY_EXPORT_FORMAT)
    throw new MalformedInputError(`not a CareLedger key export (format ${String(file.format)})`);
  if (file.version !== KEY_EXPORT_VERSION)
    throw new UnsupportedVersionError("key export file", file.version, [KEY_EXPORT_VERSION]);
  if (file.kdf?.name !== "scrypt" || file.cipher?.name !== "AES-256-GCM")
    throw new MalformedInputError("unknown KDF or cipher");
  const key = await passphraseKey(passphrase, file.kdf);
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: bufferSource(fromBase64(file.cipher.nonce)),
          additionalData: bufferSource(exportAad(file)),
        },
        key,
        bufferSource(fromBase64(file.ciphertext)),
      ),
    );
  } catch {
    throw new WrongKeyError("wrong passphrase, or the key export file was altered");
  }
  const identity = identityKeyFromSecret(secret, file.keyVersion);
  if (!equalBytes(identity.publicKey, fromHex(file.publicKey))) {
    throw new WrongKeyError("the key in the export file does not match its recorded public key");
  }
  return identity;
}

export interface Guardian {
  /** Label for the UI (e.g. the guardian's name). */
  id: string;
  /** The guardian's account: the share envelope is bound to it. */
  address: string;
  publicKey: Uint8Array;
}

export interface GuardianShare {
  guardianId: string;
  /** The share wrapped to the guardian's identity key (a key envelope). */
  envelope: Uint8Array;
}

/** What a share envelope is bound to: the deployment and the patient whose secret it is part of. */
export interface RecoveryBinding extends KeyDomain {
  patient: string;
}

function shareBinding(binding: RecoveryBinding, holder: string): EnvelopeBinding {
  return {
    purpose: EnvelopePurpose.Recovery,
    chainId: binding.chainId,
    registry: binding.registry,
    patient: binding.patient,
    recipient: holder,
  };
}

/** Splits the identity secret k-of-n and wraps one share to each guardian. */
export async function createGuardianShares(
  identity: IdentityKey,
  guardians: readonly Guardian[],
  threshold: number,
  binding: RecoveryBinding,
): Promise<GuardianShare[]> {
  const shares = await splitSecret(identity.secret, guardians.length, threshold);
  return Promise.all(
    guardians.map(async (guardian, i) => ({
      guardianId: guardian.id,
      envelope: await wrapKey(shares[i]!, guardian.publicKey, { binding: shareBinding(binding, guardian.address) }),
    })),
  );
}

/**
 * The holder's side: unwraps a share (a guardian its own; the patient's recovery device the
 * ones guardians re-wrapped to it, with holder = the patient). @throws WrongKeyError
 */
export async function openGuardianShare(
  share: GuardianShare | Uint8Array,
  holderKey: X25519KeyPair,
  binding: RecoveryBinding & { holder: string },
): Promise<Uint8Array> {
  const envelope = share instanceof Uint8Array ? share : share.envelope;
  return unwrapKey(envelope, holderKey, { binding: shareBinding(binding, binding.holder) });
}

/**
 * A guardian (binding.holder) re-wraps its share to the patient's new (recovery) key so it
 * never travels in the clear.
 */
export async function rewrapGuardianShare(
  share: GuardianShare | Uint8Array,
  guardian: X25519KeyPair,
  recipientPublicKey: Uint8Array,
  binding: RecoveryBinding & { holder: string },
) {
  const plain = await openGuardianShare(share, guardian, binding);
  try {
    return await wrapKey(plain, recipientPublicKey, { binding: shareBinding(binding, binding.patient) });
  } finally {
    plain.fill(0);
  }
}

/** The key registered on chain for the account being recovered (`CareRegistry.encryptionKey`). */
export interface RegisteredKey {
  /** The X25519 public key: 32 bytes, or the bytes32 hex the contract returns. */
  publicKey: Uint8Array | `0x${string}`;
  keyVersion: number;
}

export interface RecoveredIdentity {
  identity: IdentityKey;
  /** Holder numbers of the shares that rebuilt the key. */
  used: number[];
  /** Holder numbers of shares that were given but do not fit (corrupt, forged or from another split). */
  rejected: number[];
}

/**
 * Rebuilds the identity key from at least `threshold` shares and returns it only if its public key
 * is the one registered on chain, so a forged or stale share cannot slip in a key of its choosing.
 * @throws RecoveryError (x = 0, duplicate or conflicting shares, too few, or no k of them rebuild
 *   the registered key), MalformedInputError for bytes that are not a share.
 */
export async function recoverFromShares(
  shares: readonly Uint8Array[],
  registered: RegisteredKey,
): Promise<RecoveredIdentity> {
  const expected = typeof registered.publicKey === "string" ? fromHex(registered.publicKey) : registered.publicKey;
  if (expected.length !== 32 || expected.every((b) => b === 0)) {
    throw new RecoveryError(
      "this account has no encryption key registered on chain, so a recovered key cannot be checked",
    );
  }
  const { secret, used, rejected } = await combineShares(shares, (candidate) =>
    equalBytes(identityKeyFromSecret(candidate, registered.keyVersion).publicKey, expected),
  );
  return { identity: identityKeyFromSecret(secret, registered.keyVersion), used, rejected };
}

/**
 * The `shareEnvelopes` a patient publishes with `CareRegistry.setRecovery`, so each guardian finds
 * its share in the `RecoveryConfigured` event: version u8 (1) ‖ count u8 ‖ per share: guardian
 * address (20 bytes) ‖ envelope length u16 (big-endian) ‖ envelope.
 */
export const RECOVERY_SHARES_VERSION = 1;

export function encodeRecoveryShares(shares: readonly GuardianShare[]): Uint8Array {
  if (shares.length === 0 || shares.length > 255) throw new RangeError(`publish 1..255 shares, not ${shares.length}`);
  const parts: Uint8Array[] = [new Uint8Array([RECOVERY_SHARES_VERSION, shares.length])];
  for (const share of shares) {
    if (!/^0x[0-9a-fA-F]{40}$/.test(share.guardianId)) {
      throw new RangeError(`a published share names its guardian by address; "${share.guardianId}" is not one`);
    }
    if (share.envelope.length > 0xffff) throw new RangeError("a share envelope is at most 65,535 bytes");
    parts.push(fromHex(share.guardianId), new Uint8Array([share.envelope.length >> 8, share.envelope.length & 0xff]));
    parts.push(share.envelope);
  }
  return concatBytes(parts);
}

/** Reads the shares a patient published. @throws MalformedInputError, UnsupportedVersionError */
export function decodeRecoveryShares(bytes: Uint8Array): GuardianShare[] {
  if (bytes.length < 2) throw new MalformedInputError("the published recovery shares are empty");
  if (bytes[0] !== RECOVERY_SHARES_VERSION) {
    throw new UnsupportedVersionError("published recovery shares", bytes[0]!, [RECOVERY_SHARES_VERSION]);
  }
  const count = bytes[1]!;
  const shares: GuardianShare[] = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    if (at + 22 > bytes.length) throw new MalformedInputError("the published recovery shares are truncated");
    const guardianId = toHex(bytes.subarray(at, at + 20));
    const length = (bytes[at + 20]! << 8) | bytes[at + 21]!;
    at += 22;
    if (at + length > bytes.length) throw new MalformedInputError("the published recovery shares are truncated");
    shares.push({ guardianId, envelope: bytes.slice(at, at + length) });
    at += length;
  }
  if (at !== bytes.length) throw new MalformedInputError("the published recovery shares have trailing bytes");
  return shares;
}
