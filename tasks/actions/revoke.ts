import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { categoriesInScope } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { TaskError, parseAddress, parsePurpose, purposeName, send, withContext } from "../lib/context.js";
import { buildRotation } from "../lib/rotation.js";

/**
 * The patient revokes a grant and, in the same transaction, moves the categories it covered to new
 * keys wrapped to every grantee that keeps a live grant on them: records written afterwards are
 * encrypted to keys the former grantee never received, and nobody else is cut off. With
 * --keep-keys the revocation goes alone and those categories refuse new records until
 * `careledger:renew-keys`. What the grantee already decrypted cannot be taken back.
 */
export default async function revoke(
  args: { grantee?: string; purpose: string; keepKeys: boolean; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const grantee = parseAddress(args.grantee, "--grantee");
  const purpose = parsePurpose(args.purpose);
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(args.keepKeys ? 1 : 2);
    const existing = await ctx.consents.consentOf(ctx.patient, grantee, purpose);
    if (Number(existing.grantedAt) === 0) {
      throw new TaskError(
        `${ctx.patient} never granted ${grantee} consent for ${purposeName(purpose)}; check --grantee and --purpose.`,
      );
    }
    const categories = categoriesInScope(Number(existing.scope));
    if (args.keepKeys) {
      await progress.step(`Revoking the ${purposeName(purpose)} grant of ${grantee} (keys kept)`, () =>
        send(ctx, "revokeConsent", () => ctx.consents.revokeConsent(grantee, purpose)),
      );
      ctx.log(`Categories ${categories.join(", ")} now refuse new records until you run \`careledger:renew-keys\`.`);
      return { grantee, purpose, rotated: [] as number[], rewrappedTo: [] as string[] };
    }
    const built = await progress.step(
      "Building the new category keys for the grantees who keep reading",
      async (note) => {
        const result = await buildRotation(ctx, categories, { grantee, purpose });
        note(
          `categories ${result.plan.rotations.map((r) => r.category).join(", ")}; new keys for ${result.rewraps.length} grant(s)` +
            (result.skipped.length
              ? `; no encryption key on chain for ${result.skipped.join(", ")} (they will not read new records)`
              : ""),
        );
        return result;
      },
    );
    await progress.step(
      `Revoking the ${purposeName(purpose)} grant of ${grantee} and rotating its keys (one transaction)`,
      () =>
        send(ctx, "revokeAndRotate", () =>
          ctx.consents.revokeAndRotate(grantee, purpose, built.rotations, built.rewraps),
        ),
    );
    ctx.log(
      "What the grantee already decrypted cannot be taken back; revocation protects what is written from now on.",
    );
    return {
      grantee,
      purpose,
      rotated: built.plan.rotations.map((r) => r.category),
      rewrappedTo: built.plan.rewraps.map((r) => r.grantee),
    };
  });
}
