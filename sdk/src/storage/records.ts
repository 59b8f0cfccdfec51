/** The record write/read path over any BlobStore: store + commit, fetch + verify. */
import type { CID } from "multiformats/cid";
import {
  prepareRecordSeal,
  sealWith,
  type RecordMeta,
  type RecordRecipients,
  type RecordSeal,
} from "../crypto/container.js";
import type { ByteSource } from "../bytes.js";
import {
  commitmentOf,
  fetchVerified,
  isCommittingStore,
  assertStoredCid,
  UNIXFS_CHUNK_SIZE,
  type BlobStore,
  type CidLike,
  type StoreOptions,
} from "./blobStore.js";
import { ReplicatedBlobStore } from "./replicated.js";

export interface StoredRecord {
  cid: CID;
  /** bytes32 sha-256 of the stored blob: the on-chain integrity commitment for addRecord. */
  commitment: `0x${string}`;
  size: number;
}

/**
 * Stores a sealed record and computes its commitment (in parallel). A store other than the SDK's
 * embedded one has the CID it answered checked against the CID computed from the bytes.
 * @throws StoreCidMismatchError
 */
export async function putRecord(store: BlobStore, blob: Uint8Array, options?: StoreOptions): Promise<StoredRecord> {
  if (isCommittingStore(store)) {
    const { cid, commitment } = await store.putCommitted(blob, options);
    return { cid, commitment, size: blob.length };
  }
  const [answered, commitment] = await Promise.all([store.put(blob, options), commitmentOf(blob)]);
  return { cid: await assertStoredCid(store.name, blob, answered), commitment, size: blob.length };
}

/**
 * Fetches a record blob and verifies it against the on-chain commitment before returning it;
 * a ReplicatedBlobStore falls back across replicas. @throws IntegrityError, BlobNotFoundError
 */
export async function getRecord(
  store: BlobStore,
  cid: CidLike,
  commitment: string,
  options?: StoreOptions,
): Promise<Uint8Array> {
  return store instanceof ReplicatedBlobStore
    ? store.getVerified(cid, commitment, options)
    : fetchVerified(store, cid, commitment, options);
}

/**
 * The write path in one pass: seals a body of known length and streams the ciphertext into the
 * store while it is produced (the cipher and the store overlap). A committing store (the
 * embedded one) takes the cipher's segments as they come, hashes them on arrival, writes each
 * block once its CID is known and derives the commitment from the same pass, so the sealed blob
 * is never assembled here. Other stores get 1 MiB-aligned views of one sealed buffer (UnixFS
 * chunkers slice blocks out of them without copying), and the commitment is computed over it.
 */
export async function sealAndStore(
  store: BlobStore,
  args:
    | { meta: RecordMeta; body: ByteSource; bodyLength: number; recipients: RecordRecipients }
    | { seal: RecordSeal; body: ByteSource },
  options?: StoreOptions,
): Promise<StoredRecord> {
  const sealed = sealWith("seal" in args ? args.seal : await prepareRecordSeal(args), args.body);
  let offset = 0;
  if (isCommittingStore(store)) {
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of sealed.stream) {
        offset += chunk.length;
        yield chunk;
      }
    }
    const { cid, commitment } = await store.putCommitted(counted(), { ...options, length: sealed.length });
    if (offset !== sealed.length) throw new Error(`sealed ${offset} of ${sealed.length} bytes`);
    return { cid, commitment, size: sealed.length };
  }
  const blob = new Uint8Array(sealed.length);
  let sealedAll!: () => void;
  const produced = new Promise<void>((resolve) => (sealedAll = resolve));
  async function* aligned(): AsyncGenerator<Uint8Array> {
    let emitted = 0;
    for await (const chunk of sealed.stream) {
      blob.set(chunk, offset);
      offset += chunk.length;
      const end = offset - (offset % UNIXFS_CHUNK_SIZE);
      if (end > emitted) {
        yield blob.subarray(emitted, end);
        emitted = end;
      }
    }
    if (offset > emitted) yield blob.subarray(emitted, offset);
    sealedAll();
  }
  // The digest runs (off the main thread) while the store writes its last blocks and pins.
  const [answered, commitment] = await Promise.all([
    store.put(aligned(), options),
    produced.then(() => commitmentOf(blob)),
  ]);
  if (offset !== sealed.length) throw new Error(`sealed ${offset} of ${sealed.length} bytes`);
  // The CID goes on chain: it must be the CID of these bytes, whatever the store (or the dApp's
  // upload route) answered.
  return { cid: await assertStoredCid(store.name, blob, answered), commitment, size: blob.length };
}
