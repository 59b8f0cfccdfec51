/**
 * The record container: the exact bytes stored on IPFS and committed on chain.
 *
 *   off len field
 *     0   4 magic "CLRC"
 *     4   1 container version (1)
 *     5  24 payload parameters (segment size, plaintext length, base nonce)
 *    29   2 envelope count n
 *    31     n × (length u16 ‖ key envelope)   content key wrapped to the category key and the author
 *     …     payload: segmented AES-256-GCM (blob.ts) of  u32 metaLength ‖ meta JSON ‖ body
 *
 * The content type lives in the encrypted meta, never in the clear. The payload's associated
 * data is bytes 0..29; every envelope binds the same bytes as its context, so a changed length
 * or nonce is reported as a tampered header (the envelope fails) before any payload is touched.
 */
import type { Resource } from "@medplum/fhirtypes";
import { concatBytes, equalBytes, utf8, type ByteSource } from "../bytes.js";
import { MalformedInputError, TruncatedBlobError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
import {
  ciphertextLength,
  decodePayloadParams,
  decryptSegments,
  encodePayloadParams,
  encryptSegments,
  generateContentKey,
  importContentKey,
  newPayloadParams,
  PAYLOAD_PARAMS_LENGTH,
  SEGMENT_SIZE,
  type PayloadParams,
} from "./blob.js";
import { ByteReader } from "./byteReader.js";
import {
  EnvelopeKind,
  isAddressedTo,
  parseEnvelopeHeader,
  unwrapKey,
  wrapKey,
  type EnvelopeHeader,
} from "./envelope.js";
import type { X25519KeyPair } from "./keys.js";

export const CONTAINER_MAGIC = utf8.encode("CLRC");
export const CONTAINER_VERSION = 1;
export const SUPPORTED_CONTAINER_VERSIONS: readonly number[] = [CONTAINER_VERSION];
const PREFIX_LENGTH = 5 + PAYLOAD_PARAMS_LENGTH;
const ENVELOPE_CONTEXT_LABEL = utf8.encode("CareLedger record v1");

export const FHIR_JSON = "application/fhir+json";

/** Encrypted alongside the body: what the body is. */
export interface RecordMeta {
  contentType: string;
  fileName?: string;
}

export interface RecordRecipient {
  publicKey: Uint8Array;
  kind: EnvelopeKind;
  category?: number;
  epoch?: number;
}

/** The two envelopes every record carries: the patient's category key and the author. */
export function recordRecipients(args: {
  category: number;
  epoch: number;
  categoryPublicKey: Uint8Array;
  authorPublicKey: Uint8Array;
}): RecordRecipient[] {
  return [
    {
      publicKey: args.categoryPublicKey,
      kind: EnvelopeKind.RecordForCategory,
      category: args.category,
      epoch: args.epoch,
    },
    { publicKey: args.authorPublicKey, kind: EnvelopeKind.RecordForAuthor, category: args.category },
  ];
}

export interface SealedRecordStream {
  /** Total container length in bytes (known before the first byte is produced). */
  length: number;
  stream: AsyncIterable<Uint8Array>;
}

function envelopeContext(prefix: Uint8Array) {
  return concatBytes([ENVELOPE_CONTEXT_LABEL, prefix]);
}

/**
 * The public-key half of sealing a record: a fresh content key, wrapped to every recipient and
 * bound to the payload parameters (so the body's length is fixed here). Use it for exactly one
 * body: it carries the record's nonce.
 */
export class RecordSeal {
  private constructor(
    /** The container's clear header (prefix and envelopes). */
    readonly header: Uint8Array,
    /** Total container length in bytes. */
    readonly length: number,
  ) {}

  /** @internal Made only by prepareRecordSeal; its key and nonce live in `sealState`, out of reach. */
  static create(header: Uint8Array, length: number, state: SealState): RecordSeal {
    const seal = new RecordSeal(header, length);
    sealState.set(seal, state);
    return seal;
  }
}

interface SealState {
  params: PayloadParams;
  prefix: Uint8Array;
  metaPrefix: Uint8Array;
  key: CryptoKey;
  used: boolean;
}

/**
 * The key, nonce and use of each seal, keyed by the seal object itself: a copy of a seal (a
 * spread, structuredClone, a state library's snapshot) carries none of them, so it cannot be
 * used to encrypt a second body under the same key and nonce.
 */
const sealState = new WeakMap<RecordSeal, SealState>();

export async function prepareRecordSeal(args: {
  meta: RecordMeta;
  bodyLength: number;
  recipients: readonly RecordRecipient[];
  segmentSize?: number;
}): Promise<RecordSeal> {
  if (args.recipients.length === 0) throw new RangeError("a record needs at least one recipient");
  const metaBytes = utf8.encode(JSON.stringify(args.meta));
  const metaPrefix = new Uint8Array(4 + metaBytes.length);
  new DataView(metaPrefix.buffer).setUint32(0, metaBytes.length);
  metaPrefix.set(metaBytes, 4);

  const params = newPayloadParams(metaPrefix.length + args.bodyLength, args.segmentSize ?? SEGMENT_SIZE);
  const prefix = concatBytes([CONTAINER_MAGIC, Uint8Array.of(CONTAINER_VERSION), encodePayloadParams(params)]);
  const rawKey = generateContentKey();
  const context = envelopeContext(prefix);
  try {
    const envelopes = await Promise.all(
      args.recipients.map((r) =>
        wrapKey(rawKey, r.publicKey, { kind: r.kind, category: r.category, epoch: r.epoch, context }),
      ),
    );
    const header = concatBytes([
      prefix,
      Uint8Array.of(envelopes.length >> 8, envelopes.length & 0xff),
      ...envelopes.flatMap((e) => [Uint8Array.of(e.length >> 8, e.length & 0xff), e]),
    ]);
    const key = await importContentKey(rawKey, ["encrypt"]);
    return RecordSeal.create(header, header.length + ciphertextLength(params), {
      params,
      prefix,
      metaPrefix,
      key,
      used: false,
    });
  } finally {
    rawKey.fill(0);
  }
}

/**
 * The symmetric half: streams the container of `body` (exactly the length the seal was made
 * for) under a prepared seal. Memory stays at a few segments. @throws on a reused seal
 */
export function sealWith(seal: RecordSeal, body: ByteSource): SealedRecordStream {
  const state = sealState.get(seal);
  if (!state) throw new Error("not a record seal from prepareRecordSeal (a copy of one carries no key)");
  if (state.used) throw new Error("a record seal was used twice: prepare one per record (it carries the nonce)");
  state.used = true;
  async function* plaintext(): AsyncGenerator<Uint8Array> {
    yield state!.metaPrefix;
    if (body instanceof Uint8Array) yield body;
    else yield* body;
  }
  async function* stream(): AsyncGenerator<Uint8Array> {
    yield seal.header;
    yield* encryptSegments(state!.key, state!.params, state!.prefix, plaintext());
  }
  return { length: seal.length, stream: stream() };
}

/** Streams a container for a body of known length; memory stays at a few segments. */
export async function sealRecordStream(args: {
  meta: RecordMeta;
  body: ByteSource;
  bodyLength: number;
  recipients: readonly RecordRecipient[];
  segmentSize?: number;
}): Promise<SealedRecordStream> {
  return sealWith(await prepareRecordSeal(args), args.body);
}

export type RecordContent =
  | { kind: "fhir"; resource: Resource }
  | { kind: "attachment"; contentType: string; fileName?: string; bytes: Uint8Array };

/** Seals a FHIR resource or an attachment into container bytes. */
export async function sealRecord(content: RecordContent, recipients: readonly RecordRecipient[]): Promise<Uint8Array> {
  const [meta, body] =
    content.kind === "fhir"
      ? [{ contentType: FHIR_JSON }, utf8.encode(JSON.stringify(content.resource))]
      : [
          { contentType: content.contentType, ...(content.fileName ? { fileName: content.fileName } : {}) },
          content.bytes,
        ];
  const sealed = await sealRecordStream({ meta, body, bodyLength: body.length, recipients });
  const out = new Uint8Array(sealed.length);
  let offset = 0;
  for await (const part of sealed.stream) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

export interface RecordHeader {
  version: number;
  params: PayloadParams;
  /** Raw bytes 0..29: the payload's associated data and the envelopes' context. */
  prefix: Uint8Array;
  envelopes: Uint8Array[];
  envelopeHeaders: EnvelopeHeader[];
  /** Header length in bytes; the payload starts here. */
  length: number;
}

async function readHeader(reader: ByteReader): Promise<RecordHeader> {
  const need = async (n: number, what: string) => {
    const bytes = await reader.read(n);
    if (bytes.length < n) throw new TruncatedBlobError(`record ends inside its ${what}`, undefined, reader.bytesRead);
    return bytes;
  };
  const prefix = await need(PREFIX_LENGTH, "header");
  if (!equalBytes(prefix.subarray(0, 4), CONTAINER_MAGIC))
    throw new MalformedInputError("not a CareLedger record (bad magic)");
  const version = prefix[4]!;
  if (!SUPPORTED_CONTAINER_VERSIONS.includes(version)) {
    throw new UnsupportedVersionError("record container", version, SUPPORTED_CONTAINER_VERSIONS);
  }
  const params = decodePayloadParams(prefix.subarray(5));
  const countBytes = await need(2, "header");
  const count = (countBytes[0]! << 8) | countBytes[1]!;
  const envelopes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const lengthBytes = await need(2, "envelopes");
    envelopes.push((await need((lengthBytes[0]! << 8) | lengthBytes[1]!, "envelopes")).slice());
  }
  return {
    version,
    params,
    prefix: prefix.slice(),
    envelopes,
    envelopeHeaders: envelopes.map(parseEnvelopeHeader),
    length: reader.bytesRead,
  };
}

/** Parses the clear header of a record (which categories/epochs/keys it is wrapped to). */
export async function parseRecordHeader(source: ByteSource): Promise<RecordHeader> {
  return readHeader(new ByteReader(source));
}

/** Anything that offers key pairs: one pair, a list, or a CategoryKeyring. */
export type RecordKeys = X25519KeyPair | Iterable<X25519KeyPair>;

function keyList(keys: RecordKeys): X25519KeyPair[] {
  return "privateKey" in keys ? [keys as X25519KeyPair] : [...(keys as Iterable<X25519KeyPair>)];
}

/**
 * One record's content key, unwrapped once: it opens that record again without the X25519
 * step (a record shown again, or a reader that keeps keys for the session). Bound to the
 * record's header prefix, which carries its random nonce.
 */
export interface RecordContentKey {
  readonly contentKey: CryptoKey;
  /** The record's whole clear header (prefix and envelopes) the key was unwrapped from. */
  readonly header: Uint8Array;
}

/** Unwraps a record's content key with whichever of `keys` it is addressed to. @throws WrongKeyError */
export async function unwrapRecordKey(source: ByteSource, keys: RecordKeys): Promise<RecordContentKey> {
  const header = await parseRecordHeader(source);
  return { contentKey: await unwrapContentKey(header, keys), header: headerBytes(header) };
}

/** The clear header's bytes, as stored. */
function headerBytes(header: RecordHeader): Uint8Array {
  return concatBytes([
    header.prefix,
    Uint8Array.of(header.envelopes.length >> 8, header.envelopes.length & 0xff),
    ...header.envelopes.flatMap((e) => [Uint8Array.of(e.length >> 8, e.length & 0xff), e]),
  ]);
}

async function contentKeyFor(header: RecordHeader, keys: RecordKeys | RecordContentKey): Promise<CryptoKey> {
  if (!("contentKey" in keys)) return unwrapContentKey(header, keys);
  if (!equalBytes(keys.header, headerBytes(header)))
    throw new WrongKeyError("this content key belongs to another record (its header differs)");
  return keys.contentKey;
}

async function unwrapContentKey(header: RecordHeader, keys: RecordKeys): Promise<CryptoKey> {
  const context = envelopeContext(header.prefix);
  for (const pair of keyList(keys)) {
    const envelope = header.envelopes.find((e) => isAddressedTo(e, pair.publicKey));
    if (envelope) return importContentKey(await unwrapKey(envelope, pair, { context }), ["decrypt"]);
  }
  const wanted = header.envelopeHeaders
    .map((h) => `${h.kind === EnvelopeKind.RecordForCategory ? `category ${h.category} epoch ${h.epoch}` : "author"}`)
    .join(", ");
  throw new WrongKeyError(`none of the offered keys opens this record (it is wrapped to: ${wanted})`);
}

export interface OpenedRecordStream {
  meta: RecordMeta;
  header: RecordHeader;
  /** Length of the plaintext body in bytes. */
  bodyLength: number;
  /** Plaintext body, each piece released only after its segment authenticated. */
  body: AsyncIterable<Uint8Array>;
}

/**
 * Opens a container stream: checks the header, unwraps the content key, decrypts lazily. Every
 * piece is authentic when it is yielded, but the body is only complete once the iterator ends
 * without error (a truncated or extended stream fails at its end): do not act on a partial body.
 */
export async function openRecordStream(
  source: ByteSource,
  keys: RecordKeys | RecordContentKey,
): Promise<OpenedRecordStream> {
  const reader = new ByteReader(source);
  const header = await readHeader(reader);
  const key = await contentKeyFor(header, keys);
  const segments = decryptSegments(key, header.params, header.prefix, reader.rest())[Symbol.asyncIterator]();
  // The meta sits at the front of the first segment(s).
  const metaReader = new ByteReader({ [Symbol.asyncIterator]: () => segments });
  const lengthBytes = await metaReader.read(4);
  if (lengthBytes.length < 4) throw new MalformedInputError("record payload is too short to hold its meta");
  const metaLength = new DataView(lengthBytes.buffer, lengthBytes.byteOffset, 4).getUint32(0);
  const metaBytes = await metaReader.read(metaLength);
  const meta = JSON.parse(utf8.decode(metaBytes)) as RecordMeta;
  return { meta, header, bodyLength: header.params.plaintextLength - 4 - metaLength, body: metaReader.rest() };
}

export interface OpenedRecord {
  meta: RecordMeta;
  header: RecordHeader;
  bytes: Uint8Array;
}

export async function openRecord(blob: ByteSource, keys: RecordKeys | RecordContentKey): Promise<OpenedRecord> {
  const opened = await openRecordStream(blob, keys);
  const bytes = new Uint8Array(opened.bodyLength);
  let offset = 0;
  for await (const part of opened.body) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return { meta: opened.meta, header: opened.header, bytes };
}

/** Opens a record that holds FHIR JSON and returns the parsed resource (validate it with fhir/validate). */
export async function openFhirRecord<T extends Resource = Resource>(
  blob: ByteSource,
  keys: RecordKeys | RecordContentKey,
): Promise<T> {
  const opened = await openRecord(blob, keys);
  if (opened.meta.contentType !== FHIR_JSON) {
    throw new MalformedInputError(`record holds ${opened.meta.contentType}, not FHIR JSON`);
  }
  return JSON.parse(utf8.decode(opened.bytes)) as T;
}
