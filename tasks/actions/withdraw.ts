import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TaskError, formatAmount, parseAddress, parseAmount, send, withContext } from "../lib/context.js";

/** A provider pulls its payouts from an insurer's pool; an insurer takes unreserved funds out of its pool. */
export default async function withdraw(
  args: { insurer?: string; pool?: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  if (!args.insurer && !args.pool) {
    throw new TaskError(
      "Say what to withdraw: --insurer <address> (provider payouts) or --pool <amount> (insurer's own pool).",
    );
  }
  const insurer = args.insurer ? parseAddress(args.insurer, "--insurer") : undefined;
  return withContext(hre, args.from, async (ctx) => {
    if (insurer) {
      const credit: bigint = await ctx.claims.creditOf(ctx.address, insurer);
      if (credit === 0n) throw new TaskError(`Nothing is owed to ${ctx.address} from the pool of ${insurer}.`);
      await send(ctx, "withdraw", () => ctx.claims.withdraw(insurer));
      ctx.log(`withdrew ${await formatAmount(ctx, credit)} from the pool of ${insurer}`);
      return { amount: credit };
    }
    const amount = await parseAmount(ctx, args.pool, "--pool");
    await send(ctx, "withdrawPool", () => ctx.claims.withdrawPool(amount, ctx.address));
    ctx.log(`withdrew ${args.pool} from your pool`);
    return { amount };
  });
}
