/**
 * Recovery, so a lost wallet does not lose the history. Everything a patient can decrypt derives
 * from the identity secret, so both paths restore that secret:
 *  (a) an encrypted key export file: versioned JSON, scrypt(passphrase) → AES-256-GCM;
 *  (b) guardian shares: Shamir k-of-n over GF(256), each share wrapped to a guardian's identity key.
 */
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { bufferSource, fromBase64, fromHex, randomBytes, toBase64, toHex, utf8, equalBytes } from "../bytes.js";
import { MalformedInputError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
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
  const shares = splitSecret(identity.secret, guardians.length, threshold);
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

/** Rebuilds the identity key from at least `threshold` shares. @throws RecoveryError */
export function recoverFromShares(shares: readonly Uint8Array[], keyVersion = 1): IdentityKey {
  return identityKeyFromSecret(combineShares(shares), keyVersion);
}
