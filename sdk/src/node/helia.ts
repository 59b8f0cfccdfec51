/**
 * The embedded default store (Node only): a Helia light node — no libp2p, no routers, no block
 * brokers, so it never touches the network — over a filesystem blockstore and datastore under
 * a data folder. Blocks and pins persist across restarts.
 */
import { mkdir, open as openFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FsBlockstore } from 'blockstore-fs';
import { FsDatastore } from 'datastore-fs';
import { createHeliaLight, type Helia } from 'helia';
import { unixfs, type UnixFS } from '@helia/unixfs';
import * as dagPb from '@ipld/dag-pb';
import { UnixFS as UnixFSData } from 'ipfs-unixfs';
import { importer } from 'ipfs-unixfs-importer';
import type { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import type { ByteSource } from '../bytes.js';
import { BlobNotFoundError, SizeLimitError } from '../errors.js';
import {
  DEFAULT_MAX_BLOB_BYTES,
  limitSize,
  toCid,
  type BlobStore,
  type CidLike,
  type StoreOptions,
} from '../storage/blobStore.js';

/** blockstore-fs streams blocks in 64 KiB pieces; whole-file reads are several times faster for 1 MiB blocks. */
class WholeFileBlockstore extends FsBlockstore {
  override async *get(key: CID): AsyncGenerator<Uint8Array> {
    try {
      yield await readFile(this.blockPath(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      yield* super.get(key); // raises blockstore-fs's own NotFoundError
    }
  }

  blockPath(cid: CID): string {
    const { dir, file } = (this as unknown as { shardingStrategy: { encode(c: CID): { dir: string; file: string } } }).shardingStrategy.encode(cid);
    return join(this.path, dir, file);
  }
}

/**
 * Pins walk the DAG to record every block they cover. Helia's default walker reads each block,
 * which for a 50 MiB file means reading it all back from disk; raw leaves have no links, so this
 * walker lists them from their parent's links without loading them.
 */
function rawLeafAwareWalker(components: { blockstore: { get(cid: CID, options?: object): AsyncIterable<Uint8Array> } }) {
  return {
    async *walk(cid: CID, options: { signal?: AbortSignal } = {}) {
      async function* visit(current: CID, depth: number, path: CID[]): AsyncGenerator<{ block: { cid: CID; bytes: Uint8Array; value: unknown; links(): [] }; depth: number; path: CID[] }> {
        if (current.code === raw.code) {
          yield { block: { cid: current, bytes: new Uint8Array(), value: undefined, links: () => [] }, depth, path };
          return;
        }
        const parts: Uint8Array[] = [];
        for await (const part of components.blockstore.get(current, { ...options, offline: true })) parts.push(part);
        const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
        if (current.code !== dagPb.code) throw new Error(`unexpected codec 0x${current.code.toString(16)} in a UnixFS file`);
        const node = dagPb.decode(bytes);
        yield { block: { cid: current, bytes, value: node, links: () => [] }, depth, path };
        for (const link of node.Links) yield* visit(link.Hash, depth + 1, [...path, current]);
      }
      yield* visit(cid, 0, []);
    },
  };
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

  private constructor(helia: Helia, blocks: WholeFileBlockstore, options: HeliaBlobStoreOptions) {
    this.helia = helia;
    this.blocks = blocks;
    this.fs = unixfs(helia);
    this.name = options.name ?? `helia:${options.dataDir}`;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
  }

  static async open(options: HeliaBlobStoreOptions): Promise<HeliaBlobStore> {
    await mkdir(options.dataDir, { recursive: true });
    const blocks = new WholeFileBlockstore(join(options.dataDir, 'blocks'));
    const datastore = new FsDatastore(join(options.dataDir, 'datastore'));
    await blocks.open();
    await datastore.open();
    const helia = createHeliaLight({ blockstore: blocks, datastore });
    await helia.start();
    return new HeliaBlobStore(helia, blocks, options);
  }

  /**
   * Imports with the unixfs-v1-2025 profile and pins. Blocks are written straight to the
   * filesystem blockstore, overwriting any existing copy: re-putting healthy bytes is how a
   * corrupt local block gets repaired (Helia's own put would skip a block it already "has").
   */
  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes) throw new SizeLimitError(data.length, this.maxBlobBytes);
    const blocks = this.blocks;
    const sink = {
      async put(cid: CID, bytes: Uint8Array) {
        await blocks.put(cid, bytes, options);
        return cid;
      },
    };
    let root: CID | undefined;
    for await (const entry of importer([{ content: limitSize(data, this.maxBlobBytes) }], sink as never, {
      profile: 'unixfs-v1-2025',
    })) {
      root = entry.cid;
    }
    if (!root) throw new Error('importer produced no root CID');
    await this.pin(root, options);
    return root;
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
    if (!(await this.blocks.has(parsed))) throw new BlobNotFoundError(parsed.toString(), this.name);
    if (parsed.code === raw.code) {
      const bytes = await readFile(this.blocks.blockPath(parsed));
      if (bytes.length > this.maxBlobBytes) throw new SizeLimitError(bytes.length, this.maxBlobBytes);
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
    const rootBytes = await readFile(this.blocks.blockPath(parsed));
    const root = dagPb.decode(rootBytes);
    const data = root.Data ? UnixFSData.unmarshal(root.Data) : undefined;
    const size = Number(data?.fileSize() ?? 0n);
    if (size > this.maxBlobBytes) throw new SizeLimitError(size, this.maxBlobBytes);
    const flat =
      data?.type === 'file' &&
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
            throw new BlobNotFoundError(parsed.toString(), this.name, [new Error(`leaf ${root.Links[i]!.Hash} is missing`)]);
          });
          try {
            let done = 0;
            while (done < length) {
              const { bytesRead } = await handle.read(out, offsets[i]! + done, length - done, done);
              if (bytesRead === 0) throw new BlobNotFoundError(parsed.toString(), this.name, [new Error(`leaf ${root.Links[i]!.Hash} is short`)]);
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
    for await (const chunk of this.fs.cat(parsed, { signal: options.signal, offline: true, blockReadConcurrency: 8 } as never)) {
      if (offset + chunk.length > size) throw new SizeLimitError(offset + chunk.length, size, 'blob (longer than its UnixFS size)');
      out.set(chunk, offset);
      offset += chunk.length;
    }
    if (offset !== size) throw new BlobNotFoundError(parsed.toString(), this.name, [new Error(`read ${offset} of ${size} bytes`)]);
    return out;
  }

  async has(cid: CidLike): Promise<boolean> {
    return this.blocks.has(toCid(cid));
  }

  async pin(cid: CidLike, options: StoreOptions = {}): Promise<void> {
    const parsed = toCid(cid);
    if (await this.helia.pins.isPinned(parsed, options)) return;
    for await (const _ of this.helia.pins.add(parsed, { ...options, offline: true, walker: rawLeafAwareWalker } as never)) {
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
    await this.helia.stop();
    await this.blocks.close();
    await (this.helia.datastore as FsDatastore).close?.();
  }
}
