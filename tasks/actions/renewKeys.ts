import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { categoriesInScope } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { send, withContext } from "../lib/context.js";
import { buildRotation } from "../lib/rotation.js";

/**
 * The patient renews, in one transaction, every category that needs new keys (a guardian's or a
 * signed revocation, a revocation with --keep-keys, an ended grant or emergency access): new keys
 * wrapped to every grantee that keeps a live grant on them. Writes to those categories work again.
 */
export default async function renewKeys(args: { from: string }, hre: HardhatRuntimeEnvironment) {
  return withContext(hre, args.from, async (ctx) => {
    const pending = categoriesInScope(Number(await ctx.records.categoriesNeedingKeys(ctx.patient)));
    if (pending.length === 0) {
      ctx.log("No category needs new keys.");
      return { renewed: [] as number[], rewrappedTo: [] as string[] };
    }
    const progress = new Progress(2);
    const built = await progress.step(`Building new keys for categories ${pending.join(", ")}`, async (note) => {
      const result = await buildRotation(ctx, pending);
      note(`new keys for ${result.rewraps.length} grant(s)`);
      return result;
    });
    await progress.step("Renewing them (one transaction)", () =>
      send(ctx, "rotateCategoryKeys", () => ctx.consents.rotateCategoryKeys(built.rotations, built.rewraps)),
    );
    return { renewed: pending, rewrappedTo: built.plan.rewraps.map((r) => r.grantee) };
  });
}
