import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { hexlify } from "ethers";

import { categoriesInScope, deriveCategoryKey } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { TaskError, identityOf, parseAddress, parsePurpose, purposeName, send, withContext } from "../lib/context.js";

/**
 * The patient revokes a grant, then rotates the keys of the categories it covered (the epoch goes
 * up), so records written afterwards are wrapped to keys the former grantee never received.
 * What the grantee already decrypted cannot be taken back.
 */
export default async function revoke(
  args: { grantee?: string; purpose: string; keepKeys: boolean; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const grantee = parseAddress(args.grantee, "--grantee");
  const purpose = parsePurpose(args.purpose);
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(args.keepKeys ? 1 : 2);
    const existing = await ctx.consents.consentOf(ctx.address, grantee, purpose);
    if (Number(existing.grantedAt) === 0) {
      throw new TaskError(
        `${ctx.address} never granted ${grantee} consent for ${purposeName(purpose)}; check --grantee and --purpose.`,
      );
    }
    await progress.step(`Revoking the ${purposeName(purpose)} grant of ${grantee}`, () =>
      send(ctx, "revokeConsent", () => ctx.consents.revokeConsent(grantee, purpose)),
    );
    const rotated: number[] = [];
    if (!args.keepKeys) {
      await progress.step("Rotating the affected category keys", async (note) => {
        const identity = await identityOf(ctx);
        for (const category of categoriesInScope(Number(existing.scope))) {
          const [, epoch] = await ctx.records.categoryKey(ctx.address, category);
          const next = deriveCategoryKey(identity, category, Number(epoch) + 1);
          await send(ctx, `rotateCategoryKey(${category})`, () =>
            ctx.records.rotateCategoryKey(category, hexlify(next.publicKey)),
          );
          rotated.push(category);
        }
        note(`categories ${rotated.join(", ")} now at a new epoch; grant other readers again to share new records`);
      });
    }
    ctx.log(
      "What the grantee already decrypted cannot be taken back; revocation protects what is written from now on.",
    );
    return { grantee, purpose, rotated };
  });
}
