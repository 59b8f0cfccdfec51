/** Small byte helpers shared by the crypto and storage modules (browser-safe, no Buffer). */

/** WebCrypto's typings want an ArrayBuffer-backed view; every Uint8Array we hand it is one. */
export function bufferSource(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes as Uint8Array<ArrayBuffer>;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  // getRandomValues is limited to 65,536 bytes per call.
  for (let offset = 0; offset < length; offset += 65536) {
    globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

export const utf8 = {
  encode: (text: string): Uint8Array => new TextEncoder().encode(text),
  decode: (bytes: Uint8Array): string => new TextDecoder("utf-8", { fatal: true }).decode(bytes),
};

export function toHex(bytes: Uint8Array): `0x${string}` {
  let out = "0x";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out as `0x${string}`;
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean))
    throw new TypeError(`not a hex string: ${hex.slice(0, 20)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

type NodeHash = { update(data: Uint8Array): NodeHash; digest(): Uint8Array };
/**
 * node:crypto's createHash where the runtime offers it without an import (Node ≥ 22.3's
 * process.getBuiltinModule), so browser bundles never see a Node module. In Node it hashes in
 * place with OpenSSL (SHA-NI), where WebCrypto copies the input to a worker thread first.
 */
const nodeCreateHash: ((algorithm: "sha256") => NodeHash) | undefined = (() => {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const crypto = proc?.getBuiltinModule?.("node:crypto") as
    { createHash?: (algorithm: string) => NodeHash } | undefined;
  return crypto?.createHash;
})();

/** sha-256 of the whole buffer (OpenSSL in Node, WebCrypto elsewhere). */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  if (nodeCreateHash) {
    const digest = nodeCreateHash("sha256").update(bytes).digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
  }
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", bufferSource(bytes)));
}

/** Anything the storage and crypto streaming APIs accept as a byte source. */
export type ByteSource = Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

export async function* iterateBytes(source: ByteSource): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  yield* source;
}

export async function collectBytes(source: ByteSource, limit = Infinity): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of source) {
    length += chunk.length;
    if (length > limit) throw new RangeError(`more than ${limit} bytes`);
    parts.push(chunk);
  }
  return parts.length === 1 ? parts[0]! : concatBytes(parts);
}

/**
 * Re-cuts a byte stream into pieces of exactly `size` bytes (the last one may be shorter),
 * without copying when the input is already aligned.
 */
export async function* rechunk(source: ByteSource, size: number): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let pendingLength = 0;
  for await (let chunk of iterateBytes(source)) {
    while (chunk.length > 0) {
      if (pendingLength === 0 && chunk.length >= size) {
        yield chunk.subarray(0, size);
        chunk = chunk.subarray(size);
        continue;
      }
      const take = Math.min(size - pendingLength, chunk.length);
      pending.push(chunk.subarray(0, take));
      pendingLength += take;
      chunk = chunk.subarray(take);
      if (pendingLength === size) {
        yield concatBytes(pending);
        pending = [];
        pendingLength = 0;
      }
    }
  }
  if (pendingLength > 0) yield concatBytes(pending);
}

export function writeUint32(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value, false);
}
