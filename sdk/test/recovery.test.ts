import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { equalBytes, randomBytes, toHex } from "../src/bytes.js";
import { deriveCategoryKey } from "../src/crypto/categoryKeys.js";
import { openRecord, recordRecipients, sealRecord } from "../src/crypto/container.js";
import { identityKeyFromSecret } from "../src/crypto/identity.js";
import { generateKeyPair } from "../src/crypto/keys.js";
import {
  createGuardianShares,
  decodeRecoveryShares,
  encodeRecoveryShares,
  exportKeyFile,
  importKeyFile,
  openGuardianShare,
  recoverFromShares,
  rewrapGuardianShare,
} from "../src/crypto/recovery.js";
import { combineShares, shareHeader, splitSecret } from "../src/crypto/shamir.js";
import { MalformedInputError, RecoveryError, UnsupportedVersionError, WrongKeyError } from "../src/errors.js";

const FAST = { scryptN: 2 ** 12 };

const DOMAIN = { chainId: 31337, registry: `0x${"c1".repeat(20)}` };
const PATIENT = `0x${"a1".repeat(20)}`;
const guardianAddress = (i: number) => `0x${(0xe0 + i).toString(16).repeat(20)}`;

function patient() {
  return identityKeyFromSecret(randomBytes(32));
}

describe("encrypted key export file", () => {
  it("restores the identity key, which opens records written before the loss", async () => {
    const identity = patient();
    const category = deriveCategoryKey(identity, 2, 0);
    const binding = { ...DOMAIN, patient: PATIENT, author: `0x${"d1".repeat(20)}`, category: 2, epoch: 0 };
    const blob = await sealRecord(
      { kind: "attachment", contentType: "text/plain", bytes: new Uint8Array([1, 2, 3]) },
      recordRecipients({
        ...binding,
        categoryPublicKey: category.publicKey,
        authorPublicKey: generateKeyPair().publicKey,
      }),
    );
    const file = await exportKeyFile(identity, "correct horse battery", FAST);
    const parsed = JSON.parse(file);
    assert.equal(parsed.format, "careledger-key-export");
    assert.equal(parsed.version, 1);
    assert.equal(parsed.kdf.name, "scrypt");
    const restored = await importKeyFile(file, "correct horse battery");
    assert.deepEqual(restored.publicKey, identity.publicKey);
    assert.deepEqual(
      (await openRecord(blob, deriveCategoryKey(restored, 2, 0), binding)).bytes,
      new Uint8Array([1, 2, 3]),
    );
  });

  it("rejects a wrong passphrase, an altered file and an unknown version", async () => {
    const file = await exportKeyFile(patient(), "correct horse battery", FAST);
    await assert.rejects(importKeyFile(file, "wrong horse battery"), WrongKeyError);
    const altered = JSON.parse(file);
    altered.keyVersion = 2;
    await assert.rejects(importKeyFile(JSON.stringify(altered), "correct horse battery"), WrongKeyError);
    const future = JSON.parse(file);
    future.version = 2;
    await assert.rejects(importKeyFile(JSON.stringify(future), "correct horse battery"), UnsupportedVersionError);
  });
});

const accept = (secret: Uint8Array) => (candidate: Uint8Array) => equalBytes(candidate, secret);

/** A share with byte `index` (header included) flipped. */
function corrupt(share: Uint8Array, index = 10): Uint8Array {
  const bad = new Uint8Array(share);
  bad[index]! ^= 1;
  return bad;
}

describe("Shamir share wrapper (shamir-secret-sharing)", () => {
  it("any k of n rebuild the secret; k − 1 fail with the number needed", async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 5, 3);
    assert.equal(new Set(shares.map((s) => shareHeader(s).x)).size, 5);
    for (const pick of [
      [0, 1, 2],
      [0, 2, 4],
      [1, 3, 4],
      [4, 3, 2],
      [0, 1, 2, 3, 4],
    ]) {
      const { secret: rebuilt, rejected } = await combineShares(
        pick.map((i) => shares[i]!),
        accept(secret),
      );
      assert.deepEqual(rebuilt, secret);
      assert.deepEqual(rejected, []);
    }
    await assert.rejects(
      combineShares([shares[0]!, shares[1]!], accept(secret)),
      /2 recovery share\(s\) given, 3 are needed/,
    );
  });

  it("refuses a share at x = 0, which would be the secret itself", async () => {
    const secret = randomBytes(32);
    const [a, b] = await splitSecret(secret, 3, 2);
    // The attack the old combineShares allowed: x = 0 and y = a value of the attacker's choosing.
    const forged = new Uint8Array(b!);
    forged[2] = 0;
    forged.set(randomBytes(32), 3);
    await assert.rejects(
      combineShares([a!, forged], () => true),
      (e: unknown) => {
        assert.ok(e instanceof RecoveryError);
        assert.match(e.message, /x = 0/);
        return true;
      },
    );
  });

  it("refuses the same share twice, and two different shares with the same x", async () => {
    const secret = randomBytes(32);
    const [a, b, c] = await splitSecret(secret, 3, 2);
    await assert.rejects(combineShares([a!, a!.slice(), b!], accept(secret)), /given twice/);
    const conflicting = corrupt(a!, 20);
    await assert.rejects(combineShares([a!, conflicting, c!], accept(secret)), /both claim to be #/);
  });

  it("leaves out and names one corrupt share among more than k", async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 4, 3);
    const bad = corrupt(shares[1]!);
    const result = await combineShares([shares[0]!, bad, shares[2]!, shares[3]!], accept(secret));
    assert.deepEqual(result.secret, secret);
    assert.deepEqual(result.rejected, [shareHeader(bad).x]);
    assert.ok(!result.used.includes(shareHeader(bad).x));
    // With exactly k shares a corrupt one cannot be outvoted: refused, not silently wrong.
    await assert.rejects(
      combineShares([shares[0]!, bad, shares[2]!], accept(secret)),
      /do not rebuild the registered key/,
    );
    // Two corrupt among four with k = 3: no three fit, and it says so.
    await assert.rejects(
      combineShares([shares[0]!, bad, corrupt(shares[2]!), shares[3]!], accept(secret)),
      /no 3 of these 4 recovery shares rebuild/,
    );
  });

  it("refuses k = 1 (one holder would hold the whole key) and k > n, n > 255", async () => {
    await assert.rejects(splitSecret(randomBytes(32), 3, 1), /at least 2/);
    await assert.rejects(splitSecret(randomBytes(32), 2, 3), /threshold ≤ holders ≤ 255/);
    await assert.rejects(splitSecret(randomBytes(32), 256, 2), /threshold ≤ holders ≤ 255/);
    const [a, b] = await splitSecret(randomBytes(32), 2, 2);
    const claimsOne = new Uint8Array(a!);
    claimsOne[1] = 1;
    const alsoOne = new Uint8Array(b!);
    alsoOne[1] = 1;
    await assert.rejects(
      combineShares([claimsOne, alsoOne], () => true),
      /threshold of 1/,
    );
  });

  it("k = n needs every share", async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 4, 4);
    assert.deepEqual((await combineShares(shares, accept(secret))).secret, secret);
    await assert.rejects(combineShares(shares.slice(1), accept(secret)), /3 recovery share\(s\) given, 4 are needed/);
  });

  it("n = 255 works with distinct holder numbers 1..255", async () => {
    const secret = randomBytes(32);
    const shares = await splitSecret(secret, 255, 3);
    const xs = shares.map((s) => shareHeader(s).x);
    assert.equal(new Set(xs).size, 255);
    assert.ok(xs.every((x) => x >= 1 && x <= 255));
    assert.deepEqual((await combineShares([shares[254]!, shares[7]!, shares[100]!], accept(secret))).secret, secret);
    // Every share given, one corrupt: still rebuilt, the corrupt one named.
    const all = [...shares];
    all[3] = corrupt(all[3]!);
    const result = await combineShares(all, accept(secret));
    assert.deepEqual(result.secret, secret);
    assert.deepEqual(result.rejected, [shareHeader(all[3]!).x]);
  });

  it("rejects shares from another split, a foreign format and a truncated share", async () => {
    const secret = randomBytes(32);
    const [a] = await splitSecret(secret, 3, 2);
    const [, other] = await splitSecret(randomBytes(32), 3, 2);
    await assert.rejects(combineShares([a!, other!], accept(secret)), RecoveryError);
    const [, differentK] = await splitSecret(secret, 3, 3);
    await assert.rejects(combineShares([a!, differentK!], accept(secret)), /different splits/);
    const v1 = new Uint8Array(a!);
    v1[0] = 1;
    await assert.rejects(combineShares([v1, a!], accept(secret)), UnsupportedVersionError);
    await assert.rejects(combineShares([a!.subarray(0, 3), a!], accept(secret)), MalformedInputError);
    await assert.rejects(combineShares([], accept(secret)), /no recovery shares/);
  });
});

describe("guardian recovery", () => {
  it("recovers with 2 of 3 guardians, each share wrapped to the guardian, and fails with 1", async () => {
    const identity = patient();
    const registered = { publicKey: toHex(identity.publicKey), keyVersion: identity.keyVersion };
    const guardians = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
    const shares = await createGuardianShares(
      identity,
      guardians.map((g, i) => ({ id: `guardian-${i}`, address: guardianAddress(i), publicKey: g.publicKey })),
      2,
      { ...DOMAIN, patient: PATIENT },
    );
    const as = (i: number) => ({ ...DOMAIN, patient: PATIENT, holder: guardianAddress(i) });
    assert.equal(shares.length, 3);
    // A guardian cannot open another guardian's share, nor its own as another patient's.
    await assert.rejects(openGuardianShare(shares[0]!, guardians[1]!, as(1)), WrongKeyError);
    await assert.rejects(
      openGuardianShare(shares[0]!, guardians[0]!, { ...as(0), patient: guardianAddress(9) }),
      WrongKeyError,
    );

    // Recovery: the patient's new device key receives re-wrapped shares from two guardians.
    const recoveryDevice = generateKeyPair();
    const returned = [
      await rewrapGuardianShare(shares[0]!, guardians[0]!, recoveryDevice.publicKey, as(0)),
      await rewrapGuardianShare(shares[2]!, guardians[2]!, recoveryDevice.publicKey, as(2)),
    ];
    const plainShares = await Promise.all(
      returned.map((e) => openGuardianShare(e, recoveryDevice, { ...DOMAIN, patient: PATIENT, holder: PATIENT })),
    );
    const recovered = await recoverFromShares(plainShares, registered);
    assert.deepEqual(recovered.identity.publicKey, identity.publicKey);
    assert.deepEqual(recovered.identity.secret, identity.secret);
    await assert.rejects(recoverFromShares(plainShares.slice(0, 1), registered), RecoveryError);
  });

  it("refuses a rebuilt key that is not the one registered on chain", async () => {
    const identity = patient();
    const guardians = [generateKeyPair(), generateKeyPair(), generateKeyPair()];
    const shares = await createGuardianShares(
      identity,
      guardians.map((g, i) => ({ id: `guardian-${i}`, address: guardianAddress(i), publicKey: g.publicKey })),
      2,
      { ...DOMAIN, patient: PATIENT },
    );
    const plain = await Promise.all(
      shares.map((s, i) =>
        openGuardianShare(s, guardians[i]!, { ...DOMAIN, patient: PATIENT, holder: guardianAddress(i) }),
      ),
    );
    // Another patient's registered key (or a rotated one): the shares are consistent but do not match.
    await assert.rejects(
      recoverFromShares(plain.slice(0, 2), { publicKey: patient().publicKey, keyVersion: 1 }),
      /do not rebuild the registered key/,
    );
    // No key on chain at all: nothing to check against, so nothing is returned.
    await assert.rejects(
      recoverFromShares(plain.slice(0, 2), { publicKey: `0x${"00".repeat(32)}`, keyVersion: 1 }),
      /no encryption key registered/,
    );
    // A malicious holder who makes its share claim x = 0 cannot substitute a key.
    const forged = new Uint8Array(plain[1]!);
    forged[2] = 0;
    await assert.rejects(
      recoverFromShares([plain[0]!, forged], { publicKey: identity.publicKey, keyVersion: 1 }),
      /x = 0/,
    );
  });
});

describe("published recovery shares (CareRegistry.setRecovery)", () => {
  it("round-trips each guardian's envelope by address, and refuses what is not that encoding", async () => {
    const identity = patient();
    const guardians = [generateKeyPair(), generateKeyPair()];
    const addresses = ["0x" + "11".repeat(20), "0x" + "ab".repeat(20)];
    const shares = await createGuardianShares(
      identity,
      guardians.map((g, i) => ({ id: addresses[i]!, address: addresses[i]!, publicKey: g.publicKey })),
      2,
      { ...DOMAIN, patient: PATIENT },
    );
    const decoded = decodeRecoveryShares(encodeRecoveryShares(shares));
    assert.deepEqual(
      decoded.map((s) => s.guardianId),
      addresses,
    );
    assert.deepEqual(
      decoded.map((s) => s.envelope),
      shares.map((s) => s.envelope),
    );
    assert.throws(() => encodeRecoveryShares([{ guardianId: "guardian-1", envelope: new Uint8Array(1) }]), /not one/);
    assert.throws(() => encodeRecoveryShares([]), RangeError);
    const bytes = encodeRecoveryShares(shares);
    assert.throws(() => decodeRecoveryShares(bytes.subarray(0, bytes.length - 1)), MalformedInputError);
    assert.throws(() => decodeRecoveryShares(new Uint8Array([...bytes, 0])), /trailing/);
    assert.throws(() => decodeRecoveryShares(new Uint8Array([2, 0])), UnsupportedVersionError);
    assert.throws(() => decodeRecoveryShares(new Uint8Array([1])), MalformedInputError);
  });
});
