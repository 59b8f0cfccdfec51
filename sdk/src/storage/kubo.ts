/**
 * A Kubo node (or any server speaking the Kubo RPC API) through `kubo-rpc-client`, browser-safe.
 * Tested against `startStorageServer` (sdk/src/node/storageServer.ts): no Kubo binary can be
 * installed in this environment, and that server speaks the same RPC subset over real HTTP,
 * backed by a real Helia node, so the client, multipart upload, ndjson and error paths are all
 * exercised for real.
 */
import { create, type KuboRPCClient } from "kubo-rpc-client";
import type { CID } from "multiformats/cid";
import type { ByteSource } from "../bytes.js";
import { BlobNotFoundError, SizeLimitError } from "../errors.js";
import {
  collectLimited,
  DEFAULT_MAX_BLOB_BYTES,
  isNotFound,
  KUBO_ADD_OPTIONS,
  limitSize,
  toCid,
  type BlobStore,
  type CidLike,
  type GarbageReport,
  type StoreOptions,
} from "./blobStore.js";

export interface KuboBlobStoreOptions {
  /** RPC base URL, e.g. http://127.0.0.1:5001 (from config, never hard-coded). */
  url: string | URL;
  name?: string;
  maxBlobBytes?: number;
  headers?: Record<string, string>;
  /** Per-request timeout in ms (default 120 s). */
  timeout?: number;
}

export class KuboBlobStore implements BlobStore {
  readonly name: string;
  readonly client: KuboRPCClient;
  private readonly maxBlobBytes: number;

  constructor(options: KuboBlobStoreOptions) {
    this.name = options.name ?? `kubo:${String(options.url)}`;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
    this.client = create({ url: options.url, headers: options.headers, timeout: options.timeout ?? 120_000 });
  }

  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    if (data instanceof Uint8Array && data.length > this.maxBlobBytes)
      throw new SizeLimitError(data.length, this.maxBlobBytes);
    const content = data instanceof Uint8Array ? data : limitSize(data, this.maxBlobBytes);
    const result = await this.client.add({ content }, { ...KUBO_ADD_OPTIONS, pin: true, signal: options.signal });
    return result.cid;
  }

  async *stream(cid: CidLike, options: StoreOptions = {}): AsyncGenerator<Uint8Array> {
    try {
      yield* this.client.cat(toCid(cid), { signal: options.signal, offline: true } as never);
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(toCid(cid).toString(), this.name, [error as Error]);
      throw error;
    }
  }

  async get(cid: CidLike, options: StoreOptions = {}): Promise<Uint8Array> {
    return collectLimited(this.stream(cid, options), this.maxBlobBytes);
  }

  async has(cid: CidLike, options: StoreOptions = {}): Promise<boolean> {
    try {
      await this.client.block.stat(toCid(cid), { signal: options.signal, offline: true } as never);
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async pin(cid: CidLike, options: StoreOptions = {}): Promise<void> {
    await this.client.pin.add(toCid(cid), { signal: options.signal });
  }

  /** Kubo's `repo gc`: every block no pin covers is removed. @throws the node's first error */
  async collectGarbage(options: StoreOptions = {}): Promise<GarbageReport> {
    let removedBlocks = 0;
    for await (const result of this.client.repo.gc({ signal: options.signal })) {
      if (result.err) throw new Error(`${this.name}: garbage collection failed: ${result.err.message}`);
      removedBlocks++;
    }
    return { removedBlocks };
  }
}
