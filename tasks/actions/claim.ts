import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { claimIdHex, evidenceOrder, fromHex, saltedCommitment, sealDenialReason } from "@careledger/sdk";

import {
  TaskError,
  eventsNamed,
  formatAmount,
  parseAmount,
  parseId,
  parseIds,
  required,
  send,
  withContext,
} from "../lib/context.js";

const STATUS = ["none", "pending", "approved", "denied", "appealed", "closed"];

/**
 * Provider submits a claim (commitments and amounts only); the insurer approves or denies it. A claim's
 * id is derived from the provider and the encounter commitment (SDK `claimIdOf`), printed as 0x hex for
 * `--claim-id`.
 */
export default async function claim(
  args: {
    action: string;
    coverageId?: string;
    evidence?: string;
    billed?: string;
    serviceClass: number;
    encounter?: string;
    preAuth: string;
    claimId?: string;
    allowed?: string;
    reason: number;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  if (args.action === "submit") {
    const coverageId = parseId(args.coverageId, "--coverage-id");
    // ClaimsSettlement takes each record once, in ascending id order.
    const evidence = evidenceOrder(parseIds(args.evidence, "--evidence"));
    const encounter = required(args.encounter, "--encounter", "Encounter/123");
    required(args.billed, "--billed", "120.50");
    if (!Number.isInteger(args.serviceClass) || args.serviceClass < 0 || args.serviceClass > 15) {
      throw new TaskError(`--service-class ${args.serviceClass}: the plan's service classes are 0..15.`);
    }
    return withContext(hre, args.from, async (ctx) => {
      const latest = await ctx.signer.provider!.getBlock("latest");
      // Guessable text (the encounter id, what the claim covers) goes on chain only as a commitment
      // salted with 256 random bits; the salts are printed for the provider to keep.
      const scope = { chainId: ctx.chainId, contract: ctx.deployment.contracts.ClaimsSettlement.address };
      const encounterCommitment = saltedCommitment({ ...scope, purpose: "encounter" }, encounter);
      const claimCommitment = saltedCommitment(
        { ...scope, purpose: "claim" },
        `${encounter}:${coverageId}:${evidence.join(",")}`,
      );
      const request = {
        coverageId,
        serviceClass: args.serviceClass,
        serviceDate: Number(latest!.timestamp) - 60,
        billed: await parseAmount(ctx, args.billed, "--billed"),
        encounterCommitment: encounterCommitment.commitment,
        claimCommitment: claimCommitment.commitment,
        evidence,
        preAuthId: parseId(args.preAuth || "0", "--pre-auth"),
      };
      const { logs } = await send(ctx, "submitClaim", () => ctx.claims.submitClaim(request));
      const claimId = eventsNamed(ctx, logs, "ClaimSubmitted")[0]!.claimId as bigint;
      ctx.log(
        `keep these salts to open the commitments later: encounter ${encounterCommitment.salt}, claim ${claimCommitment.salt}`,
      );
      const stored = await ctx.claims.getClaim(claimId);
      ctx.log(
        `claim ${claimIdHex(claimId)}: ${STATUS[Number(stored.status)]}${Number(stored.status) === 2 ? ` (paid ${await formatAmount(ctx, stored.payerAmount)})` : ""}`,
      );
      return { claimId, status: STATUS[Number(stored.status)] };
    });
  }
  if (args.action === "approve" || args.action === "deny") {
    const claimId = parseId(args.claimId, "--claim-id");
    return withContext(hre, args.from, async (ctx) => {
      if (args.action === "approve") {
        const current = await ctx.claims.getClaim(claimId);
        const allowed = args.allowed ? await parseAmount(ctx, args.allowed, "--allowed") : (current.billed as bigint);
        await send(ctx, "approveClaim", () => ctx.claims.approveClaim(claimId, allowed));
      } else {
        if (!Number.isInteger(args.reason) || args.reason <= 0 || args.reason > 0xffff) {
          throw new TaskError("--reason is required for a denial: a code from 1 to 65535 (e.g. an X12 CARC number).");
        }
        // The reason goes on chain sealed to the patient, the provider and this insurer, never in clear.
        const claim = await ctx.claims.getClaim(claimId);
        const patient = (await ctx.claims.getCoverage(claim.coverageId)).patient as string;
        const registry = ctx.deployment.contracts.CareRegistry.address;
        const recipients = await Promise.all(
          [patient, claim.provider as string, ctx.address].map(async (account) => ({
            account,
            publicKey: fromHex(((await ctx.registry.encryptionKey(account)) as [string, bigint])[0]),
          })),
        );
        const sealedReason = await sealDenialReason(args.reason, recipients, {
          chainId: ctx.chainId,
          registry,
          settlement: ctx.deployment.contracts.ClaimsSettlement.address,
          kind: "claim",
          id: claimId,
          patient,
        });
        await send(ctx, "denyClaim", () => ctx.claims.denyClaim(claimId, sealedReason));
      }
      const stored = await ctx.claims.getClaim(claimId);
      ctx.log(
        `claim ${claimIdHex(claimId)}: ${STATUS[Number(stored.status)]}; payer ${await formatAmount(ctx, stored.payerAmount)}, ` +
          `patient share ${await formatAmount(ctx, (stored.allowed as bigint) - (stored.payerAmount as bigint))}`,
      );
      return { claimId, status: STATUS[Number(stored.status)], payerAmount: stored.payerAmount as bigint };
    });
  }
  throw new TaskError(`Unknown action "${args.action}": use submit, approve or deny.`);
}
