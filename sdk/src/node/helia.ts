/**
 * The embedded default store (Node only): a Helia light node — no libp2p, no routers, no block
 * brokers, so it never touches the network — over a filesystem blockstore and datastore under
 * a data folder. Blocks and pins persist across restarts.
 */
import { createHash, randomBytes, type Hash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, open as openFile, readdir, readFile, rename, rm, stat, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Worker } from "node:worker_threads";
import { FsBlockstore } from "blockstore-fs";
import { FsDatastore } from "datastore-fs";
import { createHeliaLight, type Helia } from "helia";
import { unixfs, type UnixFS } from "@helia/unixfs";
import * as dagPb from "@ipld/dag-pb";
import { UnixFS as UnixFSData } from "ipfs-unixfs";
import { importer } from "ipfs-unixfs-importer";
import { Key } from "interface-datastore";
import { base36 } from "multiformats/bases/base36";
import { CID } from "multiformats/cid";
import * as raw from "multiformats/codecs/raw";
import { create as createDigest } from "multiformats/hashes/digest";
import { rechunk, toHex, type ByteSource } from "../bytes.js";
import { BlobNotFoundError, SizeLimitError } from "../errors.js";
import {
  DEFAULT_MAX_BLOB_BYTES,
  limitSize,
  toCid,
  type BlobStore,
  type CidLike,
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
 * Helia's pin records (helia/dist/src/pins.js, cborg encoding): a new pinned-block record
 * `{ pinCount: 1, pinnedBy: [root] }` and a recursive pin `{ depth: Infinity, metadata: {} }`.
 * Keys are sorted as cborg sorts them (length first, then bytewise). Tests check these bytes
 * decode through Helia's own pins API.
 */
const PIN_COUNT_KEY = new TextEncoder().encode("pinCount");
const PINNED_BY_KEY = new TextEncoder().encode("pinnedBy");
function cborBytesHeader(length: number): number[] {
  if (length < 24) return [0x40 | length];
  if (length < 256) return [0x58, length];
  return [0x59, length >> 8, length & 0xff];
}
function encodeNewPinnedBlock(root: Uint8Array): Uint8Array {
  return Uint8Array.from([
    0xa2,
    0x68,
    ...PIN_COUNT_KEY,
    0x01,
    0x68,
    ...PINNED_BY_KEY,
    0x81,
    ...cborBytesHeader(root.length),
    ...root,
  ]);
}
const RECURSIVE_PIN = Uint8Array.from([
  0xa2,
  0x65,
  ...new TextEncoder().encode("depth"),
  0xf9,
  0x7c,
  0x00,
  0x68,
  ...new TextEncoder().encode("metadata"),
  0xa0,
]);
const pinnedBlockKey = (cid: CID) => new Key(`/pinned-block/${base36.encode(cid.multihash.bytes)}`);
const pinKey = (cid: CID) => new Key(`/pin/${cid.toString(base36)}`);

export interface PutCommittedResult {
  cid: CID;
  /** sha-256 of the stored bytes (the on-chain commitment), as bytes32 hex. */
  commitment: `0x${string}`;
}

/** blockstore-fs streams blocks in 64 KiB pieces; whole-file reads are several times faster for 1 MiB blocks. */
class WholeFileBlockstore extends FsBlockstore {
  override async *get(key: CID): AsyncGenerator<Uint8Array> {
    try {
      yield await readFile(this.blockPath(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      yield* super.get(key); // raises blockstore-fs's own NotFoundError
    }
  }

  blockPath(cid: CID): string {
    const { dir, file } = (
      this as unknown as { shardingStrategy: { encode(c: CID): { dir: string; file: string } } }
    ).shardingStrategy.encode(cid);
    return join(this.path, dir, file);
  }
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

/** sha-256 on one worker thread (OpenSSL there too); started on first use, unref'd. */
class WorkerHasher {
  private worker: Worker | undefined;
  private next = 0;
  private readonly pending = new Map<number, { resolve(d: Uint8Array): void; reject(e: unknown): void }>();

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
    worker.on("message", ({ id, digest }: { id: number; digest: Uint8Array }) => {
      this.pending.get(id)?.resolve(new Uint8Array(digest.buffer, digest.byteOffset, digest.length));
      this.pending.delete(id);
    });
    const fail = (error: unknown) => {
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      this.worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`hash worker exited (${code})`)));
    return worker;
  }

  digest(bytes: Uint8Array): Promise<Uint8Array> {
    this.worker ??= this.start();
    const id = this.next++;
    // A copy of just these bytes, handed over (a view would clone its whole buffer).
    const copy = bytes.slice();
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, bytes: copy }, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}

interface TempFile {
  path: string;
  handle: FileHandle;
  renamed: boolean;
  /** Closes and removes the file unless it was renamed into place. */
  discard(): Promise<void>;
}

/**
 * Temporary files under the data folder, created at most two at a time: file creation is
 * serialised by the filesystem anyway, and more in flight would only tie up libuv threads
 * the cipher and the leaf hashes need.
 */
class TempFiles {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private counter = 0;
  private readonly prefix = `${process.pid}-${randomBytes(4).toString("hex")}`;
  constructor(private readonly dir: string) {}

  async create(): Promise<TempFile> {
    if (this.active >= 2) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      const path = join(this.dir, `${this.prefix}-${(this.counter++).toString(36)}.tmp`);
      const handle = await openFile(path, "wx");
      let discarded = false;
      const file: TempFile = {
        path,
        handle,
        renamed: false,
        async discard() {
          if (discarded || file.renamed) return;
          discarded = true;
          await handle.close().catch(() => undefined);
          await rm(path, { force: true }).catch(() => undefined);
        },
      };
      return file;
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Leftovers of writes a crash interrupted (never renamed into place, so never referenced);
 * recent ones may belong to another process still writing, so only old ones go.
 */
async function removeStaleTemps(dir: string): Promise<void> {
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.endsWith(".tmp")) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await rm(path, { force: true }).catch(() => undefined);
  }
}

export interface HeliaBlobStoreOptions {
  /** Folder holding `blocks/` and `datastore/`; created when missing. */
  dataDir: string;
  name?: string;
  maxBlobBytes?: number;
}

export class HeliaBlobStore implements BlobStore {
  readonly name: string;
  readonly helia: Helia;
  private readonly fs: UnixFS;
  private readonly blocks: WholeFileBlockstore;
  private readonly maxBlobBytes: number;
  private readonly temps: TempFiles;
  private readonly hasher = new WorkerHasher();

  private constructor(helia: Helia, blocks: WholeFileBlockstore, options: HeliaBlobStoreOptions) {
    this.helia = helia;
    this.blocks = blocks;
    this.fs = unixfs(helia);
    this.name = options.name ?? `helia:${options.dataDir}`;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
    this.temps = new TempFiles(join(options.dataDir, "tmp"));
  }

  static async open(options: HeliaBlobStoreOptions): Promise<HeliaBlobStore> {
    await mkdir(options.dataDir, { recursive: true });
    const blocks = new WholeFileBlockstore(join(options.dataDir, "blocks"));
    const datastore = new FsDatastore(join(options.dataDir, "datastore"));
    await blocks.open();
    await datastore.open();
    await mkdir(join(options.dataDir, "tmp"), { recursive: true });
    await removeStaleTemps(join(options.dataDir, "tmp"));
    const helia = createHeliaLight({ blockstore: blocks, datastore });
    await helia.start();
    return new HeliaBlobStore(helia, blocks, options);
  }

  /**
   * Stores with the unixfs-v1-2025 profile (CIDv1, raw 1 MiB leaves, one dag-pb root over at
   * most 1,024 of them — the CIDs Kubo and Helia's importer give; larger files go through the
   * importer) and pins. Blocks are written straight to the filesystem blockstore, overwriting any
   * existing copy: re-putting healthy bytes is how a corrupt local block gets repaired (Helia's
   * own put would skip a block it already "has").
   */
  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
    if (this.maxBlobBytes > MAX_LINKS * UNIXFS_CHUNK_SIZE) return this.importAndPin(data, options);
    return (await this.write(data, false, options)).cid;
  }

  /**
   * put, also returning the sha-256 commitment of the stored bytes, computed in the same pass as
   * the leaf CIDs (sha-256 is a running state over 64-byte blocks, so the first 1 MiB leaf's
   * digest is a finalised copy of the commitment's state at that point; a blob of one leaf has
   * its commitment as its CID digest).
   */
  async putCommitted(data: ByteSource, options: StoreOptions = {}): Promise<PutCommittedResult> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
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
    const { cid, commitment } = await this.write(data, true, options);
    return { cid, commitment: commitment! };
  }

  private async importAndPin(data: ByteSource, options: StoreOptions): Promise<CID> {
    const blocks = this.blocks;
    const sink = {
      async put(cid: CID, bytes: Uint8Array) {
        await blocks.put(cid, bytes, options);
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
    await this.pin(root, options);
    return root;
  }

  private readonly knownDirs = new Set<string>();

  private ensureDir(dir: string): void | Promise<void> {
    if (this.knownDirs.has(dir)) return;
    return mkdir(dir, { recursive: true }).then(() => void this.knownDirs.add(dir));
  }

  /** Fills a temporary file and renames it into place: an atomic write, like blockstore-fs's. */
  private async commitTemp(
    temp: Promise<TempFile>,
    bytes: Uint8Array | Promise<Uint8Array>,
    path: string,
    options: StoreOptions,
  ): Promise<void> {
    const file = await temp;
    try {
      options.signal?.throwIfAborted();
      await file.handle.writeFile(await bytes);
      await file.handle.close();
      await this.ensureDir(dirname(path));
      await rename(file.path, path);
      file.renamed = true;
    } catch (error) {
      await file.discard();
      if ((error as NodeJS.ErrnoException).code === "ENOENT") this.knownDirs.delete(dirname(path));
      throw error;
    }
  }

  /**
   * The fast put. Creating a file is the slow step on many filesystems (a new inode), and every
   * block and pinned-block record needs one, so temporary files are created from the first byte
   * on, a couple at a time, while the bytes are still being hashed; each is filled and renamed
   * into place once its CID is known. Leaf CIDs: the first from the commitment's running state,
   * later ones hashed on their own. The pin record goes last, once every
   * block and pinned-block record is on disk.
   */
  private async write(
    data: ByteSource,
    commit: boolean,
    options: StoreOptions,
  ): Promise<{ cid: CID; commitment?: `0x${string}` }> {
    const commitment: Hash | undefined = commit ? createHash("sha256") : undefined;
    const leaves: { cid: CID; size: number }[] = [];
    const digests: Promise<void>[] = [];
    const writes: Promise<void>[] = [];
    const temps: Promise<TempFile>[] = [];
    const recordTemps: Promise<TempFile>[] = [];
    const temp = () => {
      const t = this.temps.create();
      t.catch(() => undefined);
      temps.push(t);
      return t;
    };
    const pinTemp = temp();
    const write = (job: Promise<void>) => {
      job.catch(() => undefined); // awaited in settle()
      writes.push(job);
    };
    const settle = async () => {
      const results = await Promise.allSettled([...digests, ...writes]);
      const failed = results.find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
    };
    const cleanup = async () => {
      await Promise.allSettled([...digests, ...writes]);
      await Promise.allSettled(temps.map(async (t) => (await t).discard()));
    };
    try {
      for await (const leaf of rechunk(limitSize(data, this.maxBlobBytes), UNIXFS_CHUNK_SIZE)) {
        const blockTemp = temp();
        recordTemps.push(temp());
        const entry = { cid: undefined as unknown as CID, size: leaf.length };
        commitment?.update(leaf);
        // sha-256 through OpenSSL (SHA-NI). The first leaf's digest is a finalised copy of the
        // commitment's running state (a one-leaf blob is hashed once); later full leaves are
        // hashed on a worker thread, on the other core, while this thread runs the commitment.
        let job: Promise<void>;
        if (leaves.length === 0 || leaf.length < UNIXFS_CHUNK_SIZE / 4) {
          entry.cid = rawCid(
            (leaves.length === 0 && commitment ? commitment.copy() : createHash("sha256").update(leaf)).digest(),
          );
          job = Promise.resolve();
        } else {
          job = this.hasher.digest(leaf).then((d) => void (entry.cid = rawCid(d)));
        }
        job.catch(() => undefined);
        leaves.push(entry);
        digests.push(job);
        write(job.then(() => this.commitTemp(blockTemp, leaf, this.blocks.blockPath(entry.cid), options)));
      }
      if (leaves.length !== 1) recordTemps.push(temp()); // the root's
      await Promise.all(digests);
    } catch (error) {
      await cleanup();
      throw error;
    }
    const digestHex = commitment ? toHex(commitment.digest()) : undefined;
    let root: CID;
    const blockCids: CID[] = leaves.map((l) => l.cid);
    if (leaves.length === 0) {
      // The empty file: one empty raw leaf (bafkreihdwdcefgh4…).
      root = rawCid(createHash("sha256").digest());
      write(this.commitTemp(temp(), new Uint8Array(), this.blocks.blockPath(root), options));
      blockCids.push(root);
    } else if (leaves.length === 1) {
      root = leaves[0]!.cid;
    } else {
      const file = new UnixFSData({ type: "file" });
      for (const leaf of leaves) file.addBlockSize(BigInt(leaf.size));
      const node = { Data: file.marshal(), Links: leaves.map((l) => ({ Name: "", Tsize: l.size, Hash: l.cid })) };
      const block = dagPb.encode(dagPb.prepare(node), { fieldOrder: "links-first" } as never);
      root = CID.createV1(dagPb.code, createDigest(SHA2_256, createHash("sha256").update(block).digest()));
      write(this.commitTemp(temp(), block, this.blocks.blockPath(root), options));
      blockCids.unshift(root);
    }
    // Helia's pinned-block records ({ pinCount: 1, pinnedBy: [root] }) go down beside the blocks;
    // when the root or any block is already pinned (re-put, shared leaf), Helia's pin code counts.
    const unique = [...new Map(blockCids.map((c) => [base36.encode(c.multihash.bytes), c])).values()];
    const recordFiles = unique.map((c) => this.datastoreFile(pinnedBlockKey(c)));
    const pinFile = this.datastoreFile(pinKey(root));
    const fresh =
      !existsSync(pinFile) && !recordFiles.some((f) => existsSync(f)) && recordTemps.length >= recordFiles.length;
    try {
      if (fresh) {
        const record = encodeNewPinnedBlock(root.bytes);
        recordFiles.forEach((f, i) => write(this.commitTemp(recordTemps[i]!, record, f, options)));
      }
      await settle();
      if (fresh) await this.commitTemp(pinTemp, RECURSIVE_PIN, pinFile, options);
    } catch (error) {
      await cleanup();
      throw error;
    }
    await Promise.allSettled(temps.map(async (t) => (await t).discard()));
    if (!fresh) await this.pin(root, options);
    return { cid: root, commitment: digestHex };
  }

  private datastoreFile(key: Key): string {
    return (this.helia.datastore as unknown as FsDatastore)._encode(key).file;
  }

  async *stream(cid: CidLike, options: StoreOptions = {}): AsyncGenerator<Uint8Array> {
    const parsed = toCid(cid);
    if (!(await this.blocks.has(parsed))) throw new BlobNotFoundError(parsed.toString(), this.name);
    yield* this.fs.cat(parsed, { signal: options.signal, offline: true } as never);
  }

  /**
   * Reads into one buffer sized from the UnixFS root, so a blob is held once, not twice. The
   * files this SDK writes (one level of raw 1 MiB leaves under a dag-pb root, or a single raw
   * leaf) are read straight from their block files into place, a few leaves at a time; any other
   * shape goes through Helia's UnixFS exporter. Like Helia, local blocks are not re-hashed here:
   * callers verify the whole blob against its on-chain commitment (fetchVerified).
   */
  async get(cid: CidLike, options: StoreOptions = {}): Promise<Uint8Array> {
    const parsed = toCid(cid);
    // One read instead of an existence check and a read: a missing root block is ENOENT.
    const readRoot = () =>
      readFile(this.blocks.blockPath(parsed)).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") throw new BlobNotFoundError(parsed.toString(), this.name);
        throw error;
      });
    if (parsed.code === raw.code) {
      const bytes = await readRoot();
      if (bytes.length > this.maxBlobBytes) throw new SizeLimitError(bytes.length, this.maxBlobBytes);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    const rootBytes = await readRoot();
    const root = dagPb.decode(rootBytes);
    const data = root.Data ? UnixFSData.unmarshal(root.Data) : undefined;
    const size = Number(data?.fileSize() ?? 0n);
    if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
    const flat =
      data?.type === "file" &&
      (data.data?.length ?? 0) === 0 &&
      root.Links.length === data.blockSizes.length &&
      root.Links.every((l) => l.Hash.code === raw.code);
    const out = new Uint8Array(size);
    if (flat) {
      const offsets: number[] = [];
      let position = 0;
      for (const blockSize of data.blockSizes) {
        offsets.push(position);
        position += Number(blockSize);
      }
      let next = 0;
      const worker = async () => {
        while (next < root.Links.length) {
          const i = next++;
          const length = Number(data.blockSizes[i]);
          const handle = await openFile(this.blocks.blockPath(root.Links[i]!.Hash)).catch(() => {
            throw new BlobNotFoundError(parsed.toString(), this.name, [
              new Error(`leaf ${root.Links[i]!.Hash} is missing`),
            ]);
          });
          try {
            let done = 0;
            while (done < length) {
              const { bytesRead } = await handle.read(out, offsets[i]! + done, length - done, done);
              if (bytesRead === 0)
                throw new BlobNotFoundError(parsed.toString(), this.name, [
                  new Error(`leaf ${root.Links[i]!.Hash} is short`),
                ]);
              done += bytesRead;
            }
          } finally {
            await handle.close();
          }
          options.signal?.throwIfAborted();
        }
      };
      await Promise.all([worker(), worker(), worker(), worker()]);
      return out;
    }
    let offset = 0;
    for await (const chunk of this.fs.cat(parsed, {
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
      throw new BlobNotFoundError(parsed.toString(), this.name, [new Error(`read ${offset} of ${size} bytes`)]);
    return out;
  }

  async has(cid: CidLike): Promise<boolean> {
    return this.blocks.has(toCid(cid));
  }

  async pin(cid: CidLike, options: StoreOptions = {}): Promise<void> {
    const parsed = toCid(cid);
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
    let size = 0;
    for await (const chunk of this.blocks.get(toCid(cid))) size += chunk.length;
    return size;
  }

  /** Path of the file holding a block (tests use it to simulate disk corruption). */
  blockPath(cid: CidLike): string {
    return this.blocks.blockPath(toCid(cid));
  }

  async close(): Promise<void> {
    await this.hasher.close();
    await this.helia.stop();
    await this.blocks.close();
    await (this.helia.datastore as FsDatastore).close?.();
  }
}
