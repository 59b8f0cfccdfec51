import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { utf8 } from "../src/bytes.js";
import { CategoryKeyring, deriveCategoryKey } from "../src/crypto/categoryKeys.js";
import {
  openFhirRecord,
  openRecord,
  recordRecipients,
  sealRecord,
  type RecordBinding,
  type RecordKeys,
} from "../src/crypto/container.js";
import { decodeKeyEnvelopes, encodeKeyEnvelopes } from "../src/crypto/envelope.js";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../src/crypto/grants.js";
import { deriveIdentityKey, identityKeyFromSignature, type SignTypedData } from "../src/crypto/identity.js";
import {
  NonDeterministicWalletError,
  TamperedEnvelopeError,
  UnsupportedVersionError,
  WrongKeyError,
} from "../src/errors.js";
import { Category, scopeOf } from "../src/protocol/constants.js";

function walletSigner(privateKey = generatePrivateKey()): SignTypedData {
  const account = privateKeyToAccount(privateKey);
  return (typedData) => account.signTypedData(typedData);
}

async function newIdentity() {
  return deriveIdentityKey(walletSigner());
}

const DOMAIN = { chainId: 31337, registry: `0x${"c1".repeat(20)}` };
const PATIENT = `0x${"a1".repeat(20)}`;
const PROVIDER = `0x${"d1".repeat(20)}`;
/** Grantee accounts (any distinct addresses). */
const account = (n: number) => `0x${n.toString(16).padStart(2, "0").repeat(20)}`;
const grantTo = (grantee: string) => ({ ...DOMAIN, patient: PATIENT, grantee });

interface Written {
  blob: Uint8Array;
  binding: RecordBinding;
}

async function writeRecord(
  patient: { secret: Uint8Array },
  author: { publicKey: Uint8Array },
  category: number,
  epoch: number,
  text: string,
): Promise<Written> {
  const categoryKey = deriveCategoryKey(patient, category, epoch);
  const binding = { ...DOMAIN, patient: PATIENT, author: PROVIDER, category, epoch };
  const blob = await sealRecord(
    { kind: "fhir", resource: { resourceType: "Condition", subject: { reference: "Patient/p" }, code: { text } } },
    recordRecipients({ ...binding, categoryPublicKey: categoryKey.publicKey, authorPublicKey: author.publicKey }),
  );
  return { blob, binding };
}

const open = (record: Written, keys: RecordKeys) => openRecord(record.blob, keys, record.binding);

describe("identity keys", () => {
  it("derive the same key from the same wallet, different keys per wallet and key version", async () => {
    const key = generatePrivateKey();
    const a = await deriveIdentityKey(walletSigner(key));
    const b = await deriveIdentityKey(walletSigner(key));
    assert.deepEqual(a.publicKey, b.publicKey);
    assert.equal(a.keyVersion, 1);
    const other = await deriveIdentityKey(walletSigner());
    assert.notDeepEqual(a.publicKey, other.publicKey);
    const rotated = await deriveIdentityKey(walletSigner(key), { keyVersion: 2 });
    assert.notDeepEqual(a.publicKey, rotated.publicKey);
  });

  it("use only r‖s: the recovery byte v does not change the key", async () => {
    const sign = walletSigner();
    const { identityKeyTypedData } = await import("../src/protocol/typedData.js");
    const signature = await sign(identityKeyTypedData(1));
    const v = parseInt(signature.slice(130), 16);
    const flipped = (signature.slice(0, 130) +
      (v >= 27 ? v - 27 : v + 27).toString(16).padStart(2, "0")) as `0x${string}`;
    assert.deepEqual(identityKeyFromSignature(signature).publicKey, identityKeyFromSignature(flipped).publicKey);
  });

  it("refuse a wallet whose signatures are not deterministic, with NonDeterministicWalletError", async () => {
    let n = 0;
    const flaky: SignTypedData = async () => `0x${(++n).toString(16).padStart(128, "0")}1b`;
    await assert.rejects(deriveIdentityKey(flaky), NonDeterministicWalletError);
  });

  it("sign a message that warns never to sign it elsewhere", async () => {
    let seen: unknown;
    await deriveIdentityKey(async (td) => {
      seen = td;
      return walletSigner("0x".padEnd(66, "1") as `0x${string}`)(td);
    });
    assert.match(JSON.stringify(seen), /ONLY inside the CareLedger app/);
    assert.match(JSON.stringify(seen), /Never sign this message on any other/);
  });
});

describe("category keys, grants and revocation", () => {
  it("derive one key pair per category and epoch, only from the patient secret", async () => {
    const patient = await newIdentity();
    const k = deriveCategoryKey(patient, Category.Conditions, 0);
    assert.deepEqual(k.publicKey, deriveCategoryKey(patient, Category.Conditions, 0).publicKey);
    assert.notDeepEqual(k.publicKey, deriveCategoryKey(patient, Category.Conditions, 1).publicKey);
    assert.notDeepEqual(k.publicKey, deriveCategoryKey(patient, Category.Allergies, 0).publicKey);
    assert.notDeepEqual(k.publicKey, deriveCategoryKey(await newIdentity(), Category.Conditions, 0).publicKey);
  });

  it("let a grantee read a granted category across epochs, and not after revocation", async () => {
    const patient = await newIdentity();
    const provider = await newIdentity();
    const doctor = await newIdentity();

    const before = await writeRecord(patient, provider, Category.Conditions, 0, "hypertension");
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: doctor.publicKey,
      binding: grantTo(account(1)),
      scope: scopeOf([Category.Conditions]),
    });
    const doctorKeys = await openKeyEnvelopes(grant, doctor, grantTo(account(1)));
    assert.equal((await openFhirRecord(before.blob, doctorKeys, before.binding)).resourceType, "Condition");

    // A category the doctor was not granted stays closed.
    const allergies = await writeRecord(patient, provider, Category.Allergies, 0, "peanut");
    await assert.rejects(open(allergies, doctorKeys), WrongKeyError);

    // Revocation: the patient moves Conditions to epoch 1; new records use the new key.
    const after = await writeRecord(patient, provider, Category.Conditions, 1, "type 2 diabetes");
    await assert.rejects(open(after, doctorKeys), WrongKeyError);
    // ...while what the doctor already received stays readable (it cannot be taken back).
    assert.ok(await open(before, doctorKeys));

    // A new grantee after the revocation gets every epoch (default) or only the current one.
    const specialist = await newIdentity();
    const full = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: specialist.publicKey,
        binding: grantTo(account(2)),
        scope: scopeOf([Category.Conditions]),
        epochs: { [Category.Conditions]: 1 },
      }),
      specialist,
      grantTo(account(2)),
    );
    assert.ok(await open(before, full));
    assert.ok(await open(after, full));
    const onlyNew = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: specialist.publicKey,
        binding: grantTo(account(2)),
        scope: scopeOf([Category.Conditions]),
        epochs: { [Category.Conditions]: 1 },
        includePastEpochs: false,
      }),
      specialist,
      grantTo(account(2)),
    );
    assert.ok(await open(after, onlyNew));
    await assert.rejects(open(before, onlyNew), WrongKeyError);

    // The patient's own keyring opens everything; the author keeps access to what it wrote.
    const own = CategoryKeyring.forPatient(patient, { [Category.Conditions]: 1, [Category.Allergies]: 0 });
    for (const record of [before, after, allergies]) assert.ok(await open(record, own));
    assert.ok(await open(after, provider));
  });

  it("reject a tampered, spliced or replayed grant envelope with its own error", async () => {
    const patient = await newIdentity();
    const grantee = await newIdentity();
    const binding = grantTo(account(1));
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: grantee.publicKey,
      binding,
      scope: scopeOf([Category.Conditions, Category.Allergies]),
    });
    // One of two envelopes altered: the grant is reported as tampered, not silently shortened.
    const tampered = new Uint8Array(grant);
    tampered[tampered.length - 3]! ^= 1;
    await assert.rejects(openKeyEnvelopes(tampered, grantee, binding), TamperedEnvelopeError);
    // An envelope of another grant (to the same grantee, from another patient) spliced in.
    const foreign = await grantKeyEnvelopes({
      patient: await newIdentity(),
      granteePublicKey: grantee.publicKey,
      binding: { ...binding, patient: account(9) },
      scope: scopeOf([Category.Conditions]),
    });
    const spliced = encodeKeyEnvelopes([...decodeKeyEnvelopes(grant), ...decodeKeyEnvelopes(foreign)]);
    await assert.rejects(openKeyEnvelopes(spliced, grantee, binding), TamperedEnvelopeError);
    const replayed = new Uint8Array(grant);
    replayed[7 + 2 + 4] = 1; // envelope version 1
    await assert.rejects(openKeyEnvelopes(replayed, grantee, binding), UnsupportedVersionError);
  });

  it("open only for the grantee, patient, chain and registry the grant names", async () => {
    const patient = await newIdentity();
    const grantee = await newIdentity();
    const stranger = await newIdentity();
    const binding = grantTo(account(1));
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: grantee.publicKey,
      binding,
      scope: scopeOf([0, 1]),
    });
    assert.equal((await openKeyEnvelopes(grant, grantee, binding)).size, 2);
    await assert.rejects(openKeyEnvelopes(grant, stranger, binding), WrongKeyError);
    for (const change of [{ grantee: account(2) }, { patient: account(3) }, { chainId: 1 }, { registry: account(4) }]) {
      await assert.rejects(openKeyEnvelopes(grant, grantee, { ...binding, ...change }), WrongKeyError);
    }
  });

  it("cost one envelope per category whatever the number of records (1,000 records)", async () => {
    const patient = await newIdentity();
    const lab = await newIdentity();
    const records: Written[] = [];
    const epoch = 0;
    const binding = { ...DOMAIN, patient: PATIENT, author: PROVIDER, category: Category.Observations, epoch };
    const key = deriveCategoryKey(patient, Category.Observations, epoch);
    for (let i = 0; i < 1000; i++) {
      records.push({
        binding,
        blob: await sealRecord(
          { kind: "attachment", contentType: "application/fhir+json", bytes: utf8.encode(`{"n":${i}}`) },
          recordRecipients({ ...binding, categoryPublicKey: key.publicKey, authorPublicKey: lab.publicKey }),
        ),
      });
    }
    const newGrantee = await newIdentity();
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: newGrantee.publicKey,
      binding: grantTo(account(5)),
      scope: scopeOf([Category.Observations]),
    });
    const envelopes = decodeKeyEnvelopes(grant);
    assert.equal(envelopes.length, 1);
    assert.ok(grant.length < 200, `grant is ${grant.length} bytes`);
    const ring = await openKeyEnvelopes(grant, newGrantee, grantTo(account(5)));
    assert.deepEqual(
      [...ring].map((k) => [k.category, k.epoch]),
      [[Category.Observations, 0]],
    );
    for (let i = 0; i < records.length; i++) {
      const opened = await open(records[i]!, ring);
      assert.equal(utf8.decode(opened.bytes), `{"n":${i}}`);
    }
  });
});
