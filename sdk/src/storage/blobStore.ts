/**
 * Content-addressed blob storage. Every adapter stores bytes as a UnixFS file with the
 * `unixfs-v1-2025` profile (CIDv1, raw leaves, 1 MiB chunks, 1,024 links per node, sha2-256), so
 * the same bytes get the same CID from the embedded Helia node and from any Kubo node.
 *
 * Stores are not trusted: readers check what comes back against the on-chain commitment
 * (sha-256 of the stored bytes) with `fetchVerified` before using it.
 */
import { CID } from "multiformats/cid";
import { collectBytes, sha256, toHex, type ByteSource } from "../bytes.js";
import { BlobNotFoundError, IntegrityError, SizeLimitError, StoreCidMismatchError } from "../errors.js";

export type CidLike = CID | string;

/** 1.5× the largest attachment the dApp accepts (50 MiB) plus header room. */
export const DEFAULT_MAX_BLOB_BYTES = 80 * 1024 * 1024;
export const UNIXFS_CHUNK_SIZE = 1024 * 1024;

/** The Kubo RPC `add` parameters that reproduce the unixfs-v1-2025 profile. */
export const KUBO_ADD_OPTIONS = {
  cidVersion: 1,
  rawLeaves: true,
  chunker: `size-${UNIXFS_CHUNK_SIZE}`,
  hashAlg: "sha2-256",
} as const;

export interface StoreOptions {
  signal?: AbortSignal;
}

export interface GarbageReport {
  /** Blocks removed. */
  removedBlocks: number;
  /** Bytes given back on disk, when the store can tell. */
  freedBytes?: number;
}

export interface BlobStore {
  /** Human-readable name used in errors and reports (e.g. "helia:/data/ipfs", "kubo:http://…"). */
  readonly name: string;
  /** Stores and pins the bytes; resolves to their CID. @throws SizeLimitError */
  put(data: ByteSource, options?: StoreOptions): Promise<CID>;
  /** The whole blob. @throws BlobNotFoundError, SizeLimitError */
  get(cid: CidLike, options?: StoreOptions): Promise<Uint8Array>;
  /** The blob as a stream of chunks. */
  stream(cid: CidLike, options?: StoreOptions): AsyncIterable<Uint8Array>;
  /** Whether the store holds the root block (no network lookup). */
  has(cid: CidLike, options?: StoreOptions): Promise<boolean>;
  /** Pins the blob so garbage collection keeps it. */
  pin(cid: CidLike, options?: StoreOptions): Promise<void>;
  /**
   * Removes every block no pin covers and gives its space back (Kubo's `repo gc`). Callers pin
   * what must stay first: a block that is only stored, not pinned, goes.
   */
  collectGarbage?(options?: StoreOptions): Promise<GarbageReport>;
  close?(): Promise<void>;
}

export function toCid(cid: CidLike): CID {
  return typeof cid === "string" ? CID.parse(cid) : cid;
}

/** The on-chain integrity commitment: sha-256 of the exact stored bytes, as bytes32 hex. */
export async function commitmentOf(bytes: Uint8Array): Promise<`0x${string}`> {
  return toHex(await sha256(bytes));
}

/** Passes chunks through, failing with SizeLimitError as soon as the total exceeds `limit`. */
export async function* limitSize(source: ByteSource, limit: number, what = "blob"): AsyncGenerator<Uint8Array> {
  if (source instanceof Uint8Array) {
    if (source.length > limit) throw new SizeLimitError(source.length, limit, what);
    yield source;
    return;
  }
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > limit) throw new SizeLimitError(total, limit, what);
    yield chunk;
  }
}

/** Collects a stream into one buffer, failing with SizeLimitError once it exceeds `limit`. */
export function collectLimited(source: AsyncIterable<Uint8Array>, limit: number): Promise<Uint8Array> {
  return collectBytes(limitSize(source, limit));
}

/**
 * A store that computes the sha-256 commitment in the same pass as it writes or reads a blob
 * (the embedded store), sparing callers a second pass over the bytes.
 */
export interface CommittingStore extends BlobStore {
  putCommitted(
    data: ByteSource,
    options?: StoreOptions & { /** Total bytes the stream carries, when known. */ length?: number },
  ): Promise<{ cid: CID; commitment: `0x${string}` }>;
  getCommitted(cid: CidLike, options?: StoreOptions): Promise<{ bytes: Uint8Array; commitment: `0x${string}` }>;
}

/**
 * The SDK's own committing stores (the embedded HeliaBlobStore registers each instance it makes).
 * Having a `getCommitted` method earns nothing: any other object that claims to hash for us is
 * treated as a plain store, and the SDK hashes its bytes itself.
 */
const committingStores = new WeakSet<object>();

/** @internal Called by the SDK's own stores' constructors only. */
export function registerCommittingStore(store: CommittingStore): void {
  committingStores.add(store);
}

export function isCommittingStore(store: BlobStore): store is CommittingStore {
  return committingStores.has(store);
}

/**
 * Fetches a blob from one store and checks it against the on-chain commitment.
 * @throws IntegrityError naming the CID and the store; never returns unverified bytes.
 */
export async function fetchVerified(
  store: BlobStore,
  cid: CidLike,
  commitment: string,
  options?: StoreOptions,
): Promise<Uint8Array> {
  // The SDK's embedded store hashes (with the SDK's own code) while it reads, which saves a second
  // pass over the bytes; every other store's bytes are hashed here.
  const { bytes, commitment: actual } = isCommittingStore(store)
    ? await store.getCommitted(cid, options)
    : await store.get(cid, options).then(async (b) => ({ bytes: b, commitment: await commitmentOf(b) }));
  if (actual.toLowerCase() !== commitment.toLowerCase()) {
    throw new IntegrityError(toCid(cid).toString(), store.name, commitment, actual);
  }
  return bytes;
}

/**
 * The CID `bytes` have under the unixfs-v1-2025 profile every CareLedger store uses (CIDv1, raw
 * leaves, 1 MiB chunks, 1,024 links, sha2-256), computed here with `ipfs-unixfs-importer` (loaded
 * on first use) without storing anything.
 */
export async function cidOf(bytes: Uint8Array): Promise<CID> {
  const { importer } = await import("ipfs-unixfs-importer");
  const discard = { put: async (cid: CID) => cid };
  let root: CID | undefined;
  for await (const entry of importer([{ content: bytes }], discard as never, { profile: "unixfs-v1-2025" }))
    root = entry.cid;
  return root!;
}

/**
 * Checks the CID a store (or an upload route) answered against the CID of the bytes sent, so a
 * lying route cannot make a writer put a pointer to something else on chain.
 * @throws StoreCidMismatchError naming both
 */
export async function assertStoredCid(store: string, bytes: Uint8Array, answered: CidLike): Promise<CID> {
  const computed = await cidOf(bytes);
  if (!computed.equals(toCid(answered))) {
    throw new StoreCidMismatchError(store, toCid(answered).toString(), computed.toString());
  }
  return computed;
}

export function isNotFound(error: unknown): boolean {
  if (error instanceof BlobNotFoundError) return true;
  const text = `${(error as Error)?.name ?? ""} ${(error as Error)?.message ?? ""}`;
  return /not ?found|could not find|ENOENT/i.test(text);
}
