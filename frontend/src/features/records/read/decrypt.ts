import type { CategoryKeyring } from "@careledger/sdk/crypto/categoryKeys";
import type { RecordBinding } from "@careledger/sdk/crypto/container";
import type { KeyDomain } from "@careledger/sdk/crypto/envelope";
import type { Resource } from "@medplum/fhirtypes";
import type { RecordPointer } from "./pointers";

export type OpenedRecordView =
  | { status: "fhir"; resource: Resource }
  | { status: "file"; contentType: string; fileName?: string; bytes: Uint8Array }
  /** The reader holds no key for this record's category and epoch: nothing was fetched. */
  | { status: "locked"; reason: string }
  | { status: "failed"; message: string };

const FHIR_JSON = "application/fhir+json";

/**
 * What the chain says a record is (its RecordRegistry entry and the network's CareRegistry): a
 * record opens only under it, so a blob moved from another patient, category, epoch, author or
 * network does not open.
 */
export function recordBindingOf(pointer: RecordPointer, domain: KeyDomain): RecordBinding {
  return {
    ...domain,
    patient: pointer.patient,
    author: pointer.author,
    category: pointer.category,
    epoch: pointer.keyEpoch,
  };
}

/** Reads a blob back through the dApp's /api/blobs route (ciphertext only). */
async function fetchBlob(cid: string, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(`/api/blobs/${encodeURIComponent(cid)}`, { signal });
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as { error?: string } | undefined;
    throw Object.assign(new Error(body?.error ?? `Record ${cid} could not be fetched (${response.status}).`), {
      code: "BLOB_NOT_FOUND",
    });
  }
  return new Uint8Array(await response.arrayBuffer());
}

export type FetchedBlob = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/**
 * Fetch → verify against the on-chain commitment. Needs no key, so it can run while the person is
 * still unlocking; only ciphertext is involved.
 */
export async function fetchVerifiedBlob(pointer: RecordPointer, signal?: AbortSignal): Promise<FetchedBlob> {
  try {
    const { commitmentOf } = await import("@careledger/sdk/storage/blobStore");
    const bytes = await fetchBlob(pointer.cid, signal);
    const actual = await commitmentOf(bytes);
    if (actual.toLowerCase() !== pointer.commitment.toLowerCase()) {
      return {
        ok: false,
        message: `Integrity check failed for ${pointer.cid}: the stored bytes do not match the on-chain commitment. Nothing of it is shown.`,
      };
    }
    return { ok: true, bytes };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

const BATCH = 50;

/**
 * Many blobs through POST /api/blobs/batch (50 per request: 4 requests for a 200-record timeline
 * instead of 200), each verified against its commitment; a blob the batch could not carry is
 * fetched alone. Keyed by CID.
 */
export async function fetchVerifiedBlobs(
  pointers: RecordPointer[],
  signal?: AbortSignal,
): Promise<Map<string, FetchedBlob>> {
  const { commitmentOf } = await import("@careledger/sdk/storage/blobStore");
  const out = new Map<string, FetchedBlob>();
  const chunks: RecordPointer[][] = [];
  for (let i = 0; i < pointers.length; i += BATCH) chunks.push(pointers.slice(i, i + BATCH));
  await Promise.all(
    chunks.map(async (chunk) => {
      let frames: (Uint8Array | undefined)[] = [];
      try {
        const response = await fetch("/api/blobs/batch", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ cids: chunk.map((p) => p.cid) }),
          signal,
        });
        if (response.ok) {
          const bytes = new Uint8Array(await response.arrayBuffer());
          const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          let offset = 0;
          for (let i = 0; i < chunk.length && offset + 4 <= bytes.length; i++) {
            const length = view.getUint32(offset);
            offset += 4;
            if (length === 0xffffffff) frames.push(undefined);
            else {
              frames.push(bytes.subarray(offset, offset + length));
              offset += length;
            }
          }
        }
      } catch {
        frames = [];
      }
      await Promise.all(
        chunk.map(async (pointer, i) => {
          const bytes = frames[i];
          if (!bytes) return out.set(pointer.cid, await fetchVerifiedBlob(pointer, signal));
          const actual = await commitmentOf(bytes);
          out.set(
            pointer.cid,
            actual.toLowerCase() === pointer.commitment.toLowerCase()
              ? { ok: true, bytes }
              : {
                  ok: false,
                  message: `Integrity check failed for ${pointer.cid}: the stored bytes do not match the on-chain commitment. Nothing of it is shown.`,
                },
          );
        }),
      );
    }),
  );
  return out;
}

/**
 * Fetch → verify against the on-chain commitment → unwrap the content key with the category key
 * and check the header MAC against the on-chain record → decrypt → (FHIR) validate. Never returns unverified or unauthenticated bytes.
 */
export async function openPointer(
  pointer: RecordPointer,
  keys: { keyring: CategoryKeyring; domain: KeyDomain },
  categoryLabel: string,
  signal?: AbortSignal,
  fetched?: FetchedBlob,
): Promise<OpenedRecordView> {
  const key = keys.keyring.get(pointer.category, pointer.keyEpoch);
  if (!key) {
    return {
      status: "locked",
      reason: `You hold no key for ${categoryLabel} records encrypted at key version ${pointer.keyEpoch}: this record was written after access was revoked, or it was never shared with you.`,
    };
  }
  try {
    const { openRecord } = await import("@careledger/sdk/crypto/container");
    const verified = fetched ?? (await fetchVerifiedBlob(pointer, signal));
    if (!verified.ok) return { status: "failed", message: verified.message };
    const blob = verified.bytes;
    const opened = await openRecord(blob, key, recordBindingOf(pointer, keys.domain));
    if (opened.meta.contentType === FHIR_JSON) {
      const { assertValidResource } = await import("@careledger/sdk/fhir/validate");
      const resource = await assertValidResource(JSON.parse(new TextDecoder().decode(opened.bytes)));
      return { status: "fhir", resource };
    }
    return {
      status: "file",
      contentType: opened.meta.contentType,
      fileName: opened.meta.fileName,
      bytes: opened.bytes,
    };
  } catch (error) {
    // SDK errors carry a stable code (class names do not survive minification).
    const code = (error as { code?: string }).code;
    const reason =
      code === "WRONG_KEY"
        ? "none of your keys opens it as this patient's record (it was written for other keys, copied from another record, or altered)"
        : code === "TAMPERED_CIPHERTEXT" || code === "TAMPERED_ENVELOPE"
          ? "its header or ciphertext was altered (its key commitment or a segment does not verify)"
          : code === "TRUNCATED_BLOB"
            ? "it is truncated"
            : code === "FHIR_INVALID"
              ? "it is not a valid FHIR resource"
              : (error as Error).message;
    return { status: "failed", message: `Record ${pointer.cid} could not be opened: ${reason}.` };
  }
}
