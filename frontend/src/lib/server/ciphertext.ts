/**
 * The blob route stores only ciphertext: record containers sealed in the browser by the SDK
 * (`sdk/src/crypto/container.ts`: magic "CLRC", version, payload parameters, key envelopes,
 * then AES-256-GCM segments). An upload must carry that header, and what follows it must be as
 * random as ciphertext is; known plaintext formats get a message that names them. The one other
 * thing it stores is a key-custody document (`sdk/src/crypto/passkey.ts`, magic "CLKC"): an
 * identity key wrapped under passkeys, accepted only when it parses as one (it holds no secret
 * in the clear, only public fields and 48-byte wraps).
 */
import { CONTAINER_MAGIC, CONTAINER_VERSION, SUPPORTED_CONTAINER_VERSIONS } from "@careledger/sdk/crypto/container";
import { decodeKeyCustody, isKeyCustody } from "@careledger/sdk/crypto/passkey";

/** magic(4) + version(1) + payload parameters(24) + envelope count(2). */
const FIXED_HEADER_BYTES = 31;
/** Below this, a byte histogram says too little to judge. */
const MIN_ENTROPY_SAMPLE = 128;
/**
 * Random bytes measure close to 8 − 255 / (2 n ln 2) bits per byte on an n-byte sample; sealed
 * records measured within 0.2 of that, JSON and text around 5. Half a bit of slack.
 */
const ENTROPY_SLACK = 0.5;

const plaintextSignatures: { name: string; bytes: number[] }[] = [
  { name: "PDF document", bytes: [0x25, 0x50, 0x44, 0x46] },
  { name: "PNG image", bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: "JPEG image", bytes: [0xff, 0xd8, 0xff] },
  { name: "GIF image", bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: "ZIP archive", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: "JSON document (FHIR?)", bytes: [0x7b] },
  { name: "XML document", bytes: [0x3c] },
];

export type CiphertextVerdict = { ok: true } | { ok: false; reason: string };

export function checkCiphertext(bytes: Uint8Array): CiphertextVerdict {
  if (bytes.length === 0) return { ok: false, reason: "The upload is empty." };
  const known = plaintextSignatures.find((s) => s.bytes.every((b, i) => bytes[i] === b));
  if (known) {
    return { ok: false, reason: `This looks like an unencrypted ${known.name}. Encrypt it in the browser first.` };
  }
  if (isKeyCustody(bytes)) {
    try {
      decodeKeyCustody(bytes);
      return { ok: true };
    } catch (error) {
      return { ok: false, reason: `This key-custody document is malformed: ${(error as Error).message}.` };
    }
  }
  const hasMagic = CONTAINER_MAGIC.every((b, i) => bytes[i] === b);
  if (!hasMagic || bytes.length < FIXED_HEADER_BYTES) {
    return { ok: false, reason: "This is not a CareLedger encrypted record. Encrypt it in the browser first." };
  }
  if (!SUPPORTED_CONTAINER_VERSIONS.includes(bytes[CONTAINER_MAGIC.length])) {
    return {
      ok: false,
      reason:
        `Record container version ${bytes[CONTAINER_MAGIC.length]} is not supported: this dApp writes version ` +
        `${CONTAINER_VERSION}. The local chain is reseeded on every start, so write the record again.`,
    };
  }
  const body = bytes.subarray(FIXED_HEADER_BYTES, FIXED_HEADER_BYTES + (1 << 20));
  if (body.length >= MIN_ENTROPY_SAMPLE && bitsPerByte(body) < randomBitsPerByte(body.length) - ENTROPY_SLACK) {
    return {
      ok: false,
      reason: "This has a CareLedger header but its content is not encrypted. Encrypt it in the browser first.",
    };
  }
  return { ok: true };
}

function randomBitsPerByte(sampleLength: number): number {
  return 8 - 255 / (2 * sampleLength * Math.LN2);
}

function bitsPerByte(bytes: Uint8Array): number {
  const counts = new Array<number>(256).fill(0);
  for (const b of bytes) counts[b]++;
  let bits = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / bytes.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export const maxBlobBytes = 64 * 1024 * 1024;

/** CIDv0 (base58btc, Qm…) or CIDv1 in base32 (b…) — the forms the store returns. */
export function isCid(value: string): boolean {
  return /^Qm[1-9A-HJ-NP-Za-km-z]{44}$/.test(value) || /^b[a-z2-7]{50,}$/.test(value);
}

export function ipfsApiUrl(): string {
  return (process.env.CARELEDGER_IPFS_API ?? "http://127.0.0.1:5001").replace(/\/+$/, "");
}
