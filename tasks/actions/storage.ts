import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatRepairReport, verifyAndRepair } from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { READ_ONLY, TaskError, withContext } from "../lib/context.js";
import { closeStores, openStores, recordPointers } from "../lib/records.js";

/**
 * Walks every RecordAdded pointer of the deployment and has the SDK check each store's copy
 * against the on-chain commitment; with --repair it re-pins missing or corrupt copies from a
 * healthy one. Fails (exit code 1) when a record has no intact copy anywhere. With --gc, once
 * every record is accounted for, each store pins every intact record copy it holds and then
 * collects garbage (blocks no pin covers: cut-off uploads, superseded copies).
 */
export default async function storage(
  args: { repair: boolean; gc?: boolean; ipfsApi: string; embedded?: string },
  hre: HardhatRuntimeEnvironment,
) {
  return withContext(hre, READ_ONLY, async (ctx) => {
    const stores = await openStores(args.ipfsApi, args.embedded);
    try {
      const progress = new Progress(args.gc ? 2 : 1);
      // Per store, the records whose copy there is intact (kept pinned before any collection).
      const intact = new Map<string, string[]>(stores.map((s) => [s.name, []]));
      const report = await progress.step(
        `${args.repair ? "Verifying and repairing" : "Verifying"} every record on ${stores.map((s) => s.name).join(", ")}`,
        (note) =>
          verifyAndRepair({
            pointers: recordPointers(ctx, {
              onProgress: ({ scanned, total }) => note(`${scanned} of ${total} blocks read`),
            }),
            stores,
            dryRun: !args.repair,
            onProgress: (p) => {
              for (const [store, state] of Object.entries(p.states)) {
                if (state === "ok" || p.repaired.includes(store)) intact.get(store)?.push(p.cid);
              }
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
      if (args.gc) {
        await progress.step("Collecting garbage (pinning every intact record copy first)", async (note) => {
          for (const store of stores) {
            if (!store.collectGarbage) {
              note(`${store.name}: this store cannot collect garbage; skipped`);
              continue;
            }
            for (const cid of intact.get(store.name) ?? []) await store.pin(cid);
            const collected = await store.collectGarbage();
            note(
              `${store.name}: ${collected.removedBlocks} block(s) removed` +
                (collected.freedBytes !== undefined ? `, ${collected.freedBytes} bytes given back` : ""),
            );
          }
        });
      }
      return report;
    } finally {
      await closeStores(stores);
    }
  });
}
