/**
 * Passkey custody of the identity key, the default for every role. The identity key is a random
 * X25519 key made on the device (generateIdentityKey); each of the person's passkeys wraps it:
 *
 *   prf   = WebAuthn PRF output of the passkey for the fixed input PASSKEY_PRF_INPUT (32 bytes,
 *           origin-bound by the browser: another site's request yields another value or nothing)
 *   kek   = HKDF-SHA-256(ikm = prf, salt = 32 random bytes per wrap, info = WRAP_INFO) → AES-256-GCM
 *   wrap  = AES-256-GCM(kek, nonce = 12 random bytes, plaintext = identity secret,
 *                       additional data = every field of the document that names this wrap)
 *
 * HKDF and AES-GCM run in WebCrypto (no home-made primitive). The wraps of all passkeys sit in one
 * key-custody document, stored on IPFS through the dApp's storage route; CareRegistry holds its
 * sha-256 digest (setKeyCustody), which is also the document's CIDv1 (raw, sha2-256): any device
 * finds the document from the chain and checks the bytes against the digest before parsing them.
 * The additional data binds chain, registry, account, public key, key version and credential id,
 * so a wrap moved to another document, account or chain does not open; the unwrapped key must
 * match the document's public key, and the caller checks that against the one registered on chain.
 */
import { sha256 as nobleSha256 } from "@noble/hashes/sha2.js";
import { CID } from "multiformats/cid";
import * as Digest from "multiformats/hashes/digest";
import type { Address, Hex } from "viem";
import { bufferSource, fromBase64, fromHex, randomBytes, sha256, toBase64, toHex, utf8, equalBytes } from "../bytes.js";
import { MalformedInputError, UnsupportedVersionError, WrongKeyError } from "../errors.js";
import { identityKeyFromSecret, type IdentityKey } from "./identity.js";

/** Where a custody document belongs: the chain, its CareRegistry and the account. */
export interface CustodyBinding {
  chainId: number;
  registry: Address;
  account: Address;
}

/** One passkey's wrap of the identity secret. Binary fields are base64, the credential id base64url. */
export interface PasskeyWrap {
  credentialId: string;
  /** What the person called it ("This laptop"), shown when they remove one. */
  label: string;
  /** ISO 8601, when it was added. */
  addedAt: string;
  salt: string;
  nonce: string;
  ciphertext: string;
}

export interface KeyCustody extends CustodyBinding {
  format: typeof KEY_CUSTODY_FORMAT;
  version: typeof KEY_CUSTODY_VERSION;
  keyVersion: number;
  /** The identity public key (hex) every wrap opens to. */
  publicKey: Hex;
  passkeys: PasskeyWrap[];
}

/** The secret a passkey gives for this input: WebAuthn's `prf: { eval: { first: PASSKEY_PRF_INPUT } }`. */
export const PASSKEY_PRF_INPUT: Uint8Array = nobleSha256(utf8.encode("CareLedger identity key / passkey PRF v1"));

export const KEY_CUSTODY_FORMAT = "careledger-key-custody";
export const KEY_CUSTODY_VERSION = 1;
/** "CLKC": what the storage route recognises as a key-custody document. */
export const KEY_CUSTODY_MAGIC = new Uint8Array([0x43, 0x4c, 0x4b, 0x43]);
/** The most passkeys one document holds: enough devices for anyone, small enough to parse at once. */
export const MAX_PASSKEYS = 16;
/** The largest document the route or a reader accepts. */
export const MAX_KEY_CUSTODY_BYTES = 32 * 1024;

const WRAP_INFO = utf8.encode("CareLedger identity key wrap v1 (passkey PRF, AES-256-GCM)");
const SECRET_BYTES = 32;

/** A new random identity key: the X25519 secret comes from the platform CSPRNG and never leaves the device. */
export function generateIdentityKey(keyVersion = 1): IdentityKey {
  return identityKeyFromSecret(randomBytes(SECRET_BYTES), keyVersion);
}

function lower(binding: CustodyBinding): CustodyBinding {
  return {
    chainId: binding.chainId,
    registry: binding.registry.toLowerCase() as Address,
    account: binding.account.toLowerCase() as Address,
  };
}

/** The additional data of one wrap: every field that says whose key it is, for which passkey. */
function wrapAad(custody: Omit<KeyCustody, "passkeys">, wrap: Pick<PasskeyWrap, "credentialId" | "salt">) {
  return utf8.encode(
    JSON.stringify([
      KEY_CUSTODY_FORMAT,
      KEY_CUSTODY_VERSION,
      custody.chainId,
      custody.registry.toLowerCase(),
      custody.account.toLowerCase(),
      custody.keyVersion,
      custody.publicKey.toLowerCase(),
      wrap.credentialId,
      wrap.salt,
    ]),
  );
}

async function wrappingKey(prfOutput: Uint8Array, salt: Uint8Array): Promise<CryptoKey> {
  if (prfOutput.length < 32) {
    throw new MalformedInputError(`a passkey PRF output is 32 bytes, got ${prfOutput.length}`);
  }
  const ikm = await globalThis.crypto.subtle.importKey("raw", bufferSource(prfOutput), "HKDF", false, ["deriveKey"]);
  return globalThis.crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: bufferSource(salt), info: bufferSource(WRAP_INFO) },
    ikm,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

function header(identity: IdentityKey, binding: CustodyBinding): Omit<KeyCustody, "passkeys"> {
  return {
    format: KEY_CUSTODY_FORMAT,
    version: KEY_CUSTODY_VERSION,
    ...lower(binding),
    keyVersion: identity.keyVersion,
    publicKey: toHex(identity.publicKey),
  };
}

/** Wraps `identity` under one passkey's PRF output. */
export async function wrapWithPasskey(args: {
  identity: IdentityKey;
  binding: CustodyBinding;
  credentialId: string;
  prfOutput: Uint8Array;
  label: string;
  now?: Date;
}): Promise<PasskeyWrap> {
  checkCredentialId(args.credentialId);
  const salt = toBase64(randomBytes(32));
  const nonce = randomBytes(12);
  const key = await wrappingKey(args.prfOutput, fromBase64(salt));
  const ciphertext = await globalThis.crypto.subtle.encrypt(
    {
      name: "AES-GCM",
      iv: bufferSource(nonce),
      additionalData: bufferSource(
        wrapAad(header(args.identity, args.binding), { credentialId: args.credentialId, salt }),
      ),
    },
    key,
    bufferSource(args.identity.secret),
  );
  return {
    credentialId: args.credentialId,
    label: checkLabel(args.label),
    addedAt: (args.now ?? new Date()).toISOString(),
    salt,
    nonce: toBase64(nonce),
    ciphertext: toBase64(new Uint8Array(ciphertext)),
  };
}

/** The first custody document of a key: one passkey. */
export async function createKeyCustody(args: Parameters<typeof wrapWithPasskey>[0]): Promise<KeyCustody> {
  return { ...header(args.identity, args.binding), passkeys: [await wrapWithPasskey(args)] };
}

/**
 * Adds another passkey (another device) to a document: the caller has unlocked `identity` with one
 * of the document's passkeys first. @throws MalformedInputError if the passkey is already in it or
 * the document is full; WrongKeyError if `identity` is not the document's key.
 */
export async function addPasskey(
  custody: KeyCustody,
  args: Omit<Parameters<typeof wrapWithPasskey>[0], "binding">,
): Promise<KeyCustody> {
  if (!equalBytes(args.identity.publicKey, fromHex(custody.publicKey))) {
    throw new WrongKeyError("this identity key is not the one the key-custody document holds");
  }
  if (custody.passkeys.some((p) => p.credentialId === args.credentialId)) {
    throw new MalformedInputError("this passkey already holds the key");
  }
  if (custody.passkeys.length >= MAX_PASSKEYS) {
    throw new MalformedInputError(`a key is held by at most ${MAX_PASSKEYS} passkeys; remove one first`);
  }
  const wrap = await wrapWithPasskey({ ...args, binding: custody });
  return { ...custody, passkeys: [...custody.passkeys, wrap] };
}

/**
 * Removes a passkey (a lost or retired device). Its wrap stays readable in the old document on
 * IPFS: removal stops new devices trusting it, it does not un-share the key (rotate for that).
 * @throws MalformedInputError for the last passkey or one that is not in the document.
 */
export function removePasskey(custody: KeyCustody, credentialId: string): KeyCustody {
  const passkeys = custody.passkeys.filter((p) => p.credentialId !== credentialId);
  if (passkeys.length === custody.passkeys.length) throw new MalformedInputError("that passkey does not hold this key");
  if (passkeys.length === 0) {
    throw new MalformedInputError("this is the only passkey holding the key; add another before removing it");
  }
  return { ...custody, passkeys };
}

/**
 * Opens the identity key with one passkey's PRF output.
 * @param expected the binding the reader is in and the public key registered on chain: a document
 *   for another chain, registry or account, or one whose key is not the registered one, is refused.
 * @throws WrongKeyError (no wrap for this passkey, a wrong PRF output, an altered document, a key
 *   that is not the registered one); MalformedInputError for a binding that does not match.
 */
export async function openKeyCustody(
  custody: KeyCustody,
  passkey: { credentialId: string; prfOutput: Uint8Array },
  expected: CustodyBinding & { publicKey?: Hex },
): Promise<IdentityKey> {
  const want = lower(expected);
  if (custody.chainId !== want.chainId || custody.registry !== want.registry || custody.account !== want.account) {
    throw new MalformedInputError(
      `this key-custody document belongs to account ${custody.account} on chain ${custody.chainId} ` +
        `(registry ${custody.registry}), not to ${want.account} on chain ${want.chainId}`,
    );
  }
  const wrap = custody.passkeys.find((p) => p.credentialId === passkey.credentialId);
  if (!wrap) throw new WrongKeyError("this passkey does not hold the key of this account; use one you added");
  const key = await wrappingKey(passkey.prfOutput, fromBase64(wrap.salt));
  let secret: Uint8Array;
  try {
    secret = new Uint8Array(
      await globalThis.crypto.subtle.decrypt(
        {
          name: "AES-GCM",
          iv: bufferSource(fromBase64(wrap.nonce)),
          additionalData: bufferSource(wrapAad(custody, wrap)),
        },
        key,
        bufferSource(fromBase64(wrap.ciphertext)),
      ),
    );
  } catch {
    throw new WrongKeyError(
      "the passkey's secret does not open this key (another site's passkey, or an altered document)",
    );
  }
  const identity = identityKeyFromSecret(secret, custody.keyVersion);
  if (!equalBytes(identity.publicKey, fromHex(custody.publicKey))) {
    throw new WrongKeyError("the key in the custody document does not match its recorded public key");
  }
  if (expected.publicKey && toHex(identity.publicKey) !== expected.publicKey.toLowerCase()) {
    throw new WrongKeyError(
      "this passkey holds an older key, not the one registered for this account now; unlock with the key you registered last",
    );
  }
  return identity;
}

/** The bytes stored on IPFS: "CLKC" ‖ version ‖ UTF-8 JSON. */
export function encodeKeyCustody(custody: KeyCustody): Uint8Array {
  const json = utf8.encode(JSON.stringify(custody));
  const out = new Uint8Array(KEY_CUSTODY_MAGIC.length + 1 + json.length);
  out.set(KEY_CUSTODY_MAGIC, 0);
  out[KEY_CUSTODY_MAGIC.length] = KEY_CUSTODY_VERSION;
  out.set(json, KEY_CUSTODY_MAGIC.length + 1);
  if (out.length > MAX_KEY_CUSTODY_BYTES) throw new MalformedInputError("the key-custody document is too large");
  return out;
}

export function isKeyCustody(bytes: Uint8Array): boolean {
  return KEY_CUSTODY_MAGIC.every((b, i) => bytes[i] === b);
}

/**
 * Parses and checks a stored document: magic, version, every field's type and size. It holds no
 * plaintext secret, so the storage route uses this check to accept it.
 * @throws MalformedInputError, UnsupportedVersionError
 */
export function decodeKeyCustody(bytes: Uint8Array): KeyCustody {
  if (!isKeyCustody(bytes)) throw new MalformedInputError("not a CareLedger key-custody document");
  if (bytes.length > MAX_KEY_CUSTODY_BYTES) throw new MalformedInputError("the key-custody document is too large");
  const version = bytes[KEY_CUSTODY_MAGIC.length];
  if (version !== KEY_CUSTODY_VERSION) {
    throw new UnsupportedVersionError("key-custody document", version ?? -1, [KEY_CUSTODY_VERSION]);
  }
  let doc: KeyCustody;
  try {
    doc = JSON.parse(utf8.decode(bytes.subarray(KEY_CUSTODY_MAGIC.length + 1))) as KeyCustody;
  } catch {
    throw new MalformedInputError("the key-custody document is not valid JSON");
  }
  const bad = (what: string): never => {
    throw new MalformedInputError(`the key-custody document has ${what}`);
  };
  if (typeof doc !== "object" || doc === null) bad("no fields");
  if (doc.format !== KEY_CUSTODY_FORMAT || doc.version !== KEY_CUSTODY_VERSION) bad("the wrong format");
  if (!Number.isSafeInteger(doc.chainId) || doc.chainId <= 0) bad("no chain id");
  if (!/^0x[0-9a-f]{40}$/.test(String(doc.registry))) bad("no registry address");
  if (!/^0x[0-9a-f]{40}$/.test(String(doc.account))) bad("no account address");
  if (!Number.isInteger(doc.keyVersion) || doc.keyVersion < 1 || doc.keyVersion > 0xffffffff) bad("a bad key version");
  if (!/^0x[0-9a-f]{64}$/.test(String(doc.publicKey))) bad("no public key");
  if (!Array.isArray(doc.passkeys) || doc.passkeys.length === 0 || doc.passkeys.length > MAX_PASSKEYS) {
    bad(`not 1..${MAX_PASSKEYS} passkeys`);
  }
  const seen = new Set<string>();
  for (const p of doc.passkeys) {
    checkCredentialId(p?.credentialId);
    if (seen.has(p.credentialId)) bad("the same passkey twice");
    seen.add(p.credentialId);
    checkLabel(p.label);
    if (typeof p.addedAt !== "string" || Number.isNaN(Date.parse(p.addedAt))) bad("a passkey without a date");
    if (b64Length(p.salt) !== 32) bad("a wrap salt that is not 32 bytes");
    if (b64Length(p.nonce) !== 12) bad("a wrap nonce that is not 12 bytes");
    if (b64Length(p.ciphertext) !== SECRET_BYTES + 16) bad("a wrapped key that is not 48 bytes");
  }
  return {
    format: doc.format,
    version: doc.version,
    chainId: doc.chainId,
    registry: doc.registry,
    account: doc.account,
    keyVersion: doc.keyVersion,
    publicKey: doc.publicKey,
    passkeys: doc.passkeys.map(({ credentialId, label, addedAt, salt, nonce, ciphertext }) => ({
      credentialId,
      label,
      addedAt,
      salt,
      nonce,
      ciphertext,
    })),
  };
}

/** The digest CareRegistry records: sha-256 of the exact stored bytes. */
export async function keyCustodyDigest(bytes: Uint8Array): Promise<Hex> {
  return toHex(await sha256(bytes));
}

/**
 * The document's IPFS CID from its on-chain digest: a document this small is one raw leaf, so its
 * CIDv1 is (raw, sha2-256 of the bytes), the same the storage route's `add` answers.
 */
export function keyCustodyCid(digest: Hex): string {
  return CID.createV1(0x55, Digest.create(0x12, fromHex(digest))).toString();
}

/**
 * Parses a document fetched for `digest`, after checking the bytes hash to it.
 * @throws WrongKeyError when the bytes are not the ones the chain points at.
 */
export async function readKeyCustody(bytes: Uint8Array, digest: Hex): Promise<KeyCustody> {
  if ((await keyCustodyDigest(bytes)) !== digest.toLowerCase()) {
    throw new WrongKeyError("the key-custody document fetched does not match the digest on chain; it was rejected");
  }
  return decodeKeyCustody(bytes);
}

function b64Length(value: unknown): number {
  if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value)) return -1;
  try {
    return fromBase64(value).length;
  } catch {
    return -1;
  }
}

function checkCredentialId(id: unknown): void {
  if (typeof id !== "string" || !/^[A-Za-z0-9_-]{16,1366}$/.test(id)) {
    throw new MalformedInputError("a passkey credential id is 16 or more base64url characters");
  }
}

function checkLabel(label: unknown): string {
  if (typeof label !== "string" || label.trim().length === 0 || utf8.encode(label).length > 64) {
    throw new MalformedInputError("name the passkey in 1 to 64 bytes, e.g. “This laptop”");
  }
  return label.trim();
}

/** base64url without padding, as WebAuthn credential ids are written. */
export function toBase64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

export function fromBase64Url(text: string): Uint8Array {
  const b64 = text.replaceAll("-", "+").replaceAll("_", "/");
  return fromBase64(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
}
