import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { hexlify } from "ethers";

import { categoriesInScope, fromHex, grantKeyEnvelopes, keyDomainOf } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import {
  TaskError,
  identityOf,
  parseAccess,
  parseAddress,
  parsePurpose,
  parseScope,
  purposeName,
  send,
  withContext,
} from "../lib/context.js";

/**
 * The patient grants consent: the scope's category keys (every epoch, so earlier records stay
 * readable) are wrapped by the SDK to the grantee's registered encryption key and published with
 * the grant; one envelope per category and epoch, whatever the number of records.
 */
export default async function grant(
  args: { grantee?: string; categories?: string; purpose: string; access: string; days: number; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const grantee = parseAddress(args.grantee, "--grantee");
  const scope = parseScope(args.categories);
  const purpose = parsePurpose(args.purpose);
  const access = parseAccess(args.access);
  if (!Number.isInteger(args.days) || args.days < 1)
    throw new TaskError(`--days ${args.days}: give a whole number of days, at least 1.`);
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(3);
    const granteeKey = await progress.step("Looking up the grantee's encryption key", async () => {
      const [key] = await ctx.registry.encryptionKey(grantee);
      if (BigInt(key) === 0n) {
        throw new TaskError(
          `${grantee} has no encryption key on this chain, so no key can be wrapped to it. ` +
            "They run `careledger:register --key-only` (providers, insurers) or `careledger:register` first.",
        );
      }
      return fromHex(key);
    });
    const envelopes = await progress.step("Wrapping the category keys to the grantee", async (note) => {
      const identity = await identityOf(ctx);
      const epochs: Record<number, number> = {};
      for (const category of categoriesInScope(scope)) {
        const [publicKey, epoch] = await ctx.records.categoryKey(ctx.patient, category);
        if (BigInt(publicKey) === 0n)
          throw new TaskError(`${ctx.patient} has no category keys: run \`careledger:register\` first.`);
        epochs[category] = Number(epoch);
      }
      const bytes = await grantKeyEnvelopes({
        patient: identity,
        granteePublicKey: granteeKey,
        binding: { ...keyDomainOf(ctx.deployment), patient: ctx.patient, grantee },
        scope,
        epochs,
      });
      note(`${bytes.length} bytes of key envelopes for categories ${categoriesInScope(scope).join(", ")}`);
      return bytes;
    });
    const now = Math.floor(Date.now() / 1000);
    const latest = Number((await ctx.signer.provider!.getBlock("latest"))!.timestamp);
    const start = Math.max(now, latest) - 60;
    const terms = {
      grantee,
      scope,
      purpose,
      access,
      notBefore: start,
      expiresAt: start + args.days * 86_400,
    };
    await progress.step(`Granting ${purposeName(purpose)} consent on chain`, () =>
      send(ctx, "grantConsent", () => ctx.consents.grantConsent(terms, hexlify(envelopes))),
    );
    ctx.log(
      `${grantee} may ${args.access} categories ${categoriesInScope(scope).join(", ")} for ${purposeName(purpose)} until ${new Date(terms.expiresAt * 1000).toISOString()}`,
    );
    return { grantee, scope, purpose, access, expiresAt: terms.expiresAt };
  });
}
