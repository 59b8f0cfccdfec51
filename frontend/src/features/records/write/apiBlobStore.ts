import { collectBytes, type ByteSource } from "@careledger/sdk/bytes";
import { toCid, type BlobStore, type CidLike, type StoreOptions } from "@careledger/sdk/storage/blobStore";

type CID = ReturnType<typeof toCid>;

/** Bytes sent so far and the total, for an upload progress bar. */
export type UploadProgress = { loaded: number; total: number };

/**
 * The dApp's blob store: the same-origin /api/blobs route (which accepts sealed ciphertext only and
 * forwards it to the IPFS store). `put` reports upload progress through `onProgress`.
 */
export class ApiBlobStore implements BlobStore {
  readonly name = "dapp:/api/blobs";
  constructor(private readonly onProgress?: (progress: UploadProgress) => void) {}

  async put(data: ByteSource, options: StoreOptions = {}): Promise<CID> {
    const bytes = await collectBytes(data);
    const cid = await new Promise<string>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/blobs");
      xhr.setRequestHeader("content-type", "application/octet-stream");
      xhr.upload.onprogress = (event) =>
        this.onProgress?.({ loaded: event.loaded, total: event.total || bytes.length });
      xhr.onload = () => {
        try {
          const body = JSON.parse(xhr.responseText) as { cid?: string; error?: string };
          if (xhr.status === 201 && body.cid) resolve(body.cid);
          else reject(new Error(body.error ?? `The store refused the upload (${xhr.status}).`));
        } catch {
          reject(new Error(`The store answered ${xhr.status}.`));
        }
      };
      xhr.onerror = () => reject(new Error("The upload failed: the storage route is not reachable."));
      options.signal?.addEventListener("abort", () => xhr.abort());
      xhr.send(new Blob([bytes as BlobPart], { type: "application/octet-stream" }));
    });
    this.onProgress?.({ loaded: bytes.length, total: bytes.length });
    return toCid(cid);
  }

  async get(cid: CidLike, options: StoreOptions = {}): Promise<Uint8Array> {
    const response = await fetch(`/api/blobs/${cid.toString()}`, { signal: options.signal });
    if (!response.ok) throw new Error(`Blob ${cid.toString()} could not be fetched (${response.status}).`);
    return new Uint8Array(await response.arrayBuffer());
  }

  async *stream(cid: CidLike, options?: StoreOptions): AsyncGenerator<Uint8Array> {
    yield await this.get(cid, options);
  }

  async has(cid: CidLike, options?: StoreOptions): Promise<boolean> {
    try {
      await this.get(cid, options);
      return true;
    } catch {
      return false;
    }
  }

  async pin(): Promise<void> {
    // /api/blobs pins on add.
  }
}
