/**
 * Key envelopes: a small secret (a content key, a category private key, a recovery share)
 * wrapped to one recipient's X25519 public key.
 *
 * KEK = HKDF-SHA256(ikm = X25519(ephemeral, recipient), salt = ephemeralPub ‖ recipientPub,
 *                   info = "CareLedger key wrap v1"), then AES-256-GCM.
 *
 * Binary layout (version 1, all integers big-endian), self-describing and fixed-size header:
 *
 *   off len field
 *     0   4 magic "CLKE"
 *     4   1 version            (1)
 *     5   1 algorithm          (1 = X25519-HKDF-SHA256-A256GCM)
 *     6   1 kind               (EnvelopeKind)
 *     7   1 category           (0..15, 255 = none)
 *     8   4 epoch              (category key epoch, or identity key version)
 *    12   8 recipient key id   (keyIdOf(recipientPublicKey))
 *    20  32 ephemeral public key
 *    52  12 nonce
 *    64   n ciphertext ‖ 16-byte tag
 *
 * The AEAD's associated data is the 64-byte header followed by a caller-supplied context, so no
 * header field (version, kind, category, epoch, recipient) and no context (for a record: the
 * container's payload parameters) can be changed without the unwrap failing.
 */
import { x25519 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bufferSource, concatBytes, equalBytes, randomBytes, toBase64, toHex, utf8 } from "../bytes.js";
import { MalformedInputError, TamperedEnvelopeError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
import { KEY_ID_LENGTH, keyIdOf, type X25519KeyPair } from "./keys.js";

export const ENVELOPE_MAGIC = utf8.encode("CLKE");
export const ENVELOPE_VERSION = 1;
export const SUPPORTED_ENVELOPE_VERSIONS: readonly number[] = [ENVELOPE_VERSION];
export const ENVELOPE_ALG_X25519_HKDF_SHA256_A256GCM = 1;
export const ENVELOPE_HEADER_LENGTH = 64;
export const NO_CATEGORY = 255;

export const EnvelopeKind = {
  /** A record's content key, wrapped to the patient's category key for (category, epoch). */
  RecordForCategory: 1,
  /** A record's content key, wrapped to its author's identity key. */
  RecordForAuthor: 2,
  /** A category private key, wrapped to a grantee's identity key (a consent grant). */
  CategoryGrant: 3,
  /** A guardian's recovery share of a patient's identity secret. */
  RecoveryShare: 4,
} as const;
export type EnvelopeKind = (typeof EnvelopeKind)[keyof typeof EnvelopeKind];

const WRAP_INFO = utf8.encode("CareLedger key wrap v1");

export interface EnvelopeHeader {
  version: number;
  algorithm: number;
  kind: EnvelopeKind;
  /** 0..15, or undefined when the envelope is not tied to a category. */
  category: number | undefined;
  epoch: number;
  recipientKeyId: Uint8Array;
  ephemeralPublicKey: Uint8Array;
  nonce: Uint8Array;
}

export interface WrapOptions {
  kind: EnvelopeKind;
  category?: number;
  epoch?: number;
  /** Bound into the AEAD associated data; the same bytes must be given to unwrap. */
  context?: Uint8Array;
}

// ---------------------------------------------------------------------------------------------
// X25519 through WebCrypto where the platform has it (Node 22, current browsers): native and
// about ten times faster; @noble/curves otherwise. Both compute RFC 7748 X25519, so envelopes
// interoperate whichever side used which (tested).
// ---------------------------------------------------------------------------------------------

let webX25519: Promise<boolean> | undefined;
/** Exposed for tests: force the pure-JS path. */
export function useNativeX25519(enabled: boolean): void {
  webX25519 = Promise.resolve(enabled && globalThis.crypto?.subtle !== undefined);
}

function hasWebX25519(): Promise<boolean> {
  webX25519 ??= (async () => {
    try {
      const pair = (await globalThis.crypto.subtle.generateKey({ name: "X25519" }, false, [
        "deriveBits",
      ])) as CryptoKeyPair;
      const probe = x25519.getPublicKey(x25519.utils.randomSecretKey());
      const peer = await globalThis.crypto.subtle.importKey("raw", bufferSource(probe), { name: "X25519" }, false, []);
      await globalThis.crypto.subtle.deriveBits({ name: "X25519", public: peer }, pair.privateKey, 256);
      return true;
    } catch {
      return false;
    }
  })();
  return webX25519;
}

const base64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const importedPrivateKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>();

function importPrivateKey(pair: X25519KeyPair): Promise<CryptoKey> {
  let key = importedPrivateKeys.get(pair.privateKey);
  if (!key) {
    key = globalThis.crypto.subtle.importKey(
      "jwk",
      { kty: "OKP", crv: "X25519", d: base64url(pair.privateKey), x: base64url(pair.publicKey) },
      { name: "X25519" },
      false,
      ["deriveBits"],
    );
    importedPrivateKeys.set(pair.privateKey, key);
  }
  return key;
}

async function nativeAgreement(privateKey: CryptoKey, publicKey: Uint8Array): Promise<Uint8Array> {
  const peer = await globalThis.crypto.subtle.importKey("raw", bufferSource(publicKey), { name: "X25519" }, false, []);
  return new Uint8Array(await globalThis.crypto.subtle.deriveBits({ name: "X25519", public: peer }, privateKey, 256));
}

/** A fresh ephemeral key and its shared secret with the recipient. */
async function ephemeralAgreement(recipientPublicKey: Uint8Array) {
  if (await hasWebX25519()) {
    const pair = (await globalThis.crypto.subtle.generateKey({ name: "X25519" }, false, [
      "deriveBits",
    ])) as CryptoKeyPair;
    const ephemeralPublicKey = new Uint8Array(await globalThis.crypto.subtle.exportKey("raw", pair.publicKey));
    return { ephemeralPublicKey, shared: await nativeAgreement(pair.privateKey, recipientPublicKey) };
  }
  const ephemeralPrivate = x25519.utils.randomSecretKey();
  return {
    ephemeralPublicKey: x25519.getPublicKey(ephemeralPrivate),
    shared: x25519.getSharedSecret(ephemeralPrivate, recipientPublicKey),
  };
}

async function recipientAgreement(recipient: X25519KeyPair, ephemeralPublicKey: Uint8Array): Promise<Uint8Array> {
  if (await hasWebX25519()) return nativeAgreement(await importPrivateKey(recipient), ephemeralPublicKey);
  return x25519.getSharedSecret(recipient.privateKey, ephemeralPublicKey);
}

async function deriveKek(shared: Uint8Array, ephemeralPublicKey: Uint8Array, recipientPublicKey: Uint8Array) {
  const raw = hkdf(sha256, shared, concatBytes([ephemeralPublicKey, recipientPublicKey]), WRAP_INFO, 32);
  return globalThis.crypto.subtle.importKey("raw", bufferSource(raw), "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Wraps `secret` to `recipientPublicKey` with a fresh ephemeral key. */
export async function wrapKey(
  secret: Uint8Array,
  recipientPublicKey: Uint8Array,
  options: WrapOptions,
): Promise<Uint8Array> {
  if (recipientPublicKey.length !== 32) throw new RangeError("recipient public key must be 32 bytes (X25519)");
  const category = options.category ?? NO_CATEGORY;
  const epoch = options.epoch ?? 0;
  if (!Number.isInteger(category) || category < 0 || category > 255) throw new RangeError(`bad category ${category}`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new RangeError(`bad epoch ${epoch}`);

  const { ephemeralPublicKey, shared } = await ephemeralAgreement(recipientPublicKey);
  const nonce = randomBytes(12);

  const header = new Uint8Array(ENVELOPE_HEADER_LENGTH);
  const view = new DataView(header.buffer);
  header.set(ENVELOPE_MAGIC, 0);
  header[4] = ENVELOPE_VERSION;
  header[5] = ENVELOPE_ALG_X25519_HKDF_SHA256_A256GCM;
  header[6] = options.kind;
  header[7] = category;
  view.setUint32(8, epoch);
  header.set(keyIdOf(recipientPublicKey), 12);
  header.set(ephemeralPublicKey, 20);
  header.set(nonce, 52);

  const kek = await deriveKek(shared, ephemeralPublicKey, recipientPublicKey);
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: bufferSource(nonce),
      additionalData: bufferSource(concatBytes([header, options.context ?? new Uint8Array()])),
    },
    kek,
    bufferSource(secret),
  );
  return concatBytes([header, new Uint8Array(ciphertext)]);
}

/** Parses and checks the fixed header; throws UnsupportedVersionError for any other version. */
export function parseEnvelopeHeader(envelope: Uint8Array): EnvelopeHeader {
  if (envelope.length < ENVELOPE_HEADER_LENGTH + 16 || !equalBytes(envelope.subarray(0, 4), ENVELOPE_MAGIC)) {
    throw new MalformedInputError(`not a CareLedger key envelope (${envelope.length} bytes, bad magic or too short)`);
  }
  const version = envelope[4]!;
  if (!SUPPORTED_ENVELOPE_VERSIONS.includes(version)) {
    throw new UnsupportedVersionError("key envelope", version, SUPPORTED_ENVELOPE_VERSIONS);
  }
  const algorithm = envelope[5]!;
  if (algorithm !== ENVELOPE_ALG_X25519_HKDF_SHA256_A256GCM) {
    throw new UnsupportedVersionError("key envelope algorithm", algorithm, [ENVELOPE_ALG_X25519_HKDF_SHA256_A256GCM]);
  }
  const view = new DataView(envelope.buffer, envelope.byteOffset, envelope.byteLength);
  const category = envelope[7]!;
  return {
    version,
    algorithm,
    kind: envelope[6]! as EnvelopeKind,
    category: category === NO_CATEGORY ? undefined : category,
    epoch: view.getUint32(8),
    recipientKeyId: envelope.slice(12, 12 + KEY_ID_LENGTH),
    ephemeralPublicKey: envelope.slice(20, 52),
    nonce: envelope.slice(52, 64),
  };
}

export function isAddressedTo(envelope: Uint8Array, publicKey: Uint8Array): boolean {
  return equalBytes(envelope.subarray(12, 12 + KEY_ID_LENGTH), keyIdOf(publicKey));
}

/**
 * Unwraps an envelope with the recipient's key pair.
 * @throws UnsupportedVersionError, WrongKeyError (addressed to another key), TamperedEnvelopeError.
 */
export async function unwrapKey(
  envelope: Uint8Array,
  recipient: X25519KeyPair,
  options: { context?: Uint8Array; expectedKind?: EnvelopeKind } = {},
): Promise<Uint8Array> {
  const header = parseEnvelopeHeader(envelope);
  if (!equalBytes(header.recipientKeyId, keyIdOf(recipient.publicKey))) {
    throw new WrongKeyError(
      `envelope is addressed to key ${toHex(header.recipientKeyId)}, not to the offered key ${toHex(keyIdOf(recipient.publicKey))}`,
    );
  }
  if (options.expectedKind !== undefined && header.kind !== options.expectedKind) {
    throw new TamperedEnvelopeError(`envelope kind ${header.kind} where ${options.expectedKind} was expected`);
  }
  let shared: Uint8Array;
  try {
    shared = await recipientAgreement(recipient, header.ephemeralPublicKey);
  } catch (cause) {
    throw new TamperedEnvelopeError("envelope carries an invalid ephemeral public key", { cause });
  }
  const kek = await deriveKek(shared, header.ephemeralPublicKey, recipient.publicKey);
  try {
    const plain = await globalThis.crypto.subtle.decrypt(
      {
        name: "AES-GCM",
        iv: bufferSource(header.nonce),
        additionalData: bufferSource(
          concatBytes([envelope.subarray(0, ENVELOPE_HEADER_LENGTH), options.context ?? new Uint8Array()]),
        ),
      },
      kek,
      bufferSource(envelope.subarray(ENVELOPE_HEADER_LENGTH)),
    );
    return new Uint8Array(plain);
  } catch (cause) {
    throw new TamperedEnvelopeError(
      "key envelope does not authenticate: its header, ciphertext or the record header it is bound to was altered",
      { cause },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Lists of envelopes (ConsentGrant.keyEnvelopes, record headers):
//   "CLKL" ‖ version u8 (1) ‖ count u16 ‖ count × (length u16 ‖ envelope)
// ---------------------------------------------------------------------------------------------

export const ENVELOPE_LIST_MAGIC = utf8.encode("CLKL");
export const ENVELOPE_LIST_VERSION = 1;

export function encodeKeyEnvelopes(envelopes: readonly Uint8Array[]): Uint8Array {
  if (envelopes.length > 0xffff) throw new RangeError("at most 65,535 envelopes per list");
  const parts: Uint8Array[] = [
    ENVELOPE_LIST_MAGIC,
    Uint8Array.of(ENVELOPE_LIST_VERSION, envelopes.length >> 8, envelopes.length & 0xff),
  ];
  for (const envelope of envelopes) {
    if (envelope.length > 0xffff) throw new RangeError("envelope longer than 65,535 bytes");
    parts.push(Uint8Array.of(envelope.length >> 8, envelope.length & 0xff), envelope);
  }
  return concatBytes(parts);
}

export function decodeKeyEnvelopes(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 7 || !equalBytes(bytes.subarray(0, 4), ENVELOPE_LIST_MAGIC)) {
    throw new MalformedInputError("not a CareLedger envelope list (bad magic or too short)");
  }
  if (bytes[4] !== ENVELOPE_LIST_VERSION) {
    throw new UnsupportedVersionError("envelope list", bytes[4]!, [ENVELOPE_LIST_VERSION]);
  }
  const count = (bytes[5]! << 8) | bytes[6]!;
  const out: Uint8Array[] = [];
  let offset = 7;
  for (let i = 0; i < count; i++) {
    if (offset + 2 > bytes.length) throw new MalformedInputError(`envelope list truncated at entry ${i}`);
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
    offset += 2;
    if (offset + length > bytes.length) throw new MalformedInputError(`envelope list truncated at entry ${i}`);
    out.push(bytes.slice(offset, offset + length));
    offset += length;
  }
  if (offset !== bytes.length) throw new MalformedInputError("trailing bytes after the envelope list");
  return out;
}
