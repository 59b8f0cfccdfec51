import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { hexlify } from "ethers";

import { CATEGORIES, deriveCategoryKey, toHex } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { TaskError, identityOf, send, withContext } from "../lib/context.js";

/**
 * Registers the signer's identity key: the one in its encrypted key file, or, when it has none, a
 * new random key written to a new file (CARELEDGER_KEY_DIR, CARELEDGER_KEY_PASSPHRASE) before
 * anything is sent. Then registers its public half and publishes the patient's category keys so
 * providers can encrypt records to them. --key-only publishes the key for non-patients.
 */
export default async function register(args: { from: string; keyOnly: boolean }, hre: HardhatRuntimeEnvironment) {
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(args.keyOnly ? 2 : 3);
    ctx.log(`${ctx.address} on ${ctx.networkName} (chain ${ctx.chainId})`);
    const identity = await progress.step("Opening (or creating) the identity key file", async (note) => {
      const key = await identityOf(ctx, { create: true });
      note(`public key ${toHex(key.publicKey)}`);
      return key;
    });
    const publicKey = toHex(identity.publicKey);

    if (args.keyOnly) {
      await progress.step("Publishing the encryption key", async () => {
        const [current] = await ctx.registry.encryptionKey(ctx.address);
        if (current.toLowerCase() === publicKey.toLowerCase()) return ctx.log("  already published");
        await send(ctx, "setEncryptionKey", () => ctx.registry.setEncryptionKey(publicKey));
      });
      return { address: ctx.address, publicKey };
    }

    await progress.step("Registering as a patient", async () => {
      if (await ctx.registry.isPatient(ctx.address)) {
        throw new TaskError(`${ctx.address} is already registered as a patient; nothing to do.`);
      }
      await send(ctx, "registerPatient", () => ctx.registry.registerPatient(publicKey));
    });
    await progress.step(`Publishing the ${CATEGORIES.length} category keys`, async () => {
      // The first publication sets every category to epoch 1.
      const keys = CATEGORIES.map((c) => hexlify(deriveCategoryKey(identity, c.id, 1).publicKey));
      await send(ctx, "publishCategoryKeys", () =>
        ctx.records.publishCategoryKeys(
          CATEGORIES.map((c) => c.id),
          keys,
        ),
      );
    });
    return { address: ctx.address, publicKey };
  });
}
