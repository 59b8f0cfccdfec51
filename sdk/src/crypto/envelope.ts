/**
 * Key envelopes: a small secret (a content key, a category private key, a recovery share)
 * wrapped to one recipient's X25519 public key with HPKE (RFC 9180) in base mode, suite
 * DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, through `@hpke/core` (WebCrypto
 * X25519 where the platform has it) or `@hpke/dhkem-x25519` (pure JS) otherwise.
 *
 * Binary layout (version 2):
 *
 *   off len field
 *     0   4 magic "CLKE"
 *     4   1 version            (2)
 *     5   1 suite              (1 = RFC 9180 base, DHKEM-X25519-HKDF-SHA256, HKDF-SHA256, AES-256-GCM)
 *     6  32 enc                (the HPKE encapsulated key)
 *    38   n ciphertext ‖ 16-byte tag
 *
 * Nothing in the clear names the recipient, the patient, the category or the epoch: a reader
 * finds its envelope by trial decryption (a record carries two, a grant one per category key).
 * What the envelope is for lives in the HPKE `info` (the binding: purpose, chain id, registry
 * address, patient, recipient, category, epoch), so an envelope moved to another purpose,
 * patient, recipient, category, epoch, chain or deployment does not open. The AEAD's `aad` is
 * the 6-byte prefix followed by a caller-supplied context (for a record, its payload parameters).
 */
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256 as NativeX25519Kem, HkdfSha256 } from "@hpke/core";
import { DhkemX25519HkdfSha256 as PortableX25519Kem } from "@hpke/dhkem-x25519";
import { getAddress, isAddress } from "viem";
import { bufferSource, concatBytes, equalBytes, fromHex, utf8 } from "../bytes.js";
import { MalformedInputError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
import type { X25519KeyPair } from "./keys.js";

export const ENVELOPE_MAGIC = utf8.encode("CLKE");
export const ENVELOPE_VERSION = 2;
export const SUPPORTED_ENVELOPE_VERSIONS: readonly number[] = [ENVELOPE_VERSION];
/** RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM. */
export const ENVELOPE_SUITE_HPKE_X25519_SHA256_A256GCM = 1;
export const ENVELOPE_PREFIX_LENGTH = 6;
export const ENVELOPE_ENC_LENGTH = 32;
export const ENVELOPE_OVERHEAD = ENVELOPE_PREFIX_LENGTH + ENVELOPE_ENC_LENGTH + 16;
export const NO_CATEGORY = 255;

/** What an envelope is for; bound into its HPKE info. */
export const EnvelopePurpose = {
  /** A category private key handed to a grantee (a consent grant). */
  Grant: 1,
  /** A record's content key, wrapped to the patient's category key or to its author. */
  Record: 2,
  /** A guardian's recovery share of a patient's identity secret. */
  Recovery: 3,
  /** A category key released to a provider under break-glass (emergency) access. */
  Emergency: 4,
  /** An insurer's denial reason code, sealed to the patient, the provider and the insurer. */
  Denial: 5,
} as const;
export type EnvelopePurpose = (typeof EnvelopePurpose)[keyof typeof EnvelopePurpose];

/** Where a patient's keys live: the chain and the CareRegistry deployment (from deployments/). */
export interface KeyDomain {
  chainId: number | bigint;
  /** The CareRegistry address of that chain's deployment. */
  registry: string;
}

/** Everything an envelope is bound to. Wrap and unwrap must give the same values. */
export interface EnvelopeBinding extends KeyDomain {
  purpose: EnvelopePurpose;
  /** The patient whose key material this is. */
  patient: string;
  /** The account the envelope is for (grantee, guardian, record author; the patient for its own category key). */
  recipient: string;
  /** 0..15 when the envelope is tied to a category. */
  category?: number;
  /** The category key epoch, or the identity key version. */
  epoch?: number;
}

const BINDING_LABEL = utf8.encode("CareLedger key wrap v2");

function addressBytes(value: string, field: string): Uint8Array {
  if (!isAddress(value, { strict: false })) {
    throw new MalformedInputError(`key binding: ${field} ${JSON.stringify(value)} is not a 20-byte 0x address`);
  }
  return fromHex(getAddress(value));
}

/**
 * The canonical bytes of a binding (the HPKE info):
 * label ‖ purpose u8 ‖ chain id u64 ‖ registry ‖ patient ‖ recipient ‖ category u8 ‖ epoch u32.
 */
export function encodeEnvelopeBinding(binding: EnvelopeBinding): Uint8Array {
  const category = binding.category ?? NO_CATEGORY;
  const epoch = binding.epoch ?? 0;
  if (!Object.values(EnvelopePurpose).includes(binding.purpose))
    throw new RangeError(`key binding: unknown purpose ${binding.purpose}`);
  if (!Number.isInteger(category) || category < 0 || category > 255)
    throw new RangeError(`key binding: bad category ${category}`);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff)
    throw new RangeError(`key binding: bad epoch ${epoch}`);
  const chainId = BigInt(binding.chainId);
  if (chainId <= 0n || chainId >= 1n << 64n) throw new RangeError(`key binding: bad chain id ${binding.chainId}`);
  const fixed = new Uint8Array(1 + 8 + 60 + 1 + 4);
  const view = new DataView(fixed.buffer);
  fixed[0] = binding.purpose;
  view.setBigUint64(1, chainId);
  fixed.set(addressBytes(binding.registry, "registry"), 9);
  fixed.set(addressBytes(binding.patient, "patient"), 29);
  fixed.set(addressBytes(binding.recipient, "recipient"), 49);
  fixed[69] = category;
  view.setUint32(70, epoch);
  return concatBytes([BINDING_LABEL, fixed]);
}

// ---------------------------------------------------------------------------------------------
// The HPKE suite: @hpke/core's KEM runs X25519 on WebCrypto (Node 22, current browsers: native
// and fast); @hpke/dhkem-x25519 is the same RFC 7748 X25519 in JS for platforms without it.
// Both produce the same RFC 9180 envelopes (tested both ways).
// ---------------------------------------------------------------------------------------------

let suitePromise: Promise<CipherSuite> | undefined;
const importedKeys = new WeakMap<CipherSuite, WeakMap<Uint8Array, Promise<CryptoKeyPair>>>();

async function webCryptoHasX25519(): Promise<boolean> {
  try {
    await globalThis.crypto.subtle.generateKey({ name: "X25519" }, false, ["deriveBits"]);
    return true;
  } catch {
    return false;
  }
}

function makeSuite(native: boolean): CipherSuite {
  return new CipherSuite({
    kem: native ? new NativeX25519Kem() : new PortableX25519Kem(),
    kdf: new HkdfSha256(),
    aead: new Aes256Gcm(),
  });
}

/** Exposed for tests: force the pure-JS X25519 (false) or the platform's (true). */
export function useNativeX25519(enabled: boolean): void {
  suitePromise = Promise.resolve(makeSuite(enabled));
}

function suite(): Promise<CipherSuite> {
  suitePromise ??= webCryptoHasX25519().then(makeSuite);
  return suitePromise;
}

function recipientKeys(hpke: CipherSuite, pair: X25519KeyPair): Promise<CryptoKeyPair> {
  let bySecret = importedKeys.get(hpke);
  if (!bySecret) importedKeys.set(hpke, (bySecret = new WeakMap()));
  let keys = bySecret.get(pair.privateKey);
  if (!keys) {
    keys = Promise.all([
      hpke.kem.deserializePrivateKey(bufferSource(pair.privateKey)),
      hpke.kem.deserializePublicKey(bufferSource(pair.publicKey)),
    ]).then(([privateKey, publicKey]) => ({ privateKey, publicKey }));
    bySecret.set(pair.privateKey, keys);
  }
  return keys;
}

const PREFIX = concatBytes([
  ENVELOPE_MAGIC,
  Uint8Array.of(ENVELOPE_VERSION, ENVELOPE_SUITE_HPKE_X25519_SHA256_A256GCM),
]);

export interface WrapOptions {
  binding: EnvelopeBinding;
  /** Extra associated data (for a record: its payload parameters); the same bytes must be given to unwrap. */
  aad?: Uint8Array;
}

/** Wraps `secret` to `recipientPublicKey` (HPKE base mode, single shot). */
export async function wrapKey(
  secret: Uint8Array,
  recipientPublicKey: Uint8Array,
  options: WrapOptions,
): Promise<Uint8Array> {
  if (recipientPublicKey.length !== 32) throw new RangeError("recipient public key must be 32 bytes (X25519)");
  const info = encodeEnvelopeBinding(options.binding);
  const hpke = await suite();
  const { ct, enc } = await hpke.seal(
    { recipientPublicKey: await hpke.kem.deserializePublicKey(bufferSource(recipientPublicKey)), info },
    bufferSource(secret),
    concatBytes([PREFIX, options.aad ?? new Uint8Array()]),
  );
  return concatBytes([PREFIX, new Uint8Array(enc), new Uint8Array(ct)]);
}

/** Checks the 6-byte prefix; throws UnsupportedVersionError for any other version or suite. */
export function checkEnvelopePrefix(envelope: Uint8Array): void {
  if (envelope.length < ENVELOPE_OVERHEAD || !equalBytes(envelope.subarray(0, 4), ENVELOPE_MAGIC)) {
    throw new MalformedInputError(`not a CareLedger key envelope (${envelope.length} bytes, bad magic or too short)`);
  }
  const version = envelope[4]!;
  if (!SUPPORTED_ENVELOPE_VERSIONS.includes(version)) {
    throw new UnsupportedVersionError("key envelope", version, SUPPORTED_ENVELOPE_VERSIONS, OLD_DATA_ADVICE);
  }
  const algorithm = envelope[5]!;
  if (algorithm !== ENVELOPE_SUITE_HPKE_X25519_SHA256_A256GCM) {
    throw new UnsupportedVersionError("key envelope suite", algorithm, [ENVELOPE_SUITE_HPKE_X25519_SHA256_A256GCM]);
  }
}

/** What to do with data in a format this SDK no longer reads. */
export const OLD_DATA_ADVICE =
  "version 1 (hand-made ECIES, clear recipient ids) is no longer read. The local chain and its store are " +
  "reseeded on every `npm start`, so restart it; on a kept network, have the author write the record or grant again";

/**
 * Opens an envelope with the recipient's key pair under the binding it was made for.
 * @throws UnsupportedVersionError, MalformedInputError, WrongKeyError — the last when it does not
 * open: another recipient, another binding (patient, category, epoch, purpose, chain, registry)
 * or altered bytes look the same by design, since nothing in the clear names the recipient.
 */
export async function unwrapKey(
  envelope: Uint8Array,
  recipient: X25519KeyPair,
  options: WrapOptions,
): Promise<Uint8Array> {
  checkEnvelopePrefix(envelope);
  const info = encodeEnvelopeBinding(options.binding);
  const hpke = await suite();
  try {
    const plain = await hpke.open(
      {
        recipientKey: await recipientKeys(hpke, recipient),
        enc: envelope.subarray(ENVELOPE_PREFIX_LENGTH, ENVELOPE_PREFIX_LENGTH + ENVELOPE_ENC_LENGTH),
        info,
      },
      envelope.subarray(ENVELOPE_PREFIX_LENGTH + ENVELOPE_ENC_LENGTH),
      concatBytes([envelope.subarray(0, ENVELOPE_PREFIX_LENGTH), options.aad ?? new Uint8Array()]),
    );
    return new Uint8Array(plain);
  } catch (cause) {
    throw new WrongKeyError(
      "key envelope does not open with the offered key for this " +
        describeBinding(options.binding) +
        ": it is for another key, patient, category, epoch, chain or registry, or its bytes were altered",
      { cause },
    );
  }
}

function describeBinding(binding: EnvelopeBinding): string {
  const purpose = Object.entries(EnvelopePurpose).find(([, v]) => v === binding.purpose)?.[0] ?? "?";
  const category = binding.category === undefined ? "" : `, category ${binding.category} epoch ${binding.epoch ?? 0}`;
  return `${purpose.toLowerCase()} (patient ${binding.patient}${category}, chain ${binding.chainId})`;
}

// ---------------------------------------------------------------------------------------------
// Lists of envelopes (ConsentGrant.keyEnvelopes):
//   "CLKL" ‖ version u8 (2) ‖ count u16 ‖ count × (length u16 ‖ envelope)
// ---------------------------------------------------------------------------------------------

export const ENVELOPE_LIST_MAGIC = utf8.encode("CLKL");
export const ENVELOPE_LIST_VERSION = 2;

/** count u16 ‖ count × (length u16 ‖ envelope): the list body shared by grant lists and record headers. */
export function encodeEnvelopeEntries(envelopes: readonly Uint8Array[]): Uint8Array {
  if (envelopes.length > 0xffff) throw new RangeError("at most 65,535 envelopes per list");
  const parts: Uint8Array[] = [Uint8Array.of(envelopes.length >> 8, envelopes.length & 0xff)];
  for (const envelope of envelopes) {
    if (envelope.length > 0xffff) throw new RangeError("envelope longer than 65,535 bytes");
    parts.push(Uint8Array.of(envelope.length >> 8, envelope.length & 0xff), envelope);
  }
  return concatBytes(parts);
}

export function encodeKeyEnvelopes(envelopes: readonly Uint8Array[]): Uint8Array {
  return concatBytes([ENVELOPE_LIST_MAGIC, Uint8Array.of(ENVELOPE_LIST_VERSION), encodeEnvelopeEntries(envelopes)]);
}

export function decodeKeyEnvelopes(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 7 || !equalBytes(bytes.subarray(0, 4), ENVELOPE_LIST_MAGIC)) {
    throw new MalformedInputError("not a CareLedger envelope list (bad magic or too short)");
  }
  if (bytes[4] !== ENVELOPE_LIST_VERSION) {
    throw new UnsupportedVersionError("envelope list", bytes[4]!, [ENVELOPE_LIST_VERSION], OLD_DATA_ADVICE);
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
