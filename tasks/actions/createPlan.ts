import { readFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  TaskError,
  eventsNamed,
  formatAmount,
  parseAmount,
  send,
  withContext,
  type CareContext,
} from "../lib/context.js";

const DAY = 86_400;

/** Plan defaults of the network (ignition/parameters/<network>.json, "CareLedgerPlans"); read by this task only. */
async function planDefaults(
  ctx: CareContext,
): Promise<{ reviewWindowDays: number; appealWindowDays: number; filingWindowDays: number }> {
  const file = path.join(ctx.hre.config.paths.root, "ignition", "parameters", `${ctx.networkName}.json`);
  let fromFile: { reviewWindowDays?: number; appealWindowDays?: number; filingWindowDays?: number } = {};
  try {
    fromFile =
      (JSON.parse(await readFile(file, "utf8")) as { CareLedgerPlans?: typeof fromFile }).CareLedgerPlans ?? {};
  } catch {
    /* no parameters for this network: built-in defaults */
  }
  return {
    reviewWindowDays: fromFile.reviewWindowDays ?? 14,
    appealWindowDays: fromFile.appealWindowDays ?? 30,
    filingWindowDays: fromFile.filingWindowDays ?? 90,
  };
}

function parseDays(value: string | undefined, fallback: number, option: string): number {
  const days = value === undefined || value === "" ? fallback : Number(value);
  if (!Number.isFinite(days) || days <= 0)
    throw new TaskError(`${option} "${value}" must be a number of days above zero.`);
  return Math.round(days * DAY);
}

/** A credentialed insurer creates a plan; prints its id. */
export default async function createPlan(
  args: {
    share: string;
    deductible: string;
    annualLimit: string;
    autoApprove: string;
    preAuthClasses?: string;
    reviewWindow?: string;
    appealWindow?: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  const share = Number(args.share);
  if (!Number.isFinite(share) || share < 0 || share > 100) {
    throw new TaskError(`--share "${args.share}" must be a percentage from 0 to 100.`);
  }
  let preAuthClasses = 0;
  for (const c of (args.preAuthClasses ?? "").split(",").filter(Boolean)) {
    const n = Number(c);
    if (!Number.isInteger(n) || n < 0 || n > 15)
      throw new TaskError(`--pre-auth-classes "${c}": service classes are 0..15.`);
    preAuthClasses |= 1 << n;
  }
  return withContext(hre, args.from, async (ctx) => {
    const defaults = await planDefaults(ctx);
    const terms = {
      coverageBps: Math.round(share * 100),
      preAuthClasses,
      deductible: await parseAmount(ctx, args.deductible, "--deductible"),
      annualLimit: await parseAmount(ctx, args.annualLimit, "--annual-limit"),
      autoApproveThreshold: await parseAmount(ctx, args.autoApprove, "--auto-approve"),
      reviewWindow: parseDays(args.reviewWindow, defaults.reviewWindowDays, "--review-window"),
      appealWindow: parseDays(args.appealWindow, defaults.appealWindowDays, "--appeal-window"),
      filingWindow: defaults.filingWindowDays * DAY,
      autoApproveAnnualCap: 0n,
    };
    // Automatic approvals per member and plan year: four claims at the threshold; past that the insurer
    // reviews (split or repeated bills cannot bypass review).
    terms.autoApproveAnnualCap = terms.autoApproveThreshold * 4n;
    const { logs } = await send(ctx, "createPlan", () => ctx.claims.createPlan(terms));
    const planId = eventsNamed(ctx, logs, "PlanCreated")[0]!.planId as bigint;
    ctx.log(
      `plan ${planId}: ${share} % after a deductible of ${await formatAmount(ctx, terms.deductible)}, ` +
        `annual limit ${await formatAmount(ctx, terms.annualLimit)}, review ${terms.reviewWindow / DAY} d, appeal ${terms.appealWindow / DAY} d`,
    );
    return { planId };
  });
}
