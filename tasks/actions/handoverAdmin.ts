import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { CREDENTIAL_ADMIN_ROLE } from "@careledger/sdk";

import { READ_ONLY, TaskError, parseAddress, send, withContext, type CareContext } from "../lib/context.js";

/**
 * Hands the credentialing authority (CareRegistry's default admin) to a multisig or timelock,
 * the two-step, delayed transfer of AccessControlDefaultAdminRules:
 *   begin  (current admin) → wait ADMIN_TRANSFER_DELAY (1 day) → accept (new admin),
 * then the new admin grants itself CREDENTIAL_ADMIN_ROLE and revokes it from the old admin (accept
 * does all three; --calldata prints the transactions for a multisig to propose instead).
 */
export default async function handoverAdmin(
  args: { action: string; to?: string; calldata: boolean; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  if (!["status", "begin", "accept", "cancel"].includes(args.action)) {
    throw new TaskError(`Unknown action "${args.action}": use status, begin, accept or cancel.`);
  }
  const to = args.action === "begin" ? parseAddress(args.to, "--to") : undefined;
  // Status and --calldata only read the chain: nothing is signed, whoever runs them for a multisig.
  const readOnly = args.action === "status" || args.calldata;
  return withContext(hre, readOnly ? READ_ONLY : args.from, async (ctx) => {
    const registry = ctx.registry;
    const target = ctx.deployment.contracts.CareRegistry.address;
    const proposeOrSend = async (what: string, method: string, params: unknown[]) => {
      if (args.calldata) {
        const data = registry.interface.encodeFunctionData(method, params);
        ctx.log(`${what}: to ${target} value 0 data ${data}`);
        return;
      }
      await send(ctx, what, () => registry[method](...params));
    };

    if (args.action === "begin") {
      if (!args.calldata && (await registry.defaultAdmin()) !== ctx.address) {
        throw new TaskError(
          `${ctx.address} is not the current admin (${await registry.defaultAdmin()}); run begin --from the admin.`,
        );
      }
      await proposeOrSend("beginDefaultAdminTransfer", "beginDefaultAdminTransfer", [to]);
    } else if (args.action === "accept") {
      const [pending, schedule] = await registry.pendingDefaultAdmin();
      if (!args.calldata && pending !== ctx.address) {
        throw new TaskError(
          `${ctx.address} is not the pending admin (${pending}); run accept --from the new admin, or use --calldata for a multisig.`,
        );
      }
      const now = Number((await ctx.signer.provider!.getBlock("latest"))!.timestamp);
      if (!args.calldata && Number(schedule) > now) {
        throw new TaskError(
          `The transfer delay runs until ${new Date(Number(schedule) * 1000).toISOString()}; accept after that.`,
        );
      }
      const previous: string = await registry.defaultAdmin();
      const newAdmin: string = args.calldata ? pending : ctx.address;
      await proposeOrSend("acceptDefaultAdminTransfer", "acceptDefaultAdminTransfer", []);
      await proposeOrSend("grantRole(CREDENTIAL_ADMIN_ROLE, new admin)", "grantRole", [
        CREDENTIAL_ADMIN_ROLE,
        newAdmin,
      ]);
      if (await registry.hasRole(CREDENTIAL_ADMIN_ROLE, previous)) {
        await proposeOrSend("revokeRole(CREDENTIAL_ADMIN_ROLE, old admin)", "revokeRole", [
          CREDENTIAL_ADMIN_ROLE,
          previous,
        ]);
      }
    } else if (args.action === "cancel") {
      await proposeOrSend("cancelDefaultAdminTransfer", "cancelDefaultAdminTransfer", []);
    }
    return status(ctx);
  });
}

async function status(ctx: CareContext) {
  const admin: string = await ctx.registry.defaultAdmin();
  const [pending, schedule] = await ctx.registry.pendingDefaultAdmin();
  const delay = Number(await ctx.registry.defaultAdminDelay());
  ctx.log(`admin:   ${admin}`);
  ctx.log(
    `pending: ${BigInt(pending) === 0n ? "none" : `${pending}, acceptable from ${new Date(Number(schedule) * 1000).toISOString()}`}`,
  );
  ctx.log(`delay:   ${delay / 3600} h`);
  const credentialAdmin: boolean = await ctx.registry.hasRole(CREDENTIAL_ADMIN_ROLE, admin);
  ctx.log(`admin holds CREDENTIAL_ADMIN_ROLE: ${credentialAdmin ? "yes" : "no"}`);
  return { admin, pending: pending as string, schedule: Number(schedule) };
}
