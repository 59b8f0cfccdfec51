import { expect } from "chai";
import { network } from "hardhat";

import { ACCESS_READ, ACCESS_WRITE, MAX_UINT64, Purpose, bytes32Of, cidOf, deployCore } from "../helpers/core.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const OBSERVATIONS = 4;
const DOCUMENTS = 6;

async function recordsFixture() {
  const core = await deployCore(connection);
  const { careRegistry, consentManager, recordRegistry, accounts, roles } = core;
  const { patient, provider, provider2 } = accounts;
  await careRegistry.connect(patient).registerPatient(bytes32Of("patient"));
  await careRegistry.connect(accounts.patient2).registerPatient(bytes32Of("patient2"));
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, provider.address);
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, provider2.address);
  const categories = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  await recordRegistry.connect(patient).publishCategoryKeys(
    categories,
    categories.map((c) => bytes32Of(`key-${c}`)),
  );
  // Write consent for observations and documents, read for everything else.
  await consentManager.connect(patient).grantConsent(
    {
      grantee: provider.address,
      scope: (1 << OBSERVATIONS) | (1 << DOCUMENTS),
      purpose: Purpose.Treatment,
      access: ACCESS_READ | ACCESS_WRITE,
      notBefore: 0n,
      expiresAt: MAX_UINT64,
    },
    "0x",
  );
  return core;
}

function expectedId(patient: string, category: number, index: number) {
  return (BigInt(patient) << 96n) | (BigInt(category) << 88n) | BigInt(index);
}

describe("RecordRegistry", function () {
  describe("category keys", function () {
    it("publishes keys at epoch 1 and rotates them through the ConsentManager only", async function () {
      const { recordRegistry, consentManager, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, patient2 } = accounts;
      expect(await recordRegistry.categoryKey(patient.address, 0)).to.deep.equal([bytes32Of("key-0"), 1n]);
      await expect(
        consentManager
          .connect(patient)
          .rotateCategoryKeys([{ category: 0, expectedEpoch: 1, publicKey: bytes32Of("key-0b") }], []),
      )
        .to.emit(recordRegistry, "CategoryKeyPublished")
        .withArgs(patient.address, 0, 2, bytes32Of("key-0b"));
      expect(await recordRegistry.categoryKey(patient.address, 0)).to.deep.equal([bytes32Of("key-0b"), 2n]);
      // A published key never changes by publishing again: that would skip the re-wrap and the epoch check.
      await expect(recordRegistry.connect(patient).publishCategoryKeys([1, 2], [bytes32Of("k1"), bytes32Of("k2")]))
        .to.be.revertedWithCustomError(recordRegistry, "RecordCategoryKeyAlreadyPublished")
        .withArgs(patient.address, 1, 1);
      await expect(recordRegistry.connect(patient2).publishCategoryKeys([1, 2], [bytes32Of("k1"), bytes32Of("k2")]))
        .to.emit(recordRegistry, "CategoryKeyPublished")
        .withArgs(patient2.address, 2, 1, bytes32Of("k2"));
      expect(await recordRegistry.categoryKey(accounts.stranger.address, 0)).to.deep.equal([ethers.ZeroHash, 0n]);
      // Only the ConsentManager may rotate, share or flag keys.
      for (const call of [
        recordRegistry.connect(patient).rotateCategoryKeysFor(patient.address, [], []),
        recordRegistry.connect(patient).shareCategoryKeys(patient.address, 1, 1n),
        recordRegistry.connect(patient).requireNewCategoryKeys(patient.address, 1),
      ]) {
        await expect(call)
          .to.be.revertedWithCustomError(recordRegistry, "RecordNotConsentManager")
          .withArgs(patient.address);
      }
    });

    it("rejects non-patients, bad lengths, unknown categories and zero keys", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, stranger } = accounts;
      await expect(recordRegistry.connect(stranger).publishCategoryKeys([0], [bytes32Of("x")]))
        .to.be.revertedWithCustomError(recordRegistry, "RecordNotPatient")
        .withArgs(stranger.address);
      await expect(recordRegistry.connect(patient).publishCategoryKeys([0, 1], [bytes32Of("x")]))
        .to.be.revertedWithCustomError(recordRegistry, "RecordLengthMismatch")
        .withArgs(2, 1);
      await expect(recordRegistry.connect(patient).publishCategoryKeys([], []))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidBatchSize")
        .withArgs(0, 9);
      const ten = Array.from({ length: 10 }, (_, i) => i % 9);
      await expect(
        recordRegistry.connect(patient).publishCategoryKeys(
          ten,
          ten.map(() => bytes32Of("x")),
        ),
      )
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidBatchSize")
        .withArgs(10, 9);
      await expect(recordRegistry.connect(accounts.patient2).publishCategoryKeys([9], [bytes32Of("x")]))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidCategory")
        .withArgs(9);
      await expect(recordRegistry.connect(accounts.patient2).publishCategoryKeys([0], [ethers.ZeroHash]))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidCategoryKey")
        .withArgs(0);
    });
  });

  describe("addRecord", function () {
    it("lets a credentialed provider with write consent add a record", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider } = accounts;
      const id = expectedId(patient.address, OBSERVATIONS, 0);
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, cidOf("r0"), bytes32Of("c0"), 1),
      )
        .to.emit(recordRegistry, "RecordAdded")
        .withArgs(patient.address, provider.address, id, cidOf("r0"));
      const record = await recordRegistry.record(id);
      expect(record.patient).to.equal(patient.address);
      expect(record.category).to.equal(OBSERVATIONS);
      expect(record.author).to.equal(provider.address);
      expect(record.keyEpoch).to.equal(1n);
      expect(record.createdAt).to.equal(BigInt(await time.latest()));
      expect(record.commitment).to.equal(bytes32Of("c0"));
      expect(record.supersedes).to.equal(0n);
      expect(record.supersededBy).to.equal(0n);
      expect(await recordRegistry.recordSubject(id)).to.deep.equal([patient.address, BigInt(OBSERVATIONS)]);
      expect(await recordRegistry.recordCount(patient.address, OBSERVATIONS)).to.equal(1n);
      expect(await recordRegistry.computeRecordId(patient.address, OBSERVATIONS, 0)).to.equal(id);
    });

    it("lets the patient add its own records in any category", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient } = accounts;
      await expect(recordRegistry.connect(patient).addRecord(patient.address, 8, cidOf("own"), bytes32Of("own"), 1))
        .to.emit(recordRegistry, "RecordAdded")
        .withArgs(patient.address, patient.address, expectedId(patient.address, 8, 0), cidOf("own"));
    });

    it("rejects uncredentialed, suspended and revoked writers", async function () {
      const { recordRegistry, careRegistry, accounts, roles } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider, stranger } = accounts;
      const add = (who: typeof provider) =>
        recordRegistry.connect(who).addRecord(patient.address, OBSERVATIONS, cidOf("x"), bytes32Of("x"), 1);
      await expect(add(stranger))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(stranger.address);
      await careRegistry.suspendCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(add(provider))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(provider.address);
      await careRegistry.reinstateCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(add(provider)).to.emit(recordRegistry, "RecordAdded");
      await careRegistry.revokeCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(add(provider))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(provider.address);
    });

    it("rejects writes without live Treatment write consent for the category", async function () {
      const { recordRegistry, consentManager, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider, provider2 } = accounts;
      const add = (who: typeof provider, category = OBSERVATIONS) =>
        recordRegistry.connect(who).addRecord(patient.address, category, cidOf("x"), bytes32Of("x"), 1);
      // No grant at all.
      await expect(add(provider2))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider2.address, OBSERVATIONS);
      // Out of scope.
      await expect(add(provider, 0))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider.address, 0);
      // Unknown category: no consent can cover it.
      await expect(add(provider, 9))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider.address, 9);
      // Read-only grant, or a write grant for another purpose.
      const now = BigInt(await time.latest());
      const base = {
        grantee: provider2.address,
        scope: 1 << OBSERVATIONS,
        notBefore: 0n,
        expiresAt: now + 1_000n,
      };
      await consentManager
        .connect(patient)
        .grantConsent({ ...base, purpose: Purpose.Treatment, access: ACCESS_READ }, "0x");
      await consentManager
        .connect(patient)
        .grantConsent({ ...base, purpose: Purpose.Research, access: ACCESS_WRITE }, "0x");
      await expect(add(provider2)).to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented");
      // Not yet valid, then live, then expired.
      await consentManager.connect(patient).grantConsent(
        {
          ...base,
          purpose: Purpose.Treatment,
          access: ACCESS_WRITE,
          notBefore: now + 100n,
          expiresAt: now + 200n,
        },
        "0x",
      );
      await expect(add(provider2)).to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented");
      await time.increaseTo(now + 100n);
      await expect(add(provider2)).to.emit(recordRegistry, "RecordAdded");
      await time.increaseTo(now + 200n);
      await expect(add(provider2)).to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented");
      // Revoked.
      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      await expect(add(provider)).to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented");
    });

    it("rejects break-glass access for writing", async function () {
      const { recordRegistry, consentManager, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider2 } = accounts;
      await consentManager.connect(provider2).openBreakGlass(patient.address, 1, 3_600);
      await expect(recordRegistry.connect(provider2).addRecord(patient.address, 0, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider2.address, 0);
    });

    it("rejects empty pointers, unknown categories, missing and stale key epochs", async function () {
      const { recordRegistry, consentManager, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider, patient2 } = accounts;
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, "0x", bytes32Of("x"), 1),
      ).to.be.revertedWithCustomError(recordRegistry, "RecordEmptyCid");
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, cidOf("x"), ethers.ZeroHash, 1),
      ).to.be.revertedWithCustomError(recordRegistry, "RecordEmptyCommitment");
      await expect(recordRegistry.connect(patient).addRecord(patient.address, 9, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidCategory")
        .withArgs(9);
      // patient2 never published keys.
      await expect(recordRegistry.connect(patient2).addRecord(patient2.address, 0, cidOf("x"), bytes32Of("x"), 0))
        .to.be.revertedWithCustomError(recordRegistry, "RecordCategoryKeyMissing")
        .withArgs(patient2.address, 0);
      // An unregistered account cannot add records for itself either.
      await expect(
        recordRegistry
          .connect(accounts.stranger)
          .addRecord(accounts.stranger.address, 0, cidOf("x"), bytes32Of("x"), 1),
      ).to.be.revertedWithCustomError(recordRegistry, "RecordCategoryKeyMissing");
      await consentManager
        .connect(patient)
        .rotateCategoryKeys([{ category: OBSERVATIONS, expectedEpoch: 1, publicKey: bytes32Of("new") }], []);
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, cidOf("x"), bytes32Of("x"), 1),
      )
        .to.be.revertedWithCustomError(recordRegistry, "RecordStaleKeyEpoch")
        .withArgs(patient.address, OBSERVATIONS, 1, 2);
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, cidOf("x"), bytes32Of("x"), 3),
      )
        .to.be.revertedWithCustomError(recordRegistry, "RecordStaleKeyEpoch")
        .withArgs(patient.address, OBSERVATIONS, 3, 2);
      await expect(
        recordRegistry.connect(provider).addRecord(patient.address, OBSERVATIONS, cidOf("x"), bytes32Of("x"), 2),
      ).to.emit(recordRegistry, "RecordAdded");
    });
  });

  describe("addRecords", function () {
    it("adds a batch across categories with consecutive ids per category", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider } = accounts;
      await recordRegistry
        .connect(provider)
        .addRecord(patient.address, OBSERVATIONS, cidOf("first"), bytes32Of("first"), 1);
      const categories = [OBSERVATIONS, DOCUMENTS, OBSERVATIONS, OBSERVATIONS, DOCUMENTS];
      const batch = categories.map((category, i) => ({
        category,
        keyEpoch: 1,
        commitment: bytes32Of(`b${i}`),
        cid: cidOf(`b${i}`),
      }));
      const ids = await recordRegistry.connect(provider).addRecords.staticCall(patient.address, batch);
      expect(ids).to.deep.equal([
        expectedId(patient.address, OBSERVATIONS, 1),
        expectedId(patient.address, DOCUMENTS, 0),
        expectedId(patient.address, OBSERVATIONS, 2),
        expectedId(patient.address, OBSERVATIONS, 3),
        expectedId(patient.address, DOCUMENTS, 1),
      ]);
      const tx = recordRegistry.connect(provider).addRecords(patient.address, batch);
      for (let i = 0; i < batch.length; i++) {
        await expect(tx)
          .to.emit(recordRegistry, "RecordAdded")
          .withArgs(patient.address, provider.address, ids[i], batch[i].cid);
      }
      const createdAt = BigInt(await time.latest());
      // Every record reads back its own commitment and the batch's metadata.
      for (let i = 0; i < batch.length; i++) {
        const record = await recordRegistry.record(ids[i]);
        expect(record.commitment).to.equal(batch[i].commitment);
        expect(record.author).to.equal(provider.address);
        expect(record.keyEpoch).to.equal(1n);
        expect(record.createdAt).to.equal(createdAt);
        expect(record.category).to.equal(categories[i]);
      }
      expect(await recordRegistry.recordCount(patient.address, OBSERVATIONS)).to.equal(4n);
      expect(await recordRegistry.recordCount(patient.address, DOCUMENTS)).to.equal(2n);
      // The record before the batch keeps its own metadata.
      const before = await recordRegistry.record(expectedId(patient.address, OBSERVATIONS, 0));
      expect(before.commitment).to.equal(bytes32Of("first"));
    });

    it("lets the patient batch its own records", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient } = accounts;
      const batch = [0, 0, 8].map((category, i) => ({
        category,
        keyEpoch: 1,
        commitment: bytes32Of(`p${i}`),
        cid: cidOf(`p${i}`),
      }));
      await recordRegistry.connect(patient).addRecords(patient.address, batch);
      expect((await recordRegistry.record(expectedId(patient.address, 0, 1))).author).to.equal(patient.address);
    });

    it("enforces MAX_BATCH and rejects an empty batch", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider } = accounts;
      const max = await recordRegistry.MAX_BATCH();
      const make = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
          category: OBSERVATIONS,
          keyEpoch: 1,
          commitment: bytes32Of(`m${i}`),
          cid: cidOf(`m${i}`),
        }));
      await expect(recordRegistry.connect(provider).addRecords(patient.address, make(Number(max) + 1)))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidBatchSize")
        .withArgs(max + 1n, max);
      await expect(recordRegistry.connect(provider).addRecords(patient.address, []))
        .to.be.revertedWithCustomError(recordRegistry, "RecordInvalidBatchSize")
        .withArgs(0, max);
      await recordRegistry.connect(provider).addRecords(patient.address, make(Number(max)));
      expect(await recordRegistry.recordCount(patient.address, OBSERVATIONS)).to.equal(max);
      // The last record of a full batch walks back MAX_BATCH - 1 records for its metadata.
      const last = await recordRegistry.record(expectedId(patient.address, OBSERVATIONS, Number(max) - 1));
      expect(last.author).to.equal(provider.address);
    });

    it("checks credential and consent for every category in the batch, atomically", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider, stranger } = accounts;
      const batch = [OBSERVATIONS, 0].map((category, i) => ({
        category,
        keyEpoch: 1,
        commitment: bytes32Of(`a${i}`),
        cid: cidOf(`a${i}`),
      }));
      await expect(recordRegistry.connect(provider).addRecords(patient.address, batch))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider.address, 0);
      expect(await recordRegistry.recordCount(patient.address, OBSERVATIONS)).to.equal(0n);
      await expect(recordRegistry.connect(stranger).addRecords(patient.address, batch))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(stranger.address);
    });
  });

  describe("amendRecord", function () {
    async function amendFixture() {
      const core = await recordsFixture();
      const { recordRegistry, accounts } = core;
      await recordRegistry
        .connect(accounts.provider)
        .addRecord(accounts.patient.address, OBSERVATIONS, cidOf("v1"), bytes32Of("v1"), 1);
      return {
        ...core,
        v1: expectedId(accounts.patient.address, OBSERVATIONS, 0),
      };
    }

    it("builds a version chain readable both ways, never deleting", async function () {
      const { recordRegistry, accounts, v1 } = await networkHelpers.loadFixture(amendFixture);
      const { patient, provider } = accounts;
      const v2 = expectedId(patient.address, OBSERVATIONS, 1);
      const v3 = expectedId(patient.address, OBSERVATIONS, 2);
      const tx = recordRegistry.connect(provider).amendRecord(v1, cidOf("v2"), bytes32Of("v2"), 1);
      await expect(tx)
        .to.emit(recordRegistry, "RecordAdded")
        .withArgs(patient.address, provider.address, v2, cidOf("v2"));
      await expect(tx).to.emit(recordRegistry, "RecordAmended").withArgs(v1, v2, provider.address);
      // The patient may amend its provider's record too.
      await expect(recordRegistry.connect(patient).amendRecord(v2, cidOf("v3"), bytes32Of("v3"), 1))
        .to.emit(recordRegistry, "RecordAmended")
        .withArgs(v2, v3, patient.address);

      const [r1, r2, r3] = await Promise.all([v1, v2, v3].map((id) => recordRegistry.record(id)));
      expect([r1.supersedes, r1.supersededBy]).to.deep.equal([0n, v2]);
      expect([r2.supersedes, r2.supersededBy]).to.deep.equal([v1, v3]);
      expect([r3.supersedes, r3.supersededBy]).to.deep.equal([v2, 0n]);
      expect(r1.commitment).to.equal(bytes32Of("v1"));
      expect(r3.author).to.equal(patient.address);
    });

    it("supersedes a record at most once", async function () {
      const { recordRegistry, accounts, v1 } = await networkHelpers.loadFixture(amendFixture);
      const { patient, provider } = accounts;
      await recordRegistry.connect(provider).amendRecord(v1, cidOf("v2"), bytes32Of("v2"), 1);
      await expect(recordRegistry.connect(patient).amendRecord(v1, cidOf("v2b"), bytes32Of("v2b"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordAlreadySuperseded")
        .withArgs(v1, expectedId(patient.address, OBSERVATIONS, 1));
    });

    it("lets only the patient or the author amend, while the author may still write", async function () {
      const { recordRegistry, consentManager, careRegistry, accounts, roles, v1 } =
        await networkHelpers.loadFixture(amendFixture);
      const { patient, provider, provider2 } = accounts;
      // Another provider, even with write consent.
      await consentManager.connect(patient).grantConsent(
        {
          grantee: provider2.address,
          scope: 1 << OBSERVATIONS,
          purpose: Purpose.Treatment,
          access: ACCESS_WRITE,
          notBefore: 0n,
          expiresAt: MAX_UINT64,
        },
        "0x",
      );
      await expect(recordRegistry.connect(provider2).amendRecord(v1, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordUnauthorizedAmender")
        .withArgs(v1, provider2.address);
      // The author after losing consent, then after suspension.
      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      await expect(recordRegistry.connect(provider).amendRecord(v1, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriteNotConsented")
        .withArgs(patient.address, provider.address, OBSERVATIONS);
      await careRegistry.suspendCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(recordRegistry.connect(provider).amendRecord(v1, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(provider.address);
    });

    it("rejects unknown records and stale epochs", async function () {
      const { recordRegistry, consentManager, accounts, v1 } = await networkHelpers.loadFixture(amendFixture);
      const { patient, provider } = accounts;
      const missing = expectedId(patient.address, OBSERVATIONS, 1);
      await expect(recordRegistry.connect(provider).amendRecord(missing, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordNotFound")
        .withArgs(missing);
      await consentManager
        .connect(patient)
        .rotateCategoryKeys([{ category: OBSERVATIONS, expectedEpoch: 1, publicKey: bytes32Of("new") }], []);
      await expect(recordRegistry.connect(provider).amendRecord(v1, cidOf("x"), bytes32Of("x"), 1))
        .to.be.revertedWithCustomError(recordRegistry, "RecordStaleKeyEpoch")
        .withArgs(patient.address, OBSERVATIONS, 1, 2);
    });
  });

  describe("views", function () {
    it("pages a patient's record ids per category", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient, provider } = accounts;
      const batch = Array.from({ length: 5 }, (_, i) => ({
        category: DOCUMENTS,
        keyEpoch: 1,
        commitment: bytes32Of(`d${i}`),
        cid: cidOf(`d${i}`),
      }));
      await recordRegistry.connect(provider).addRecords(patient.address, batch);
      const all = [0, 1, 2, 3, 4].map((i) => expectedId(patient.address, DOCUMENTS, i));
      expect(await recordRegistry.recordIds(patient.address, DOCUMENTS, 0, 10)).to.deep.equal(all);
      expect(await recordRegistry.recordIds(patient.address, DOCUMENTS, 1, 2)).to.deep.equal(all.slice(1, 3));
      expect(await recordRegistry.recordIds(patient.address, DOCUMENTS, 4, 2)).to.deep.equal(all.slice(4));
      expect(await recordRegistry.recordIds(patient.address, DOCUMENTS, 5, 2)).to.deep.equal([]);
      expect(await recordRegistry.recordIds(patient.address, 0, 0, 2)).to.deep.equal([]);
    });

    it("rejects ids of records that do not exist", async function () {
      const { recordRegistry, accounts } = await networkHelpers.loadFixture(recordsFixture);
      const { patient } = accounts;
      for (const id of [0n, expectedId(patient.address, 0, 0), expectedId(patient.address, 9, 0), 2n ** 256n - 1n]) {
        await expect(recordRegistry.recordSubject(id))
          .to.be.revertedWithCustomError(recordRegistry, "RecordNotFound")
          .withArgs(id);
        await expect(recordRegistry.record(id))
          .to.be.revertedWithCustomError(recordRegistry, "RecordNotFound")
          .withArgs(id);
      }
    });

    it("points at the deployment's registry and consent manager", async function () {
      const { recordRegistry, careRegistry, consentManager } = await networkHelpers.loadFixture(recordsFixture);
      expect(await recordRegistry.REGISTRY()).to.equal(await careRegistry.getAddress());
      expect(await recordRegistry.CONSENTS()).to.equal(await consentManager.getAddress());
      expect(await consentManager.REGISTRY()).to.equal(await careRegistry.getAddress());
    });
  });
});
