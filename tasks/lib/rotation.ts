import {
  fromHex,
  keyDomainOf,
  planKeyRotation,
  rewrapTargets,
  type KnownGrant,
  type KeyRotationPlan,
} from "@careledger/sdk";
import { hexlify, zeroPadValue } from "ethers";

import { TaskError, identityOf, type CareContext } from "./context.js";
import { logsSince } from "./records.js";

/** The patient's grants as the chain holds them now: ConsentGranted logs (in bounded ranges), then consentOf per (grantee, purpose). */
export async function grantsOf(ctx: CareContext): Promise<KnownGrant[]> {
  const event = ctx.consents.interface.getEvent("ConsentGranted")!;
  const topics = [event.topicHash, zeroPadValue(ctx.patient, 32)];
  const seen = new Map<string, KnownGrant>();
  for await (const log of logsSince(ctx, ctx.deployment.contracts.ConsentManager.address, topics)) {
    const { args } = ctx.consents.interface.parseLog({ topics: [...log.topics], data: log.data })!;
    const key = `${args.grantee.toLowerCase()}/${Number(args.purpose)}`;
    if (seen.has(key)) continue;
    const grant = await ctx.consents.consentOf(ctx.patient, args.grantee, args.purpose);
    seen.set(key, {
      grantee: args.grantee as `0x${string}`,
      purpose: Number(args.purpose),
      scope: Number(grant.scope),
      expiresAt: BigInt(grant.expiresAt),
      revoked: Boolean(grant.revoked),
    });
  }
  return [...seen.values()];
}

/**
 * The rotation of `categories` with their new keys wrapped to every grantee that keeps a live grant
 * on them (other than `excluding`, being revoked in the same transaction), as contract arguments.
 */
export async function buildRotation(
  ctx: CareContext,
  categories: number[],
  excluding?: { grantee: string; purpose: number },
): Promise<{ plan: KeyRotationPlan; rotations: unknown[]; rewraps: unknown[]; skipped: string[] }> {
  const now = BigInt((await ctx.signer.provider!.getBlock("latest"))!.timestamp);
  const epochs: Record<number, number> = {};
  const published: number[] = [];
  for (const category of categories) {
    const [, epoch] = await ctx.records.categoryKey(ctx.patient, category);
    if (Number(epoch) > 0) {
      epochs[category] = Number(epoch);
      published.push(category);
    }
  }
  if (published.length === 0)
    throw new TaskError(`${ctx.patient} has no published key for categories ${categories.join(", ")}.`);
  const skipped: string[] = [];
  const targets = [];
  for (const target of rewrapTargets(await grantsOf(ctx), published, now, excluding)) {
    const [key] = await ctx.registry.encryptionKey(target.grantee);
    if (BigInt(key) === 0n) {
      skipped.push(target.grantee);
      continue;
    }
    targets.push({ ...target, publicKey: fromHex(key) });
  }
  const plan = await planKeyRotation({
    patient: await identityOf(ctx),
    binding: { ...keyDomainOf(ctx.deployment), patient: ctx.patient },
    categories: published,
    epochs,
    targets,
  });
  return {
    plan,
    rotations: plan.rotations.map((r) => ({ ...r, publicKey: hexlify(r.publicKey) })),
    rewraps: plan.rewraps.map((r) => ({ ...r, keyEnvelopes: hexlify(r.keyEnvelopes) })),
    skipped,
  };
}
