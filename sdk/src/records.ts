/**
 * The record write and read paths of ARCHITECTURE.md in one call each, for the dApp, the seed
 * script and tests: validate → seal (content key wrapped to the category key and the author) →
 * store → commitment; and fetch → verify against the commitment → unwrap → decrypt → validate.
 */
import type { Bundle, Resource } from "@medplum/fhirtypes";
import type { CID } from "multiformats/cid";
import { utf8, type ByteSource } from "./bytes.js";
import {
  FHIR_JSON,
  openRecord,
  recordRecipients,
  sealRecord,
  type OpenedRecord,
  type RecordBinding,
  type RecordKeys,
} from "./crypto/container.js";
import { MalformedInputError } from "./errors.js";
import { assertValidResource } from "./fhir/validate.js";
import { assertCategory, categoryForResourceType, type Category } from "./protocol/constants.js";
import type { BlobStore, CidLike, StoreOptions } from "./storage/blobStore.js";
import { getRecord, putRecord, sealAndStore, type StoredRecord } from "./storage/records.js";

export interface RecordTarget {
  store: BlobStore;
  /** The patient's category public key for (category, epoch), read from chain. */
  categoryPublicKey: Uint8Array;
  epoch: number;
  /** The author's identity public key (keeps the author able to read what it wrote). */
  authorPublicKey: Uint8Array;
  /** What the record is bound to besides its category and epoch: chain, registry, patient, author. */
  binding: Omit<RecordBinding, "category" | "epoch">;
}

/** The category a resource (or a Bundle, by its first entry) is filed under. */
export function categoryOf(resource: Resource): Category {
  const type =
    resource.resourceType === "Bundle"
      ? (resource as Bundle).entry?.[0]?.resource?.resourceType
      : resource.resourceType;
  const category = type ? categoryForResourceType(type) : undefined;
  if (category === undefined) throw new MalformedInputError(`no record category holds ${type ?? "an empty Bundle"}`);
  return category;
}

export interface WrittenRecord extends StoredRecord {
  category: Category;
}

/** Validates, seals and stores a FHIR resource or Bundle. @throws FhirValidationError */
export async function writeFhirRecord(
  target: RecordTarget & { resource: Resource; category?: number },
  options?: StoreOptions,
): Promise<WrittenRecord> {
  const resource = await assertValidResource(target.resource);
  const category = target.category === undefined ? categoryOf(resource) : assertCategory(target.category);
  const blob = await sealRecord(
    { kind: "fhir", resource },
    recordRecipients({
      ...target.binding,
      category,
      epoch: target.epoch,
      categoryPublicKey: target.categoryPublicKey,
      authorPublicKey: target.authorPublicKey,
    }),
  );
  return { ...(await putRecord(target.store, blob, options)), category };
}

/** Seals and stores a file (PDF, image) streamed from `body`; memory stays near one copy. */
export async function writeAttachmentRecord(
  target: RecordTarget & {
    category: number;
    contentType: string;
    fileName?: string;
    body: ByteSource;
    bodyLength: number;
  },
  options?: StoreOptions,
): Promise<WrittenRecord> {
  const category = assertCategory(target.category);
  const stored = await sealAndStore(
    target.store,
    {
      meta: { contentType: target.contentType, ...(target.fileName ? { fileName: target.fileName } : {}) },
      body: target.body,
      bodyLength: target.bodyLength,
      recipients: recordRecipients({
        ...target.binding,
        category,
        epoch: target.epoch,
        categoryPublicKey: target.categoryPublicKey,
        authorPublicKey: target.authorPublicKey,
      }),
    },
    options,
  );
  return { ...stored, category };
}

export interface RecordPointerRef {
  store: BlobStore;
  cid: CidLike;
  /** The on-chain commitment (bytes32 sha-256 of the stored blob). */
  commitment: string;
  keys: RecordKeys;
  /** What the chain says the record is (RecordRegistry entry and deployment). */
  binding: RecordBinding;
}

/** Fetches, verifies, decrypts (any content type). @throws IntegrityError, WrongKeyError, Tampered*Error */
export async function readRecord(ref: RecordPointerRef, options?: StoreOptions): Promise<OpenedRecord> {
  return openRecord(await getRecord(ref.store, ref.cid, ref.commitment, options), ref.keys, ref.binding);
}

/** Fetches, verifies, decrypts and validates a FHIR record. @throws FhirValidationError too */
export async function readFhirRecord<T extends Resource = Resource>(
  ref: RecordPointerRef,
  options?: StoreOptions,
): Promise<T> {
  const opened = await readRecord(ref, options);
  if (opened.meta.contentType !== FHIR_JSON)
    throw new MalformedInputError(`record holds ${opened.meta.contentType}, not FHIR JSON`);
  return await assertValidResource<T>(JSON.parse(utf8.decode(opened.bytes)));
}

export type { CID };
