/**
 * The blob route stores only ciphertext. Encryption happens in the browser (AES-256-GCM), so a
 * legitimate upload is indistinguishable from random bytes. This check refuses what is plainly
 * not: known plaintext formats (JSON/FHIR, XML, PDF, images, text) and, for bodies large enough
 * to measure, anything whose byte entropy is well below that of random data.
 */
const MIN_ENTROPY_SAMPLE = 512;
/** Random bytes give ~7.9 bits/byte on 512 B samples and ~8.0 on large ones; compressed or encoded plaintext stays below. */
const MIN_BITS_PER_BYTE = 7.2;

const plaintextSignatures: { name: string; bytes: number[] }[] = [
  { name: "PDF document", bytes: [0x25, 0x50, 0x44, 0x46] }, // %PDF
  { name: "PNG image", bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: "JPEG image", bytes: [0xff, 0xd8, 0xff] },
  { name: "GIF image", bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: "ZIP archive", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: "gzip data", bytes: [0x1f, 0x8b] },
];

export type CiphertextVerdict = { ok: true } | { ok: false; reason: string };

export function checkCiphertext(bytes: Uint8Array): CiphertextVerdict {
  if (bytes.length === 0) return { ok: false, reason: "The upload is empty." };
  for (const signature of plaintextSignatures) {
    if (signature.bytes.every((b, i) => bytes[i] === b)) {
      return {
        ok: false,
        reason: `This looks like an unencrypted ${signature.name}. Encrypt it in the browser first.`,
      };
    }
  }
  const head = bytes.subarray(0, 4096);
  const printable = head.filter((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127)).length;
  if (head.length >= 16 && printable / head.length > 0.95) {
    return {
      ok: false,
      reason: "This looks like readable text (for example JSON or FHIR). Encrypt it in the browser first.",
    };
  }
  if (bytes.length >= MIN_ENTROPY_SAMPLE && bitsPerByte(bytes.subarray(0, 1 << 20)) < MIN_BITS_PER_BYTE) {
    return {
      ok: false,
      reason: "This does not look encrypted: its bytes are far from random. Encrypt it in the browser first.",
    };
  }
  return { ok: true };
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
