import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TaskError, eventsNamed, parseAddress, parseId, send, withContext } from "../lib/context.js";

/** The insurer offers a patient coverage under a plan; the patient (or a guardian) accepts it. */
export default async function coverage(
  args: { action: string; patient?: string; plan?: string; days: number; coverageId?: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  if (args.action === "offer") {
    const patient = parseAddress(args.patient, "--patient");
    const planId = parseId(args.plan, "--plan");
    if (!Number.isInteger(args.days) || args.days < 1) throw new TaskError(`--days ${args.days}: at least 1.`);
    return withContext(hre, args.from, async (ctx) => {
      const latest = await ctx.signer.provider!.getBlock("latest");
      const start = Number(latest!.timestamp) - 86_400; // services of the last day are covered too
      const { logs } = await send(ctx, "offerCoverage", () =>
        ctx.claims.offerCoverage(patient, planId, start, start + 86_400 + args.days * 86_400),
      );
      const coverageId = eventsNamed(ctx, logs, "CoverageOffered")[0]!.coverageId as bigint;
      ctx.log(
        `coverage ${coverageId} offered to ${patient}; the patient accepts it with \`careledger:coverage accept --coverage-id ${coverageId}\``,
      );
      return { coverageId };
    });
  }
  if (args.action === "accept") {
    const coverageId = parseId(args.coverageId, "--coverage-id");
    return withContext(hre, args.from, async (ctx) => {
      await send(ctx, "acceptCoverage", () => ctx.claims.acceptCoverage(coverageId));
      ctx.log(`coverage ${coverageId} accepted`);
      return { coverageId };
    });
  }
  throw new TaskError(`Unknown action "${args.action}": use offer or accept.`);
}
