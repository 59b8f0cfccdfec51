import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { importer } from "ipfs-unixfs-importer";
import { fixedSize } from "ipfs-unixfs-importer/chunker";
import { balanced } from "ipfs-unixfs-importer/layout";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { sha256 as sha256Hasher } from "multiformats/hashes/sha2";
import { randomBytes } from "../src/bytes.js";
import { generateKeyPair } from "../src/crypto/keys.js";
import { openRecord, recordRecipients, sealRecord } from "../src/crypto/container.js";
import {
  BlobNotFoundError,
  IntegrityError,
  SizeLimitError,
  StoreCidMismatchError,
  StoreLockedError,
} from "../src/errors.js";
import { HeliaBlobStore } from "../src/node/helia.js";
import { startStorageServer, type StorageServer } from "../src/node/storageServer.js";
import { cidOf, commitmentOf, fetchVerified, type BlobStore } from "../src/storage/blobStore.js";
import { KuboBlobStore } from "../src/storage/kubo.js";
import { ReplicatedBlobStore } from "../src/storage/replicated.js";
import { getRecord, putRecord, sealAndStore } from "../src/storage/records.js";
import { formatRepairReport, verifyAndRepair, type RecordPointer } from "../src/storage/verifyAndRepair.js";

/** What a record is bound to in these tests (any chain, registry and accounts). */
const bound = (category: number) => ({
  chainId: 31337,
  registry: `0x${"c1".repeat(20)}`,
  patient: `0x${"a1".repeat(20)}`,
  author: `0x${"d1".repeat(20)}`,
  category,
  epoch: 0,
});

const MiB = 1024 * 1024;
const SIZES = [0, 1, MiB - 1, MiB, MiB + 1, 50 * MiB];
let root: string;

before(async () => {
  root = await mkdtemp(join(tmpdir(), "careledger-storage-"));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Overwrites a stored block's bytes in place, as a failing disk would. */
async function corrupt(store: HeliaBlobStore, cid: CID, length: number) {
  const { file, offset } = store.blockLocation(cid);
  const handle = await open(file, "r+");
  try {
    await handle.write(randomBytes(length), 0, length, offset);
  } finally {
    await handle.close();
  }
}

describe("HeliaBlobStore (embedded, offline, on disk)", () => {
  let store: HeliaBlobStore;
  before(async () => {
    store = await HeliaBlobStore.open({ dataDir: join(root, "helia") });
  });
  after(async () => {
    await store.close();
  });

  for (const size of SIZES) {
    it(`stores and returns ${size} bytes under a CIDv1 (raw leaves, 1 MiB chunks)`, async () => {
      const bytes = randomBytes(size);
      const cid = await store.put(bytes);
      assert.equal(cid.version, 1);
      if (size <= MiB) {
        // One chunk: the CID is the raw leaf itself, exactly what `ipfs add --cid-version 1 --raw-leaves` gives.
        assert.ok(cid.equals(CID.createV1(raw.code, await sha256Hasher.digest(bytes))));
      } else {
        assert.equal(cid.code, 0x70); // dag-pb root over raw leaves
      }
      assert.ok(await store.has(cid));
      assert.ok(await store.isPinned(cid));
      const back = await store.get(cid);
      assert.equal(back.length, size);
      assert.ok(Buffer.from(back).equals(Buffer.from(bytes)));
    });
  }

  it("gives the CIDs of the reference importer run with the unixfs-v1-2025 profile", async () => {
    for (const size of [MiB + 1, 3 * MiB + 5]) {
      const bytes = randomBytes(size);
      let expected: CID | undefined;
      const discard = { put: async (cid: CID) => cid };
      for await (const entry of importer([{ content: bytes }], discard as never, { profile: "unixfs-v1-2025" }))
        expected = entry.cid;
      assert.equal((await store.put(bytes)).toString(), expected!.toString());
    }
  });

  it("gives the well-known CID of the empty file", async () => {
    assert.equal(
      (await store.put(new Uint8Array())).toString(),
      "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
    );
  });

  it("accepts streams and enforces the size limit with SizeLimitError", async () => {
    const small = await HeliaBlobStore.open({ dataDir: join(root, "helia-small"), maxBlobBytes: 1000 });
    try {
      await assert.rejects(small.put(new Uint8Array(1001)), SizeLimitError);
      async function* stream() {
        for (let i = 0; i < 5; i++) yield new Uint8Array(300);
      }
      await assert.rejects(small.put(stream()), SizeLimitError);
      const cid = await small.put(
        (async function* () {
          yield new Uint8Array(500);
          yield new Uint8Array(500);
        })(),
      );
      assert.equal((await small.get(cid)).length, 1000);
    } finally {
      await small.close();
    }
  });

  it("reads files of any other DAG shape through the UnixFS exporter", async () => {
    const bytes = randomBytes(10_000);
    let root: CID | undefined;
    for await (const entry of importer([{ content: bytes }], store.helia.blockstore, {
      cidVersion: 1,
      rawLeaves: false,
      chunker: fixedSize({ chunkSize: 1000 }),
      layout: balanced({ maxChildrenPerNode: 3 }),
    }))
      root = entry.cid;
    assert.ok(Buffer.from(await store.get(root!)).equals(Buffer.from(bytes)));
  });

  it("reports a CID it does not hold with BlobNotFoundError", async () => {
    const absent = CID.createV1(raw.code, await sha256Hasher.digest(randomBytes(8)));
    assert.equal(await store.has(absent), false);
    await assert.rejects(store.get(absent), BlobNotFoundError);
  });
});

describe("HeliaBlobStore write path (stock UnixFS importer, Helia's pins)", () => {
  let store: HeliaBlobStore;
  before(async () => {
    store = await HeliaBlobStore.open({ dataDir: join(root, "helia-fast") });
  });
  after(async () => {
    await store.close();
  });

  it("putCommitted gives the reference importer CID and the sha-256 of the bytes", async () => {
    for (const size of [0, 1, MiB - 1, MiB, MiB + 1, 3 * MiB + 5]) {
      const bytes = randomBytes(size);
      let expected: CID | undefined;
      const discard = { put: async (cid: CID) => cid };
      for await (const entry of importer([{ content: bytes }], discard as never, { profile: "unixfs-v1-2025" }))
        expected = entry.cid;
      const { cid, commitment } = await store.putCommitted(bytes);
      assert.equal(cid.toString(), expected!.toString(), `size ${size}`);
      assert.equal(commitment, await commitmentOf(bytes));
      assert.ok(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes)));
    }
  });

  it("writes pin records Helia's own pins API reads, counts and removes", async () => {
    const bytes = randomBytes(2 * MiB + 9);
    const cid = await store.put(bytes);
    const pin = await store.helia.pins.get(cid);
    assert.equal(pin.depth, Infinity);
    assert.deepEqual(pin.metadata, {});
    const listed: string[] = [];
    for await (const p of store.pins()) listed.push(p.toString());
    assert.ok(listed.includes(cid.toString()));
    const leaf = CID.createV1(raw.code, await sha256Hasher.digest(bytes.subarray(0, MiB)));
    assert.ok(await store.helia.pins.isPinned(leaf));
    // Another blob sharing the first leaf: Helia's pin code counts the shared block twice.
    const sharing = new Uint8Array(MiB + 3);
    sharing.set(bytes.subarray(0, MiB));
    const other = await store.put(sharing);
    assert.ok(await store.isPinned(other));
    for await (const _ of store.helia.pins.rm(cid)) {
      // drain
    }
    assert.equal(await store.isPinned(cid), false);
    assert.ok(await store.helia.pins.isPinned(leaf), "still pinned by the other blob");
    // Re-putting the unpinned bytes pins them again.
    assert.equal((await store.put(bytes)).toString(), cid.toString());
    assert.ok(await store.isPinned(cid));
  });

  it("re-putting repairs a corrupt block (blockstore-fs rewrites it)", async () => {
    const bytes = randomBytes(MiB + 100);
    const cid = await store.put(bytes);
    const leaf = CID.createV1(raw.code, await sha256Hasher.digest(bytes.subarray(0, MiB)));
    await corrupt(store, leaf, MiB);
    assert.ok(!Buffer.from(await store.get(cid)).equals(Buffer.from(bytes)));
    await store.put(bytes);
    assert.ok(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes)));
  });

  it("takes Node Buffers (views of larger ones too) without touching the caller's bytes", async () => {
    const big = Buffer.from(randomBytes(4 * MiB + 100));
    for (const data of [big, big.subarray(50, 50 + 3 * MiB + 7)]) {
      const before = Buffer.from(data);
      const { cid, commitment } = await store.putCommitted(data);
      assert.equal(data.length, before.length, "the caller's buffer keeps its length");
      assert.ok(data.equals(before), "and its bytes");
      assert.equal(commitment, await commitmentOf(before));
      const back = await store.getCommitted(cid);
      assert.ok(Buffer.from(back.bytes).equals(before));
      assert.equal(back.commitment, commitment);
    }
  });

  it("puts sharing a block keep both pins: unpinning one and collecting leaves the other whole", async () => {
    const shared = randomBytes(MiB);
    const a = new Uint8Array(MiB + 10);
    const b = new Uint8Array(MiB + 20);
    a.set(shared);
    b.set(shared);
    const [cidA, cidB] = await Promise.all([store.put(a), store.put(b)]);
    for await (const _ of store.helia.pins.rm(cidA)) {
      // drain
    }
    await store.gc();
    assert.ok(await store.isPinned(cidB));
    assert.ok(Buffer.from(await store.get(cidB)).equals(Buffer.from(b)));
    assert.equal(await store.has(cidA), false, "a's own root went");
  });

  it("a collection started while a put is streaming waits for it: the blob comes back whole and pinned", async () => {
    const bytes = randomBytes(8 * MiB + 3);
    let collected: Promise<unknown> | undefined;
    async function* slowly() {
      for (let i = 0; i < bytes.length; i += 256 * 1024) {
        // Half-way through, with several leaves already in the log and none pinned yet.
        if (i === 5 * MiB) collected = store.gc();
        await new Promise((r) => setTimeout(r, 2));
        yield bytes.subarray(i, Math.min(bytes.length, i + 256 * 1024));
      }
    }
    const { cid } = await store.putCommitted(slowly());
    await collected;
    assert.ok(collected, "the collection ran");
    assert.ok(await store.isPinned(cid));
    assert.ok(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes)));
  });

  it("sealAndStore commits to exactly the stored bytes", async () => {
    const reader = generateKeyPair();
    const recipients = recordRecipients({
      ...bound(1),
      categoryPublicKey: reader.publicKey,
      authorPublicKey: generateKeyPair().publicKey,
    });
    for (const size of [0, 1000, MiB, 3 * MiB + 1]) {
      const body = randomBytes(size);
      const stored = await sealAndStore(store, {
        meta: { contentType: "application/pdf" },
        body,
        bodyLength: size,
        recipients,
      });
      const blob = await store.get(stored.cid);
      assert.equal(stored.commitment, await commitmentOf(blob));
      assert.equal(stored.size, blob.length);
      assert.ok(
        Buffer.from(
          (await openRecord(await getRecord(store, stored.cid, stored.commitment), reader, bound(1))).bytes,
        ).equals(Buffer.from(body)),
      );
    }
  });
});

describe("HeliaBlobStore persistence across restarts", () => {
  it("refuses a second opener of the same folder with a clear error, and opens once it is closed", async () => {
    const dataDir = join(root, "locked");
    const first = await HeliaBlobStore.open({ dataDir });
    await assert.rejects(HeliaBlobStore.open({ dataDir }), (error: Error) => {
      assert.ok(error instanceof StoreLockedError);
      assert.match(error.message, /is open in process \d+/);
      assert.match(error.message, /--ipfs-api/);
      return true;
    });
    const cid = await first.put(randomBytes(10));
    await first.close();
    const second = await HeliaBlobStore.open({ dataDir });
    assert.ok(await second.isPinned(cid));
    await second.close();
  });

  it("opens a store of one file per block and pin (blockstore-fs, datastore-fs), pins moved to LevelDB", async () => {
    const dataDir = join(root, "legacy");
    const bytes = randomBytes(2 * MiB + 3);
    // A store as the previous version wrote it: Helia over blockstore-fs and datastore-fs.
    const { FsBlockstore } = await import("blockstore-fs");
    const { FsDatastore } = await import("datastore-fs");
    const { createHeliaLight } = await import("helia");
    const { unixfs } = await import("@helia/unixfs");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(join(dataDir, "tmp"), { recursive: true }); // the earlier write path's temporary files
    const blockstore = new FsBlockstore(join(dataDir, "blocks"));
    const datastore = new FsDatastore(join(dataDir, "datastore"));
    await blockstore.open();
    await datastore.open();
    const helia = createHeliaLight({ blockstore, datastore });
    await helia.start();
    const cid = await unixfs(helia).addBytes(bytes, { profile: "unixfs-v1-2025" } as never);
    for await (const _ of helia.pins.add(cid)) {
      // drain
    }
    await helia.stop();
    await blockstore.close();
    await datastore.close();

    const store = await HeliaBlobStore.open({ dataDir });
    try {
      assert.ok(await store.isPinned(cid));
      assert.ok(Buffer.from(await store.get(cid)).equals(Buffer.from(bytes)));
      assert.ok(existsSync(join(dataDir, "datastore.migrated")) && !existsSync(join(dataDir, "datastore")));
      assert.ok(!existsSync(join(dataDir, "tmp")), "the empty temporary-file folder is gone");
    } finally {
      await store.close();
    }
  });

  it("migrates a store the append-only log wrote (blocklog/, datalog/) on open, nothing lost", async () => {
    // sdk/test/fixtures/log-store: written by the log engine itself before it was removed.
    const fixture = fileURLToPath(new URL("./fixtures/log-store/", import.meta.url));
    const manifest = JSON.parse(await readFile(join(fixture, "manifest.json"), "utf8")) as {
      cid: string;
      commitment: string;
      size: number;
      pinned: boolean;
    }[];
    const dataDir = join(root, "from-log");
    await cp(join(fixture, "ipfs"), dataDir, { recursive: true });
    for (const round of ["migrating", "reopening the migrated store"]) {
      const store = await HeliaBlobStore.open({ dataDir });
      try {
        for (const entry of manifest) {
          const bytes = await fetchVerified(store, entry.cid, entry.commitment);
          assert.equal(bytes.length, entry.size, `${round}: ${entry.cid}`);
          assert.equal(await store.isPinned(entry.cid), entry.pinned, `${round}: ${entry.cid} pinned`);
        }
        const pins = new Set<string>();
        for await (const pin of store.pins()) pins.add(pin.toString());
        assert.deepEqual(pins, new Set(manifest.filter((e) => e.pinned).map((e) => e.cid)));
      } finally {
        await store.close();
      }
    }
    assert.ok(existsSync(join(dataDir, "blocklog.migrated")) && !existsSync(join(dataDir, "blocklog")));
    assert.ok(existsSync(join(dataDir, "datalog.migrated")) && !existsSync(join(dataDir, "datalog")));
  });

  it("gc removes unpinned blocks and gives the space back; pinned blobs survive", async () => {
    const store = await HeliaBlobStore.open({ dataDir: join(root, "gc") });
    try {
      const kept = randomBytes(MiB + 5);
      const keptCid = await store.put(kept);
      const dropped = await store.put(randomBytes(4 * MiB));
      for await (const _ of store.helia.pins.rm(dropped)) {
        // drain
      }
      const { before, after } = await store.gc();
      assert.ok(before >= 5 * MiB, `blocks held ${before} bytes`);
      assert.ok(after < 2 * MiB, `blocks hold ${after} bytes after collection`);
      assert.equal(await store.has(dropped), false);
      assert.ok(Buffer.from(await store.get(keptCid)).equals(Buffer.from(kept)));
      assert.ok(await store.isPinned(keptCid));
    } finally {
      await store.close();
    }
  });

  it("keeps blocks and pins after close and reopen on the same folder", async () => {
    const dataDir = join(root, "restart");
    const bytes = randomBytes(3 * MiB + 7);
    const first = await HeliaBlobStore.open({ dataDir });
    const cid = await first.put(bytes);
    await first.close();
    const second = await HeliaBlobStore.open({ dataDir });
    try {
      assert.ok(await second.isPinned(cid));
      assert.ok(Buffer.from(await second.get(cid)).equals(Buffer.from(bytes)));
    } finally {
      await second.close();
    }
  });

  it("a process that never closes its store still exits; the next opener takes over its lock", async () => {
    const dataDir = join(root, "unclosed");
    const helia = fileURLToPath(new URL("../src/node/helia.ts", import.meta.url));
    const script = `
      import { HeliaBlobStore } from ${JSON.stringify(helia)};
      const store = await HeliaBlobStore.open({ dataDir: ${JSON.stringify(dataDir)} });
      const { cid } = await store.putCommitted(new Uint8Array(3 * 1024 * 1024 + 5).map((_, i) => i % 7));
      console.log(cid.toString());`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(child.status, 0, `the child did not exit by itself: ${child.signal ?? child.stderr}`);
    const cid = child.stdout.trim().split("\n").pop()!;
    const store = await HeliaBlobStore.open({ dataDir });
    try {
      const back = await store.get(cid);
      assert.ok(back.every((b, i) => b === i % 7) && back.length === 3 * MiB + 5);
      assert.ok(await store.isPinned(CID.parse(cid)));
    } finally {
      await store.close();
    }
  });

  it("reads in this process what a separate process wrote", async () => {
    const dataDir = join(root, "child");
    const helia = fileURLToPath(new URL("../src/node/helia.ts", import.meta.url));
    const script = `
      import { HeliaBlobStore } from ${JSON.stringify(helia)};
      const store = await HeliaBlobStore.open({ dataDir: ${JSON.stringify(dataDir)} });
      const bytes = new Uint8Array(2 * 1024 * 1024 + 1).map((_, i) => i % 251);
      const cid = await store.put(bytes);
      await store.close();
      console.log(cid.toString());`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    assert.equal(child.status, 0, child.stderr);
    const cid = child.stdout.trim().split("\n").pop()!;
    const store = await HeliaBlobStore.open({ dataDir });
    try {
      const back = await store.get(cid);
      assert.equal(back.length, 2 * MiB + 1);
      assert.ok(back.every((b, i) => b === i % 251));
      assert.ok(await store.isPinned(CID.parse(cid)));
    } finally {
      await store.close();
    }
  });
});

describe("KuboBlobStore against startStorageServer (Kubo RPC subset over HTTP, Helia behind it)", () => {
  let server: StorageServer;
  let kubo: KuboBlobStore;
  before(async () => {
    server = await startStorageServer({ dataDir: join(root, "server"), maxBlobBytes: 60 * MiB });
    kubo = new KuboBlobStore({ url: server.url });
  });
  after(async () => {
    await server.close();
  });

  for (const size of SIZES) {
    it(`round-trips ${size} bytes with the same CID as the embedded store`, async () => {
      const bytes = randomBytes(size);
      const cid = await kubo.put(bytes);
      const local = await HeliaBlobStore.open({ dataDir: join(root, `cmp-${size}`) });
      try {
        assert.ok(cid.equals(await local.put(bytes)));
      } finally {
        await local.close();
      }
      assert.ok(await kubo.has(cid));
      const back = await kubo.get(cid);
      assert.ok(Buffer.from(back).equals(Buffer.from(bytes)));
    });
  }

  it("streams uploads, pins, and lists pins", async () => {
    async function* source() {
      for (let i = 0; i < 3; i++) yield randomBytes(700_000);
    }
    const cid = await kubo.put(source());
    await kubo.pin(cid);
    const pins: string[] = [];
    for await (const pin of kubo.client.pin.ls({ paths: [cid] })) pins.push(pin.cid.toString());
    assert.deepEqual(pins, [cid.toString()]);
    const stat = await kubo.client.block.stat(cid);
    assert.ok(stat.size > 0);
    assert.match((await kubo.client.version()).version, /careledger/);
    assert.ok((await kubo.client.id()).id);
  });

  it("collects garbage through repo/gc: unpinned blocks go, pinned blobs stay whole", async () => {
    const kept = randomBytes(2 * MiB + 1);
    const keptCid = await kubo.put(kept);
    const dropped = await kubo.put(randomBytes(MiB + 2));
    for await (const _ of server.store.helia.pins.rm(dropped)) {
      // drain: an upload nobody pinned (or a cut-off one) looks like this
    }
    const report = await kubo.collectGarbage();
    assert.equal(report.removedBlocks, 3, "the unpinned blob's root and its two leaves");
    assert.equal(await kubo.has(dropped), false);
    assert.ok(Buffer.from(await kubo.get(keptCid)).equals(Buffer.from(kept)));
    assert.equal((await kubo.collectGarbage()).removedBlocks, 0, "nothing left to collect");
  });

  it("reports a missing CID (has = false, get = BlobNotFoundError)", async () => {
    const absent = CID.createV1(raw.code, await sha256Hasher.digest(randomBytes(8)));
    assert.equal(await kubo.has(absent), false);
    await assert.rejects(kubo.get(absent), BlobNotFoundError);
  });

  it("enforces size limits on both sides", async () => {
    const tight = new KuboBlobStore({ url: server.url, maxBlobBytes: 10 });
    await assert.rejects(tight.put(new Uint8Array(11)), SizeLimitError);
    await assert.rejects(kubo.put(new Uint8Array(61 * MiB)), /exceeds the limit/);
  });

  it("parses add's multipart body (busboy): refuses other bodies and a body cut short, with Kubo's error shape", async () => {
    const add = `${server.url}/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-1048576`;
    const plain = await fetch(add, {
      method: "POST",
      body: "not multipart",
      headers: { "Content-Type": "text/plain" },
    });
    assert.equal(plain.status, 400);
    assert.match(((await plain.json()) as { Message: string }).Message, /expected a multipart\/form-data body/);
    const boundary = "careledger-test";
    const cut = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\n\r\nhalf a file`;
    const response = await fetch(add, {
      method: "POST",
      body: cut,
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
    });
    assert.equal(response.status, 400);
    const body = (await response.json()) as { Message: string; Type: string };
    assert.equal(body.Type, "error");
    assert.match(body.Message, /malformed multipart body/);
    const half = CID.createV1(raw.code, await sha256Hasher.digest(new TextEncoder().encode("half a file")));
    assert.equal(await kubo.has(half), false, "nothing of the cut-off upload is stored");
  });

  it("answers CORS for the dApp origin only, and only POST like Kubo", async () => {
    const ok = await fetch(`${server.url}/api/v0/version`, {
      method: "OPTIONS",
      headers: { Origin: "http://127.0.0.1:3000", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get("access-control-allow-origin"), "http://127.0.0.1:3000");
    const evil = await fetch(`${server.url}/api/v0/version`, {
      method: "POST",
      headers: { Origin: "http://evil.example" },
    });
    assert.equal(evil.status, 403);
    assert.equal((await fetch(`${server.url}/api/v0/version`)).status, 405);
  });
});

describe("ReplicatedBlobStore and verification against the on-chain commitment", () => {
  let a: HeliaBlobStore;
  let b: HeliaBlobStore;
  before(async () => {
    a = await HeliaBlobStore.open({ dataDir: join(root, "rep-a"), name: "store-a" });
    b = await HeliaBlobStore.open({ dataDir: join(root, "rep-b"), name: "store-b" });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it("stores a sealed record everywhere and reads it back verified and decrypted", async () => {
    const reader = generateKeyPair();
    const blob = await sealRecord(
      { kind: "attachment", contentType: "application/pdf", bytes: randomBytes(1500) },
      recordRecipients({
        ...bound(6),
        categoryPublicKey: reader.publicKey,
        authorPublicKey: generateKeyPair().publicKey,
      }),
    );
    const replicated = new ReplicatedBlobStore([a, b]);
    const cid = await replicated.put(blob);
    const commitment = await commitmentOf(blob);
    assert.ok((await a.has(cid)) && (await b.has(cid)));
    const opened = await openRecord(await replicated.getVerified(cid, commitment), reader, bound(6));
    assert.equal(opened.bytes.length, 1500);
  });

  it("sealAndStore streams a record into every replica; getRecord verifies before returning", async () => {
    const reader = generateKeyPair();
    const body = randomBytes(3 * 1024 * 1024 + 5);
    const replicated = new ReplicatedBlobStore([a, b]);
    const stored = await sealAndStore(replicated, {
      meta: { contentType: "image/png", fileName: "xray.png" },
      body,
      bodyLength: body.length,
      recipients: recordRecipients({
        ...bound(5),
        categoryPublicKey: reader.publicKey,
        authorPublicKey: generateKeyPair().publicKey,
      }),
    });
    const blob = await getRecord(replicated, stored.cid, stored.commitment);
    assert.equal(blob.length, stored.size);
    assert.equal(await commitmentOf(blob), stored.commitment);
    assert.ok(stored.cid.equals((await putRecord(a, blob)).cid));
    const opened = await openRecord(await getRecord(b, stored.cid, stored.commitment), reader, bound(5));
    assert.equal(opened.meta.fileName, "xray.png");
    assert.ok(Buffer.from(opened.bytes).equals(Buffer.from(body)));
  });

  it("rejects the wrong CID for a commitment with IntegrityError naming CID and store", async () => {
    const one = randomBytes(100);
    const other = randomBytes(100);
    await a.put(one);
    const otherCid = await a.put(other);
    const error = await fetchVerified(a, otherCid, await commitmentOf(one)).catch((e: unknown) => e);
    assert.ok(error instanceof IntegrityError);
    assert.equal(error.cid, otherCid.toString());
    assert.equal(error.store, "store-a");
    assert.match(error.message, new RegExp(otherCid.toString()));
    assert.match(error.message, /store-a/);
  });

  it("falls back to the next replica when one is corrupt or missing, and reports the corrupt one", async () => {
    const bytes = randomBytes(5000);
    const replicated0 = new ReplicatedBlobStore([a, b]);
    const cid = await replicated0.put(bytes);
    const commitment = await commitmentOf(bytes);
    await corrupt(a, cid, 5000);
    const seen: IntegrityError[] = [];
    const replicated = new ReplicatedBlobStore([a, b], { onIntegrityError: (e) => seen.push(e) });
    assert.ok(Buffer.from(await replicated.getVerified(cid, commitment)).equals(Buffer.from(bytes)));
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.store, "store-a");

    await corrupt(b, cid, 5000);
    await assert.rejects(replicated.getVerified(cid, commitment), IntegrityError);

    const onlyB = await b.put(randomBytes(10));
    const fresh = randomBytes(10);
    const freshCid = await b.put(fresh);
    assert.ok(onlyB);
    assert.ok(
      Buffer.from(await replicated.getVerified(freshCid, await commitmentOf(fresh))).equals(Buffer.from(fresh)),
    );
  });

  it("verifyAndRepair re-replicates missing and corrupt copies and reports the unrecoverable", async () => {
    const dataA = await HeliaBlobStore.open({ dataDir: join(root, "repair-a"), name: "A" });
    const server = await startStorageServer({ dataDir: join(root, "repair-b") });
    const dataB = new KuboBlobStore({ url: server.url, name: "B" });
    try {
      const blobs = [randomBytes(2000), randomBytes(2 * MiB + 3), randomBytes(3000), randomBytes(4000)];
      const pointers: RecordPointer[] = [];
      for (const [i, blob] of blobs.entries()) {
        const cid = await dataA.put(blob);
        if (i !== 0) await dataB.put(blob); // record 0: missing on B
        pointers.push({ recordId: BigInt(i), cid: cid.toString(), commitment: await commitmentOf(blob) });
      }
      await corrupt(dataA, CID.parse(String(pointers[2]!.cid)), 3000); // record 2: corrupt on A
      await corrupt(dataA, CID.parse(String(pointers[3]!.cid)), 4000); // record 3: corrupt on A...
      await corrupt(server.store, CID.parse(String(pointers[3]!.cid)), 4000); // ...and on B: unrecoverable

      const progress: number[] = [];
      async function* fromChain() {
        yield* pointers;
      }
      const report = await verifyAndRepair({
        pointers: fromChain(),
        stores: [dataA, dataB],
        onProgress: (p) => progress.push(p.done),
      });
      assert.deepEqual(progress, [1, 2, 3, 4]);
      assert.equal(report.records, 4);
      assert.equal(report.healthyRecords, 1);
      assert.deepEqual(report.copies, { ok: 4, missing: 1, corrupt: 3, error: 0 });
      assert.deepEqual(
        report.repaired.map((r) => [r.recordId, r.store, r.was]),
        [
          ["0", "B", "missing"],
          ["2", "A", "corrupt"],
        ],
      );
      assert.equal(report.bytesRepaired, 5000);
      assert.deepEqual(
        report.unrecoverable.map((u) => u.recordId),
        ["3"],
      );
      assert.match(formatRepairReport(report), /unrecoverable:\s+1/);

      const again = await verifyAndRepair({ pointers: pointers.slice(0, 3), stores: [dataA, dataB] });
      assert.equal(again.healthyRecords, 3);
      assert.equal(again.repaired.length, 0);
    } finally {
      await dataA.close();
      await server.close();
    }
  });
});

describe("stores are not trusted for what the SDK can check", () => {
  /** An in-memory store that can lie: about the CID it gave, and about the bytes it hashed. */
  function liar(options: { cid?: CID; bytes?: Uint8Array } = {}) {
    const blobs = new Map<string, Uint8Array>();
    const store: BlobStore & { putCommitted: unknown; getCommitted: unknown } = {
      name: "liar",
      async put(data) {
        const chunks: Uint8Array[] = [];
        if (data instanceof Uint8Array) chunks.push(data);
        else for await (const c of data) chunks.push(c);
        const bytes = Buffer.concat(chunks);
        const cid = await cidOf(bytes);
        blobs.set(cid.toString(), bytes);
        return options.cid ?? cid;
      },
      async get(cid) {
        return options.bytes ?? blobs.get(cid.toString())!;
      },
      async *stream(cid) {
        yield await this.get(cid);
      },
      async has(cid) {
        return blobs.has(cid.toString());
      },
      async pin() {},
      // Claims to hash for the SDK, and answers whatever commitment the caller hopes for.
      async putCommitted() {
        throw new Error("never called: only the SDK's own stores are trusted to hash");
      },
      async getCommitted(cid: CID) {
        return { bytes: options.bytes ?? blobs.get(cid.toString())!, commitment: `0x${"00".repeat(32)}` };
      },
    };
    return store;
  }
  const recipients = () =>
    recordRecipients({
      ...bound(1),
      categoryPublicKey: generateKeyPair().publicKey,
      authorPublicKey: generateKeyPair().publicKey,
    });

  it("a store answering another CID is caught before the CID can go on chain (putRecord and sealAndStore)", async () => {
    const other = await cidOf(randomBytes(10));
    const blob = await sealRecord(
      { kind: "attachment", contentType: "text/plain", bytes: randomBytes(100) },
      recipients(),
    );
    await assert.rejects(putRecord(liar({ cid: other }), blob), StoreCidMismatchError);
    const body = randomBytes(MiB + 3);
    await assert.rejects(
      sealAndStore(liar({ cid: other }), {
        meta: { contentType: "text/plain" },
        body,
        bodyLength: body.length,
        recipients: recipients(),
      }),
      (error: Error) => error instanceof StoreCidMismatchError && error.message.includes(other.toString()),
    );
    // An honest store's CID is the computed one.
    const stored = await putRecord(liar(), blob);
    assert.ok(stored.cid.equals(await cidOf(blob)));
  });

  it("a fake committing store is not trusted: fetchVerified hashes what it returns", async () => {
    const good = randomBytes(1000);
    const evil = randomBytes(1000);
    const store = liar({ bytes: evil });
    const cid = await store.put(good);
    // The store says the evil bytes hash to the commitment the reader expects.
    const expected = await commitmentOf(good);
    (store as { getCommitted: unknown }).getCommitted = async () => ({ bytes: evil, commitment: expected });
    await assert.rejects(fetchVerified(store, cid, expected), IntegrityError);
    await assert.rejects(getRecord(store, cid, expected), IntegrityError);
    // The same store returning the right bytes passes, whatever its getCommitted says.
    const honest = liar();
    const honestCid = await honest.put(good);
    assert.ok(Buffer.from(await fetchVerified(honest, honestCid, expected)).equals(Buffer.from(good)));
  });
});
