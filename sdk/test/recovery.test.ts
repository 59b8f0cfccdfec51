import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { randomBytes } from "../src/bytes.js";
import { deriveCategoryKey } from "../src/crypto/categoryKeys.js";
import { openRecord, recordRecipients, sealRecord } from "../src/crypto/container.js";
import { identityKeyFromSecret } from "../src/crypto/identity.js";
import { generateKeyPair } from "../src/crypto/keys.js";
import {
  createGuardianShares,
  exportKeyFile,
  importKeyFile,
  openGuardianShare,
  recoverFromShares,
  rewrapGuardianShare,
} from "../src/crypto/recovery.js";
import { combineShares, splitSecret } from "../src/crypto/shamir.js";
import { RecoveryError, UnsupportedVersionError, WrongKeyError } from "../src/errors.js";

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

describe("Shamir shares over GF(256)", () => {
  it("any k of n rebuild the secret; k − 1 fail", () => {
    const secret = randomBytes(32);
    const shares = splitSecret(secret, 5, 3);
    for (const pick of [
      [0, 1, 2],
      [0, 2, 4],
      [1, 3, 4],
      [4, 3, 2],
      [0, 1, 2, 3, 4],
    ]) {
      assert.deepEqual(combineShares(pick.map((i) => shares[i]!)), secret);
    }
    assert.throws(() => combineShares([shares[0]!, shares[1]!]), RecoveryError);
    assert.throws(() => combineShares([shares[0]!, shares[0]!, shares[1]!]), RecoveryError);
  });

  it("detects a corrupted share or shares from another split", () => {
    const shares = splitSecret(randomBytes(32), 3, 2);
    const bad = new Uint8Array(shares[1]!);
    bad[10]! ^= 1;
    assert.throws(() => combineShares([shares[0]!, bad]), RecoveryError);
    const other = splitSecret(randomBytes(32), 3, 2);
    assert.throws(() => combineShares([shares[0]!, other[1]!]), RecoveryError);
  });
});

describe("guardian recovery", () => {
  it("recovers with 2 of 3 guardians, each share wrapped to the guardian, and fails with 1", async () => {
    const identity = patient();
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
    assert.deepEqual(recoverFromShares(plainShares).publicKey, identity.publicKey);
    assert.throws(() => recoverFromShares(plainShares.slice(0, 1)), RecoveryError);
  });
});
