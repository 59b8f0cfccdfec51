/**
 * Revocation that holds: the arguments of ConsentManager's `revokeAndRotate` / `rotateCategoryKeys`.
 * The rotated categories move to their next epoch (the epoch the caller saw is stated, so a stale or
 * doubled rotation reverts on chain), and their new keys are wrapped, with the grant functions of
 * `grants.ts`, to every grantee that keeps a live grant on them. The chain refuses a re-wrap to a
 * grant that has ended; leaving a live grantee out only cuts it off from later records.
 */
import { categoriesInScope, scopeOf } from "../protocol/constants.js";
import { deriveCategoryKey } from "./categoryKeys.js";
import type { KeyDomain } from "./envelope.js";
import { grantKeyEnvelopes } from "./grants.js";

/** A grant as the dApp, tasks and seed know it (from ConsentGranted / ConsentRevoked and consentOf). */
export interface KnownGrant {
  grantee: `0x${string}`;
  purpose: number;
  scope: number;
  /** Unix seconds; 2^64 - 1 for a grant without end. */
  expiresAt: bigint;
  revoked: boolean;
}

export interface RewrapTarget {
  grantee: `0x${string}`;
  purpose: number;
  /** The categories of the rotation this grant covers. */
  scope: number;
}

/**
 * How long before its end a grant no longer gets new keys (the rotation must be mined before it
 * ends, or the chain refuses the whole transaction).
 */
export const REWRAP_MARGIN_SECONDS = 600n;

/**
 * The grants among `grants` that get the new keys of `categories`: not revoked, not ending within
 * REWRAP_MARGIN_SECONDS of `now`, covering at least one rotated category, other than `excluding`
 * (the grant being revoked in the same transaction). One per (grantee, purpose).
 */
export function rewrapTargets(
  grants: readonly KnownGrant[],
  categories: readonly number[],
  now: bigint,
  excluding?: { grantee: string; purpose: number },
): RewrapTarget[] {
  const rotated = scopeOf(categories);
  const seen = new Set<string>();
  const targets: RewrapTarget[] = [];
  for (const grant of grants) {
    const key = `${grant.grantee.toLowerCase()}/${grant.purpose}`;
    if (seen.has(key)) continue;
    if (
      excluding &&
      excluding.grantee.toLowerCase() === grant.grantee.toLowerCase() &&
      excluding.purpose === grant.purpose
    ) {
      continue;
    }
    const covered = grant.scope & rotated;
    if (grant.revoked || covered === 0 || grant.expiresAt <= now + REWRAP_MARGIN_SECONDS) continue;
    seen.add(key);
    targets.push({ grantee: grant.grantee, purpose: grant.purpose, scope: covered });
  }
  return targets;
}

export interface KeyRotationArgs {
  patient: { secret: Uint8Array };
  /** The deployment and the patient id the re-wrapped envelopes are bound to (each to its grantee). */
  binding: KeyDomain & { patient: string };
  /** The categories to move to a new epoch. */
  categories: readonly number[];
  /** Their current epochs as read from RecordRegistry.categoryKey (the rotation expects these). */
  epochs: Readonly<Record<number, number>>;
  /** Who keeps reading, with its identity public key (CareRegistry.encryptionKey). */
  targets: readonly (RewrapTarget & { publicKey: Uint8Array })[];
}

export interface KeyRotationPlan {
  rotations: { category: number; expectedEpoch: number; publicKey: Uint8Array }[];
  rewraps: { grantee: `0x${string}`; purpose: number; keyEnvelopes: Uint8Array }[];
  /** The epoch each rotated category moves to. */
  nextEpochs: Record<number, number>;
}

/** Builds the rotations and the re-wrapped key envelopes for one transaction. */
export async function planKeyRotation(args: KeyRotationArgs): Promise<KeyRotationPlan> {
  const categories = categoriesInScope(scopeOf(args.categories));
  if (categories.length === 0) throw new RangeError("planKeyRotation: no category to rotate");
  const nextEpochs: Record<number, number> = {};
  const rotations = categories.map((category) => {
    const expectedEpoch = args.epochs[category];
    if (expectedEpoch === undefined || expectedEpoch < 1) {
      throw new RangeError(`planKeyRotation: category ${category} has no published key to rotate`);
    }
    nextEpochs[category] = expectedEpoch + 1;
    return {
      category,
      expectedEpoch,
      publicKey: deriveCategoryKey(args.patient, category, expectedEpoch + 1).publicKey,
    };
  });
  const rewraps = await Promise.all(
    args.targets.map(async (target) => ({
      grantee: target.grantee,
      purpose: target.purpose,
      keyEnvelopes: await grantKeyEnvelopes({
        patient: args.patient,
        granteePublicKey: target.publicKey,
        binding: { ...args.binding, grantee: target.grantee },
        scope: target.scope & scopeOf(categories),
        epochs: nextEpochs,
        includePastEpochs: false,
      }),
    })),
  );
  return { rotations, rewraps, nextEpochs };
}
