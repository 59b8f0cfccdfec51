/**
 * Storage benchmark: `node --import tsx bench/storage.ts` (npm run bench:storage).
 * For 1 MiB and 50 MiB records, through the embedded Helia store (on disk, offline):
 *   encrypt+store          = sealAndStore under a prepared seal: segmented AES-256-GCM streamed
 *                            into the store (UnixFS blocks, CIDs, pin) + the sha-256 commitment
 *   fetch+verify+decrypt   = getRecord (read, sha-256 against the commitment) → decrypt with the
 *                            record's content key
 * The per-record public-key work is timed on its own, as the issue budgets it: key wrap (two
 * per record: category key and author) and unwrap (one). The whole record (wraps and unwrap
 * included) is timed too and reported beside. In the same run, the ceilings: raw sha-256,
 * raw AES-256-GCM (one WebCrypto call over the whole buffer) and a raw append of the same bytes
 * to a growing file (the disk's share of a store). Peak memory for the 50 MiB record
 * is measured in a fresh child process (maxRSS above its own baseline). Writes bench/storage.json.
 */
import { spawnSync } from "node:child_process";
import { mkdtemp, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { bufferSource, randomBytes } from "../sdk/src/bytes.js";
import {
  openRecord,
  prepareRecordSeal,
  recordRecipients,
  sealRecord,
  unwrapRecordKey,
  type RecordContentKey,
} from "../sdk/src/crypto/container.js";
import { EnvelopePurpose, unwrapKey, wrapKey } from "../sdk/src/crypto/envelope.js";
import { generateKeyPair, type X25519KeyPair } from "../sdk/src/crypto/keys.js";
import { HeliaBlobStore } from "../sdk/src/node/helia.js";
import { getRecord, putRecord, sealAndStore, type StoredRecord } from "../sdk/src/storage/records.js";

const MiB = 1024 * 1024;
/**
 * The targets (issue 18): shares of the raw AES-GCM throughput measured in the same run, for the
 * 50 MiB record. The 1 MiB shares are reported, not targeted: at that size a record's time is
 * mostly the fixed cost of a few files and pin records, not throughput.
 */
const TARGET = { encryptStoreVsAes: 0.25, fetchVerifyDecryptVsAes: 0.3, targetedSize: 50 * MiB } as const;
const subtle = globalThis.crypto.subtle;

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * A measured step: `run` is timed over a batch of items prepared (untimed) by `setup`.
 * Throughput is sustained throughput: a batch runs back to back and its time is divided by its
 * size. (On this kind of virtual machine a lone 1 MiB WebCrypto call takes 0.4 ms when the CPU
 * is busy and 1–1.4 ms right after it idles, so timing single calls mostly measures the host's
 * power management.)
 */
interface Step<T = unknown> {
  setup?: (count: number) => Promise<T[]>;
  run: (item: T) => Promise<unknown>;
}

/**
 * Best and median per-item time over `runs` batches. Ceilings and pipelines are interleaved
 * batch by batch, so a busy neighbour slows them alike; the best batch is the fairest estimate
 * of capability on a shared machine, and the medians are recorded too.
 */
async function timeInterleaved(steps: Step<never>[], runs: number, batch: number, warmup = 1) {
  const once = async (step: Step<never>) => {
    const items = ((await step.setup?.(batch)) ?? Array.from({ length: batch })) as never[];
    const t = performance.now();
    for (const item of items) await step.run(item);
    return (performance.now() - t) / items.length;
  };
  // Untimed warm-up: JIT, lazily started workers and first-use directories are not measured.
  for (let i = 0; i < warmup; i++) for (const step of steps) await once(step);
  const ms: number[][] = steps.map(() => []);
  for (let i = 0; i < runs; i++) {
    for (const [j, step] of steps.entries()) ms[j]!.push(await once(step));
  }
  return ms.map((m) => ({ best: Math.min(...m), median: median(m) }));
}

const step = <T>(s: Step<T>) => s as unknown as Step<never>;

/** What the benchmark's records and envelopes are bound to (any chain, registry and accounts do). */
const BINDING = {
  chainId: 31337,
  registry: `0x${"11".repeat(20)}`,
  patient: `0x${"22".repeat(20)}`,
  author: `0x${"33".repeat(20)}`,
  category: 6,
  epoch: 0,
};
const WRAP = {
  binding: { ...BINDING, purpose: EnvelopePurpose.Record, recipient: BINDING.patient },
  aad: randomBytes(29),
};

const mbps = (bytes: number, ms: number) => bytes / MiB / (ms / 1000);

async function memoryProbe(dataDir: string) {
  // Child mode: one 50 MiB record end to end; report peak RSS growth over the baseline.
  const size = 50 * MiB;
  const store = await HeliaBlobStore.open({ dataDir });
  const reader = generateKeyPair();
  const recipients = recordRecipients({
    ...BINDING,
    categoryPublicKey: reader.publicKey,
    authorPublicKey: generateKeyPair().publicKey,
  });
  // Warm up code paths so JIT/module memory is part of the baseline.
  const warm = await putRecord(
    store,
    await sealRecord({ kind: "attachment", contentType: "application/pdf", bytes: randomBytes(2 * MiB) }, recipients),
  );
  await openRecord(await getRecord(store, warm.cid, warm.commitment), reader, BINDING);
  globalThis.gc?.();
  const baseline = process.resourceUsage().maxRSS * 1024;
  const rssBefore = process.memoryUsage().rss;
  let plaintext: Uint8Array | undefined = randomBytes(size);
  const stored = await sealAndStore(store, {
    meta: { contentType: "application/pdf" },
    body: plaintext,
    bodyLength: size,
    recipients,
  });
  plaintext = undefined;
  const afterStore = process.resourceUsage().maxRSS * 1024;
  globalThis.gc?.();
  const fetched = await getRecord(store, stored.cid, stored.commitment);
  const opened = await openRecord(fetched, reader, BINDING);
  if (opened.bytes.length !== size) throw new Error("round trip failed");
  const peak = process.resourceUsage().maxRSS * 1024;
  await store.close();
  // maxRSS is a high-water mark: if the baseline already sat below an earlier peak, fall back to rss.
  const grown = Math.max(peak - baseline, peak - rssBefore);
  process.stdout.write(
    JSON.stringify({
      peakBytes: grown,
      baselineRss: rssBefore,
      peakRss: peak,
      peakAfterStore: afterStore - rssBefore,
    }) + "\n",
  );
}

async function main() {
  const loadAtStart = (await import("node:os")).loadavg();
  const root = await mkdtemp(join(tmpdir(), "careledger-bench-"));
  if (process.argv.includes("--memory-probe")) {
    try {
      await memoryProbe(join(root, "helia"));
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    return;
  }
  const store = await HeliaBlobStore.open({ dataDir: join(root, "helia") });
  const reader = generateKeyPair();
  const author = generateKeyPair();
  const recipients = recordRecipients({
    ...BINDING,
    categoryPublicKey: reader.publicKey,
    authorPublicKey: author.publicKey,
  });
  const results: Record<string, unknown>[] = [];
  const scratch = await open(join(root, "append.bin"), "w");
  let appended = 0;

  try {
    for (const size of [1 * MiB, 50 * MiB]) {
      const [runs, batch] = size <= MiB ? [9, 16] : [4, 2];
      const plaintext = randomBytes(size);
      const aesKey = await subtle.importKey("raw", bufferSource(randomBytes(32)), "AES-GCM", false, ["encrypt"]);
      const iv = randomBytes(12);
      const stored: StoredRecord[] = [];
      const meta = { contentType: "application/pdf" };
      // Fresh bytes each run so the store cannot deduplicate.
      const fresh = () => (plaintext[0] = (plaintext[0]! + 1) & 0xff);
      const storeRecord = async (args: Parameters<typeof sealAndStore>[1]) => {
        fresh();
        stored.push(await sealAndStore(store, args));
      };
      const openStored = async ({ record, keys }: { record: StoredRecord; keys: RecordContentKey | X25519KeyPair }) => {
        const opened = await openRecord(await getRecord(store, record.cid, record.commitment), keys, BINDING);
        if (opened.bytes.length !== size) throw new Error("round trip failed");
      };
      const [sha, aesRaw, append, payloadStore, payloadFetch, recordStore, recordFetch] = await timeInterleaved(
        [
          step({ run: () => subtle.digest("SHA-256", bufferSource(plaintext)) }),
          step({
            run: () => subtle.encrypt({ name: "AES-GCM", iv: bufferSource(iv) }, aesKey, bufferSource(plaintext)),
          }),
          // The disk's ceiling: the same bytes appended to a file that keeps growing.
          step({
            run: async () => {
              const { bytesWritten } = await scratch.write(plaintext, 0, size, appended);
              appended += bytesWritten;
            },
          }),
          // The payload path: the record's key wraps are made before the clock starts.
          step({
            setup: (count) =>
              Promise.all(
                Array.from({ length: count }, () => prepareRecordSeal({ meta, bodyLength: size, recipients })),
              ),
            run: (seal) => storeRecord({ seal, body: plaintext }),
          }),
          // ... and its content key is unwrapped before the clock starts.
          step({
            setup: (count) =>
              Promise.all(
                stored.slice(-count).map(async (record) => ({
                  record,
                  keys: await unwrapRecordKey((await store.get(record.cid)).subarray(0, 4096), reader, BINDING),
                })),
              ),
            run: openStored,
          }),
          // The whole record: wraps and unwrap on the clock.
          step({ run: () => storeRecord({ meta, body: plaintext, bodyLength: size, recipients }) }),
          step({
            setup: async (count) => stored.slice(-count).map((record) => ({ record, keys: reader })),
            run: openStored,
          }),
        ],
        runs,
        batch,
      );

      const aes = mbps(size, aesRaw.best);
      results.push({
        sizeBytes: size,
        runs,
        batch,
        rawSha256MiBps: +mbps(size, sha.best).toFixed(1),
        rawAesGcmMiBps: +aes.toFixed(1),
        rawAppendMiBps: +mbps(size, append.best).toFixed(1),
        encryptStoreMiBps: +mbps(size, payloadStore.best).toFixed(1),
        fetchVerifyDecryptMiBps: +mbps(size, payloadFetch.best).toFixed(1),
        encryptStoreVsAes: +(mbps(size, payloadStore.best) / aes).toFixed(3),
        fetchVerifyDecryptVsAes: +(mbps(size, payloadFetch.best) / aes).toFixed(3),
        encryptStoreMs: +payloadStore.best.toFixed(2),
        fetchVerifyDecryptMs: +payloadFetch.best.toFixed(2),
        // What the targets leave per record in this run, beside what the machine takes for the
        // steps nothing can skip: encrypting, hashing (the CID and the commitment) and appending
        // the bytes to disk (store); and, because a read is verified before it is decrypted, a
        // sha-256 pass followed by an AES-GCM pass (fetch).
        budget: {
          encryptStoreMs: +(aesRaw.best / TARGET.encryptStoreVsAes).toFixed(2),
          appendMs: +append.best.toFixed(2),
          aesSha256AppendInSeriesMs: +(aesRaw.best + sha.best + append.best).toFixed(2),
          fetchVerifyDecryptMs: +(aesRaw.best / TARGET.fetchVerifyDecryptVsAes).toFixed(2),
          sha256ThenAesMs: +(sha.best + aesRaw.best).toFixed(2),
        },
        wholeRecord: {
          sealAndStoreMs: +recordStore.best.toFixed(2),
          fetchAndOpenMs: +recordFetch.best.toFixed(2),
          encryptStoreVsAes: +(mbps(size, recordStore.best) / aes).toFixed(3),
          fetchVerifyDecryptVsAes: +(mbps(size, recordFetch.best) / aes).toFixed(3),
        },
        median: {
          rawSha256MiBps: +mbps(size, sha.median).toFixed(1),
          rawAesGcmMiBps: +mbps(size, aesRaw.median).toFixed(1),
          rawAppendMiBps: +mbps(size, append.median).toFixed(1),
          encryptStoreMiBps: +mbps(size, payloadStore.median).toFixed(1),
          fetchVerifyDecryptMiBps: +mbps(size, payloadFetch.median).toFixed(1),
        },
      });
    }

    const secret = randomBytes(32);
    for (let i = 0; i < 20; i++) await unwrapKey(await wrapKey(secret, reader.publicKey, WRAP), reader, WRAP);
    const envelopes: Uint8Array[] = [];
    const n = 200;
    let t = performance.now();
    for (let i = 0; i < n; i++) envelopes.push(await wrapKey(secret, reader.publicKey, WRAP));
    const wrapMs = (performance.now() - t) / n;
    t = performance.now();
    for (const e of envelopes) await unwrapKey(e, reader, WRAP);
    const unwrapMs = (performance.now() - t) / n;

    const probe = spawnSync(
      process.execPath,
      ["--expose-gc", "--import", "tsx", fileURLToPath(import.meta.url), "--memory-probe"],
      { encoding: "utf8" },
    );
    if (probe.status !== 0) throw new Error(`memory probe failed: ${probe.stderr}`);
    const memory = JSON.parse(probe.stdout.trim().split("\n").pop()!) as {
      peakBytes: number;
      baselineRss: number;
      peakRss: number;
      peakAfterStore: number;
    };

    const big = results[1]!;
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      loadAverageAtStart: loadAtStart,
      loadAverage: (await import("node:os")).loadavg(),
      method:
        "sustained throughput: each measurement is a batch of back-to-back operations (16 × 1 MiB, 2 × 50 MiB), best of N batches after an untimed warm-up batch, ceilings and pipelines interleaved batch by batch (medians alongside); ratios use the same-run raw AES-GCM best; the raw append writes the same bytes to the end of a growing file; encrypt+store and fetch+verify+decrypt exclude the per-record key wraps (2) and unwrap (1), timed separately under keyWrap; wholeRecord includes them",
      cpus: (await import("node:os")).cpus().length,
      store:
        "HeliaBlobStore (helia light, offline: blockstore-fs blocks, datastore-level pins, stock UnixFS importer with unixfs-v1-2025)",
      results,
      keyWrap: { wrapMs: +wrapMs.toFixed(3), unwrapMs: +unwrapMs.toFixed(3) },
      peakMemory50MiB: {
        bytes: memory.peakBytes,
        multipleOfSize: +(memory.peakBytes / (50 * MiB)).toFixed(2),
        probe: memory,
      },
      medianRatios: results.map((r) => {
        const m = r.median as Record<string, number>;
        return {
          sizeBytes: r.sizeBytes,
          encryptStoreVsAes: +(m.encryptStoreMiBps! / m.rawAesGcmMiBps!).toFixed(3),
          fetchVerifyDecryptVsAes: +(m.fetchVerifyDecryptMiBps! / m.rawAesGcmMiBps!).toFixed(3),
        };
      }),
      targets: {
        encryptStore50MiBAtLeast25PctOfAes: results
          .filter((r) => r.sizeBytes === TARGET.targetedSize)
          .every((r) => (r.encryptStoreVsAes as number) >= TARGET.encryptStoreVsAes),
        fetchVerifyDecrypt50MiBAtLeast30PctOfAes: results
          .filter((r) => r.sizeBytes === TARGET.targetedSize)
          .every((r) => (r.fetchVerifyDecryptVsAes as number) >= TARGET.fetchVerifyDecryptVsAes),
        wrapUnwrapAtMost5ms: wrapMs <= 5 && unwrapMs <= 5,
        peakMemoryAtMost4xSize: memory.peakBytes <= 4 * 50 * MiB,
      },
    };

    const whole = (r: Record<string, unknown>) =>
      r.wholeRecord as { encryptStoreVsAes: number; fetchVerifyDecryptVsAes: number };
    const rows = results.map((r) => [
      `${(r.sizeBytes as number) / MiB} MiB`,
      r.rawSha256MiBps,
      r.rawAesGcmMiBps,
      r.rawAppendMiBps,
      r.encryptStoreMiBps,
      `${((r.encryptStoreVsAes as number) * 100).toFixed(0)}%${r.sizeBytes === TARGET.targetedSize ? "" : " (reported)"}`,
      r.fetchVerifyDecryptMiBps,
      `${((r.fetchVerifyDecryptVsAes as number) * 100).toFixed(0)}%${r.sizeBytes === TARGET.targetedSize ? "" : " (reported)"}`,
      `${(whole(r).encryptStoreVsAes * 100).toFixed(0)}% / ${(whole(r).fetchVerifyDecryptVsAes * 100).toFixed(0)}%`,
    ]);
    const header = [
      "size",
      "sha-256 MiB/s",
      "AES-GCM MiB/s",
      "append MiB/s",
      "enc+store MiB/s",
      "vs AES",
      "fetch+verify+dec MiB/s",
      "vs AES",
      "whole record (with wraps) vs AES",
    ];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
    const line = (cells: unknown[]) => cells.map((c, i) => String(c).padStart(widths[i]!)).join("  ");
    console.log(line(header));
    for (const row of rows) console.log(line(row));
    console.log(
      `key wrap ${wrapMs.toFixed(2)} ms, unwrap ${unwrapMs.toFixed(2)} ms (target ≤ 5 ms; a record takes 2 wraps to store, 1 unwrap to open)`,
    );
    console.log(
      `peak memory for a 50 MiB record: ${(memory.peakBytes / MiB).toFixed(0)} MiB = ${report.peakMemory50MiB.multipleOfSize}× (target ≤ 4×)`,
    );
    console.log(`targets: ${JSON.stringify(report.targets)}`);
    console.log(
      `(best of ${big.runs} batches of ${big.batch}; 50 MiB: enc+store ${big.encryptStoreMs} ms, fetch+verify+decrypt ${big.fetchVerifyDecryptMs} ms; medians in storage.json)`,
    );
    for (const r of results) {
      const b = r.budget as Record<string, number>;
      console.log(
        `${(r.sizeBytes as number) / MiB} MiB: the ${TARGET.encryptStoreVsAes * 100}% target leaves ${b.encryptStoreMs} ms for encrypt+store (took ${r.encryptStoreMs} ms); ` +
          `AES-GCM, sha-256 and appending the bytes to a file take ${b.aesSha256AppendInSeriesMs} ms one after another here ` +
          `(the append alone ${b.appendMs} ms). The ${TARGET.fetchVerifyDecryptVsAes * 100}% target leaves ${b.fetchVerifyDecryptMs} ms for ` +
          `fetch+verify+decrypt (took ${r.fetchVerifyDecryptMs} ms); sha-256 then AES-GCM take ${b.sha256ThenAesMs} ms.`,
      );
    }
    await writeFile(fileURLToPath(new URL("./storage.json", import.meta.url)), JSON.stringify(report, null, 2) + "\n");
  } finally {
    await scratch.close();
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
}

await main();
