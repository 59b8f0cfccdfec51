import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fromHex, randomBytes, toHex, utf8 } from "../src/bytes.js";
import {
  KEY_CUSTODY_MAGIC,
  MAX_PASSKEYS,
  PASSKEY_PRF_INPUT,
  addPasskey,
  createKeyCustody,
  decodeKeyCustody,
  encodeKeyCustody,
  fromBase64Url,
  generateIdentityKey,
  keyCustodyCid,
  keyCustodyDigest,
  openKeyCustody,
  readKeyCustody,
  removePasskey,
  toBase64Url,
  type KeyCustody,
} from "../src/crypto/passkey.js";
import { MalformedInputError, UnsupportedVersionError, WrongKeyError } from "../src/errors.js";
import { HeliaBlobStore } from "../src/node/helia.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const binding = {
  chainId: 31337,
  registry: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  account: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
} as const;

/** A stand-in for one authenticator's passkey: a credential id and the PRF output it gives this origin. */
const passkey = () => ({ credentialId: toBase64Url(randomBytes(16)), prfOutput: randomBytes(32) });

async function custodyWithOne() {
  const identity = generateIdentityKey();
  const first = passkey();
  const custody = await createKeyCustody({ identity, binding, ...first, label: "This laptop" });
  return { identity, first, custody };
}

describe("passkey custody of the identity key", () => {
  it("generates a random X25519 identity key and a fixed 32-byte PRF input", () => {
    const a = generateIdentityKey();
    assert.equal(a.secret.length, 32);
    assert.notDeepEqual(a.secret, generateIdentityKey().secret);
    assert.equal(PASSKEY_PRF_INPUT.length, 32);
  });

  it("opens with the passkey that wrapped it, after a round trip through the stored bytes", async () => {
    const { identity, first, custody } = await custodyWithOne();
    const bytes = encodeKeyCustody(custody);
    assert.deepEqual(bytes.subarray(0, 4), KEY_CUSTODY_MAGIC);
    assert.doesNotMatch(utf8.decode(bytes.subarray(5)), new RegExp(toHex(identity.secret).slice(2)));
    const opened = await openKeyCustody(decodeKeyCustody(bytes), first, {
      ...binding,
      publicKey: toHex(identity.publicKey),
    });
    assert.deepEqual(opened.secret, identity.secret);
    assert.deepEqual(opened.publicKey, identity.publicKey);
  });

  it("adds a second passkey that opens the same key, and removes one, never the last", async () => {
    const { identity, first, custody } = await custodyWithOne();
    const second = passkey();
    const both = await addPasskey(custody, { identity, ...second, label: "Phone" });
    assert.equal(both.passkeys.length, 2);
    assert.deepEqual((await openKeyCustody(both, second, binding)).secret, identity.secret);
    await assert.rejects(addPasskey(both, { identity, ...second, label: "Phone again" }), /already holds/);
    await assert.rejects(
      addPasskey(both, { identity: generateIdentityKey(), ...passkey(), label: "Other" }),
      WrongKeyError,
    );
    const onlySecond = removePasskey(both, first.credentialId);
    await assert.rejects(openKeyCustody(onlySecond, first, binding), /does not hold the key/);
    assert.deepEqual((await openKeyCustody(onlySecond, second, binding)).secret, identity.secret);
    assert.throws(() => removePasskey(onlySecond, second.credentialId), /only passkey/);
    assert.throws(() => removePasskey(onlySecond, first.credentialId), /does not hold/);
  });

  it("holds at most MAX_PASSKEYS passkeys", async () => {
    const start = await custodyWithOne();
    const identity = start.identity;
    let custody = start.custody;
    for (let i = 1; i < MAX_PASSKEYS; i++)
      custody = await addPasskey(custody, { identity, ...passkey(), label: `Key ${i}` });
    await assert.rejects(addPasskey(custody, { identity, ...passkey(), label: "One too many" }), /at most 16/);
  });

  it("gives nothing to another origin's PRF output (the same credential id, another secret)", async () => {
    const { first, custody } = await custodyWithOne();
    await assert.rejects(
      openKeyCustody(custody, { credentialId: first.credentialId, prfOutput: randomBytes(32) }, binding),
      WrongKeyError,
    );
  });

  it("refuses a document for another account, chain or registry, and a wrap moved between documents", async () => {
    const { first, custody } = await custodyWithOne();
    await assert.rejects(openKeyCustody(custody, first, { ...binding, chainId: 1 }), MalformedInputError);
    await assert.rejects(
      openKeyCustody(custody, first, { ...binding, account: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC" }),
      /belongs to account/,
    );
    // Someone rewrites the binding in the document itself: the authenticated data no longer matches.
    const moved: KeyCustody = { ...custody, account: "0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc" };
    await assert.rejects(openKeyCustody(moved, first, { ...moved }), WrongKeyError);
    const otherVersion: KeyCustody = { ...custody, keyVersion: 2 };
    await assert.rejects(openKeyCustody(otherVersion, first, binding), WrongKeyError);
  });

  it("refuses a key that is not the one registered on chain", async () => {
    const { first, custody } = await custodyWithOne();
    const registered = toHex(generateIdentityKey().publicKey);
    await assert.rejects(openKeyCustody(custody, first, { ...binding, publicKey: registered }), /older key/);
  });

  it("checks the stored bytes against the on-chain digest, which is the document's CID on IPFS", async () => {
    const { custody } = await custodyWithOne();
    const bytes = encodeKeyCustody(custody);
    const digest = await keyCustodyDigest(bytes);
    assert.deepEqual(await readKeyCustody(bytes, digest), custody);
    const altered = bytes.slice();
    altered[altered.length - 3] ^= 1;
    await assert.rejects(readKeyCustody(altered, digest), /does not match the digest on chain/);
    const dir = await mkdtemp(path.join(tmpdir(), "custody-"));
    const store = await HeliaBlobStore.open({ dataDir: dir });
    try {
      const cid = await store.put(bytes);
      assert.equal(cid.toString(), keyCustodyCid(digest));
    } finally {
      await store.close?.();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects malformed documents with a reason", async () => {
    const { custody } = await custodyWithOne();
    const bytes = encodeKeyCustody(custody);
    assert.throws(() => decodeKeyCustody(utf8.encode("{}")), /not a CareLedger key-custody document/);
    const v2 = bytes.slice();
    v2[4] = 2;
    assert.throws(() => decodeKeyCustody(v2), UnsupportedVersionError);
    const reencode = (doc: unknown) => {
      const json = utf8.encode(JSON.stringify(doc));
      return new Uint8Array([...KEY_CUSTODY_MAGIC, 1, ...json]);
    };
    assert.throws(() => decodeKeyCustody(reencode({ ...custody, passkeys: [] })), /not 1..16 passkeys/);
    assert.throws(
      () => decodeKeyCustody(reencode({ ...custody, passkeys: [custody.passkeys[0], custody.passkeys[0]] })),
      /the same passkey twice/,
    );
    assert.throws(
      () => decodeKeyCustody(reencode({ ...custody, passkeys: [{ ...custody.passkeys[0], ciphertext: "AAAA" }] })),
      /48 bytes/,
    );
    assert.throws(() => decodeKeyCustody(reencode({ ...custody, publicKey: "0x12" })), /no public key/);
    assert.throws(() => decodeKeyCustody(new Uint8Array([...KEY_CUSTODY_MAGIC, 1, 0x7b])), /not valid JSON/);
    await assert.rejects(
      createKeyCustody({ identity: generateIdentityKey(), binding, ...passkey(), label: " " }),
      /name the passkey/,
    );
    await assert.rejects(
      createKeyCustody({
        identity: generateIdentityKey(),
        binding,
        ...passkey(),
        prfOutput: randomBytes(8),
        label: "x",
      }),
      /PRF output is 32 bytes/,
    );
  });

  it("writes credential ids as base64url, as WebAuthn does", () => {
    const id = fromHex("0xfbff00ff3e");
    assert.equal(toBase64Url(id), "-_8A_z4");
    assert.deepEqual(fromBase64Url("-_8A_z4"), id);
  });
});
