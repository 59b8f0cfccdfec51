/**
 * Crash test of the embedded store (issue 18): a child process writes 200 records and is killed
 * with SIGKILL at a random point, ten times over the same folder. The child prints each CID and
 * commitment only once its put has resolved (blocks and pin written), and waits for the line to
 * be written before the next put. After every kill the store must open as it is — no repair
 * step — and every acknowledged record must read back matching its commitment, pinned.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { HeliaBlobStore } from "../src/node/helia.js";
import { fetchVerified } from "../src/storage/blobStore.js";

const RUNS = 10;
const RECORDS = 200;
const helia = fileURLToPath(new URL("../src/node/helia.ts", import.meta.url));

/** Sizes from a few bytes to 2.5 MiB (multi-leaf), fresh random bytes each. */
const writer = (dataDir: string) => `
  import { randomBytes } from "node:crypto";
  import { HeliaBlobStore } from ${JSON.stringify(helia)};
  const store = await HeliaBlobStore.open({ dataDir: ${JSON.stringify(dataDir)} });
  process.stdout.write("open\\n");
  for (let i = 0; i < ${RECORDS}; i++) {
    const size = i % 10 === 9 ? 2.5 * 1024 * 1024 : 100 + ((i * 7919) % 300_000);
    const { cid, commitment } = await store.putCommitted(randomBytes(size));
    await new Promise((resolve) => process.stdout.write(JSON.stringify({ cid: cid.toString(), commitment }) + "\\n", resolve));
  }
  await store.close();`;

interface Acknowledged {
  cid: string;
  commitment: string;
}

/**
 * Runs the writer and kills it `delayMs` after its `killAt`-th acknowledgement (while it writes
 * the next record); resolves to what it acknowledged.
 */
function writeUntilKilled(
  dataDir: string,
  killAt: number,
  delayMs: number,
): Promise<{ acknowledged: Acknowledged[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", writer(dataDir)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acknowledged: Acknowledged[] = [];
    let pending = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (line === "open") continue;
        acknowledged.push(JSON.parse(line) as Acknowledged);
        if (acknowledged.length === killAt) setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (signal === "SIGKILL") resolve({ acknowledged, killed: true });
      else if (code === 0) resolve({ acknowledged, killed: false });
      else reject(new Error(`the writer failed (${code}): ${stderr}`));
    });
  });
}

describe("HeliaBlobStore survives SIGKILL mid-write", () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), "careledger-crash-"));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it(`keeps every acknowledged record over ${RUNS} kills at random points, and opens without repair`, async () => {
    const dataDir = join(root, "ipfs");
    const all: Acknowledged[] = [];
    let kills = 0;
    for (let run = 0; run < RUNS; run++) {
      const killAt = 1 + Math.floor(Math.random() * (RECORDS - 10));
      const { acknowledged, killed } = await writeUntilKilled(dataDir, killAt, Math.random() * 8);
      all.push(...acknowledged);
      if (killed) kills++;
      const store = await HeliaBlobStore.open({ dataDir });
      try {
        for (const { cid, commitment } of all) {
          await fetchVerified(store, cid, commitment); // throws IntegrityError or BlobNotFoundError
          assert.ok(await store.isPinned(cid), `${cid} (run ${run}) is pinned`);
        }
      } finally {
        await store.close();
      }
    }
    assert.equal(kills, RUNS, "every writer was killed before it finished");
    assert.ok(all.length > RUNS, `${all.length} records acknowledged`);
  });
});
