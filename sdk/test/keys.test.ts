import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hashTypedData } from "viem";
import { privateKeyToAccount, generatePrivateKey } from "viem/accounts";
import { fromHex, toHex, utf8 } from "../src/bytes.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { identityKeyTypedData } from "../src/protocol/typedData.js";
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
import {
  ERC6492_MAGIC,
  SECP256K1_N,
  deriveIdentityKey,
  identityKeyFromSignature,
  normaliseSignature,
  type GetCode,
  type SignTypedData,
} from "../src/crypto/identity.js";
import {
  ContractAccountError,
  MalformedInputError,
  NonDeterministicWalletError,
  TamperedEnvelopeError,
  UnsupportedVersionError,
  WrongKeyError,
} from "../src/errors.js";
import { Category, scopeOf } from "../src/protocol/constants.js";

const BINDING = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } as const;
const noCode: GetCode = async () => undefined;

function walletAccount(privateKey = generatePrivateKey()) {
  return privateKeyToAccount(privateKey);
}

function walletSigner(account = walletAccount()): SignTypedData {
  return (typedData) => account.signTypedData(typedData);
}

function deriveFor(account = walletAccount(), extra: { keyVersion?: number; chainId?: number } = {}) {
  return deriveIdentityKey(walletSigner(account), { ...BINDING, account: account.address, getCode: noCode, ...extra });
}

async function newIdentity() {
  return deriveFor();
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

describe("identity keys (wallet fallback)", () => {
  it("derive the same key from the same wallet, different keys per wallet, key version, chain and registry", async () => {
    const account = walletAccount();
    const a = await deriveFor(account);
    const b = await deriveFor(account);
    assert.deepEqual(a.publicKey, b.publicKey);
    assert.equal(a.keyVersion, 1);
    assert.notDeepEqual(a.publicKey, (await deriveFor()).publicKey);
    assert.notDeepEqual(a.publicKey, (await deriveFor(account, { keyVersion: 2 })).publicKey);
    assert.notDeepEqual(a.publicKey, (await deriveFor(account, { chainId: 1 })).publicKey);
    const otherRegistry = await deriveIdentityKey(walletSigner(account), {
      chainId: 31337,
      verifyingContract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      account: account.address,
      getCode: noCode,
    });
    assert.notDeepEqual(a.publicKey, otherRegistry.publicKey);
  });

  it("use only r‖s: the recovery byte v does not change the key", async () => {
    const signature = await walletSigner()(identityKeyTypedData(BINDING));
    const v = parseInt(signature.slice(130), 16);
    const flipped = (signature.slice(0, 130) +
      (v >= 27 ? v - 27 : v + 27).toString(16).padStart(2, "0")) as `0x${string}`;
    assert.deepEqual(identityKeyFromSignature(signature).publicKey, identityKeyFromSignature(flipped).publicKey);
  });

  it("normalise to low-s: the malleable twin (r, n - s, v flipped) derives the same key and still verifies", async () => {
    const account = walletAccount();
    const typedData = identityKeyTypedData(BINDING);
    const signature = await account.signTypedData(typedData);
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    assert.ok(s <= SECP256K1_N / 2n, "viem signs low-s");
    const v = parseInt(signature.slice(130), 16);
    const twin =
      `${signature.slice(0, 66)}${(SECP256K1_N - s).toString(16).padStart(64, "0")}${(v === 27 ? 28 : 27).toString(16)}` as `0x${string}`;
    assert.equal(normaliseSignature(twin), signature.toLowerCase());
    assert.deepEqual(identityKeyFromSignature(twin).publicKey, identityKeyFromSignature(signature).publicKey);
    // A wallet that returns the high-s twin one time and the low-s form the next is still deterministic.
    let n = 0;
    const key = await deriveIdentityKey(async () => (n++ % 2 ? signature : twin), {
      ...BINDING,
      account: account.address,
      getCode: noCode,
    });
    assert.deepEqual(key.publicKey, identityKeyFromSignature(signature).publicKey);
    assert.equal(SECP256K1_N, secp256k1.Point.CURVE().n);
  });

  it("refuse signatures that are not secp256k1 (r or s zero or not below n), with MalformedInputError", () => {
    const zero = `0x${"00".repeat(32)}${"11".repeat(32)}1b` as const;
    const big = `0x${"11".repeat(32)}${"ff".repeat(32)}1b` as const;
    assert.throws(() => identityKeyFromSignature(zero), MalformedInputError);
    assert.throws(() => identityKeyFromSignature(big), MalformedInputError);
    assert.throws(() => identityKeyFromSignature("0x1234"), /expected a 65-byte ECDSA signature/);
  });

  it("refuse a wallet whose signatures are not deterministic, with NonDeterministicWalletError", async () => {
    const privateKey = generatePrivateKey();
    const account = walletAccount(privateKey);
    let n = 0;
    // Two valid signatures by the same key over the same message, with different nonces.
    const flaky: SignTypedData = async (td) => {
      const sig = secp256k1.sign(fromHex(hashTypedData(td)), fromHex(privateKey), {
        prehash: false,
        extraEntropy: new Uint8Array(32).fill(++n),
        format: "recovered",
      });
      return `0x${toHex(sig.subarray(1)).slice(2)}${(27 + sig[0]!).toString(16)}`;
    };
    await assert.rejects(
      deriveIdentityKey(flaky, { ...BINDING, account: account.address, getCode: noCode }),
      NonDeterministicWalletError,
    );
  });

  it("refuse contract accounts with ContractAccountError: code, ERC-6492, ERC-1271, someone else's signature", async () => {
    const account = walletAccount();
    const options = { ...BINDING, account: account.address };
    let asked = 0;
    const counting: SignTypedData = async (td) => {
      asked++;
      return account.signTypedData(td);
    };
    const reasonOf = (reason: string) => (error: unknown) =>
      error instanceof ContractAccountError && error.reason === reason && /Use a passkey/.test(error.message);
    await assert.rejects(
      deriveIdentityKey(counting, { ...options, getCode: async () => "0x6080604052" }),
      reasonOf("code-at-address"),
    );
    assert.equal(asked, 0, "no signature is asked of an account with code");
    // An EIP-7702 delegated EOA still signs with its own key.
    await deriveIdentityKey(counting, { ...options, getCode: async () => `0xef0100${"ab".repeat(20)}` });
    const erc6492 = `0x${"ab".repeat(200)}${ERC6492_MAGIC}` as const;
    await assert.rejects(
      deriveIdentityKey(async () => erc6492, { ...options, getCode: noCode }),
      reasonOf("erc6492-signature"),
    );
    await assert.rejects(
      deriveIdentityKey(async () => `0x${"12".repeat(97)}`, { ...options, getCode: noCode }),
      reasonOf("erc1271-signature"),
    );
    const stranger = walletAccount();
    await assert.rejects(
      deriveIdentityKey(walletSigner(stranger), { ...options, getCode: noCode }),
      reasonOf("not-signed-by-account"),
    );
  });

  it("sign a message bound to chain and registry that warns never to sign it elsewhere", async () => {
    let seen: ReturnType<typeof identityKeyTypedData> | undefined;
    const account = walletAccount();
    await deriveIdentityKey(
      async (td) => {
        seen = td;
        return account.signTypedData(td);
      },
      { ...BINDING, account: account.address, getCode: noCode },
    );
    assert.equal(seen!.domain.chainId, 31337n);
    assert.equal(seen!.domain.verifyingContract, BINDING.verifyingContract);
    assert.match(JSON.stringify(seen!.message), /ONLY inside the CareLedger app/);
    assert.match(JSON.stringify(seen!.message), /Never sign this message on any other/);
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
