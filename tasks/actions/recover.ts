import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { TaskError, parseAddress, send, view, withContext } from "../lib/context.js";

interface RecoverArgs {
  action: string;
  patient?: string;
  newAddress?: string;
  from: string;
}

const when = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

/**
 * Account recovery of a patient (CareRegistry): a recovery guardian approves a new address, the
 * address speaking for the patient cancels, anyone completes after the delay (and brings
 * ConsentManager along in the next transaction), and anyone reads the state.
 */
export default async function recover(args: RecoverArgs, hre: HardhatRuntimeEnvironment) {
  switch (args.action) {
    case "status": {
      const patient = parseAddress(args.patient, "--patient");
      return withContext(hre, args.from, async (ctx) => {
        const r = await view(ctx, "recoveryOf", () => ctx.registry.recoveryOf(patient));
        const controller = (await view(ctx, "controllerOf", () => ctx.registry.controllerOf(patient))) as string;
        const threshold = Number(r.threshold);
        ctx.log(
          threshold === 0
            ? `${patient}: account recovery is off`
            : `${patient}: ${threshold} recovery guardians must approve the same new address (round ${r.round})`,
        );
        if (controller.toLowerCase() !== patient.toLowerCase()) ctx.log(`  speaks through ${controller} (moved)`);
        const scheduledTo = r.scheduledTo as string;
        const scheduled = BigInt(scheduledTo) !== 0n;
        if (scheduled) ctx.log(`  move to ${scheduledTo} approved; it can complete from ${when(r.readyAt)}`);
        let approvals: bigint | undefined;
        if (args.newAddress) {
          const to = parseAddress(args.newAddress, "--new-address");
          approvals = (await view(ctx, "recoveryApprovals", () =>
            ctx.registry.recoveryApprovals(patient, to),
          )) as bigint;
          ctx.log(`  ${approvals} of ${threshold} approvals for ${to}`);
        }
        return {
          threshold,
          round: r.round as bigint,
          scheduledTo: scheduled ? scheduledTo : undefined,
          readyAt: r.readyAt as bigint,
          controller,
          approvals,
        };
      });
    }
    case "approve": {
      const patient = parseAddress(args.patient, "--patient");
      const to = parseAddress(args.newAddress, "--new-address");
      return withContext(hre, args.from, async (ctx) => {
        await send(ctx, "approveRecovery", () => ctx.registry.approveRecovery(patient, to, "0x"));
        const r = await ctx.registry.recoveryOf(patient);
        const scheduled = BigInt(r.scheduledTo as string) !== 0n;
        ctx.log(
          scheduled
            ? `approved: the move of ${patient} to ${to} can complete from ${when(r.readyAt)} unless the patient cancels`
            : `approved: ${await ctx.registry.recoveryApprovals(patient, to)} of ${r.threshold} guardians so far`,
        );
        ctx.log(
          "  (releasing your key share for the patient's new device is done in the dApp or with the SDK's rewrapGuardianShare)",
        );
        return { scheduled, readyAt: r.readyAt as bigint };
      });
    }
    case "cancel":
      return withContext(hre, args.from, async (ctx) => {
        await send(ctx, "cancelRecovery", () => ctx.registry.cancelRecovery());
        ctx.log("every pending approval and any scheduled move of your account is cancelled");
        return {};
      });
    case "complete": {
      const patient = parseAddress(args.patient, "--patient");
      return withContext(hre, args.from, async (ctx) => {
        await send(ctx, "completeRecovery", () => ctx.registry.completeRecovery(patient));
        // ConsentManager mirrors the move; until this is sent the old address still speaks there.
        await send(ctx, "syncAccount", () => ctx.consents.syncAccount(patient));
        const controller = (await ctx.registry.controllerOf(patient)) as string;
        ctx.log(`${patient} now answers to ${controller}; the old address is refused`);
        return { controller };
      });
    }
    default:
      throw new TaskError(`Unknown action "${args.action}": use status, approve, cancel or complete.`);
  }
}
