"use client";

import { CATEGORY_COUNT } from "@careledger/sdk/protocol/constants";
import { toHex, type Address, type Hex } from "viem";
import type { Config } from "wagmi";
import { getBlock, readContract } from "wagmi/actions";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import type { GrantRow } from "./useGrants";

export type RotationArgs = {
  rotations: { category: number; expectedEpoch: number; publicKey: Hex }[];
  rewraps: { grantee: Address; purpose: number; keyEnvelopes: Hex }[];
  /** Who keeps reading the rotated categories (their new keys are in `rewraps`). */
  keptReaders: Address[];
  /** Grantees that keep a grant but published no encryption key: they cannot read later records. */
  withoutKey: Address[];
};

/**
 * The arguments of revokeAndRotate / rotateCategoryKeys for `categories` of `patient`: the epochs are
 * read afresh from the chain (the rotation states them, so a stale page reverts instead of publishing
 * an old key) and the new keys are wrapped, with the SDK, to every grantee that keeps a live grant on
 * them, other than `excluding` (the grant being revoked in the same transaction).
 */
export async function buildRotation(
  config: Config,
  chainId: number,
  args: {
    patient: Address;
    identity: { secret: Uint8Array };
    categories: readonly number[];
    grants: readonly GrantRow[];
    excluding?: { grantee: Address; purpose: number };
  },
): Promise<RotationArgs> {
  const records = getContract("RecordRegistry", chainId)!;
  const registry = getContract("CareRegistry", chainId)!;
  const [{ planKeyRotation, rewrapTargets }, { fromHex }] = await Promise.all([
    import("@careledger/sdk/crypto/rotation"),
    import("@careledger/sdk/bytes"),
  ]);
  const epochs: Record<number, number> = {};
  const published: number[] = [];
  await Promise.all(
    args.categories
      .filter((c) => c < CATEGORY_COUNT)
      .map(async (category) => {
        const [, epoch] = await readContract(config, {
          chainId,
          address: records.address,
          abi: records.abi,
          functionName: "categoryKey",
          args: [args.patient, category],
        });
        if (Number(epoch) > 0) {
          epochs[category] = Number(epoch);
          published.push(category);
        }
      }),
  );
  if (published.length === 0) return { rotations: [], rewraps: [], keptReaders: [], withoutKey: [] };
  // The chain's clock decides which grants have ended, not this device's.
  const { timestamp } = await getBlock(config, { chainId });
  const targets = rewrapTargets(args.grants, published, timestamp, args.excluding);
  const withoutKey: Address[] = [];
  const keyed = (
    await Promise.all(
      targets.map(async (target) => {
        const [key] = await readContract(config, {
          chainId,
          address: registry.address,
          abi: registry.abi,
          functionName: "encryptionKey",
          args: [target.grantee],
        });
        if (BigInt(key) === 0n) {
          withoutKey.push(target.grantee);
          return undefined;
        }
        return { ...target, publicKey: fromHex(key) };
      }),
    )
  ).filter((t) => t !== undefined);
  const domain = getKeyDomain(chainId);
  if (!domain) throw new Error("CareLedger is not deployed on this network.");
  const plan = await planKeyRotation({
    patient: args.identity,
    binding: { ...domain, patient: args.patient },
    categories: published,
    epochs,
    targets: keyed,
  });
  return {
    rotations: plan.rotations.map((r) => ({ ...r, publicKey: toHex(r.publicKey) })),
    rewraps: plan.rewraps.map((r) => ({ ...r, keyEnvelopes: toHex(r.keyEnvelopes) })),
    keptReaders: [...new Set(plan.rewraps.map((r) => r.grantee))],
    withoutKey,
  };
}
