/**
 * Several stores as one: writes go to every store, reads try each in turn until a copy verifies
 * against the on-chain commitment. A copy that does not verify is reported (onIntegrityError)
 * and skipped; if none verifies the caller gets the IntegrityError, never the bytes.
 */
import type { CID } from "multiformats/cid";
import { collectBytes, type ByteSource } from "../bytes.js";
import { BlobNotFoundError, IntegrityError, ReplicationError, SizeLimitError } from "../errors.js";
import { fetchVerified, toCid, type BlobStore, type CidLike, type StoreOptions } from "./blobStore.js";

export interface ReplicatedBlobStoreOptions {
  name?: string;
  /** How many stores must accept a write (default: all). */
  minReplicas?: number;
  /** Called for every replica that fails verification, e.g. to schedule a repair. */
  onIntegrityError?: (error: IntegrityError) => void;
}

export class ReplicatedBlobStore implements BlobStore {
  readonly name: string;
  readonly stores: readonly BlobStore[];
  private readonly minReplicas: number;
  private readonly onIntegrityError?: (error: IntegrityError) => void;

  constructor(stores: readonly BlobStore[], options: ReplicatedBlobStoreOptions = {}) {
    if (stores.length === 0) throw new RangeError("ReplicatedBlobStore needs at least one store");
    this.stores = stores;
    this.name = options.name ?? `replicated(${stores.map((s) => s.name).join(", ")})`;
    this.minReplicas = Math.min(options.minReplicas ?? stores.length, stores.length);
    this.onIntegrityError = options.onIntegrityError;
  }

  /** Writes to every store in parallel; all must agree on the CID. */
  async put(data: ByteSource, options?: StoreOptions): Promise<CID> {
    // A stream can only be read once: buffer it when there is more than one store.
    const bytes = this.stores.length === 1 ? data : await collectBytes(data);
    const results = await Promise.allSettled(this.stores.map((store) => store.put(bytes, options)));
    const failures: { store: string; error: Error }[] = [];
    const cids: CID[] = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") cids.push(r.value);
      else failures.push({ store: this.stores[i]!.name, error: r.reason as Error });
    });
    if (cids.length > 0 && cids.some((c) => !c.equals(cids[0]!))) {
      throw new ReplicationError(
        `stores returned different CIDs for the same bytes: ${cids.map(String).join(", ")}`,
        failures,
      );
    }
    if (cids.length < this.minReplicas) {
      // A size-limit error from every store is the caller's problem, not replication's.
      if (cids.length === 0 && failures.length > 0 && failures.every((f) => f.error instanceof SizeLimitError)) {
        throw failures[0]!.error;
      }
      throw new ReplicationError(
        `write reached ${cids.length} of ${this.stores.length} stores (${this.minReplicas} required): ` +
          failures.map((f) => `${f.store}: ${f.error.message}`).join("; "),
        failures,
      );
    }
    return cids[0]!;
  }

  /**
   * The first copy that verifies against `commitment`.
   * @throws IntegrityError (the first mismatch) when no copy verifies and at least one mismatched,
   *   BlobNotFoundError when no store has it.
   */
  async getVerified(cid: CidLike, commitment: string, options?: StoreOptions): Promise<Uint8Array> {
    const failures: Error[] = [];
    let integrity: IntegrityError | undefined;
    for (const store of this.stores) {
      try {
        return await fetchVerified(store, cid, commitment, options);
      } catch (error) {
        if (error instanceof IntegrityError) {
          integrity ??= error;
          this.onIntegrityError?.(error);
        }
        failures.push(error as Error);
      }
    }
    if (integrity) throw integrity;
    throw new BlobNotFoundError(toCid(cid).toString(), this.name, failures);
  }

  /** Unverified read (first store that has it); prefer getVerified with the on-chain commitment. */
  async get(cid: CidLike, options?: StoreOptions): Promise<Uint8Array> {
    const failures: Error[] = [];
    for (const store of this.stores) {
      try {
        return await store.get(cid, options);
      } catch (error) {
        failures.push(error as Error);
      }
    }
    throw new BlobNotFoundError(toCid(cid).toString(), this.name, failures);
  }

  async *stream(cid: CidLike, options?: StoreOptions): AsyncGenerator<Uint8Array> {
    for (const store of this.stores) {
      if (await store.has(cid, options).catch(() => false)) {
        yield* store.stream(cid, options);
        return;
      }
    }
    throw new BlobNotFoundError(toCid(cid).toString(), this.name);
  }

  async has(cid: CidLike, options?: StoreOptions): Promise<boolean> {
    for (const store of this.stores) if (await store.has(cid, options).catch(() => false)) return true;
    return false;
  }

  async pin(cid: CidLike, options?: StoreOptions): Promise<void> {
    await Promise.all(this.stores.map((s) => s.pin(cid, options)));
  }

  async close(): Promise<void> {
    await Promise.all(this.stores.map((s) => s.close?.()));
  }
}
