/**
 * Walks record pointers, checks every store holds an intact copy (sha-256 against the on-chain
 * commitment) and re-replicates from a healthy copy where one is missing or corrupt.
 * Reading the pointers from chain is the caller's job (scripts/ and the Hardhat task).
 */
import { IntegrityError } from "../errors.js";
import { fetchVerified, isNotFound, toCid, type BlobStore, type CidLike } from "./blobStore.js";

export interface RecordPointer {
  recordId: bigint | number | string;
  cid: CidLike;
  /** bytes32 hex sha-256 of the stored blob, as committed on chain. */
  commitment: string;
}

export type CopyState = "ok" | "missing" | "corrupt" | "error";

export interface RepairProgress {
  done: number;
  recordId: string;
  cid: string;
  states: Record<string, CopyState>;
  repaired: string[];
}

export interface RepairReport {
  records: number;
  /** Bytes of intact copies read and verified. */
  bytesVerified: number;
  /** Bytes re-written to stores. */
  bytesRepaired: number;
  healthyRecords: number;
  copies: { ok: number; missing: number; corrupt: number; error: number };
  perStore: Record<string, { ok: number; missing: number; corrupt: number; error: number; repaired: number }>;
  repaired: { recordId: string; cid: string; store: string; was: CopyState }[];
  unrecoverable: { recordId: string; cid: string; reason: string }[];
  failedRepairs: { recordId: string; cid: string; store: string; reason: string }[];
  durationMs: number;
}

export interface VerifyAndRepairOptions {
  pointers: AsyncIterable<RecordPointer> | Iterable<RecordPointer>;
  stores: readonly BlobStore[];
  onProgress?: (progress: RepairProgress) => void;
  /** Only report, do not write (default false). */
  dryRun?: boolean;
}

export async function verifyAndRepair(options: VerifyAndRepairOptions): Promise<RepairReport> {
  const started = performance.now();
  const report: RepairReport = {
    records: 0,
    bytesVerified: 0,
    bytesRepaired: 0,
    healthyRecords: 0,
    copies: { ok: 0, missing: 0, corrupt: 0, error: 0 },
    perStore: Object.fromEntries(
      options.stores.map((s) => [s.name, { ok: 0, missing: 0, corrupt: 0, error: 0, repaired: 0 }]),
    ),
    repaired: [],
    unrecoverable: [],
    failedRepairs: [],
    durationMs: 0,
  };

  for await (const pointer of options.pointers) {
    report.records++;
    const recordId = String(pointer.recordId);
    let cid: ReturnType<typeof toCid>;
    try {
      cid = toCid(pointer.cid);
    } catch {
      report.unrecoverable.push({
        recordId,
        cid: String(pointer.cid),
        reason: "the on-chain pointer is not a valid CID",
      });
      options.onProgress?.({ done: report.records, recordId, cid: String(pointer.cid), states: {}, repaired: [] });
      continue;
    }
    const states: Record<string, CopyState> = {};
    let healthy: Uint8Array | undefined;
    const reasons: string[] = [];

    for (const store of options.stores) {
      let state: CopyState;
      try {
        if (!(await store.has(cid))) {
          state = "missing";
        } else {
          const bytes = await fetchVerified(store, cid, pointer.commitment);
          healthy ??= bytes;
          report.bytesVerified += bytes.length;
          state = "ok";
        }
      } catch (error) {
        state = error instanceof IntegrityError ? "corrupt" : isNotFound(error) ? "missing" : "error";
        reasons.push(`${store.name}: ${(error as Error).message}`);
      }
      states[store.name] = state;
      report.copies[state]++;
      report.perStore[store.name]![state]++;
    }

    const repairedHere: string[] = [];
    if (!healthy) {
      report.unrecoverable.push({
        recordId,
        cid: cid.toString(),
        reason: reasons.length ? reasons.join("; ") : "no store holds a copy",
      });
    } else {
      if (Object.values(states).every((s) => s === "ok")) report.healthyRecords++;
      if (!options.dryRun) {
        for (const store of options.stores) {
          const was = states[store.name]!;
          if (was === "ok") continue;
          try {
            const written = await store.put(healthy);
            if (!written.equals(cid)) throw new Error(`store produced CID ${written} instead of ${cid}`);
            await store.pin(cid);
            // Re-read and verify: a repair only counts once the copy is intact.
            await fetchVerified(store, cid, pointer.commitment);
            report.repaired.push({ recordId, cid: cid.toString(), store: store.name, was });
            report.perStore[store.name]!.repaired++;
            report.bytesRepaired += healthy.length;
            repairedHere.push(store.name);
          } catch (error) {
            report.failedRepairs.push({
              recordId,
              cid: cid.toString(),
              store: store.name,
              reason: (error as Error).message,
            });
          }
        }
      }
    }
    options.onProgress?.({ done: report.records, recordId, cid: cid.toString(), states, repaired: repairedHere });
  }
  report.durationMs = Math.round(performance.now() - started);
  return report;
}

/** A one-line-per-fact text rendering of a report for scripts and the Hardhat task. */
export function formatRepairReport(report: RepairReport): string {
  const lines = [
    `records checked:   ${report.records} (${report.healthyRecords} intact everywhere)`,
    `copies:            ${report.copies.ok} ok, ${report.copies.missing} missing, ${report.copies.corrupt} corrupt, ${report.copies.error} unreachable`,
    `bytes verified:    ${report.bytesVerified}`,
    `repaired:          ${report.repaired.length} copies, ${report.bytesRepaired} bytes`,
    `unrecoverable:     ${report.unrecoverable.length}`,
  ];
  for (const [store, s] of Object.entries(report.perStore)) {
    lines.push(
      `  ${store}: ${s.ok} ok, ${s.missing} missing, ${s.corrupt} corrupt, ${s.error} unreachable, ${s.repaired} repaired`,
    );
  }
  for (const u of report.unrecoverable) lines.push(`  UNRECOVERABLE record ${u.recordId} (${u.cid}): ${u.reason}`);
  for (const f of report.failedRepairs) lines.push(`  repair failed: record ${f.recordId} on ${f.store}: ${f.reason}`);
  return lines.join("\n");
}
