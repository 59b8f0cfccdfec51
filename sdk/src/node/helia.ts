/**
 * The embedded default store (Node only): a Helia light node — no libp2p, no routers, no block
 * brokers, so it never touches the network — over Helia's kept stores in a data folder:
 * `blocks/` (blockstore-fs: one file per block, written to a temporary file and renamed into
 * place) and `datastore-level/` (datastore-level: Helia's pins and metadata in LevelDB, whose
 * own lock keeps the folder to one process). Files are written by the stock UnixFS importer
 * with the unixfs-v1-2025 profile. sdk/README.md says why these engines.
 */
import { createHash, type Hash } from "node:crypto";
import { mkdir, open, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FsBlockstore } from "blockstore-fs";
import { NextToLast } from "blockstore-fs/sharding";
import { LevelDatastore } from "datastore-level";
import { createHeliaLight, type Helia } from "helia";
import { unixfs, type UnixFS } from "@helia/unixfs";
import type { GraphWalkerFactory } from "@helia/interface";
import * as dagPb from "@ipld/dag-pb";
import { UnixFS as UnixFSData } from "ipfs-unixfs";
import { importer } from "ipfs-unixfs-importer";
import type { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { toHex, type ByteSource } from "../bytes.js";
import { BlobNotFoundError, SizeLimitError, StoreLockedError } from "../errors.js";
import {
  DEFAULT_MAX_BLOB_BYTES,
  limitSize,
  registerCommittingStore,
  toCid,
  type CidLike,
  type CommittingStore,
  type GarbageReport,
  type StoreOptions,
} from "../storage/blobStore.js";
import { migrateLegacyStores } from "./legacyLogReader.js";

export interface PutCommittedResult {
  cid: CID;
  /** sha-256 of the stored bytes (the on-chain commitment), as bytes32 hex. */
  commitment: `0x${string}`;
}

export interface HeliaBlobStoreOptions {
  /** Folder holding `blocks/` and `datastore-level/`; created when missing. */
  dataDir: string;
  name?: string;
  maxBlobBytes?: number;
}

/** Leaves are read this many at a time: reading one overlaps hashing the one before. */
const LEAVES_IN_FLIGHT = 8;
const CAT_OPTIONS = { offline: true, blockReadConcurrency: LEAVES_IN_FLIGHT };

/** blockstore-fs's default layout: `blocks/<2 chars>/<base32 multihash>.data`. */
const layout = new NextToLast();

/** blockstore-fs, reading a block with one readFile (its own get streams it in 64 KiB pieces). */
class Blockstore extends FsBlockstore {
  constructor(path: string) {
    super(path, { shardingStrategy: layout });
  }

  pathOf(cid: CID): string {
    const { dir, file } = layout.encode(cid);
    return join(this.path, dir, file);
  }

  override async *get(cid: CID): AsyncGenerator<Uint8Array> {
    yield await readFile(this.pathOf(cid)).catch((error: NodeJS.ErrnoException) => {
      throw Object.assign(new Error(`block ${cid} is not in ${this.path}: ${error.code}`), { name: "NotFoundError" });
    });
  }
}

/**
 * Pins walk the DAG to record every block they cover. Helia's default walker reads each block,
 * which for a 50 MiB file means reading it all back from disk; raw leaves have no links, so this
 * walker lists them from their parent's links without loading them.
 */
const rawLeafAwareWalker: GraphWalkerFactory = ({ blockstore }) => ({
  async *walk(cid, options = {}) {
    async function* visit(current: CID, depth: number, path: CID[]): AsyncGenerator<never> {
      if (current.code === raw.code) {
        yield {
          block: { cid: current, bytes: new Uint8Array(), value: undefined, links: () => [] },
          depth,
          path,
        } as never;
        return;
      }
      const parts: Uint8Array[] = [];
      for await (const part of blockstore.get(current, options)) parts.push(part);
      const bytes = Buffer.concat(parts);
      const node = dagPb.decode(bytes);
      yield { block: { cid: current, bytes, value: node, links: () => [] }, depth, path } as never;
      for (const link of node.Links) yield* visit(link.Hash, depth + 1, [...path, current]);
    }
    yield* visit(cid, 0, []);
  },
});

/** Reads a block file of `length` bytes into `out` at `at`. */
async function readInto(path: string, out: Uint8Array, at: number, length: number): Promise<void> {
  const file = await open(path, "r");
  try {
    for (let done = 0; done < length;) {
      const { bytesRead } = await file.read(out, at + done, length - done, done);
      if (bytesRead === 0) throw new Error(`block ${path} holds ${done} of its ${length} bytes`);
      done += bytesRead;
    }
  } finally {
    await file.close();
  }
}

/** Bytes the files under `dir` take. */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += (await stat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/** LevelDB refuses a second opener of a folder (its LOCK); name the process that holds it. */
async function openDatastore(dataDir: string): Promise<LevelDatastore> {
  const datastore = new LevelDatastore(join(dataDir, "datastore-level"));
  try {
    await datastore.db.open({ createIfMissing: true, compression: false } as never);
  } catch (error) {
    if ((error as { cause?: { code?: string } }).cause?.code !== "LEVEL_LOCKED") throw error;
    const owner = Number(await readFile(join(dataDir, "OWNER"), "utf8").catch(() => "0"));
    throw new StoreLockedError(dataDir, owner);
  }
  await datastore.open();
  await writeFile(join(dataDir, "OWNER"), String(process.pid));
  return datastore;
}

export class HeliaBlobStore implements CommittingStore {
  readonly name: string;
  readonly helia: Helia;
  private readonly fs: UnixFS;
  private readonly maxBlobBytes: number;
  /** Puts in flight, the garbage collection running, and the queue of pin changes. */
  private writes = 0;
  private readonly writesDone: (() => void)[] = [];
  private collecting: Promise<unknown> | undefined;
  private pinQueue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dataDir: string,
    private readonly blocks: Blockstore,
    private readonly datastore: LevelDatastore,
    options: HeliaBlobStoreOptions,
  ) {
    this.helia = createHeliaLight({ blockstore: blocks, datastore });
    this.fs = unixfs(this.helia);
    this.name = options.name ?? `helia:${options.dataDir}`;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
    registerCommittingStore(this);
  }

  /**
   * Opens (and creates) the store; a folder written by the append-only log of earlier versions
   * is migrated first (legacyLogReader.ts). @throws StoreLockedError when another process (or
   * store) has the folder open
   */
  static async open(options: HeliaBlobStoreOptions): Promise<HeliaBlobStore> {
    await mkdir(options.dataDir, { recursive: true });
    const datastore = await openDatastore(options.dataDir);
    try {
      const blocks = new Blockstore(join(options.dataDir, "blocks"));
      await blocks.open();
      await migrateLegacyStores(options.dataDir, blocks, datastore);
      const store = new HeliaBlobStore(options.dataDir, blocks, datastore, options);
      await store.helia.start();
      return store;
    } catch (error) {
      await datastore.close();
      throw error;
    }
  }

  /** Stores and pins like putCommitted, without the commitment's sha-256 pass (the route's `add`). */
  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    return (await this.importAndPin(data, options, undefined)).cid;
  }

  /**
   * Stores with the unixfs-v1-2025 profile (CIDv1, raw 1 MiB leaves, 1,024 links per node) and
   * pins; resolves once the blocks and the pin are written, with the sha-256 commitment of the
   * bytes hashed as they passed. Blocks go straight to blockstore-fs, which rewrites a block it
   * already holds: re-putting healthy bytes is how a damaged local copy gets repaired (Helia's
   * own blockstore would skip a block it already "has").
   */
  async putCommitted(
    data: ByteSource,
    options: StoreOptions & { /** Total bytes the stream carries, when known. */ length?: number } = {},
  ): Promise<PutCommittedResult> {
    const hash = createHash("sha256");
    const { cid } = await this.importAndPin(data, options, hash);
    return { cid, commitment: toHex(hash.digest()) };
  }

  private async importAndPin(
    data: ByteSource,
    options: StoreOptions & { length?: number },
    hash: Hash | undefined,
  ): Promise<{ cid: CID }> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
    const { length, signal } = options;
    let consumed = 0;
    async function* hashed(source: AsyncIterable<Uint8Array>) {
      for await (const chunk of source) {
        signal?.throwIfAborted();
        consumed += chunk.length;
        if (length !== undefined && consumed > length)
          throw new RangeError(`the data is longer than the ${length} bytes announced`);
        hash?.update(chunk);
        yield chunk;
      }
      if (length !== undefined && consumed !== length)
        throw new RangeError(`the data ended after ${consumed} of the ${length} bytes announced`);
    }
    return this.writing(async () => {
      let root: CID | undefined;
      for await (const entry of importer([{ content: hashed(limitSize(data, this.maxBlobBytes)) }], this.blocks, {
        profile: "unixfs-v1-2025",
      }))
        root = entry.cid;
      if (!root) throw new Error("the UnixFS importer produced no root CID");
      await this.pinning(() => this.pinNow(root, options));
      return { cid: root };
    });
  }

  /** Runs a put while no garbage collection runs (its blocks are not pinned until it ends). */
  private async writing<T>(fn: () => Promise<T>): Promise<T> {
    while (this.collecting) await this.collecting.catch(() => undefined);
    this.writes++;
    try {
      return await fn();
    } finally {
      if (--this.writes === 0) for (const resume of this.writesDone.splice(0)) resume();
    }
  }

  /** Helia's pin records are read-modified-written: pin changes run one at a time. */
  private pinning<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.pinQueue.then(fn, fn);
    this.pinQueue = run.catch(() => undefined);
    return run;
  }

  private async pinNow(cid: CID, options: StoreOptions): Promise<void> {
    if (await this.helia.pins.isPinned(cid, options)) return;
    for await (const _ of this.helia.pins.add(cid, { ...options, walker: rawLeafAwareWalker })) {
      // drain: pins.add yields each block it pinned
    }
  }

  async *stream(cid: CidLike, options: StoreOptions = {}): AsyncGenerator<Uint8Array> {
    const parsed = toCid(cid);
    if (!(await this.blocks.has(parsed))) throw new BlobNotFoundError(parsed.toString(), this.name);
    yield* this.fs.cat(parsed, { ...CAT_OPTIONS, signal: options.signal });
  }

  /**
   * Reads into one buffer sized from the UnixFS root, so a blob is held once. Like Helia, local
   * blocks are not re-hashed here: callers verify the whole blob against its on-chain
   * commitment (fetchVerified, which uses getCommitted).
   */
  async get(cid: CidLike, options: StoreOptions = {}): Promise<Uint8Array> {
    return (await this.read(cid, undefined, options)).bytes;
  }

  /** get, also returning the sha-256 of the bytes, hashed while the next leaves are read. */
  async getCommitted(
    cid: CidLike,
    options: StoreOptions = {},
  ): Promise<{ bytes: Uint8Array; commitment: `0x${string}` }> {
    const hash = createHash("sha256");
    const { bytes } = await this.read(cid, hash, options);
    return { bytes, commitment: toHex(hash.digest()) };
  }

  /**
   * The files this SDK writes (a raw leaf, or one dag-pb root over raw leaves) are read leaf by
   * leaf straight into place, several leaves in flight, each hashed once it and those before it
   * are in; any other DAG shape goes through Helia's UnixFS exporter.
   */
  private async read(cid: CidLike, hash: Hash | undefined, options: StoreOptions): Promise<{ bytes: Uint8Array }> {
    const parsed = toCid(cid);
    const missing = (error?: Error) => new BlobNotFoundError(parsed.toString(), this.name, error ? [error] : []);
    const root = await readFile(this.blocks.pathOf(parsed)).catch(() => undefined);
    if (!root) throw missing();
    if (parsed.code === raw.code) {
      if (root.length > this.maxBlobBytes) throw new SizeLimitError(root.length, this.maxBlobBytes);
      hash?.update(root);
      return { bytes: root };
    }
    let leaves: { path: string; size: number }[] | undefined;
    try {
      const node = dagPb.decode(root);
      const file = node.Data ? UnixFSData.unmarshal(node.Data) : undefined;
      const flat =
        file?.type === "file" &&
        !file.data?.length &&
        file.blockSizes.length === node.Links.length &&
        node.Links.every((link) => link.Hash.code === raw.code);
      if (flat)
        leaves = node.Links.map((l, i) => ({ path: this.blocks.pathOf(l.Hash), size: Number(file.blockSizes[i]) }));
    } catch (error) {
      // A damaged root is as good as missing here; another replica or a repair brings it back.
      throw missing(error as Error);
    }
    if (!leaves) return this.readThroughExporter(parsed, hash, options, missing);
    const size = leaves.reduce((n, leaf) => n + leaf.size, 0);
    if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
    const out = new Uint8Array(size);
    const reads: Promise<void>[] = [];
    let at = 0;
    const issue = (i: number) => {
      const { path, size: length } = leaves[i]!;
      reads[i] = readInto(path, out, at, length);
      reads[i].catch(() => undefined); // awaited in order below
      at += length;
    };
    try {
      let offset = 0;
      for (let i = 0; i < leaves.length; i++) {
        while (reads.length < Math.min(leaves.length, i + LEAVES_IN_FLIGHT)) issue(reads.length);
        await reads[i];
        options.signal?.throwIfAborted();
        hash?.update(out.subarray(offset, offset + leaves[i]!.size));
        offset += leaves[i]!.size;
      }
    } catch (error) {
      await Promise.allSettled(reads);
      if (options.signal?.aborted) throw error;
      throw missing(error as Error);
    }
    return { bytes: out };
  }

  private async readThroughExporter(
    cid: CID,
    hash: Hash | undefined,
    options: StoreOptions,
    missing: (error?: Error) => Error,
  ): Promise<{ bytes: Uint8Array }> {
    const size = Number((await this.fs.stat(cid, { offline: true, signal: options.signal })).size);
    if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
    const out = new Uint8Array(size);
    let offset = 0;
    try {
      for await (const chunk of this.fs.cat(cid, { ...CAT_OPTIONS, signal: options.signal })) {
        if (offset + chunk.length > size)
          throw new SizeLimitError(offset + chunk.length, size, "blob (longer than its UnixFS size)");
        out.set(chunk, offset);
        hash?.update(chunk);
        offset += chunk.length;
      }
    } catch (error) {
      if (options.signal?.aborted || error instanceof SizeLimitError) throw error;
      throw missing(error as Error);
    }
    if (offset !== size) throw missing(new Error(`read ${offset} of ${size} bytes`));
    return { bytes: out };
  }

  async has(cid: CidLike): Promise<boolean> {
    return this.blocks.has(toCid(cid));
  }

  async pin(cid: CidLike, options: StoreOptions = {}): Promise<void> {
    const parsed = toCid(cid);
    await this.writing(() => this.pinning(() => this.pinNow(parsed, options)));
  }

  async isPinned(cid: CidLike): Promise<boolean> {
    return this.helia.pins.isPinned(toCid(cid));
  }

  async *pins(): AsyncGenerator<CID> {
    for await (const pin of this.helia.pins.ls()) yield pin.cid;
  }

  /** Size of the root block (what Kubo's block/stat reports). */
  async rootBlockSize(cid: CidLike): Promise<number> {
    const parsed = toCid(cid);
    const info = await stat(this.blocks.pathOf(parsed)).catch(() => undefined);
    if (!info) throw new BlobNotFoundError(parsed.toString(), this.name);
    return info.size;
  }

  /** Where a block's bytes sit on disk (tests use it to simulate disk corruption). */
  blockLocation(cid: CidLike): { file: string; offset: number } {
    return { file: this.blocks.pathOf(toCid(cid)), offset: 0 };
  }

  /**
   * Garbage collection: Helia removes every block no pin covers. Puts in flight finish first
   * (their blocks are pinned only at the end) and new ones wait. `before` and `after` are the
   * bytes the blocks take on disk; `onRemoved` hears of each block removed.
   */
  async gc(
    options: StoreOptions & { onRemoved?: (cid: CID) => void } = {},
  ): Promise<{ before: number; after: number; removed: number }> {
    while (this.collecting) await this.collecting.catch(() => undefined);
    const run = (async () => {
      while (this.writes > 0) await new Promise<void>((resume) => this.writesDone.push(resume));
      const before = await folderBytes(this.blocks.path);
      let removed = 0;
      const onProgress = (event: { type: string; detail: unknown }) => {
        if (event.type !== "helia:gc:deleted") return;
        removed++;
        options.onRemoved?.(event.detail as CID);
      };
      await this.pinning(() => this.helia.gc({ signal: options.signal, onProgress } as never));
      return { before, after: await folderBytes(this.blocks.path), removed };
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
    await this.helia.stop();
    await this.blocks.close();
    await rm(join(this.dataDir, "OWNER"), { force: true });
    await this.datastore.close();
  }
}
