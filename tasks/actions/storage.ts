import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatRepairReport, verifyAndRepair } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { READ_ONLY, TaskError, withContext } from "../lib/context.js";
import { closeStores, openStores, recordPointers } from "../lib/records.js";

/**
 * Walks every RecordAdded pointer of the deployment and has the SDK check each store's copy
 * against the on-chain commitment; with --repair it re-pins missing or corrupt copies from a
 * healthy one. Fails (exit code 1) when a record has no intact copy anywhere.
 */
export default async function storage(
  args: { repair: boolean; ipfsApi: string; embedded?: string },
  hre: HardhatRuntimeEnvironment,
) {
  return withContext(hre, READ_ONLY, async (ctx) => {
    const stores = await openStores(args.ipfsApi, args.embedded);
    try {
      const progress = new Progress(1);
      const report = await progress.step(
        `${args.repair ? "Verifying and repairing" : "Verifying"} every record on ${stores.map((s) => s.name).join(", ")}`,
        (note) =>
          verifyAndRepair({
            pointers: recordPointers(ctx, {
              onRange: (from, to, head) => note(`blocks ${from}..${to} of ${head}`),
            }),
            stores,
            dryRun: !args.repair,
            onProgress: (p) => {
              const states = Object.entries(p.states)
                .map(([store, state]) => `${store}=${state}`)
                .join(" ");
              note(
                `#${p.done} record ${p.recordId} ${states}${p.repaired.length ? ` repaired on ${p.repaired.join(", ")}` : ""}`,
              );
            },
          }),
      );
      ctx.log(formatRepairReport(report));
      if (report.unrecoverable.length > 0) {
        throw new TaskError(
          `${report.unrecoverable.length} record(s) have no intact copy in the configured stores. ` +
            "Add a store that still holds them (--ipfs-api a,b or --embedded <backup folder>) and run again.",
        );
      }
      if (!args.repair && report.healthyRecords < report.records) {
        ctx.log("Some copies are missing or corrupt: run again with --repair to re-pin them from a healthy copy.");
      }
      return report;
    } finally {
      await closeStores(stores);
    }
  });
}
