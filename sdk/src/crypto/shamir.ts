/**
 * Shamir secret sharing over GF(2^8) (AES polynomial x^8 + x^4 + x^3 + x + 1), byte-wise.
 * A share is: version u8 (1) ‖ threshold u8 ‖ x u8 ‖ y bytes. The shared secret carries a
 * 16-byte sha-256 checksum so a wrong or short set of shares is detected, not silently wrong.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, equalBytes, randomBytes } from "../bytes.js";
import { MalformedInputError, RecoveryError, UnsupportedVersionError } from "../errors.js";

const SHARE_VERSION = 1;
const CHECKSUM_LENGTH = 16;

const EXP = new Uint8Array(510);
const LOG = new Uint8Array(256);
{
  let x = 1;
  for (let i = 0; i < 255; i++) {
    EXP[i] = x;
    LOG[x] = i;
    x ^= (x << 1) ^ (x & 0x80 ? 0x1b : 0); // multiply by 3 (generator)
    x &= 0xff;
  }
  for (let i = 255; i < 510; i++) EXP[i] = EXP[i - 255]!;
}
const mul = (a: number, b: number) => (a === 0 || b === 0 ? 0 : EXP[LOG[a]! + LOG[b]!]!);
const div = (a: number, b: number) => (a === 0 ? 0 : EXP[LOG[a]! + 255 - LOG[b]!]!);

/** Splits `secret` into n shares, any `threshold` of which rebuild it. */
export function splitSecret(secret: Uint8Array, shares: number, threshold: number): Uint8Array[] {
  if (!Number.isInteger(threshold) || threshold < 2) throw new RangeError("threshold must be at least 2");
  if (!Number.isInteger(shares) || shares < threshold || shares > 255)
    throw new RangeError("need threshold ≤ shares ≤ 255");
  const data = concatBytes([secret, sha256(secret).subarray(0, CHECKSUM_LENGTH)]);
  const out = Array.from({ length: shares }, (_, i) => {
    const share = new Uint8Array(3 + data.length);
    share[0] = SHARE_VERSION;
    share[1] = threshold;
    share[2] = i + 1;
    return share;
  });
  const coefficients = randomBytes(threshold - 1);
  for (let byte = 0; byte < data.length; byte++) {
    globalThis.crypto.getRandomValues(coefficients);
    for (const share of out) {
      const x = share[2]!;
      // Horner: a_{k-1} x^{k-1} + ... + a_1 x + secret
      let y = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) y = mul(y, x) ^ coefficients[c]!;
      share[3 + byte] = mul(y, x) ^ data[byte]!;
    }
  }
  return out;
}

/** Rebuilds the secret; throws RecoveryError with too few, duplicate or mismatched shares. */
export function combineShares(shares: readonly Uint8Array[]): Uint8Array {
  if (shares.length === 0) throw new RecoveryError("no recovery shares given");
  for (const share of shares) {
    if (share.length < 4 + CHECKSUM_LENGTH) throw new MalformedInputError("recovery share too short");
    if (share[0] !== SHARE_VERSION) throw new UnsupportedVersionError("recovery share", share[0]!, [SHARE_VERSION]);
  }
  const threshold = shares[0]![1]!;
  const length = shares[0]!.length;
  if (shares.some((s) => s[1] !== threshold || s.length !== length)) {
    throw new RecoveryError("the recovery shares come from different splits");
  }
  const unique = [...new Map(shares.map((s) => [s[2]!, s])).values()];
  if (unique.length < threshold) {
    throw new RecoveryError(`${unique.length} distinct recovery share(s) given, ${threshold} are needed`);
  }
  const used = unique.slice(0, threshold);
  const data = new Uint8Array(length - 3);
  for (let byte = 0; byte < data.length; byte++) {
    let value = 0;
    for (let i = 0; i < used.length; i++) {
      const xi = used[i]![2]!;
      let basis = 1; // Lagrange basis at 0
      for (let j = 0; j < used.length; j++) {
        if (i === j) continue;
        const xj = used[j]![2]!;
        basis = mul(basis, div(xj, xj ^ xi));
      }
      value ^= mul(used[i]![3 + byte]!, basis);
    }
    data[byte] = value;
  }
  const secret = data.subarray(0, data.length - CHECKSUM_LENGTH);
  if (!equalBytes(sha256(secret).subarray(0, CHECKSUM_LENGTH), data.subarray(data.length - CHECKSUM_LENGTH))) {
    throw new RecoveryError(
      "the recovery shares do not rebuild a valid secret (a share is corrupt or from another patient)",
    );
  }
  return secret.slice();
}
