import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { Progress } from "../../scripts/lib/progress.js";
import { TaskError, formatAmount, parseAmount, required, send, withContext } from "../lib/context.js";

/** A credentialed insurer approves the stablecoin and moves `amount` into its claims pool. */
export default async function fundPool(
  args: { amount?: string; faucet: boolean; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  required(args.amount, "--amount", "5000");
  return withContext(hre, args.from, async (ctx) => {
    const amount = await parseAmount(ctx, args.amount, "--amount");
    if (amount === 0n) throw new TaskError("--amount must be above zero.");
    const progress = new Progress(args.faucet ? 3 : 2);
    if (args.faucet) {
      await progress.step("Drawing from the mock stablecoin's faucet", () =>
        send(ctx, "faucet", () => ctx.stablecoin.faucet()),
      );
    }
    await progress.step("Approving the claims contract", async () => {
      const balance: bigint = await ctx.stablecoin.balanceOf(ctx.address);
      if (balance < amount) {
        throw new TaskError(
          `${ctx.address} holds ${await formatAmount(ctx, balance)} of the stablecoin, ${args.amount} needed. ` +
            "Get tokens first (local and test networks: add --faucet).",
        );
      }
      await send(ctx, "approve", () =>
        ctx.stablecoin.approve(ctx.deployment.contracts.ClaimsSettlement.address, amount),
      );
    });
    await progress.step("Funding the pool", () => send(ctx, "fundPool", () => ctx.claims.fundPool(amount)));
    const pool = await ctx.claims.getPool(ctx.address);
    ctx.log(
      `pool of ${ctx.address}: ${await formatAmount(ctx, pool.balance)} (reserved ${await formatAmount(ctx, pool.reserved)})`,
    );
    return { balance: pool.balance as bigint, reserved: pool.reserved as bigint };
  });
}
