/**
 * Segmented AES-256-GCM for record payloads (the STREAM construction of Hoang, Reyhanitabar,
 * Rogaway and Vizár, with GCM as the AEAD).
 *
 * The plaintext is cut into segments of `segmentSize` bytes (256 KiB; the last may be shorter,
 * an empty plaintext is one empty segment). The size is in the header, so records sealed with
 * another size (earlier ones used 1 MiB) open the same way. Segment i is sealed with the blob's random 96-bit base
 * nonce XOR (0⁷ ‖ be32(i) ‖ last), where last = 1 only on the final segment, and with the payload
 * parameters as associated data. So a reordered segment (wrong counter), a dropped tail (no
 * segment carries last = 1) or appended data all fail authentication, while each segment can be
 * encrypted and decrypted on its own: memory stays at a segment or two, whatever the file size.
 */
import { bufferSource, concatBytes, randomBytes, rechunk, type ByteSource } from "../bytes.js";
import { MalformedInputError, TamperedCiphertextError, TruncatedBlobError } from "../errors.js";

/**
 * 256 KiB: small enough that hashing and storing the first segment starts while the next ones
 * are still being encrypted (a 1 MiB body is five, with the encrypted meta), large enough that
 * the 16-byte tags and per-call overhead stay negligible.
 */
export const SEGMENT_SIZE = 1 << 18;
export const GCM_TAG_LENGTH = 16;
export const PAYLOAD_PARAMS_LENGTH = 24;
/**
 * Segments handed to WebCrypto at once: it runs them on worker threads, so several in flight
 * use every core while memory stays at a few MiB.
 */
const SEGMENTS_IN_FLIGHT = 4;

export interface PayloadParams {
  segmentSize: number;
  plaintextLength: number;
  /** Random 96-bit nonce drawn once per blob. */
  baseNonce: Uint8Array;
}

export function newPayloadParams(plaintextLength: number, segmentSize = SEGMENT_SIZE): PayloadParams {
  if (!Number.isSafeInteger(plaintextLength) || plaintextLength < 0)
    throw new RangeError(`bad plaintext length ${plaintextLength}`);
  return { segmentSize, plaintextLength, baseNonce: randomBytes(12) };
}

/** segmentSize u32 ‖ plaintextLength u64 ‖ baseNonce (12). */
export function encodePayloadParams(params: PayloadParams): Uint8Array {
  const out = new Uint8Array(PAYLOAD_PARAMS_LENGTH);
  const view = new DataView(out.buffer);
  view.setUint32(0, params.segmentSize);
  view.setBigUint64(4, BigInt(params.plaintextLength));
  out.set(params.baseNonce, 12);
  return out;
}

export function decodePayloadParams(bytes: Uint8Array): PayloadParams {
  if (bytes.length !== PAYLOAD_PARAMS_LENGTH) throw new MalformedInputError("payload parameters must be 24 bytes");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const segmentSize = view.getUint32(0);
  const plaintextLength = Number(view.getBigUint64(4));
  if (segmentSize < 1024 || segmentSize > 16 << 20 || !Number.isSafeInteger(plaintextLength)) {
    throw new MalformedInputError(`implausible payload parameters (segment ${segmentSize}, length ${plaintextLength})`);
  }
  return { segmentSize, plaintextLength, baseNonce: bytes.slice(12, 24) };
}

export function segmentCount(params: PayloadParams): number {
  return Math.max(1, Math.ceil(params.plaintextLength / params.segmentSize));
}

export function ciphertextLength(params: PayloadParams): number {
  return params.plaintextLength + segmentCount(params) * GCM_TAG_LENGTH;
}

function segmentNonce(baseNonce: Uint8Array, index: number, last: boolean): Uint8Array<ArrayBuffer> {
  const nonce = new Uint8Array(baseNonce);
  nonce[7]! ^= (index >>> 24) & 0xff;
  nonce[8]! ^= (index >>> 16) & 0xff;
  nonce[9]! ^= (index >>> 8) & 0xff;
  nonce[10]! ^= index & 0xff;
  nonce[11]! ^= last ? 1 : 0;
  return nonce;
}

export function generateContentKey(): Uint8Array {
  return randomBytes(32);
}

export async function importContentKey(
  raw: Uint8Array,
  usages: KeyUsage[] = ["encrypt", "decrypt"],
): Promise<CryptoKey> {
  if (raw.length !== 32) throw new RangeError(`content keys are 256-bit, got ${raw.length * 8} bits`);
  return globalThis.crypto.subtle.importKey("raw", bufferSource(raw), "AES-GCM", false, usages);
}

/**
 * Encrypts a plaintext stream of exactly `params.plaintextLength` bytes into ciphertext segments,
 * in order, with a few segments in flight.
 */
export async function* encryptSegments(
  key: CryptoKey,
  params: PayloadParams,
  aad: Uint8Array,
  plaintext: ByteSource,
): AsyncGenerator<Uint8Array> {
  const total = segmentCount(params);
  const additionalData = bufferSource(aad);
  let index = 0;
  let seen = 0;
  const inFlight: Promise<ArrayBuffer>[] = [];
  const seal = (segment: Uint8Array, i: number) => {
    const job = globalThis.crypto.subtle.encrypt(
      { name: "AES-GCM", iv: segmentNonce(params.baseNonce, i, i === total - 1), additionalData },
      key,
      bufferSource(segment),
    );
    job.catch(() => undefined); // awaited in order below; avoid an unhandled-rejection crash meanwhile
    inFlight.push(job);
  };
  for await (const segment of rechunk(plaintext, params.segmentSize)) {
    seen += segment.length;
    if (seen > params.plaintextLength || index >= total) {
      throw new RangeError(`plaintext is longer than the declared ${params.plaintextLength} bytes`);
    }
    seal(segment, index++);
    if (inFlight.length >= SEGMENTS_IN_FLIGHT) yield new Uint8Array(await inFlight.shift()!);
  }
  if (params.plaintextLength === 0 && index === 0) seal(new Uint8Array(), index++);
  if (seen !== params.plaintextLength) {
    throw new RangeError(`plaintext has ${seen} bytes, ${params.plaintextLength} were declared`);
  }
  while (inFlight.length > 0) yield new Uint8Array(await inFlight.shift()!);
}

/**
 * Decrypts ciphertext segments; yields each plaintext segment only after its tag verified.
 * @throws TruncatedBlobError when the stream ends early, TamperedCiphertextError on any tag
 *   failure or on bytes after the final segment.
 */
export async function* decryptSegments(
  key: CryptoKey,
  params: PayloadParams,
  aad: Uint8Array,
  ciphertext: ByteSource,
): AsyncGenerator<Uint8Array> {
  const total = segmentCount(params);
  const expected = ciphertextLength(params);
  const additionalData = bufferSource(aad);
  let index = 0;
  let seen = 0;
  const open = async (segment: Uint8Array, i: number) => {
    try {
      return new Uint8Array(
        await globalThis.crypto.subtle.decrypt(
          { name: "AES-GCM", iv: segmentNonce(params.baseNonce, i, i === total - 1), additionalData },
          key,
          bufferSource(segment),
        ),
      );
    } catch (cause) {
      throw new TamperedCiphertextError(
        `segment ${i + 1} of ${total} does not authenticate: the ciphertext was altered, reordered or spliced`,
        { cause },
      );
    }
  };
  const inFlight: Promise<Uint8Array>[] = [];
  for await (const segment of rechunk(ciphertext, params.segmentSize + GCM_TAG_LENGTH)) {
    const offset = seen;
    seen += segment.length;
    if (index >= total) {
      throw new TamperedCiphertextError(`unexpected bytes after the final segment (${seen - expected} so far)`);
    }
    const expectedLength = index === total - 1 ? expected - offset : params.segmentSize + GCM_TAG_LENGTH;
    if (segment.length < expectedLength) break; // rechunk only yields a short piece at the end: truncated
    if (segment.length > expectedLength) {
      throw new TamperedCiphertextError(`${segment.length - expectedLength} unexpected bytes after the final segment`);
    }
    const job = open(segment, index++);
    job.catch(() => undefined); // awaited in order below; avoid an unhandled-rejection crash meanwhile
    inFlight.push(job);
    if (inFlight.length >= SEGMENTS_IN_FLIGHT) yield await inFlight.shift()!;
  }
  if (seen < expected) {
    throw new TruncatedBlobError(`encrypted payload ends after ${seen} of ${expected} bytes`, expected, seen);
  }
  while (inFlight.length > 0) yield await inFlight.shift()!;
}

/** One-shot helpers over the streaming functions. */
export async function encryptBytes(key: CryptoKey, params: PayloadParams, aad: Uint8Array, plaintext: Uint8Array) {
  const parts: Uint8Array[] = [];
  for await (const part of encryptSegments(key, params, aad, plaintext)) parts.push(part);
  return concatBytes(parts);
}

export async function decryptBytes(key: CryptoKey, params: PayloadParams, aad: Uint8Array, ciphertext: Uint8Array) {
  const out = new Uint8Array(params.plaintextLength);
  let offset = 0;
  for await (const part of decryptSegments(key, params, aad, ciphertext)) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
