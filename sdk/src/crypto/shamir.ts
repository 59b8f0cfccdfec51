/**
 * Shamir k-of-n secret sharing: a thin wrapper around the audited `shamir-secret-sharing` package
 * (Privy; audited by Cure53 and Zellic). This file holds no field arithmetic of its own. It adds
 * what the package leaves to its caller:
 *  - a header, so a share says which format and threshold it belongs to:
 *    version u8 (2) ‖ threshold u8 ‖ x u8 ‖ y bytes;
 *  - refusal of x = 0 (a share at x = 0 *is* the secret: one malicious holder could otherwise
 *    make recovery return a value of their choosing), of duplicate shares and of two shares that
 *    claim the same x with different y;
 *  - verification: the package returns whatever the points interpolate to, so `combineShares`
 *    only returns a secret the caller's `accept` check approves (recovery.ts checks the rebuilt
 *    identity key against the public key registered in CareRegistry). Given more than k shares,
 *    it tries k-subsets until one is accepted, so one corrupt share among more than k is named and
 *    left out instead of spoiling the recovery.
 */
import { combine, split } from "shamir-secret-sharing";
import { equalBytes } from "../bytes.js";
import { MalformedInputError, RecoveryError, UnsupportedVersionError } from "../errors.js";

export const SHARE_VERSION = 2;
const HEADER = 3;
/** Most k-subsets tried when more than k shares are given and some do not fit. */
export const MAX_COMBINATIONS = 1024;

export interface ShareHeader {
  version: number;
  threshold: number;
  x: number;
}

/** Reads a share's header (version, threshold, x) without combining anything. */
export function shareHeader(share: Uint8Array): ShareHeader {
  if (!(share instanceof Uint8Array) || share.length < HEADER + 1) {
    throw new MalformedInputError(`a recovery share is at least ${HEADER + 1} bytes; this one is not`);
  }
  if (share[0] !== SHARE_VERSION) throw new UnsupportedVersionError("recovery share", share[0]!, [SHARE_VERSION]);
  return { version: share[0]!, threshold: share[1]!, x: share[2]! };
}

/**
 * Splits `secret` into `shares` shares, any `threshold` of which rebuild it.
 * @throws RangeError unless 2 ≤ threshold ≤ shares ≤ 255. A threshold of 1 would hand every
 *   holder the whole secret; an exported key file is the single-holder path.
 */
export async function splitSecret(secret: Uint8Array, shares: number, threshold: number): Promise<Uint8Array[]> {
  if (!Number.isInteger(threshold) || threshold < 2) {
    throw new RangeError(
      `a threshold of ${threshold} would let one holder rebuild the key alone; choose at least 2 (or export a key file instead)`,
    );
  }
  if (!Number.isInteger(shares) || shares < threshold || shares > 255) {
    throw new RangeError(`need threshold ≤ holders ≤ 255; got ${threshold} of ${shares}`);
  }
  if (secret.length === 0) throw new RangeError("cannot split an empty secret");
  const raw = await split(secret, shares, threshold);
  return raw.map((share) => {
    const x = share[share.length - 1]!;
    const out = new Uint8Array(HEADER + secret.length);
    out.set([SHARE_VERSION, threshold, x]);
    out.set(share.subarray(0, secret.length), HEADER);
    return out;
  });
}

/** The package's layout: y bytes ‖ x. */
function toPackageShare(share: Uint8Array): Uint8Array {
  const out = new Uint8Array(share.length - HEADER + 1);
  out.set(share.subarray(HEADER));
  out[out.length - 1] = share[2]!;
  return out;
}

function* subsets(size: number, k: number): Generator<number[]> {
  const pick = Array.from({ length: k }, (_, i) => i);
  while (true) {
    yield [...pick];
    let i = k - 1;
    while (i >= 0 && pick[i] === size - k + i) i--;
    if (i < 0) return;
    pick[i]!++;
    for (let j = i + 1; j < k; j++) pick[j] = pick[j - 1]! + 1;
  }
}

export interface CombinedSecret {
  secret: Uint8Array;
  /** Holder numbers (x) of the shares that rebuilt the accepted secret. */
  used: number[];
  /** Holder numbers (x) of given shares that do not fit the accepted secret (corrupt or foreign). */
  rejected: number[];
}

/**
 * Rebuilds a secret from at least `threshold` shares and returns it only if `accept` approves it.
 * @throws MalformedInputError / UnsupportedVersionError for a share that is not a share;
 *   RecoveryError for x = 0, duplicates, conflicting shares, too few shares, shares from
 *   different splits, or when no k of them rebuild a secret `accept` approves.
 */
export async function combineShares(
  shares: readonly Uint8Array[],
  accept: (secret: Uint8Array) => boolean,
): Promise<CombinedSecret> {
  if (shares.length === 0) throw new RecoveryError("no recovery shares given");
  const headers = shares.map(shareHeader);
  const { threshold } = headers[0]!;
  const length = shares[0]!.length;
  if (headers.some((h) => h.threshold !== threshold) || shares.some((s) => s.length !== length)) {
    throw new RecoveryError("the recovery shares come from different splits (their thresholds or lengths differ)");
  }
  if (threshold < 2)
    throw new RecoveryError(`a recovery share claims a threshold of ${threshold}; at least 2 is valid`);
  const seen = new Map<number, Uint8Array>();
  for (const [i, share] of shares.entries()) {
    const { x } = headers[i]!;
    if (x === 0) {
      throw new RecoveryError(
        "a recovery share has x = 0, which would be the secret itself; it is forged — ask that holder again",
      );
    }
    const earlier = seen.get(x);
    if (earlier) {
      throw new RecoveryError(
        equalBytes(earlier, share)
          ? `recovery share #${x} was given twice; give each holder's share once`
          : `two different recovery shares both claim to be #${x}; at least one is forged — ask those holders again`,
      );
    }
    seen.set(x, share);
  }
  if (shares.length < threshold) {
    throw new RecoveryError(`${shares.length} recovery share(s) given, ${threshold} are needed`);
  }
  const prepared = shares.map(toPackageShare);
  let tried = 0;
  for (const pick of subsets(shares.length, threshold)) {
    if (tried++ >= MAX_COMBINATIONS) break;
    const secret = await combine(pick.map((i) => prepared[i]!));
    if (!accept(secret)) continue;
    const used = pick.map((i) => headers[i]!.x);
    const rejected: number[] = [];
    const base = pick.slice(0, threshold - 1).map((i) => prepared[i]!);
    for (const [i, share] of prepared.entries()) {
      if (pick.includes(i)) continue;
      if (!equalBytes(await combine([...base, share]), secret)) rejected.push(headers[i]!.x);
    }
    return { secret, used, rejected };
  }
  throw new RecoveryError(
    shares.length === threshold
      ? `these ${threshold} recovery shares do not rebuild the registered key: one is corrupt or belongs to another patient or an older split`
      : `no ${threshold} of these ${shares.length} recovery shares rebuild the registered key: too many are corrupt or belong to another patient or an older split`,
  );
}
