/**
 * The record container: the exact bytes stored on IPFS and committed on chain.
 *
 *   off len field
 *     0   4 magic "CLRC"
 *     4   1 container version (2)
 *     5  24 payload parameters (segment size, plaintext length, base nonce)
 *    29   2 envelope count (always 2)
 *    31     2 × (length u16 ‖ key envelope)   [0] to the patient's category key, [1] to the author
 *     …  32 header MAC: HMAC-SHA256(HKDF(K, "header mac"), label ‖ bytes 0..here ‖ binding)
 *     …     payload: segmented AES-256-GCM (blob.ts) under HKDF(K, "payload") of
 *           u32 metaLength ‖ meta JSON ‖ body, with the whole header as associated data
 *
 * K is the record's random 256-bit content key. The header MAC is the key commitment (as in
 * age): HMAC-SHA256 is collision resistant in its key, so no second key opens the same
 * container, and an author cannot wrap K1 to the patient and K2 to itself. It also covers the
 * envelope list (a dropped, duplicated or reordered envelope fails) and the binding the reader
 * expects from chain: chain id, registry, patient, author, category and epoch. Each envelope is
 * HPKE-bound (envelope.ts) to the same fields and takes bytes 0..29 as associated data, so a
 * changed length or nonce fails before any payload is touched.
 *
 * Nothing in the clear names the patient, the category, the epoch or the author: envelopes are
 * found by trial decryption (a reader opens at most two). The content type lives in the
 * encrypted meta.
 *
 * Version 1 (hand-made ECIES envelopes with clear key ids, no header MAC) is refused with
 * UnsupportedVersionError; the local chain and store are reseeded on every start, so nothing
 * needs migrating.
 */
import type { Resource } from "@medplum/fhirtypes";
import { hkdf } from "@noble/hashes/hkdf.js";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, equalBytes, utf8, type ByteSource } from "../bytes.js";
import {
  MalformedInputError,
  TamperedEnvelopeError,
  TruncatedBlobError,
  UnsupportedVersionError,
  WrongKeyError,
} from "../errors.js";
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
import type { CategoryKey } from "./categoryKeys.js";
import {
  encodeEnvelopeBinding,
  encodeEnvelopeEntries,
  EnvelopePurpose,
  OLD_DATA_ADVICE,
  unwrapKey,
  wrapKey,
  type EnvelopeBinding,
  type KeyDomain,
} from "./envelope.js";
import type { X25519KeyPair } from "./keys.js";

export const CONTAINER_MAGIC = utf8.encode("CLRC");
export const CONTAINER_VERSION = 2;
export const SUPPORTED_CONTAINER_VERSIONS: readonly number[] = [CONTAINER_VERSION];
const PREFIX_LENGTH = 5 + PAYLOAD_PARAMS_LENGTH;
export const RECORD_ENVELOPE_COUNT = 2;
export const HEADER_MAC_LENGTH = 32;
const HEADER_MAC_LABEL = utf8.encode("CareLedger record v2 header");
const MAC_KEY_INFO = utf8.encode("CareLedger record v2 header mac");
const PAYLOAD_KEY_INFO = utf8.encode("CareLedger record v2 payload");

export const FHIR_JSON = "application/fhir+json";

/** Encrypted alongside the body: what the body is. */
export interface RecordMeta {
  contentType: string;
  fileName?: string;
}

/**
 * What a record is bound to, as the chain says it: a writer takes it from the patient's
 * registered keys, a reader from the RecordRegistry entry (its patient, author, category and
 * key epoch) and the deployment (chain id, CareRegistry address).
 */
export interface RecordBinding extends KeyDomain {
  patient: string;
  /** The account that wrote the record (RecordRegistry's `author`). */
  author: string;
  category: number;
  epoch: number;
}

/** The two recipients of every record: the patient's category key and the author. */
export interface RecordRecipients {
  binding: RecordBinding;
  categoryPublicKey: Uint8Array;
  authorPublicKey: Uint8Array;
}

/** The two envelopes every record carries: the patient's category key and the author. */
export function recordRecipients(
  args: RecordBinding & { categoryPublicKey: Uint8Array; authorPublicKey: Uint8Array },
): RecordRecipients {
  const { chainId, registry, patient, author, category, epoch } = args;
  return {
    binding: { chainId, registry, patient, author, category, epoch },
    categoryPublicKey: args.categoryPublicKey,
    authorPublicKey: args.authorPublicKey,
  };
}

/** The envelope bindings of a record: [0] the patient's category key, [1] the author. */
function envelopeBindings(binding: RecordBinding): [EnvelopeBinding, EnvelopeBinding] {
  const common = {
    purpose: EnvelopePurpose.Record,
    chainId: binding.chainId,
    registry: binding.registry,
    patient: binding.patient,
    category: binding.category,
    epoch: binding.epoch,
  };
  return [
    { ...common, recipient: binding.patient },
    { ...common, recipient: binding.author },
  ];
}

/** The header MAC (key commitment) over the header's bytes before it and the binding. */
export function recordHeaderMac(contentKey: Uint8Array, headerBody: Uint8Array, binding: RecordBinding): Uint8Array {
  const macKey = hkdf(sha256, contentKey, undefined, MAC_KEY_INFO, 32);
  const authorBinding = envelopeBindings(binding)[1];
  return hmac(sha256, macKey, concatBytes([HEADER_MAC_LABEL, headerBody, encodeEnvelopeBinding(authorBinding)]));
}

function payloadKey(contentKey: Uint8Array, usages: KeyUsage[]): Promise<CryptoKey> {
  const raw = hkdf(sha256, contentKey, undefined, PAYLOAD_KEY_INFO, 32);
  return importContentKey(raw, usages).finally(() => raw.fill(0));
}

export interface SealedRecordStream {
  /** Total container length in bytes (known before the first byte is produced). */
  length: number;
  stream: AsyncIterable<Uint8Array>;
}

/**
 * The public-key half of sealing a record: a fresh content key, wrapped to both recipients and
 * bound to the payload parameters (so the body's length is fixed here), and the header MAC.
 * Use it for exactly one body: it carries the record's nonce.
 */
export class RecordSeal {
  private constructor(
    /** The container's clear header (prefix, envelopes, header MAC). */
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
  recipients: RecordRecipients;
  segmentSize?: number;
}): Promise<RecordSeal> {
  const metaBytes = utf8.encode(JSON.stringify(args.meta));
  const metaPrefix = new Uint8Array(4 + metaBytes.length);
  new DataView(metaPrefix.buffer).setUint32(0, metaBytes.length);
  metaPrefix.set(metaBytes, 4);

  const params = newPayloadParams(metaPrefix.length + args.bodyLength, args.segmentSize ?? SEGMENT_SIZE);
  const prefix = concatBytes([CONTAINER_MAGIC, Uint8Array.of(CONTAINER_VERSION), encodePayloadParams(params)]);
  const { binding, categoryPublicKey, authorPublicKey } = args.recipients;
  const [toCategory, toAuthor] = envelopeBindings(binding);
  const rawKey = generateContentKey();
  try {
    const envelopes = await Promise.all([
      wrapKey(rawKey, categoryPublicKey, { binding: toCategory, aad: prefix }),
      wrapKey(rawKey, authorPublicKey, { binding: toAuthor, aad: prefix }),
    ]);
    const body = concatBytes([prefix, encodeEnvelopeEntries(envelopes)]);
    const header = concatBytes([body, recordHeaderMac(rawKey, body, binding)]);
    const key = await payloadKey(rawKey, ["encrypt"]);
    return RecordSeal.create(header, header.length + ciphertextLength(params), {
      params,
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
    yield* encryptSegments(state!.key, state!.params, seal.header, plaintext());
  }
  return { length: seal.length, stream: stream() };
}

/** Streams a container for a body of known length; memory stays at a few segments. */
export async function sealRecordStream(args: {
  meta: RecordMeta;
  body: ByteSource;
  bodyLength: number;
  recipients: RecordRecipients;
  segmentSize?: number;
}): Promise<SealedRecordStream> {
  return sealWith(await prepareRecordSeal(args), args.body);
}

export type RecordContent =
  | { kind: "fhir"; resource: Resource }
  | { kind: "attachment"; contentType: string; fileName?: string; bytes: Uint8Array };

/** Seals a FHIR resource or an attachment into container bytes. */
export async function sealRecord(content: RecordContent, recipients: RecordRecipients): Promise<Uint8Array> {
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
  /** Raw bytes 0..29: the envelopes' associated data. */
  prefix: Uint8Array;
  /** [0] to the category key, [1] to the author. */
  envelopes: Uint8Array[];
  /** The header's bytes before the MAC (what it covers, with the binding). */
  body: Uint8Array;
  mac: Uint8Array;
  /** The whole clear header (prefix, envelopes, MAC): the payload's associated data. */
  bytes: Uint8Array;
  /** Header length in bytes; the payload starts here. */
  length: number;
}

async function readHeader(reader: ByteReader): Promise<RecordHeader> {
  const need = async (n: number, what: string) => {
    const bytes = await reader.read(n);
    if (bytes.length < n) throw new TruncatedBlobError(`record ends inside its ${what}`, undefined, reader.bytesRead);
    return bytes;
  };
  const prefix = (await need(PREFIX_LENGTH, "header")).slice();
  if (!equalBytes(prefix.subarray(0, 4), CONTAINER_MAGIC))
    throw new MalformedInputError("not a CareLedger record (bad magic)");
  const version = prefix[4]!;
  if (!SUPPORTED_CONTAINER_VERSIONS.includes(version)) {
    throw new UnsupportedVersionError("record container", version, SUPPORTED_CONTAINER_VERSIONS, OLD_DATA_ADVICE);
  }
  const params = decodePayloadParams(prefix.subarray(5));
  const countBytes = await need(2, "header");
  const count = (countBytes[0]! << 8) | countBytes[1]!;
  if (count !== RECORD_ENVELOPE_COUNT) {
    throw new TamperedEnvelopeError(
      `record header lists ${count} key envelopes; a version ${CONTAINER_VERSION} record carries exactly ` +
        `${RECORD_ENVELOPE_COUNT} (the category key and the author): an envelope was dropped or added`,
    );
  }
  const envelopes: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const lengthBytes = await need(2, "envelopes");
    envelopes.push((await need((lengthBytes[0]! << 8) | lengthBytes[1]!, "envelopes")).slice());
  }
  const body = concatBytes([prefix, encodeEnvelopeEntries(envelopes)]);
  const mac = (await need(HEADER_MAC_LENGTH, "header MAC")).slice();
  return { version, params, prefix, envelopes, body, mac, bytes: concatBytes([body, mac]), length: reader.bytesRead };
}

/** Parses the clear header of a record (it names no recipient: see the file comment). */
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
 * record's header, which carries its random nonce, and to the binding it was checked against.
 */
export interface RecordContentKey {
  readonly contentKey: CryptoKey;
  /** The record's whole clear header (prefix, envelopes, MAC) the key was unwrapped from. */
  readonly header: Uint8Array;
  /** encodeEnvelopeBinding of the author envelope's binding: what the header MAC was checked against. */
  readonly binding: Uint8Array;
}

/**
 * Unwraps a record's content key with whichever of `keys` opens it, and checks the header MAC
 * against `binding` (from chain). @throws WrongKeyError, TamperedEnvelopeError
 */
export async function unwrapRecordKey(
  source: ByteSource,
  keys: RecordKeys,
  binding: RecordBinding,
): Promise<RecordContentKey> {
  const header = await parseRecordHeader(source);
  return {
    contentKey: await unwrapContentKey(header, keys, binding),
    header: header.bytes,
    binding: bindingBytes(binding),
  };
}

function bindingBytes(binding: RecordBinding): Uint8Array {
  return encodeEnvelopeBinding(envelopeBindings(binding)[1]);
}

async function contentKeyFor(
  header: RecordHeader,
  keys: RecordKeys | RecordContentKey,
  binding: RecordBinding,
): Promise<CryptoKey> {
  if (!("contentKey" in keys)) return unwrapContentKey(header, keys, binding);
  if (!equalBytes(keys.header, header.bytes))
    throw new WrongKeyError("this content key belongs to another record (its header differs)");
  if (!equalBytes(keys.binding, bindingBytes(binding)))
    throw new WrongKeyError("this content key was checked against another patient, author, category, epoch or chain");
  return keys.contentKey;
}

/** Which envelopes a key may open: a category key only its own (category, epoch), any other pair both. */
function candidates(pair: X25519KeyPair, binding: RecordBinding): number[] {
  const category = (pair as Partial<CategoryKey>).category;
  if (category === undefined) return [0, 1];
  return category === binding.category && (pair as CategoryKey).epoch === binding.epoch ? [0] : [];
}

async function unwrapContentKey(header: RecordHeader, keys: RecordKeys, binding: RecordBinding): Promise<CryptoKey> {
  const bindings = envelopeBindings(binding);
  for (const pair of keyList(keys)) {
    for (const index of candidates(pair, binding)) {
      let raw: Uint8Array;
      try {
        raw = await unwrapKey(header.envelopes[index]!, pair, { binding: bindings[index]!, aad: header.prefix });
      } catch (error) {
        if (error instanceof WrongKeyError) continue;
        throw error;
      }
      try {
        if (!equalBytes(recordHeaderMac(raw, header.body, binding), header.mac)) {
          throw new TamperedEnvelopeError(
            `record header MAC does not verify with the key the ${index === 0 ? "category" : "author"} envelope ` +
              "holds: the envelopes wrap different keys, the envelope list was changed, or the record is not " +
              "bound to this author",
          );
        }
        return await payloadKey(raw, ["decrypt"]);
      } finally {
        raw.fill(0);
      }
    }
  }
  throw new WrongKeyError(
    `none of the offered keys opens this record as a record of patient ${binding.patient} by ${binding.author} ` +
      `(category ${binding.category}, epoch ${binding.epoch}, chain ${binding.chainId}): the keys are not the ` +
      "reader's for it, the record was written for another patient, category, epoch or chain, or it was altered",
  );
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
 * Opens a container stream: checks the header against `binding` (what the chain says the
 * record is), unwraps the content key, decrypts lazily. Every piece is authentic when it is
 * yielded, but the body is only complete once the iterator ends without error (a truncated or
 * extended stream fails at its end): do not act on a partial body.
 */
export async function openRecordStream(
  source: ByteSource,
  keys: RecordKeys | RecordContentKey,
  binding: RecordBinding,
): Promise<OpenedRecordStream> {
  const reader = new ByteReader(source);
  const header = await readHeader(reader);
  const key = await contentKeyFor(header, keys, binding);
  const segments = decryptSegments(key, header.params, header.bytes, reader.rest())[Symbol.asyncIterator]();
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

export async function openRecord(
  blob: ByteSource,
  keys: RecordKeys | RecordContentKey,
  binding: RecordBinding,
): Promise<OpenedRecord> {
  const opened = await openRecordStream(blob, keys, binding);
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
  binding: RecordBinding,
): Promise<T> {
  const opened = await openRecord(blob, keys, binding);
  if (opened.meta.contentType !== FHIR_JSON) {
    throw new MalformedInputError(`record holds ${opened.meta.contentType}, not FHIR JSON`);
  }
  return JSON.parse(utf8.decode(opened.bytes)) as T;
}
