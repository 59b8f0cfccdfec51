import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  truncate,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { createHeliaLight } from "helia";
import { Key } from "interface-datastore";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 } from "multiformats/hashes/sha2";
import { randomBytes } from "../src/bytes.js";
import { AppendLog, LogLockedError, type LogOptions } from "../src/node/appendLog.js";
import { blockKey, LogBlockstore, LogDatastore } from "../src/node/logStores.js";

const KiB = 1024;
const MiB = 1024 * KiB;
/** Record header bytes before the key (see the layout in appendLog.ts). */
const HEADER = 20;
/** The scan reads in windows of this size (SCAN_WINDOW in appendLog.ts). */
const SCAN_WINDOW = MiB;
const repo = fileURLToPath(new URL("../..", import.meta.url));
const appendLogModule = fileURLToPath(new URL("../src/node/appendLog.ts", import.meta.url));

let root: string;
let dirs = 0;
before(async () => {
  root = await mkdtemp(join(tmpdir(), "careledger-appendlog-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh, empty folder for one log. */
const fresh = () => join(root, `log-${++dirs}`);
const text = (s: string) => new TextEncoder().encode(s);

function assertBytes(actual: Uint8Array | undefined, expected: Uint8Array, message?: string) {
  assert.ok(actual, message ?? "value missing");
  assert.equal(actual.length, expected.length, message);
  assert.ok(Buffer.from(actual).equals(Buffer.from(expected)), message ?? "bytes differ");
}

/** Checks that the log holds exactly `model` (key → value). */
async function assertHolds(log: AppendLog, model: Map<string, Uint8Array>, when: string) {
  assert.deepEqual(new Set(log.keys()), new Set(model.keys()), `${when}: keys`);
  assert.equal(log.size, model.size, `${when}: size`);
  for (const [key, value] of model) {
    assert.ok(log.has(key), `${when}: has ${key}`);
    assert.equal(log.sizeOf(key), value.length, `${when}: sizeOf ${key}`);
    assertBytes(await log.get(key), value, `${when}: value of ${key}`);
  }
}

async function segmentFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^\d{8}\.log$/.test(n)).sort();
}

/** Overwrites bytes of a file in place, as a failing disk or an interrupted write would. */
async function overwrite(file: string, offset: number, bytes: Uint8Array) {
  const handle = await open(file, "r+");
  try {
    await handle.write(bytes, 0, bytes.length, offset);
  } finally {
    await handle.close();
  }
}

/** Where the record of `key` starts: its header, `HEADER` bytes + the key before the value. */
function recordOf(log: AppendLog, key: string) {
  const location = log.location(key);
  assert.ok(location, `no location for ${key}`);
  const start = location.offset - HEADER - Buffer.byteLength(key);
  return { ...location, start, end: location.offset + location.length };
}

async function reopen(log: AppendLog, options?: LogOptions): Promise<AppendLog> {
  await log.close();
  return AppendLog.open(log.dir, options);
}

/** Runs `script` (ES module, TypeScript imports allowed) in a child Node process. */
function child(script: string) {
  return spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    cwd: repo,
    stdio: ["pipe", "pipe", "pipe"],
  });
}

/** Resolves with the child's first stdout line; rejects if it exits first. */
function firstLine(proc: ReturnType<typeof child>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    proc.stderr.on("data", (d: Buffer) => (err += d.toString()));
    proc.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    proc.on("exit", (code) => reject(new Error(`child exited (${code}) before answering: ${err}`)));
  });
}

const exited = (proc: ReturnType<typeof child>) =>
  new Promise<void>((resolve) =>
    proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.on("exit", () => resolve()),
  );

describe("AppendLog: round trips", () => {
  let log: AppendLog;
  before(async () => {
    log = await AppendLog.open(fresh());
  });
  after(async () => {
    await log.close();
  });

  for (const size of [0, 1, 1000, MiB]) {
    it(`stores and returns a value of ${size} bytes`, async () => {
      const key = `size-${size}`;
      const value = randomBytes(size);
      await log.put(key, value);
      assert.ok(log.has(key));
      assert.equal(log.sizeOf(key), size);
      assertBytes(await log.get(key), value);
    });
  }

  it("stores a value given as several parts as their concatenation", async () => {
    const parts = [randomBytes(10), new Uint8Array(0), randomBytes(70_000), randomBytes(1)];
    await log.put("parts", parts);
    assert.equal(log.sizeOf("parts"), 70_011);
    assertBytes(await log.get("parts"), Buffer.concat(parts));
    await log.put("no-parts", []);
    assert.equal(log.sizeOf("no-parts"), 0);
    assertBytes(await log.get("no-parts"), new Uint8Array(0));
  });

  it("keeps unicode keys apart, byte for byte", async () => {
    const keys = ["pátient/記録/💊", "patient/記録/💊", "e\u0301", "\u00e9", "/pins/bafy…"];
    for (const [i, key] of keys.entries()) await log.put(key, text(`value ${i}`));
    for (const [i, key] of keys.entries()) {
      assert.equal(log.sizeOf(key), text(`value ${i}`).length);
      assertBytes(await log.get(key), text(`value ${i}`), key);
    }
  });

  it("returns the newest value of an overwritten key", async () => {
    await log.put("over", text("first value, the longer one"));
    await log.put("over", text("second"));
    assertBytes(await log.get("over"), text("second"));
    assert.equal(log.sizeOf("over"), 6);
    await log.put("over", new Uint8Array(0));
    assert.equal(log.sizeOf("over"), 0);
    assertBytes(await log.get("over"), new Uint8Array(0));
  });

  it("answers undefined / false for a key it does not hold, and deletes", async () => {
    assert.equal(await log.get("missing"), undefined);
    assert.equal(log.has("missing"), false);
    assert.equal(log.sizeOf("missing"), undefined);
    assert.equal(log.location("missing"), undefined);
    await log.delete("missing"); // no error
    await log.put("doomed", text("x"));
    await log.delete("doomed");
    assert.equal(log.has("doomed"), false);
    assert.equal(await log.get("doomed"), undefined);
    assert.equal(log.sizeOf("doomed"), undefined);
    await log.put("doomed", text("back"));
    assertBytes(await log.get("doomed"), text("back"));
  });

  it("reads a slice of a value with readInto", async () => {
    const value = randomBytes(5000);
    await log.put("slice", value);
    const out = new Uint8Array(110).fill(7);
    assert.equal(await log.readInto("slice", out, 10, 1000, 100), true);
    assertBytes(out.subarray(10), value.subarray(1000, 1100));
    assert.ok(out.subarray(0, 10).every((b) => b === 7));
    assert.equal(await log.readInto("missing", out, 0), false);
    await assert.rejects(log.readInto("slice", out, 0, 4990, 20), RangeError);
  });

  it("refuses a value larger than 64 MiB", async () => {
    const parts = Array.from({ length: 65 }, () => new Uint8Array(MiB)); // one buffer, 65 times
    parts.fill(parts[0]!);
    await assert.rejects(log.put("too-big", parts), RangeError);
    assert.equal(log.has("too-big"), false);
  });

  it("refuses a key longer than 4096 bytes, and stores one of exactly 4096", async () => {
    await assert.rejects(log.put("k".repeat(4097), text("v")), RangeError);
    assert.equal(log.has("k".repeat(4097)), false);
    await log.put("k".repeat(4096), text("v"));
    assertBytes(await log.get("k".repeat(4096)), text("v"));
  });
});

describe("AppendLog: persistence", () => {
  it("gives back the same keys and values after close and reopen, deletes and overwrites included", async () => {
    let log = await AppendLog.open(fresh());
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 50; i++) {
      const value = randomBytes(i * 97);
      model.set(`key-${i}`, value);
      await log.put(`key-${i}`, value);
    }
    for (let i = 0; i < 50; i += 5) {
      model.delete(`key-${i}`);
      await log.delete(`key-${i}`);
    }
    for (let i = 1; i < 50; i += 5) {
      const value = randomBytes(13);
      model.set(`key-${i}`, value);
      await log.put(`key-${i}`, value);
    }
    await log.put("key-0", text("deleted, then put again"));
    model.set("key-0", text("deleted, then put again"));
    await log.put("key-5", text("put again, then deleted"));
    await log.delete("key-5");
    model.set("unicode ✓", randomBytes(MiB));
    await log.put("unicode ✓", model.get("unicode ✓")!);
    await assertHolds(log, model, "before reopen");
    const stats = log.stats();
    log = await reopen(log);
    await assertHolds(log, model, "after reopen");
    assert.deepEqual(log.stats(), stats);
    assert.equal(log.recovery.skippedBytes, 0);
    assert.equal(log.recovery.truncatedBytes, 0);
    log = await reopen(log);
    await assertHolds(log, model, "after a second reopen");
    await log.close();
  });

  it("refuses operations once closed", async () => {
    const log = await AppendLog.open(fresh());
    await log.put("k", text("v"));
    await log.close();
    await assert.rejects(log.put("k", text("w")), /closed/);
    await assert.rejects(log.compact(), /closed/);
    await log.close(); // twice is fine
  });

  it("get after close rejects with a 'closed' error", async () => {
    const log = await AppendLog.open(fresh());
    await log.put("k", text("v"));
    await log.close();
    await assert.rejects(log.get("k"), /closed/);
  });

  it("close waits for puts still in flight, and they are there after reopen", async () => {
    let log = await AppendLog.open(fresh());
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 30; i++) {
      const value = randomBytes(1 + i * 1000);
      model.set(`k${i}`, value);
      void log.put(`k${i}`, value);
    }
    log = await reopen(log);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });
});

/** Issues `count` puts and deletes at once (none awaited); returns what each key should hold. */
function storm(log: AppendLog, count: number, sizes: number[]) {
  const model = new Map<string, Uint8Array>();
  const done: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const key = i % 3 === 0 ? `unique-${i}` : `shared-${i % 17}`;
    if (i % 7 === 6) {
      const victim = `shared-${(i * 5) % 17}`;
      model.delete(victim);
      done.push(log.delete(victim));
    } else {
      const value = randomBytes(sizes[i % sizes.length]!);
      value[0] = i & 255; // tells the values apart even when random bytes collide (size 1)
      model.set(key, value);
      done.push(log.put(key, value));
    }
  }
  return { model, done };
}

describe("AppendLog: operations issued without awaiting", () => {
  it("reads match the last operation issued per key once the writes resolve, before and after reopen", async () => {
    let log = await AppendLog.open(fresh());
    const { model, done } = storm(log, 200, [0, 1, 100, 4096, 65_536, 300_000, 10]);
    await Promise.all(done);
    await assertHolds(log, model, "after the writes");
    log = await reopen(log);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });

  it("a read, size or delete issued right after a put, before it resolves, sees the put", async () => {
    const log = await AppendLog.open(fresh());
    const value = randomBytes(100_000);
    const writes = [log.put("k", value)];
    assert.equal(log.has("k"), true);
    assert.equal(log.sizeOf("k"), value.length);
    const read = log.get("k"); // waits for the bytes
    writes.push(log.put("gone", text("x")), log.delete("gone"));
    writes.push(log.put("k2", text("first")), log.put("k2", text("second")));
    assert.equal(log.has("gone"), false);
    assertBytes(await read, value);
    assertBytes(await log.get("k2"), text("second"));
    await Promise.all(writes);
    assert.equal(log.has("gone"), false);
    await log.close();
  });

  it("two puts issued together at a segment boundary each keep their own value", async () => {
    const options = { segmentBytes: 1000 };
    let log = await AppendLog.open(fresh(), options);
    await log.put("first", new Uint8Array(900).fill(1));
    const a = new Uint8Array(500).fill(0xaa);
    const b = new Uint8Array(500).fill(0xbb);
    await Promise.all([log.put("a", a), log.put("b", b)]);
    assertBytes(await log.get("a"), a, "a");
    assertBytes(await log.get("b"), b, "b");
    log = await reopen(log, options);
    assertBytes(await log.get("a"), a, "a after reopen");
    assertBytes(await log.get("b"), b, "b after reopen");
    await log.close();
  });

  it("reads match the last operation issued per key when the writes cross segment boundaries", async () => {
    const options = { segmentBytes: 64 * KiB };
    let log = await AppendLog.open(fresh(), options);
    const { model, done } = storm(log, 200, [10 * KiB, 1, 30 * KiB, 100, 5 * KiB]);
    await Promise.all(done);
    await assertHolds(log, model, "after the writes");
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });
});

describe("AppendLog: recovery from damaged segments", () => {
  /** A log with keys a..e of distinct sizes, closed; returns the values and the records' spans. */
  async function written(options?: LogOptions) {
    const dir = fresh();
    const log = await AppendLog.open(dir, options);
    const model = new Map<string, Uint8Array>();
    for (const [i, key] of ["a", "b", "c", "d", "e"].entries()) {
      const value = randomBytes(1000 + i * 333);
      model.set(key, value);
      await log.put(key, value);
    }
    const records = new Map([...model.keys()].map((k) => [k, recordOf(log, k)]));
    await log.close();
    return { dir, model, records, file: join(dir, "00000001.log") };
  }

  for (const [name, damage] of [
    ["random garbage", (size: number) => ({ bytes: randomBytes(777), at: size })],
    ["a run of zeros", (size: number) => ({ bytes: new Uint8Array(4096), at: size })],
  ] as const) {
    it(`cuts ${name} appended after the last record, keeps every record, and appends after it`, async () => {
      const { dir, model, file } = await written();
      const size = (await stat(file)).size;
      const { bytes, at } = damage(size);
      await overwrite(file, at, bytes);
      let log = await AppendLog.open(dir);
      assert.equal(log.recovery.truncatedBytes, bytes.length);
      assert.equal((await stat(file)).size, size);
      await assertHolds(log, model, "after recovery");
      const after = randomBytes(2000);
      await log.put("after", after);
      model.set("after", after);
      log = await reopen(log);
      assert.equal(log.recovery.truncatedBytes, 0);
      assert.equal(log.recovery.skippedBytes, 0);
      await assertHolds(log, model, "after another reopen");
      await log.close();
    });
  }

  it("drops a last record cut in half, keeps the earlier ones, and appends after them", async () => {
    const { dir, model, records, file } = await written();
    const e = records.get("e")!;
    await truncate(file, e.start + Math.floor((e.end - e.start) / 2));
    model.delete("e");
    let log = await AppendLog.open(dir);
    assert.ok(log.recovery.truncatedBytes > 0);
    assert.equal((await stat(file)).size, e.start);
    await assertHolds(log, model, "after recovery");
    const after = randomBytes(3000);
    await log.put("after", after);
    await log.put("e", text("rewritten"));
    model.set("after", after);
    model.set("e", text("rewritten"));
    log = await reopen(log);
    assert.equal(log.recovery.truncatedBytes, 0);
    await assertHolds(log, model, "after another reopen");
    await log.close();
  });

  it("drops a last record whose header alone was written", async () => {
    const { dir, model, records, file } = await written();
    await truncate(file, records.get("e")!.start + HEADER);
    model.delete("e");
    const log = await AppendLog.open(dir);
    assert.equal(log.recovery.truncatedBytes, HEADER);
    await assertHolds(log, model, "after recovery");
    await log.close();
  });

  it("skips a record whose header was zeroed, keeping the records before and after it", async () => {
    const { dir, model, records, file } = await written();
    const c = records.get("c")!;
    await overwrite(file, c.start, new Uint8Array(HEADER));
    model.delete("c");
    let log = await AppendLog.open(dir);
    assert.ok(log.recovery.skippedBytes > 0);
    assert.equal(log.recovery.skippedBytes, c.end - c.start);
    assert.equal(log.recovery.truncatedBytes, 0);
    await assertHolds(log, model, "after recovery");
    await log.put("new", text("new"));
    model.set("new", text("new"));
    log = await reopen(log);
    await assertHolds(log, model, "after another reopen");
    await log.close();
  });

  // The scan searches for the next header in 1 MiB windows: put the next header's magic across
  // and next to a window's edge (the search starts one byte past the damaged header).
  for (const shift of [-4, -3, -2, -1, 0, 1]) {
    it(`finds the next record after a damaged one of about 1 MiB (magic at window edge ${shift >= 0 ? "+" : ""}${shift})`, async () => {
      const dir = fresh();
      let log = await AppendLog.open(dir);
      await log.put("a", text("a"));
      // The search for "d" starts at c.start + 1; its magic lands at SCAN_WINDOW + shift into it.
      const big = randomBytes(SCAN_WINDOW - HEADER + shift);
      await log.put("c", big);
      await log.put("d", text("d"));
      await log.put("e", randomBytes(3 * MiB));
      const c = recordOf(log, "c");
      assert.equal(recordOf(log, "d").start, c.start + 1 + SCAN_WINDOW + shift);
      const model = new Map([
        ["a", text("a")],
        ["d", text("d")],
        ["e", (await log.get("e"))!],
      ]);
      await log.close();
      await overwrite(c.file, c.start, new Uint8Array(HEADER));
      log = await AppendLog.open(dir);
      assert.equal(log.recovery.skippedBytes, c.end - c.start);
      assert.equal(log.recovery.truncatedBytes, 0);
      await assertHolds(log, model, "after recovery");
      await log.close();
    });
  }

  it("skips a record whose header checksum fails (one bit flipped in its length)", async () => {
    const { dir, model, records, file } = await written();
    const b = records.get("b")!;
    const header = await readFile(file).then((f) => f.subarray(b.start, b.start + HEADER));
    header[11]! ^= 0x01; // value length, low byte
    await overwrite(file, b.start, header);
    model.delete("b");
    const log = await AppendLog.open(dir);
    assert.ok(log.recovery.skippedBytes > 0);
    await assertHolds(log, model, "after recovery");
    await log.close();
  });

  it("falls back to the previous value when the damaged record was an overwrite", async () => {
    const dir = fresh();
    let log = await AppendLog.open(dir);
    await log.put("k", text("old"));
    await log.put("k", text("new"));
    await log.put("z", text("after"));
    const newer = recordOf(log, "k");
    await log.close();
    await overwrite(newer.file, newer.start, new Uint8Array(HEADER));
    log = await AppendLog.open(dir);
    assertBytes(await log.get("k"), text("old"));
    assertBytes(await log.get("z"), text("after"));
    await log.close();
  });

  it("never takes records of a log stored as a value for records of this one", async () => {
    // A real segment, full of well-formed records, stored whole as a value of another log.
    const inner = await AppendLog.open(fresh());
    for (let i = 0; i < 20; i++) await inner.put(`fake-${i}`, randomBytes(i * 10));
    await inner.delete("fake-3");
    await inner.close();
    const embedded = await readFile(join(inner.dir, "00000001.log"));

    const dir = fresh();
    let log = await AppendLog.open(dir);
    await log.put("before", text("before"));
    await log.put("carrier", embedded);
    await log.put("after", text("after"));
    const carrier = recordOf(log, "carrier");
    log = await reopen(log);
    assertBytes(await log.get("carrier"), embedded); // intact: the value is opaque
    await log.close();

    // Now the carrier's header is lost: the scan has to search through its value.
    await overwrite(carrier.file, carrier.start, new Uint8Array(HEADER));
    log = await AppendLog.open(dir);
    assert.deepEqual([...log.keys()].sort(), ["after", "before"]);
    assert.ok(log.recovery.skippedBytes >= embedded.length);
    assertBytes(await log.get("after"), text("after"));
    await log.close();
  });

  it("with checksumValues, a value damaged on disk fails its checksum on get, and is skipped on reopen", async () => {
    const dir = fresh();
    let log = await AppendLog.open(dir, { checksumValues: true });
    const older = randomBytes(300);
    const value = randomBytes(500);
    await log.put("k", older);
    await log.put("k", value);
    await log.put("other", text("fine"));
    const at = log.location("k")!;
    // Damaged while open: the read fails its checksum rather than returning wrong bytes.
    await overwrite(at.file, at.offset + 123, Uint8Array.of(value[123]! ^ 0x40));
    await assert.rejects(log.get("k"), /checksum/);
    await log.close();
    // On reopen the damaged record is skipped (as a value half-written by a crash would be):
    // the key falls back to the value it held before, and later records stay.
    log = await AppendLog.open(dir, { checksumValues: true });
    assertBytes(await log.get("k"), older);
    assertBytes(await log.get("other"), text("fine"));
    assert.ok(log.recovery.skippedBytes >= 500);
    await log.close();
  });

  it("without checksumValues, a value damaged on disk comes back as stored (the caller verifies)", async () => {
    const dir = fresh();
    let log = await AppendLog.open(dir);
    const value = randomBytes(500);
    await log.put("k", value);
    const at = log.location("k")!;
    await log.close();
    await overwrite(at.file, at.offset + 123, Uint8Array.of(value[123]! ^ 0x40));
    log = await AppendLog.open(dir);
    assert.equal(log.recovery.skippedBytes, 0);
    const back = await log.get("k");
    const expected = Uint8Array.from(value);
    expected[123]! ^= 0x40;
    assertBytes(back, expected);
    await log.close();
  });
});

describe("AppendLog: batches", () => {
  it("putMany lands every record with one write, in call order with single puts", async () => {
    let log = await AppendLog.open(fresh(), { checksumValues: true });
    void log.put("x", text("old"));
    const batch = log.putMany([
      { key: "x", value: text("new") },
      { key: "y", value: [text("he"), text("llo")] },
      { key: "z", value: new Uint8Array() },
    ]);
    void log.delete("z");
    await batch;
    assertBytes(await log.get("x"), text("new"));
    assertBytes(await log.get("y"), text("hello"));
    assert.equal(log.has("z"), false);
    log = await reopen(log, { checksumValues: true });
    assertBytes(await log.get("y"), text("hello"));
    assert.equal(log.has("z"), false);
    await log.close();
  });
});

describe("AppendLog: segments", () => {
  it("rolls over to new segments of at most segmentBytes, all readable after reopen", async () => {
    const options = { segmentBytes: 64 * KiB };
    let log = await AppendLog.open(fresh(), options);
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 100; i++) {
      const value = randomBytes(10 * KiB);
      model.set(`v${i}`, value);
      await log.put(`v${i}`, value);
    }
    const files = await segmentFiles(log.dir);
    assert.ok(files.length >= 14, `only ${files.length} segments`);
    assert.equal(log.stats().segments, files.length);
    for (const file of files) assert.ok((await stat(join(log.dir, file))).size <= 64 * KiB, file);
    // A value larger than a segment gets a segment of its own.
    const big = randomBytes(100 * KiB);
    await log.put("big", big);
    model.set("big", big);
    await log.put("small", text("small"));
    model.set("small", text("small"));
    await assertHolds(log, model, "before reopen");
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    assert.equal(log.stats().segments, (await segmentFiles(log.dir)).length);
    // Reopened with a different segment size: still all there, and writes go on.
    log = await reopen(log);
    await log.put("later", text("later"));
    model.set("later", text("later"));
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopening with other options");
    await log.close();
  });
});

describe("AppendLog: compaction", () => {
  const options = { segmentBytes: 256 * KiB };

  /** 100 keys of 10 KiB; then 60 deleted and 30 overwritten. */
  async function churned() {
    const log = await AppendLog.open(fresh(), options);
    const model = new Map<string, Uint8Array>();
    for (let i = 0; i < 100; i++) await log.put(`key-${i}`, randomBytes(10 * KiB));
    for (let i = 0; i < 60; i++) await log.delete(`key-${i}`);
    for (let i = 60; i < 90; i++) {
      const value = randomBytes(10 * KiB);
      model.set(`key-${i}`, value);
      await log.put(`key-${i}`, value);
    }
    for (let i = 90; i < 100; i++) model.set(`key-${i}`, (await log.get(`key-${i}`))!);
    return { log, model };
  }

  it("reclaims the space of deleted and overwritten values, keeping every live value", async () => {
    const churn = await churned();
    const model = churn.model;
    let log = churn.log;
    const oldFiles = await segmentFiles(log.dir);
    assert.ok(oldFiles.length > 1);
    const before = log.stats();
    const liveRecords = [...model].reduce((n, [k, v]) => n + HEADER + Buffer.byteLength(k) + v.length, 0);
    assert.equal(before.liveBytes, liveRecords);
    assert.ok(before.totalBytes > 3 * liveRecords);
    const result = await log.compact();
    assert.equal(result.before, before.totalBytes);
    const afterStats = log.stats();
    assert.equal(result.after, afterStats.totalBytes);
    assert.equal(afterStats.totalBytes, liveRecords);
    assert.equal(afterStats.liveBytes, liveRecords);
    assert.equal(afterStats.keys, model.size);
    const newFiles = await segmentFiles(log.dir);
    for (const file of oldFiles) assert.ok(!newFiles.includes(file), `${file} is still there`);
    const onDisk = await Promise.all(newFiles.map(async (f) => (await stat(join(log.dir, f))).size));
    assert.equal(
      onDisk.reduce((a, b) => a + b, 0),
      liveRecords,
    );
    await assertHolds(log, model, "after compaction");
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    assert.equal(log.stats().totalBytes, liveRecords);
    assert.equal(log.recovery.skippedBytes + log.recovery.truncatedBytes, 0);
    // Writes go on after compaction.
    await log.put("key-0", text("back"));
    model.set("key-0", text("back"));
    log = await reopen(log, options);
    await assertHolds(log, model, "after a write and reopen");
    await log.close();
  });

  it("answers reads issued while it copies and removes segments", async () => {
    const churn = await churned();
    const model = churn.model;
    let log = churn.log;
    const keys = [...model.keys()];
    const reads: Promise<void>[] = [];
    const check = (key: string) =>
      reads.push(log.get(key).then((value) => assertBytes(value, model.get(key)!, `read of ${key} during compaction`)));
    const compaction = log.compact((done) => {
      check(keys[done % keys.length]!);
      check(keys[(done * 7) % keys.length]!);
    });
    for (const key of keys) check(key);
    await compaction;
    for (const key of keys) check(key);
    await Promise.all(reads);
    assert.ok(reads.length > 3 * keys.length);
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });

  it("lands writes issued while it runs", async () => {
    const churn = await churned();
    const model = churn.model;
    let log = churn.log;
    const compaction = log.compact();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      const value = randomBytes(3 * KiB + i);
      model.set(`during-${i}`, value);
      writes.push(log.put(`during-${i}`, value));
    }
    for (let i = 60; i < 70; i++) {
      const value = randomBytes(100);
      model.set(`key-${i}`, value);
      writes.push(log.put(`key-${i}`, value));
    }
    for (let i = 70; i < 75; i++) {
      model.delete(`key-${i}`);
      writes.push(log.delete(`key-${i}`));
    }
    // Reads go on meanwhile.
    assertBytes(await log.get("key-95"), model.get("key-95")!);
    await Promise.all([compaction, ...writes]);
    await assertHolds(log, model, "after compaction");
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });

  it("keeps the call order of operations issued while it runs", async () => {
    const churn = await churned();
    const model = churn.model;
    let log = churn.log;
    const compaction = log.compact();
    const writes = [log.put("fresh", text("v")), log.delete("fresh"), log.put("key-95", text("new"))];
    model.set("key-95", text("new"));
    assertBytes(await log.get("key-95"), text("new"), "a get after a put sees the put");
    await Promise.all([compaction, ...writes]);
    await assertHolds(log, model, "after compaction");
    log = await reopen(log, options);
    await assertHolds(log, model, "after reopen");
    await log.close();
  });

  for (const restore of ["every old segment", "the last old segment"] as const) {
    it(`gives the same live set when a crash left ${restore} behind (the copies win)`, async () => {
      const churn = await churned();
      const model = churn.model;
      let log = churn.log;
      // A key whose put and tombstone sit in different old segments.
      await log.put("split", randomBytes(200 * KiB));
      await log.put("filler", randomBytes(100 * KiB));
      await log.delete("split");
      model.set("filler", (await log.get("filler"))!);
      const backup = join(root, `backup-${++dirs}`);
      await mkdir(backup);
      const oldFiles = await segmentFiles(log.dir);
      for (const file of oldFiles) await copyFile(join(log.dir, file), join(backup, file));
      await log.compact();
      await log.close();
      // Old segments are removed in order, so a crash can only leave the later ones.
      const left = restore === "every old segment" ? oldFiles : oldFiles.slice(-1);
      for (const file of left) await copyFile(join(backup, file), join(log.dir, file));
      log = await AppendLog.open(log.dir, options);
      await assertHolds(log, model, "after the crash");
      assert.equal(log.recovery.skippedBytes + log.recovery.truncatedBytes, 0);
      // The next compaction clears what the crash left.
      await log.compact();
      for (const file of left) assert.ok(!(await segmentFiles(log.dir)).includes(file));
      log = await reopen(log, options);
      await assertHolds(log, model, "after compacting again");
      await log.close();
    });
  }

  it("compacts an empty log and one whose every key was deleted", async () => {
    let log = await AppendLog.open(fresh());
    await log.compact();
    await log.put("a", randomBytes(1000));
    await log.delete("a");
    await log.compact();
    assert.equal(log.stats().totalBytes, 0);
    assert.equal(log.size, 0);
    log = await reopen(log);
    assert.equal(log.size, 0);
    await log.put("b", text("b"));
    log = await reopen(log);
    assertBytes(await log.get("b"), text("b"));
    await log.close();
  });
});

describe("AppendLog: one opener at a time", () => {
  it("of two opens of one folder started together in one process, exactly one succeeds", async () => {
    const dir = fresh();
    const results = await Promise.allSettled([AppendLog.open(dir), AppendLog.open(dir)]);
    const opened = results.filter((r) => r.status === "fulfilled");
    assert.equal(opened.length, 1);
    const refused = results.find((r) => r.status === "rejected")!;
    assert.ok(refused.reason instanceof LogLockedError);
    const log = opened[0]!.value;
    await log.put("k", text("v"));
    await log.close();
    const again = await AppendLog.open(dir);
    assertBytes(await again.get("k"), text("v"));
    await again.close();
  });

  it("refuses a second open in the same process until the first is closed", async () => {
    const dir = fresh();
    const first = await AppendLog.open(dir);
    await first.put("k", text("v"));
    await assert.rejects(AppendLog.open(dir), (error: unknown) => {
      assert.ok(error instanceof LogLockedError);
      assert.equal(error.pid, process.pid);
      assert.equal(error.code, "STORE_LOCKED");
      return true;
    });
    await assert.rejects(AppendLog.open(`${dir}/./`), LogLockedError);
    // The refused open did not take the lock away from the first.
    assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(process.pid));
    assertBytes(await first.get("k"), text("v"));
    await first.close();
    await assert.rejects(stat(join(dir, "LOCK")), { code: "ENOENT" });
    const second = await AppendLog.open(dir);
    assertBytes(await second.get("k"), text("v"));
    await second.close();
  });

  it("refuses a second open through a symlink to the same folder", async () => {
    const dir = fresh();
    const first = await AppendLog.open(dir);
    const link = join(root, `link-${++dirs}`);
    await symlink(dir, link);
    try {
      await assert.rejects(AppendLog.open(link), LogLockedError);
    } finally {
      await first.close();
    }
  });

  it("takes over a LOCK left by a process that has exited", async () => {
    const dir = fresh();
    let log = await AppendLog.open(dir);
    await log.put("k", text("v"));
    await log.close();
    const dead = spawnSync(process.execPath, ["-e", ""]);
    assert.equal(dead.status, 0);
    await writeFile(join(dir, "LOCK"), String(dead.pid));
    log = await AppendLog.open(dir);
    assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(process.pid));
    assertBytes(await log.get("k"), text("v"));
    await log.close();
    // An empty LOCK (a crash between creating and writing it) is stale too.
    await writeFile(join(dir, "LOCK"), "");
    log = await AppendLog.open(dir);
    await log.close();
  });

  it("refuses a log held by another live process, naming it, and opens once it is gone", async () => {
    const dir = fresh();
    const holder = child(`
      import { AppendLog } from ${JSON.stringify(appendLogModule)};
      const log = await AppendLog.open(${JSON.stringify(dir)});
      await log.put("from-child", new TextEncoder().encode("hello"));
      console.log("ready");
      process.stdin.on("data", () => {});
      process.stdin.on("end", async () => { await log.close(); process.exit(0); });
    `);
    try {
      assert.equal(await firstLine(holder), "ready");
      await assert.rejects(AppendLog.open(dir), (error: unknown) => {
        assert.ok(error instanceof LogLockedError);
        assert.equal(error.pid, holder.pid);
        assert.match(error.message, new RegExp(`process ${holder.pid}\\b`));
        return true;
      });
      assert.equal((await readFile(join(dir, "LOCK"), "utf8")).trim(), String(holder.pid));
    } finally {
      holder.stdin.end();
      await exited(holder);
    }
    assert.equal(holder.exitCode, 0);
    const log = await AppendLog.open(dir);
    assertBytes(await log.get("from-child"), text("hello"));
    await log.close();
  });

  it("takes over from a process killed while holding the log, keeping what it wrote", async () => {
    const dir = fresh();
    const holder = child(`
      import { AppendLog } from ${JSON.stringify(appendLogModule)};
      const log = await AppendLog.open(${JSON.stringify(dir)});
      for (let i = 0; i < 100; i++) await log.put("k" + i, new Uint8Array(1000).fill(i));
      console.log("ready");
      setInterval(() => {}, 1000);
    `);
    try {
      assert.equal(await firstLine(holder), "ready");
      await assert.rejects(AppendLog.open(dir), LogLockedError);
    } finally {
      holder.kill("SIGKILL");
      await exited(holder);
    }
    const log = await AppendLog.open(dir);
    assert.equal(log.size, 100);
    for (let i = 0; i < 100; i++) assertBytes(await log.get(`k${i}`), new Uint8Array(1000).fill(i));
    await log.close();
  });
});

async function drain(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const chunk of chunks) out.push(chunk);
  return out;
}

const rawCid = async (bytes: Uint8Array) => CID.createV1(raw.code, await sha256.digest(bytes));

describe("LogBlockstore and LogDatastore", () => {
  it("LogBlockstore: put, get as one chunk, has, getAll, delete, and NotFoundError", async () => {
    const dir = fresh();
    let blocks = await LogBlockstore.open(dir);
    const a = randomBytes(MiB);
    const b = randomBytes(10);
    const cidA = await rawCid(a);
    const cidB = await rawCid(b);
    assert.ok((await blocks.put(cidA, a)).equals(cidA));
    // Bytes may come as an (async) iterable of parts.
    await blocks.put(
      cidB,
      (async function* () {
        yield b.subarray(0, 4);
        yield b.subarray(4);
      })(),
    );
    const chunks = await drain(blocks.get(cidA));
    assert.equal(chunks.length, 1);
    assertBytes(chunks[0], a);
    assertBytes(Buffer.concat(await drain(blocks.get(cidB))), b);
    assert.equal(await blocks.has(cidA), true);
    // Keyed by multihash: the same bytes under another codec are the same block.
    assert.equal(await blocks.has(CID.createV1(0x70, cidA.multihash)), true);
    assert.equal(blocks.log.has(blockKey(cidA)), true);

    const all = new Map<string, Uint8Array>();
    for await (const pair of blocks.getAll()) {
      assert.equal(pair.cid.code, raw.code);
      all.set(pair.cid.toString(), Buffer.concat(await drain(pair.bytes)));
    }
    assert.deepEqual([...all.keys()].sort(), [cidA.toString(), cidB.toString()].sort());
    assertBytes(all.get(cidA.toString()), a);

    await blocks.delete(cidA);
    assert.equal(await blocks.has(cidA), false);
    await assert.rejects(drain(blocks.get(cidA)), { name: "NotFoundError" });
    await assert.rejects(drain(blocks.get(await rawCid(text("never stored")))), { name: "NotFoundError" });

    await blocks.close();
    blocks = await LogBlockstore.open(dir);
    assert.equal(await blocks.has(cidA), false);
    assertBytes(Buffer.concat(await drain(blocks.get(cidB))), b);
    await blocks.close();
  });

  it("LogDatastore: put, get, has, delete, query and queryKeys by prefix, across reopen", async () => {
    const dir = fresh();
    let data = await LogDatastore.open(dir);
    const entries: [string, string][] = [
      ["/pins/a", "pin a"],
      ["/pins/b", "pin b"],
      ["/pinned-blocks/x", "block x"],
      ["/version", "1"],
    ];
    for (const [k, v] of entries) await data.put(new Key(k), text(v));
    assertBytes(await data.get(new Key("/pins/a")), text("pin a"));
    assert.equal(await data.has(new Key("/pins/b")), true);
    assert.equal(await data.has(new Key("/pins/c")), false);
    await assert.rejects(data.get(new Key("/pins/c")), { name: "NotFoundError" });

    const query = async (prefix?: string) => {
      const out: string[] = [];
      for await (const { key, value } of data.query({ prefix }))
        out.push(`${key.toString()}=${new TextDecoder().decode(value)}`);
      return out.sort();
    };
    const queryKeys = async (prefix?: string) => {
      const out: string[] = [];
      for await (const key of data.queryKeys({ prefix })) out.push(key.toString());
      return out.sort();
    };
    assert.deepEqual(await query("/pins/"), ["/pins/a=pin a", "/pins/b=pin b"]);
    assert.deepEqual(await queryKeys("/pin"), ["/pinned-blocks/x", "/pins/a", "/pins/b"]);
    assert.deepEqual((await queryKeys()).length, 4);

    await data.delete(new Key("/pins/a"));
    await data.put(new Key("/version"), text("2"));
    await data.close();
    data = await LogDatastore.open(dir);
    assert.deepEqual(await query("/pins/"), ["/pins/b=pin b"]);
    assert.deepEqual(await queryKeys(), ["/pinned-blocks/x", "/pins/b", "/version"]);
    assertBytes(await data.get(new Key("/version")), text("2"));
    await data.close();
  });

  it("a Helia node over them keeps a pin across reopen", async () => {
    const dir = fresh();
    const bytes = randomBytes(5000);
    const cid = await rawCid(bytes);
    {
      const blockstore = await LogBlockstore.open(join(dir, "blocks"));
      const datastore = await LogDatastore.open(join(dir, "data"));
      const helia = createHeliaLight({ blockstore, datastore });
      await helia.start();
      await helia.blockstore.put(cid, bytes);
      for await (const _ of helia.pins.add(cid)) {
        // drain: add yields each block it pins
      }
      assert.equal(await helia.pins.isPinned(cid), true);
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    }
    const blockstore = await LogBlockstore.open(join(dir, "blocks"));
    const datastore = await LogDatastore.open(join(dir, "data"));
    const helia = createHeliaLight({ blockstore, datastore });
    await helia.start();
    try {
      const pins: string[] = [];
      for await (const pin of helia.pins.ls()) pins.push(pin.cid.toString());
      assert.deepEqual(pins, [cid.toString()]);
      assert.equal(await helia.pins.isPinned(cid), true);
      assertBytes(Buffer.concat(await drain(blockstore.get(cid))), bytes);
    } finally {
      await helia.stop();
      await blockstore.close();
      await datastore.close();
    }
  });
});
