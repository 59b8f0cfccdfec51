import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { utf8 } from "../src/bytes.js";
import { CategoryKeyring, deriveCategoryKey } from "../src/crypto/categoryKeys.js";
import { openFhirRecord, openRecord, recordRecipients, sealRecord } from "../src/crypto/container.js";
import { decodeKeyEnvelopes, parseEnvelopeHeader } from "../src/crypto/envelope.js";
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

async function writeRecord(
  patient: { secret: Uint8Array },
  author: { publicKey: Uint8Array },
  category: number,
  epoch: number,
  text: string,
) {
  const categoryKey = deriveCategoryKey(patient, category, epoch);
  return sealRecord(
    { kind: "fhir", resource: { resourceType: "Condition", subject: { reference: "Patient/p" }, code: { text } } },
    recordRecipients({ category, epoch, categoryPublicKey: categoryKey.publicKey, authorPublicKey: author.publicKey }),
  );
}

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
      scope: scopeOf([Category.Conditions]),
    });
    const doctorKeys = await openKeyEnvelopes(grant, doctor);
    assert.equal((await openFhirRecord(before, doctorKeys)).resourceType, "Condition");

    // A category the doctor was not granted stays closed.
    const allergies = await writeRecord(patient, provider, Category.Allergies, 0, "peanut");
    await assert.rejects(openRecord(allergies, doctorKeys), WrongKeyError);

    // Revocation: the patient moves Conditions to epoch 1; new records use the new key.
    const after = await writeRecord(patient, provider, Category.Conditions, 1, "type 2 diabetes");
    await assert.rejects(openRecord(after, doctorKeys), WrongKeyError);
    // ...while what the doctor already received stays readable (it cannot be taken back).
    assert.ok(await openRecord(before, doctorKeys));

    // A new grantee after the revocation gets every epoch (default) or only the current one.
    const specialist = await newIdentity();
    const full = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: specialist.publicKey,
        scope: scopeOf([Category.Conditions]),
        epochs: { [Category.Conditions]: 1 },
      }),
      specialist,
    );
    assert.ok(await openRecord(before, full));
    assert.ok(await openRecord(after, full));
    const onlyNew = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: specialist.publicKey,
        scope: scopeOf([Category.Conditions]),
        epochs: { [Category.Conditions]: 1 },
        includePastEpochs: false,
      }),
      specialist,
    );
    assert.ok(await openRecord(after, onlyNew));
    await assert.rejects(openRecord(before, onlyNew), WrongKeyError);

    // The patient's own keyring opens everything; the author keeps access to what it wrote.
    const own = CategoryKeyring.forPatient(patient, { [Category.Conditions]: 1, [Category.Allergies]: 0 });
    for (const blob of [before, after, allergies]) assert.ok(await openRecord(blob, own));
    assert.ok(await openRecord(after, provider));
  });

  it("reject a tampered or replayed grant envelope with its own error", async () => {
    const patient = await newIdentity();
    const grantee = await newIdentity();
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: grantee.publicKey,
      scope: scopeOf([Category.Conditions]),
    });
    const tampered = new Uint8Array(grant);
    tampered[tampered.length - 3]! ^= 1;
    await assert.rejects(openKeyEnvelopes(tampered, grantee), TamperedEnvelopeError);
    const relabelled = new Uint8Array(grant);
    relabelled[7 + 2 + 7]! = Category.Allergies; // claim the key is for another category
    await assert.rejects(openKeyEnvelopes(relabelled, grantee), TamperedEnvelopeError);
    const replayed = new Uint8Array(grant);
    replayed[7 + 2 + 4] = 0; // envelope version 0
    await assert.rejects(openKeyEnvelopes(replayed, grantee), UnsupportedVersionError);
  });

  it("ignore envelopes addressed to someone else and reject a grantee with no envelope", async () => {
    const patient = await newIdentity();
    const grantee = await newIdentity();
    const stranger = await newIdentity();
    const grant = await grantKeyEnvelopes({ patient, granteePublicKey: grantee.publicKey, scope: scopeOf([0, 1]) });
    assert.equal((await openKeyEnvelopes(grant, stranger)).size, 0);
    assert.equal((await openKeyEnvelopes(grant, grantee)).size, 2);
  });

  it("cost one envelope per category whatever the number of records (1,000 records)", async () => {
    const patient = await newIdentity();
    const lab = await newIdentity();
    const records: Uint8Array[] = [];
    for (let i = 0; i < 1000; i++) {
      const epoch = 0;
      const key = deriveCategoryKey(patient, Category.Observations, epoch);
      records.push(
        await sealRecord(
          { kind: "attachment", contentType: "application/fhir+json", bytes: utf8.encode(`{"n":${i}}`) },
          recordRecipients({
            category: Category.Observations,
            epoch,
            categoryPublicKey: key.publicKey,
            authorPublicKey: lab.publicKey,
          }),
        ),
      );
    }
    const newGrantee = await newIdentity();
    const grant = await grantKeyEnvelopes({
      patient,
      granteePublicKey: newGrantee.publicKey,
      scope: scopeOf([Category.Observations]),
    });
    const envelopes = decodeKeyEnvelopes(grant);
    assert.equal(envelopes.length, 1);
    assert.equal(parseEnvelopeHeader(envelopes[0]!).category, Category.Observations);
    assert.ok(grant.length < 200, `grant is ${grant.length} bytes`);
    const ring = await openKeyEnvelopes(grant, newGrantee);
    for (let i = 0; i < records.length; i++) {
      const opened = await openRecord(records[i]!, ring);
      assert.equal(utf8.decode(opened.bytes), `{"n":${i}}`);
    }
  });
});
