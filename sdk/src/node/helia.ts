/**
 * The embedded default store (Node only): a Helia light node — no libp2p, no routers, no block
 * brokers, so it never touches the network — over a blockstore and a datastore kept as
 * append-only logs on disk under a data folder (appendLog.ts: no file per block). Blocks and
 * pins persist across restarts.
 */
import { createHash, type Hash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rename, rmdir } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import { unixfs, type UnixFS } from "@helia/unixfs";
import { blockKey, LogBlockstore, LogDatastore } from "./logStores.js";
import * as dagPb from "@ipld/dag-pb";
import * as cborg from "cborg";
import { UnixFS as UnixFSData } from "ipfs-unixfs";
import { importer } from "ipfs-unixfs-importer";
import { Key } from "interface-datastore";
import { base36 } from "multiformats/bases/base36";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";
import { concatBytes, toHex, type ByteSource } from "../bytes.js";
import { BlobNotFoundError, SizeLimitError } from "../errors.js";
import {
  DEFAULT_MAX_BLOB_BYTES,
  limitSize,
  toCid,
  type BlobStore,
  type CidLike,
  type GarbageReport,
  type StoreOptions,
  UNIXFS_CHUNK_SIZE,
} from "../storage/blobStore.js";

const SHA2_256 = 0x12;
/** unixfs-v1-2025: up to 1,024 links per node; larger files go through the reference importer. */
const MAX_LINKS = 1024;

/** Raw-leaf CIDv1 from a sha-256 digest. */
function rawCid(digest: Uint8Array): CID {
  return CID.createV1(raw.code, createDigest(SHA2_256, digest));
}

/**
 * Helia's pin records, encoded as Helia encodes them (cborg, helia/dist/src/pins.js): a new
 * pinned-block record and a recursive pin. Tests check Helia's own pins API reads them.
 */
const newPinnedBlock = (root: CID) => cborg.encode({ pinCount: 1, pinnedBy: [root.bytes] });
const RECURSIVE_PIN = cborg.encode({ depth: Infinity, metadata: {} });
const pinnedBlockKey = (cid: CID) => new Key(`/pinned-block/${base36.encode(cid.multihash.bytes)}`);
const pinKey = (cid: CID) => new Key(`/pin/${cid.toString(base36)}`);

export interface PutCommittedResult {
  cid: CID;
  /** sha-256 of the stored bytes (the on-chain commitment), as bytes32 hex. */
  commitment: `0x${string}`;
}

/**
 * Pins walk the DAG to record every block they cover. Helia's default walker reads each block,
 * which for a 50 MiB file means reading it all back from disk; raw leaves have no links, so this
 * walker lists them from their parent's links without loading them.
 */
function rawLeafAwareWalker(components: {
  blockstore: { get(cid: CID, options?: object): AsyncIterable<Uint8Array> };
}) {
  return {
    async *walk(cid: CID, options: { signal?: AbortSignal } = {}) {
      async function* visit(
        current: CID,
        depth: number,
        path: CID[],
      ): AsyncGenerator<{
        block: { cid: CID; bytes: Uint8Array; value: unknown; links(): [] };
        depth: number;
        path: CID[];
      }> {
        if (current.code === raw.code) {
          yield { block: { cid: current, bytes: new Uint8Array(), value: undefined, links: () => [] }, depth, path };
          return;
        }
        const parts: Uint8Array[] = [];
        for await (const part of components.blockstore.get(current, { ...options, offline: true })) parts.push(part);
        const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        if (current.code !== dagPb.code)
          throw new Error(`unexpected codec 0x${current.code.toString(16)} in a UnixFS file`);
        const node = dagPb.decode(bytes);
        yield { block: { cid: current, bytes, value: node, links: () => [] }, depth, path };
        for (const link of node.Links) yield* visit(link.Hash, depth + 1, [...path, current]);
      }
      yield* visit(cid, 0, []);
    },
  };
}

/**
 * sha-256 on one worker thread (OpenSSL there too), started on first use. It keeps the process
 * alive only while it has work; a worker that fails takes only its own jobs down.
 */
class WorkerHasher {
  private worker: Worker | undefined;
  private next = 0;
  private closed = false;
  private readonly pending = new Map<
    number,
    { worker: Worker; resolve(d: Uint8Array): void; reject(e: unknown): void }
  >();
  private readonly waiting: (() => void)[] = [];

  private start(): Worker {
    const worker = new Worker(
      // getBuiltinModule rather than require/import: the eval'd code runs as CommonJS or as an
      // ES module depending on the parent's --input-type.
      `const { parentPort } = process.getBuiltinModule('node:worker_threads');
       const { createHash } = process.getBuiltinModule('node:crypto');
       parentPort.on('message', ({ id, bytes }) => {
         parentPort.postMessage({ id, digest: createHash('sha256').update(bytes).digest() });
       });`,
      { eval: true },
    );
    worker.unref();
    const settle = (id: number) => {
      this.pending.delete(id);
      this.waiting.shift()?.();
      if (![...this.pending.values()].some((p) => p.worker === worker)) worker.unref();
    };
    worker.on("message", ({ id, digest }: { id: number; digest: Uint8Array }) => {
      const job = this.pending.get(id);
      settle(id);
      job?.resolve(new Uint8Array(digest.buffer, digest.byteOffset, digest.length));
    });
    const fail = (error: unknown) => {
      for (const [id, job] of [...this.pending]) {
        if (job.worker !== worker) continue;
        settle(id);
        job.reject(error);
      }
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`hash worker exited (${code})`)));
    return worker;
  }

  /** Jobs not yet answered. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once a job finishes (callers use it to keep the number in flight bounded). */
  whenOneDone(): Promise<void> {
    return this.pending.size === 0 ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  /**
   * sha-256 of the parts, in order: copied once into a fresh buffer that is handed over (moved,
   * not cloned) to the worker. (A SharedArrayBuffer would save the copy, but V8 fills one
   * several times slower than a plain buffer.)
   */
  digest(parts: readonly Uint8Array[]): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error("the store is closed"));
    const worker = (this.worker ??= this.start());
    const id = this.next++;
    // A real copy: Buffer#slice is a view, and moving it would empty the caller's buffer.
    const copy = parts.length === 1 ? new Uint8Array(parts[0]!) : concatBytes(parts);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.ref();
      worker.postMessage({ id, bytes: copy }, [copy.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

export interface HeliaBlobStoreOptions {
  /** Folder holding `blocklog/` and `datalog/`; created when missing. */
  dataDir: string;
  name?: string;
  maxBlobBytes?: number;
}

const ROOT_CACHE_SIZE = 1024;
/** Pieces a leaf is read in, so hashing the first overlaps reading the next. */
const READ_PIECE = 256 * 1024;
const READS_IN_FLIGHT = 8;

/**
 * Stores written by an earlier version kept blocks and pins as one file each (blockstore-fs and
 * datastore-fs under `blocks/` and `datastore/`). Their contents move into the logs once; the
 * old folders are renamed `*.migrated` (delete them when satisfied).
 */
async function migrateFileStores(dataDir: string, blocks: LogBlockstore, datastore: LogDatastore): Promise<void> {
  const oldBlocks = join(dataDir, "blocks");
  const oldData = join(dataDir, "datastore");
  if (existsSync(oldBlocks)) {
    const legacy = new FsBlockstore(oldBlocks);
    await legacy.open();
    for await (const { cid, bytes } of legacy.getAll()) await blocks.put(cid, bytes);
    await legacy.close();
    await blocks.log.sync(); // on disk before the old folder is set aside
    await rename(oldBlocks, `${oldBlocks}.migrated`);
  }
  if (existsSync(oldData)) {
    const legacy = new FsDatastore(oldData);
    await legacy.open();
    for await (const { key, value } of legacy.query({})) await datastore.put(key, value);
    await legacy.close();
    await datastore.log.sync();
    await rename(oldData, `${oldData}.migrated`);
  }
  // The earlier write path's temporary-file folder, when nothing was left in it.
  await rmdir(join(dataDir, "tmp")).catch(() => undefined);
}

export class HeliaBlobStore implements BlobStore {
  readonly name: string;
  readonly helia: Helia;
  private readonly fs: UnixFS;
  private readonly blocks: LogBlockstore;
  private readonly datastore: LogDatastore;
  private readonly maxBlobBytes: number;
  private readonly hasher = new WorkerHasher();
  /** Puts in flight, the garbage collection running, and the queue of pin-record changes. */
  private writes = 0;
  private readonly writesDone: (() => void)[] = [];
  private collecting: Promise<unknown> | undefined;
  private pinQueue: Promise<unknown> = Promise.resolve();
  /** Decoded root blocks of recently read files (dag-pb roots are small). */
  private readonly roots = new Map<string, { root: dagPb.PBNode; data: UnixFSData | undefined }>();

  private constructor(helia: Helia, blocks: LogBlockstore, datastore: LogDatastore, options: HeliaBlobStoreOptions) {
    this.helia = helia;
    this.blocks = blocks;
    this.datastore = datastore;
    this.fs = unixfs(helia);
    this.name = options.name ?? `helia:${options.dataDir}`;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  /** @throws LogLockedError when another process (or store) has the folder open */
  static async open(options: HeliaBlobStoreOptions): Promise<HeliaBlobStore> {
    await mkdir(options.dataDir, { recursive: true });
    const blocks = await LogBlockstore.open(join(options.dataDir, "blocklog"));
    let datastore: LogDatastore | undefined;
    try {
      datastore = await LogDatastore.open(join(options.dataDir, "datalog"));
      await migrateFileStores(options.dataDir, blocks, datastore);
      const helia = createHeliaLight({ blockstore: blocks, datastore });
      await helia.start();
      return new HeliaBlobStore(helia, blocks, datastore, options);
    } catch (error) {
      await datastore?.close();
      await blocks.close();
      throw error;
    }
  }

  /**
   * Stores with the unixfs-v1-2025 profile (CIDv1, raw 1 MiB leaves, one dag-pb root over at
   * most 1,024 of them — the CIDs Kubo and Helia's importer give; larger files go through the
   * importer) and pins. Blocks are always written, even when the store already holds them:
   * re-putting healthy bytes is how a damaged local copy gets repaired (Helia's own put would
   * skip a block it already "has"); the log keeps the newest copy. The source's chunks are
   * written as given once hashed: a source must not refill a chunk's buffer before the put
   * resolves (Node streams and sealAndStore hand over fresh buffers).
   */
  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
    return this.writing(async () => {
      if (this.maxBlobBytes > MAX_LINKS * UNIXFS_CHUNK_SIZE) return this.importAndPin(data, options);
      return (await this.write(data, false, options)).cid;
    });
  }

  /**
   * put, also returning the sha-256 commitment of the stored bytes, computed in the same pass as
   * the leaf CIDs (sha-256 is a running state over 64-byte blocks, so the first 1 MiB leaf's
   * digest is a finalised copy of the commitment's state at that point; a blob of one leaf has
   * its commitment as its CID digest).
   */
  async putCommitted(
    data: ByteSource,
    options: StoreOptions & { /** Total bytes the stream will carry, when known. */ length?: number } = {},
  ): Promise<PutCommittedResult> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
    return this.writing(async () => {
      if (this.maxBlobBytes > MAX_LINKS * UNIXFS_CHUNK_SIZE) {
        const hash = createHash("sha256");
        async function* tap() {
          for await (const chunk of limitSize(data, Infinity)) {
            hash.update(chunk);
            yield chunk;
          }
        }
        const cid = await this.importAndPin(tap(), options);
        return { cid, commitment: toHex(hash.digest()) };
      }
      const { cid, commitment } = await this.write(data, true, options, options.length);
      return { cid, commitment: commitment! };
    });
  }

  /**
   * Runs a put while no garbage collection runs: a collection waits for puts in flight (their
   * blocks are not pinned until they end) and puts wait for a collection.
   */
  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    while (this.collecting) await this.collecting.catch(() => undefined);
    this.writes++;
    try {
      return await fn();
    } finally {
      if (--this.writes === 0) for (const resume of this.writesDone.splice(0)) resume();
    }
  }

  /** Pin records change one at a time: a put's new records, Helia's pin code and gc never interleave. */
  private pinning<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pinQueue.then(fn, fn);
    this.pinQueue = run.catch(() => undefined);
    return run;
  }

  private async importAndPin(data: ByteSource, options: StoreOptions): Promise<CID> {
    const blocks = this.blocks;
    const sink = {
      async put(cid: CID, bytes: Uint8Array) {
        await blocks.put(cid, bytes);
        return cid;
      },
    };
    let root: CID | undefined;
    for await (const entry of importer([{ content: limitSize(data, this.maxBlobBytes) }], sink as never, {
      profile: "unixfs-v1-2025",
    })) {
      root = entry.cid;
    }
    if (!root) throw new Error("importer produced no root CID");
    await this.pinning(() => this.pinNow(root!, options));
    return root;
  }

  /**
   * The fast put: every byte is hashed as it arrives, whatever the chunking of the source, and
   * each leaf is appended to the block log with one write once its CID is known. Leaf CIDs: the
   * first from the commitment's running state; later leaves are hashed on a worker thread (the
   * other core) while this thread runs the commitment. Leaves hashed here (the first, a short
   * last one) go down with the root block in one write; then the pinned-block records and the
   * pin, in one write, once every block has landed. (Writing each cipher segment while it is
   * still being hashed was measured too: the extra writes cost this thread more than the
   * overlap saved.)
   */
  private async write(
    data: ByteSource,
    commit: boolean,
    options: StoreOptions,
    length = data instanceof Uint8Array ? data.length : undefined,
  ): Promise<{ cid: CID; commitment?: `0x${string}` }> {
    if (length !== undefined && length > this.maxBlobBytes) throw new SizeLimitError(length, this.maxBlobBytes);
    const commitment: Hash | undefined = commit ? createHash("sha256") : undefined;
    const leaves: { cid: CID; size: number }[] = [];
    const jobs: Promise<unknown>[] = [];
    const track = (job: Promise<unknown>) => {
      job.catch(() => undefined); // awaited in settle()
      jobs.push(job);
      return job;
    };
    const settle = async () => {
      const results = await Promise.allSettled(jobs);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    };
    const log = this.blocks.log;
    // Blocks written together at the end, with the root.
    const last: { key: string; value: Uint8Array | Uint8Array[] }[] = [];

    let parts: Uint8Array[] = [];
    let size = 0;
    let consumed = 0;
    // The running hash of the current leaf, when it is not the commitment's (see above).
    let leafHash: Hash | undefined;
    const finishLeaf = () => {
      const leafParts = parts;
      const entry = { cid: undefined as unknown as CID, size };
      let digest: Promise<Uint8Array> | Uint8Array;
      if (leaves.length === 0 && commitment) digest = commitment.copy().digest();
      else if (leafHash) digest = leafHash.digest();
      else digest = this.hasher.digest(leafParts);
      leaves.push(entry);
      if (digest instanceof Uint8Array) {
        // Hashed here: written with the root block.
        entry.cid = rawCid(digest);
        last.push({ key: blockKey(entry.cid), value: leafParts });
      } else {
        track(
          Promise.resolve(digest).then((d) => {
            entry.cid = rawCid(d);
            return log.put(blockKey(entry.cid), leafParts);
          }),
        );
      }
      parts = [];
      size = 0;
      leafHash = undefined;
    };
    try {
      for await (const chunk of limitSize(data, this.maxBlobBytes)) {
        options.signal?.throwIfAborted();
        if (length !== undefined && consumed + chunk.length > length)
          throw new RangeError(`the data is longer than the ${length} bytes announced`);
        let rest = chunk;
        while (rest.length > 0) {
          const part = rest.subarray(0, UNIXFS_CHUNK_SIZE - size);
          rest = rest.subarray(part.length);
          if (size === 0) {
            // The first leaf of a committed put reads the commitment; later leaves go to the
            // worker (a short last leaf is quicker hashed here); without a commitment to run,
            // this thread hashes every leaf as its bytes arrive.
            const fromCommitment = leaves.length === 0 && commitment !== undefined;
            const short = length !== undefined && length - consumed < UNIXFS_CHUNK_SIZE / 4;
            const toWorker = commitment !== undefined && !fromCommitment && !short;
            if (!fromCommitment && !toWorker) leafHash = createHash("sha256");
          }
          commitment?.update(part);
          leafHash?.update(part);
          parts.push(part);
          size += part.length;
          consumed += part.length;
          if (size === UNIXFS_CHUNK_SIZE) finishLeaf();
        }
        // At most a few leaves wait for the worker: memory stays bounded whatever the source.
        while (this.hasher.inFlight >= 4) await this.hasher.whenOneDone();
      }
      if (length !== undefined && consumed !== length)
        throw new RangeError(`the data ended after ${consumed} of the ${length} bytes announced`);
      if (size > 0) finishLeaf();
      await settle();
    } catch (error) {
      await Promise.allSettled(jobs);
      throw error;
    }
    const digestHex = commitment ? toHex(commitment.digest()) : undefined;
    let root: CID;
    const blockCids: CID[] = leaves.map((l) => l.cid);
    if (leaves.length === 0) {
      // The empty file: one empty raw leaf (bafkreihdwdcefgh4…).
      root = rawCid(createHash("sha256").digest());
      last.push({ key: blockKey(root), value: new Uint8Array() });
      blockCids.push(root);
    } else if (leaves.length === 1) {
      root = leaves[0]!.cid;
    } else {
      const file = new UnixFSData({ type: "file" });
      for (const leaf of leaves) file.addBlockSize(BigInt(leaf.size));
      const node = { Data: file.marshal(), Links: leaves.map((l) => ({ Name: "", Tsize: l.size, Hash: l.cid })) };
      const block = dagPb.encode(dagPb.prepare(node), { fieldOrder: "links-first" } as never);
      root = CID.createV1(dagPb.code, createDigest(SHA2_256, createHash("sha256").update(block).digest()));
      last.push({ key: blockKey(root), value: block });
      blockCids.unshift(root);
    }
    // Helia's pinned-block records ({ pinCount: 1, pinnedBy: [root] }) and the pin; when the
    // root or any block is already pinned (re-put, shared leaf), Helia's pin code counts instead.
    const unique = [...new Map(blockCids.map((c) => [base36.encode(c.multihash.bytes), c])).values()];
    const recordKeys = unique.map(pinnedBlockKey);
    if (last.length > 0) await log.putMany(last);
    await this.pinning(async () => {
      const fresh = !this.datastore.has(pinKey(root)) && !recordKeys.some((k) => this.datastore.has(k));
      if (!fresh) return this.pinNow(root, options);
      const record = newPinnedBlock(root);
      await this.datastore.log.putMany([
        ...recordKeys.map((key) => ({ key: key.toString(), value: record })),
        { key: pinKey(root).toString(), value: RECURSIVE_PIN },
      ]);
    });
    return { cid: root, commitment: digestHex };
  }

  async *stream(cid: CidLike, options: StoreOptions = {}): AsyncGenerator<Uint8Array> {
    const parsed = toCid(cid);
    if (!this.blocks.has(parsed)) throw new BlobNotFoundError(parsed.toString(), this.name);
    yield* this.fs.cat(parsed, { signal: options.signal, offline: true } as never);
  }

  /**
   * Reads into one buffer sized from the UnixFS root, so a blob is held once, not twice. The
   * files this SDK writes (one level of raw 1 MiB leaves under a dag-pb root, or a single raw
   * leaf) are read straight from the block log into place; any other shape goes through
   * Helia's UnixFS exporter. Like Helia, local blocks are not re-hashed here: callers verify the
   * whole blob against its on-chain commitment (fetchVerified, which uses getCommitted).
   */
  async get(cid: CidLike, options: StoreOptions = {}): Promise<Uint8Array> {
    return (await this.read(cid, false, options)).bytes;
  }

  /**
   * get, also returning the sha-256 of the bytes read, hashed piece by piece while the next
   * pieces are still being read (fetchVerified compares it with the on-chain commitment).
   */
  async getCommitted(
    cid: CidLike,
    options: StoreOptions = {},
  ): Promise<{ bytes: Uint8Array; commitment: `0x${string}` }> {
    const { bytes, commitment } = await this.read(cid, true, options);
    return { bytes, commitment: commitment ?? toHex(createHash("sha256").update(bytes).digest()) };
  }

  private async read(
    cid: CidLike,
    commit: boolean,
    options: StoreOptions,
  ): Promise<{ bytes: Uint8Array; commitment?: `0x${string}` }> {
    const parsed = toCid(cid);
    const log = this.blocks.log;
    const rootKey = blockKey(parsed);
    const rootSize = log.sizeOf(rootKey);
    if (rootSize === undefined) throw new BlobNotFoundError(parsed.toString(), this.name);
    // The pieces to read: [log key, offset in the block, length], in file order.
    const pieces: [string, number, number][] = [];
    const addBlock = (key: string, length: number) => {
      for (let from = 0; from < length || (length === 0 && from === 0); from += READ_PIECE) {
        pieces.push([key, from, Math.min(READ_PIECE, length - from)]);
        if (length === 0) break;
      }
    };
    let size: number;
    if (parsed.code === raw.code) {
      size = rootSize;
      if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
      addBlock(rootKey, size);
    } else {
      let root: dagPb.PBNode;
      let data: UnixFSData | undefined;
      const cached = this.roots.get(rootKey);
      if (cached) {
        ({ root, data } = cached);
      } else {
        try {
          const rootBytes = await log.get(rootKey);
          if (!rootBytes) throw new Error("the root block went away while being read");
          root = dagPb.decode(rootBytes);
          data = root.Data ? UnixFSData.unmarshal(root.Data) : undefined;
        } catch (error) {
          // A damaged root is as good as missing here; another replica or a repair brings it back.
          throw new BlobNotFoundError(parsed.toString(), this.name, [error as Error]);
        }
        // Content-addressed, so a decoded root never goes stale; the cache only saves a read.
        if (this.roots.size >= ROOT_CACHE_SIZE) this.roots.delete(this.roots.keys().next().value!);
        this.roots.set(rootKey, { root, data });
      }
      size = Number(data?.fileSize() ?? 0n);
      if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
      const flat =
        data?.type === "file" &&
        (data.data?.length ?? 0) === 0 &&
        root.Links.length === data.blockSizes.length &&
        root.Links.every((l) => l.Hash.code === raw.code);
      if (!flat || !data) return { bytes: await this.readThroughExporter(parsed, size, options) };
      const blockSizes = data.blockSizes;
      root.Links.forEach((link, i) => {
        const key = blockKey(link.Hash);
        const length = Number(blockSizes[i]);
        if (log.sizeOf(key) !== length)
          throw new BlobNotFoundError(parsed.toString(), this.name, [
            new Error(`leaf ${link.Hash} is ${log.has(key) ? "the wrong size" : "missing"}`),
          ]);
        addBlock(key, length);
      });
    }
    const out = new Uint8Array(size);
    const hash = commit ? createHash("sha256") : undefined;
    const reads: Promise<unknown>[] = [];
    let at = 0;
    let next = 0;
    const issue = () => {
      const [key, from, length] = pieces[next++]!;
      const start = at;
      const job = log.readInto(key, out, start, from, length).then((found) => {
        if (!found) throw new Error(`block ${key} is missing`);
        return [start, length] as const;
      });
      job.catch(() => undefined);
      reads.push(job);
      at += length;
    };
    while (next < pieces.length && reads.length < READS_IN_FLIGHT) issue();
    let hashed = 0;
    try {
      for (let i = 0; i < pieces.length; i++) {
        const [start, length] = (await reads[i]) as readonly [number, number];
        options.signal?.throwIfAborted();
        hash?.update(out.subarray(start, start + length));
        hashed += length;
        if (next < pieces.length) issue();
      }
    } catch (error) {
      await Promise.allSettled(reads);
      if (options.signal?.aborted) throw error; // the caller gave up: not a missing blob
      throw new BlobNotFoundError(parsed.toString(), this.name, [error as Error]);
    }
    if (hashed !== size)
      throw new BlobNotFoundError(parsed.toString(), this.name, [new Error(`read ${hashed} of ${size} bytes`)]);
    return { bytes: out, commitment: hash ? toHex(hash.digest()) : undefined };
  }

  private async readThroughExporter(cid: CID, size: number, options: StoreOptions): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    let offset = 0;
    for await (const chunk of this.fs.cat(cid, {
      signal: options.signal,
      offline: true,
      blockReadConcurrency: 8,
    } as never)) {
      if (offset + chunk.length > size)
        throw new SizeLimitError(offset + chunk.length, size, "blob (longer than its UnixFS size)");
      out.set(chunk, offset);
      offset += chunk.length;
    }
    if (offset !== size)
      throw new BlobNotFoundError(cid.toString(), this.name, [new Error(`read ${offset} of ${size} bytes`)]);
    return out;
  }

  async has(cid: CidLike): Promise<boolean> {
    return this.blocks.has(toCid(cid));
  }

  async pin(cid: CidLike, options: StoreOptions = {}): Promise<void> {
    const parsed = toCid(cid);
    await this.writing(() => this.pinning(() => this.pinNow(parsed, options)));
  }

  private async pinNow(parsed: CID, options: StoreOptions): Promise<void> {
    if (await this.helia.pins.isPinned(parsed, options)) return;
    for await (const _ of this.helia.pins.add(parsed, {
      ...options,
      offline: true,
      walker: rawLeafAwareWalker,
    } as never)) {
      // drain: pins.add yields each block it pinned
    }
  }

  async isPinned(cid: CidLike): Promise<boolean> {
    return this.helia.pins.isPinned(toCid(cid));
  }

  async *pins(): AsyncGenerator<CID> {
    for await (const pin of this.helia.pins.ls()) yield pin.cid;
  }

  /** Size of the root block (what Kubo's block/stat reports). */
  async rootBlockSize(cid: CidLike): Promise<number> {
    const size = this.blocks.log.sizeOf(blockKey(toCid(cid)));
    if (size === undefined) throw new BlobNotFoundError(toCid(cid).toString(), this.name);
    return size;
  }

  /** Where a block's bytes sit on disk (tests use it to simulate disk corruption). */
  blockLocation(cid: CidLike): { file: string; offset: number; length: number } {
    const location = this.blocks.log.location(blockKey(toCid(cid)));
    if (!location) throw new BlobNotFoundError(toCid(cid).toString(), this.name);
    return location;
  }

  /**
   * Garbage collection: Helia removes every block no pin covers, then both logs are compacted
   * so the space comes back. Puts in flight finish first (their blocks are pinned only at the
   * end) and new ones wait. `onRemoved` hears of each block removed.
   */
  async gc(
    options: StoreOptions & { onRemoved?: (cid: CID) => void } = {},
  ): Promise<{ before: number; after: number; removed: number }> {
    while (this.collecting) await this.collecting.catch(() => undefined);
    const run = (async () => {
      while (this.writes > 0) await new Promise<void>((resume) => this.writesDone.push(resume));
      let removed = 0;
      const onProgress = (event: { type: string; detail: unknown }) => {
        if (event.type !== "helia:gc:deleted") return;
        removed++;
        options.onRemoved?.(event.detail as CID);
      };
      await this.pinning(() => this.helia.gc({ signal: options.signal, onProgress } as never));
      const blocks = await this.blocks.log.compact();
      await this.datastore.log.compact();
      this.roots.clear();
      return { before: blocks.before, after: blocks.after, removed };
    })();
    this.collecting = run;
    try {
      return await run;
    } finally {
      this.collecting = undefined;
    }
  }

  async collectGarbage(options: StoreOptions = {}): Promise<GarbageReport> {
    const { before, after, removed } = await this.gc(options);
    return { removedBlocks: removed, freedBytes: Math.max(0, before - after) };
  }

  async close(): Promise<void> {
    await this.hasher.close();
    await this.helia.stop();
    await this.blocks.close();
    await this.datastore.close();
  }
}
