/** The record write/read path over any BlobStore: store + commit, fetch + verify. */
import type { CID } from 'multiformats/cid';
import { commitmentOf, fetchVerified, type BlobStore, type CidLike, type StoreOptions } from './blobStore.js';
import { ReplicatedBlobStore } from './replicated.js';

export interface StoredRecord {
  cid: CID;
  /** bytes32 sha-256 of the stored blob: the on-chain integrity commitment for addRecord. */
  commitment: `0x${string}`;
  size: number;
}

/** Stores a sealed record and computes its commitment (in parallel). */
export async function putRecord(store: BlobStore, blob: Uint8Array, options?: StoreOptions): Promise<StoredRecord> {
  const [cid, commitment] = await Promise.all([store.put(blob, options), commitmentOf(blob)]);
  return { cid, commitment, size: blob.length };
}

/**
 * Fetches a record blob and verifies it against the on-chain commitment before returning it;
 * a ReplicatedBlobStore falls back across replicas. @throws IntegrityError, BlobNotFoundError
 */
export async function getRecord(store: BlobStore, cid: CidLike, commitment: string, options?: StoreOptions): Promise<Uint8Array> {
  return store instanceof ReplicatedBlobStore
    ? store.getVerified(cid, commitment, options)
    : fetchVerified(store, cid, commitment, options);
}
