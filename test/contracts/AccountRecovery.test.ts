import { expect } from "chai";
import { network } from "hardhat";
import { signConsentGrant, signConsentRevocation, type ConsentTerms } from "../helpers/consentTypedData.js";
import {
  ACCESS_READ,
  ACCESS_WRITE,
  GUARDIAN_EMERGENCY,
  GUARDIAN_MANAGE_CONSENT,
  GUARDIAN_RECOVERY,
  MAX_UINT64,
  Purpose,
  bytes32Of,
  cidOf,
  deployCore,
  envelopesOf,
} from "../helpers/core.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const DELAY = 48n * 3_600n;
const OBSERVATIONS = 4;
const SHARE = "0x" + "ab".repeat(120);

async function recoveryFixture() {
  const core = await deployCore(connection);
  const { careRegistry, consentManager, recordRegistry, accounts, roles } = core;
  const { patient, provider, guardian } = accounts;
  const signers = await ethers.getSigners();
  const [guardian2, guardian3, newAddress, otherNew] = signers.slice(9, 13);
  await careRegistry.connect(patient).registerPatient(bytes32Of("patient"));
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, provider.address);
  await recordRegistry.connect(patient).publishCategoryKeys([OBSERVATIONS], [bytes32Of("obs")]);
  for (const g of [guardian, guardian2!, guardian3!]) {
    await careRegistry.connect(patient).setGuardian(g.address, GUARDIAN_RECOVERY, 0, MAX_UINT64);
  }
  await careRegistry.connect(patient).setRecovery(2, envelopesOf("shares", 3));
  const terms: ConsentTerms = {
    grantee: provider.address,
    scope: 1 << OBSERVATIONS,
    purpose: Purpose.Treatment,
    access: ACCESS_READ | ACCESS_WRITE,
    notBefore: 0n,
    expiresAt: MAX_UINT64,
  };
  await consentManager.connect(patient).grantConsent(terms, envelopesOf("grant"));
  await recordRegistry.connect(patient).addRecord(patient.address, OBSERVATIONS, cidOf("before"), bytes32Of("c"), 1);
  return {
    ...core,
    guardians: [guardian, guardian2!, guardian3!],
    newAddress: newAddress!,
    otherNew: otherNew!,
    terms,
  };
}

type Fixture = Awaited<ReturnType<typeof recoveryFixture>>;

/** Two of three guardians approve, the delay passes, anyone completes. */
async function moveIdentity(f: Fixture) {
  const { careRegistry, accounts, guardians, newAddress } = f;
  await careRegistry.connect(guardians[0]!).approveRecovery(accounts.patient.address, newAddress.address, SHARE);
  await careRegistry.connect(guardians[2]!).approveRecovery(accounts.patient.address, newAddress.address, SHARE);
  await time.increase(DELAY);
  await careRegistry.connect(accounts.stranger).completeRecovery(accounts.patient.address);
  await f.consentManager.connect(accounts.stranger).syncAccount(accounts.patient.address);
}

describe("Account recovery", function () {
  describe("CareRegistry", function () {
    it("publishes the shares with the threshold, and refuses a threshold of 1 or a non-patient", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(recoveryFixture);
      const shares = envelopesOf("again", 2);
      await expect(careRegistry.connect(accounts.patient).setRecovery(3, shares))
        .to.emit(careRegistry, "RecoveryConfigured")
        .withArgs(accounts.patient.address, 3, 2, shares);
      expect((await careRegistry.recoveryOf(accounts.patient.address)).threshold).to.equal(3n);
      await expect(careRegistry.connect(accounts.patient).setRecovery(1, "0x"))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidRecoveryThreshold")
        .withArgs(1, 2);
      await expect(careRegistry.connect(accounts.stranger).setRecovery(2, "0x"))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNotPatient")
        .withArgs(accounts.stranger.address);
      await careRegistry.connect(accounts.patient).setRecovery(0, "0x");
      await expect(
        careRegistry
          .connect(accounts.guardian)
          .approveRecovery(accounts.patient.address, accounts.stranger.address, "0x"),
      )
        .to.be.revertedWithCustomError(careRegistry, "RegistryRecoveryNotEnabled")
        .withArgs(accounts.patient.address);
    });

    it("schedules the move at the threshold with the released shares, and completes it after 48 h", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress } = f;
      const patient = accounts.patient.address;
      await expect(careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE))
        .to.emit(careRegistry, "RecoveryApproved")
        .withArgs(patient, guardians[0]!.address, newAddress.address, 1, 1, SHARE)
        .and.not.to.emit(careRegistry, "RecoveryScheduled");
      expect(await careRegistry.recoveryApprovals(patient, newAddress.address)).to.equal(1n);
      expect(await careRegistry.hasApprovedRecovery(patient, guardians[0]!.address)).to.equal(true);
      expect(await careRegistry.hasApprovedRecovery(patient, guardians[1]!.address)).to.equal(false);
      await expect(careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE))
        .to.be.revertedWithCustomError(careRegistry, "RegistryRecoveryAlreadyApproved")
        .withArgs(patient, guardians[0]!.address, 1);
      const tx = careRegistry.connect(guardians[1]!).approveRecovery(patient, newAddress.address, SHARE);
      const readyAt = BigInt(await time.latest()) + 1n + DELAY;
      await expect(tx).to.emit(careRegistry, "RecoveryScheduled").withArgs(patient, newAddress.address, readyAt);
      await expect(careRegistry.connect(guardians[2]!).approveRecovery(patient, newAddress.address, SHARE))
        .to.be.revertedWithCustomError(careRegistry, "RegistryRecoveryAlreadyScheduled")
        .withArgs(patient, newAddress.address, readyAt);
      await expect(careRegistry.completeRecovery(patient))
        .to.be.revertedWithCustomError(careRegistry, "RegistryRecoveryNotReady")
        .withArgs(patient, readyAt, BigInt(await time.latest()) + 1n);
      await time.increaseTo(readyAt);
      await expect(careRegistry.connect(accounts.stranger).completeRecovery(patient))
        .to.emit(careRegistry, "AccountMoved")
        .withArgs(patient, patient, newAddress.address);
      expect(await careRegistry.controllerOf(patient)).to.equal(newAddress.address);
      expect(await careRegistry.actingFor(newAddress.address)).to.equal(patient);
      expect(await careRegistry.actingFor(accounts.stranger.address)).to.equal(accounts.stranger.address);
      await expect(careRegistry.actingFor(patient))
        .to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved")
        .withArgs(patient, newAddress.address);
      // The identity (key, guardians) is the patient's, under its id.
      expect(await careRegistry.isPatient(patient)).to.equal(true);
      expect((await careRegistry.encryptionKey(patient))[0]).to.equal(bytes32Of("patient"));
      expect(await careRegistry.guardianCount(patient)).to.equal(3n);
      await expect(careRegistry.completeRecovery(patient))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNoRecoveryScheduled")
        .withArgs(patient);
    });

    it("the old address cancelling within the delay stops it, and voids every approval", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress } = f;
      const patient = accounts.patient.address;
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE);
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, newAddress.address, SHARE);
      await time.increase(DELAY - 60n);
      await expect(careRegistry.connect(accounts.patient).cancelRecovery())
        .to.emit(careRegistry, "RecoveryCancelled")
        .withArgs(patient, patient, 1);
      await time.increase(120n);
      await expect(careRegistry.completeRecovery(patient)).to.be.revertedWithCustomError(
        careRegistry,
        "RegistryNoRecoveryScheduled",
      );
      expect(await careRegistry.recoveryApprovals(patient, newAddress.address)).to.equal(0n);
      expect(await careRegistry.hasApprovedRecovery(patient, guardians[0]!.address)).to.equal(false);
      expect(await careRegistry.controllerOf(patient)).to.equal(patient);
      // A stranger cannot cancel someone else's recovery (it cancels nothing of the patient's).
      await expect(careRegistry.connect(accounts.stranger).cancelRecovery())
        .to.be.revertedWithCustomError(careRegistry, "RegistryNotPatient")
        .withArgs(accounts.stranger.address);
    });

    it("counts approvals per new address: one dishonest guardian cannot hijack or block", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress, otherNew } = f;
      const patient = accounts.patient.address;
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, otherNew.address, SHARE);
      expect(await careRegistry.recoveryApprovals(patient, otherNew.address)).to.equal(1n);
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE);
      await expect(careRegistry.connect(guardians[2]!).approveRecovery(patient, newAddress.address, SHARE)).to.emit(
        careRegistry,
        "RecoveryScheduled",
      );
      expect((await careRegistry.recoveryOf(patient)).scheduledTo).to.equal(newAddress.address);
    });

    it("refuses a stranger, a guardian without the recovery right or out of period, and a bad new address", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress } = f;
      const patient = accounts.patient.address;
      await expect(careRegistry.connect(accounts.stranger).approveRecovery(patient, newAddress.address, SHARE))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNotRecoveryGuardian")
        .withArgs(patient, accounts.stranger.address);
      await careRegistry
        .connect(accounts.patient)
        .setGuardian(guardians[1]!.address, GUARDIAN_MANAGE_CONSENT, 0, MAX_UINT64);
      await expect(careRegistry.connect(guardians[1]!).approveRecovery(patient, newAddress.address, SHARE))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNotRecoveryGuardian")
        .withArgs(patient, guardians[1]!.address);
      const now = BigInt(await time.latest());
      await careRegistry
        .connect(accounts.patient)
        .setGuardian(guardians[2]!.address, GUARDIAN_RECOVERY, now + 1_000n, MAX_UINT64);
      await expect(
        careRegistry.connect(guardians[2]!).approveRecovery(patient, newAddress.address, SHARE),
      ).to.be.revertedWithCustomError(careRegistry, "RegistryNotRecoveryGuardian");
      const g = guardians[0]!;
      // The zero address, a registered patient, an address with a key of its own, the patient itself.
      await careRegistry.connect(accounts.patient2).registerPatient(bytes32Of("patient2"));
      await careRegistry.connect(accounts.provider).setEncryptionKey(bytes32Of("provider"));
      for (const bad of [ethers.ZeroAddress, accounts.patient2.address, accounts.provider.address, patient]) {
        await expect(careRegistry.connect(g).approveRecovery(patient, bad, SHARE))
          .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidRecoveryAccount")
          .withArgs(patient, bad);
      }
    });

    it("a fresh address announces its request and recovery key; a patient without recovery, a zero key or a used address are refused", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, newAddress } = f;
      const patient = accounts.patient.address;
      const { round } = await careRegistry.recoveryOf(patient);
      await expect(careRegistry.connect(newAddress).requestRecovery(patient, bytes32Of("recovery key")))
        .to.emit(careRegistry, "RecoveryRequested")
        .withArgs(patient, newAddress.address, bytes32Of("recovery key"), round);
      await expect(careRegistry.connect(newAddress).requestRecovery(newAddress.address, bytes32Of("k")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryRecoveryNotEnabled")
        .withArgs(newAddress.address);
      await expect(
        careRegistry.connect(newAddress).requestRecovery(patient, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(careRegistry, "RegistryInvalidEncryptionKey");
      await expect(careRegistry.connect(accounts.patient).requestRecovery(patient, bytes32Of("k")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidRecoveryAccount")
        .withArgs(patient, patient);
    });

    it("the new address keeps its own key-custody document of the patient's key; a moved-away address cannot", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress, otherNew } = f;
      const patient = accounts.patient.address;
      await expect(careRegistry.connect(newAddress).setKeyCustody(bytes32Of("early")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNoEncryptionKey")
        .withArgs(newAddress.address);
      await moveIdentity(f);
      await expect(careRegistry.connect(newAddress).setKeyCustody(bytes32Of("custody")))
        .to.emit(careRegistry, "KeyCustodyUpdated")
        .withArgs(newAddress.address, bytes32Of("custody"), 1);
      expect(await careRegistry.keyCustody(newAddress.address)).to.equal(bytes32Of("custody"));
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, otherNew.address, SHARE);
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, otherNew.address, SHARE);
      await time.increase(DELAY);
      await careRegistry.completeRecovery(patient);
      await expect(careRegistry.connect(newAddress).setKeyCustody(bytes32Of("stale")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved")
        .withArgs(newAddress.address, otherNew.address);
    });

    it("refuses to complete onto an address that registered during the delay", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, accounts, guardians, newAddress } = f;
      const patient = accounts.patient.address;
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE);
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, newAddress.address, SHARE);
      await careRegistry.connect(newAddress).registerPatient(bytes32Of("squatter"));
      await time.increase(DELAY);
      await expect(careRegistry.completeRecovery(patient))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidRecoveryAccount")
        .withArgs(patient, newAddress.address);
    });

    it("after the move the new address manages the identity and the old one is refused everywhere in the registry", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      await moveIdentity(f);
      const { careRegistry, accounts, guardians, newAddress, otherNew } = f;
      const patient = accounts.patient.address;
      await expect(careRegistry.connect(newAddress).setEncryptionKey(bytes32Of("new key")))
        .to.emit(careRegistry, "EncryptionKeyUpdated")
        .withArgs(patient, bytes32Of("new key"), 2);
      await expect(
        careRegistry.connect(newAddress).setGuardian(accounts.stranger.address, GUARDIAN_EMERGENCY, 0, MAX_UINT64),
      )
        .to.emit(careRegistry, "GuardianSet")
        .withArgs(patient, accounts.stranger.address, GUARDIAN_EMERGENCY, 0, MAX_UINT64);
      await expect(careRegistry.connect(newAddress).setGuardian(patient, GUARDIAN_EMERGENCY, 0, MAX_UINT64))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardian")
        .withArgs(patient, patient);
      await expect(careRegistry.connect(newAddress).setGuardian(newAddress.address, GUARDIAN_EMERGENCY, 0, MAX_UINT64))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardian")
        .withArgs(patient, newAddress.address);
      await expect(careRegistry.connect(newAddress).revokeGuardian(accounts.stranger.address))
        .to.emit(careRegistry, "GuardianRevoked")
        .withArgs(patient, accounts.stranger.address);
      await expect(careRegistry.connect(newAddress).registerPatient(bytes32Of("twice")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryPatientAlreadyRegistered")
        .withArgs(newAddress.address);
      for (const call of [
        () => careRegistry.connect(accounts.patient).setEncryptionKey(bytes32Of("thief")),
        () =>
          careRegistry
            .connect(accounts.patient)
            .setGuardian(accounts.stranger.address, GUARDIAN_EMERGENCY, 0, MAX_UINT64),
        () => careRegistry.connect(accounts.patient).revokeGuardian(guardians[0]!.address),
        () => careRegistry.connect(accounts.patient).cancelRecovery(),
        () => careRegistry.connect(accounts.patient).setRecovery(0, "0x"),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved")
          .withArgs(patient, newAddress.address);
      }
      // A second move (the new wallet lost too) goes on from the new address, which is then refused.
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, otherNew.address, SHARE);
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, otherNew.address, SHARE);
      await time.increase(DELAY);
      await expect(careRegistry.completeRecovery(patient))
        .to.emit(careRegistry, "AccountMoved")
        .withArgs(patient, newAddress.address, otherNew.address);
      await expect(careRegistry.actingFor(newAddress.address))
        .to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved")
        .withArgs(newAddress.address, otherNew.address);
      expect(await careRegistry.actingFor(otherNew.address)).to.equal(patient);
    });
  });

  describe("the other contracts answer to the new address", function () {
    it("consents follow the move once synced, keeping the nonce; a second move moves them again", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      const { careRegistry, consentManager, accounts, guardians, newAddress, otherNew, terms } = f;
      const patient = accounts.patient.address;
      await consentManager.connect(accounts.patient).invalidateNonces(7n);
      await expect(consentManager.syncAccount(patient))
        .to.be.revertedWithCustomError(consentManager, "ConsentAccountInSync")
        .withArgs(patient, patient);
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, newAddress.address, SHARE);
      await careRegistry.connect(guardians[1]!).approveRecovery(patient, newAddress.address, SHARE);
      await time.increase(DELAY);
      await careRegistry.completeRecovery(patient);
      expect(await consentManager.controllerOf(patient)).to.equal(patient);
      await expect(consentManager.connect(accounts.stranger).syncAccount(patient))
        .to.emit(consentManager, "AccountSynced")
        .withArgs(patient, patient, newAddress.address);
      expect(await consentManager.controllerOf(patient)).to.equal(newAddress.address);
      expect(await consentManager.nonces(patient)).to.equal(7n);
      await careRegistry.connect(guardians[0]!).approveRecovery(patient, otherNew.address, SHARE);
      await careRegistry.connect(guardians[2]!).approveRecovery(patient, otherNew.address, SHARE);
      await time.increase(DELAY);
      await careRegistry.completeRecovery(patient);
      await expect(consentManager.syncAccount(patient))
        .to.emit(consentManager, "AccountSynced")
        .withArgs(patient, newAddress.address, otherNew.address);
      await expect(consentManager.connect(newAddress).grantConsent(terms, envelopesOf("x")))
        .to.be.revertedWithCustomError(consentManager, "ConsentAccountMoved")
        .withArgs(newAddress.address, otherNew.address);
      await consentManager.connect(otherNew).invalidateNonces(8n);
      expect(await consentManager.nonces(patient)).to.equal(8n);
      // The nonce stays below the controller bits.
      await expect(consentManager.connect(otherNew).invalidateNonces(2n ** 96n))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidNonceInvalidation")
        .withArgs(patient, 8n, 2n ** 96n);
    });

    it("records: the new address writes and publishes keys for the patient; the old one cannot; providers keep writing", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      await moveIdentity(f);
      const { careRegistry, recordRegistry, accounts, newAddress } = f;
      const patient = accounts.patient.address;
      await expect(
        recordRegistry.connect(newAddress).addRecord(patient, OBSERVATIONS, cidOf("after"), bytes32Of("c2"), 1),
      )
        .to.emit(recordRegistry, "RecordAdded")
        .withArgs(
          patient,
          newAddress.address,
          await recordRegistry.computeRecordId(patient, OBSERVATIONS, 1),
          cidOf("after"),
        );
      await recordRegistry
        .connect(newAddress)
        .addRecords(patient, [
          { category: OBSERVATIONS, cid: cidOf("batch"), commitment: bytes32Of("b"), keyEpoch: 1 },
        ]);
      const first = await recordRegistry.computeRecordId(patient, OBSERVATIONS, 0);
      await expect(recordRegistry.connect(newAddress).amendRecord(first, cidOf("amended"), bytes32Of("a"), 1)).to.emit(
        recordRegistry,
        "RecordAmended",
      );
      await expect(
        f.consentManager
          .connect(newAddress)
          .rotateCategoryKeys([{ category: OBSERVATIONS, expectedEpoch: 1, publicKey: bytes32Of("obs2") }], []),
      )
        .to.emit(recordRegistry, "CategoryKeyPublished")
        .withArgs(patient, OBSERVATIONS, 2, bytes32Of("obs2"));
      await recordRegistry.connect(newAddress).publishCategoryKeys([0], [bytes32Of("allergies")]);
      expect((await recordRegistry.categoryKey(patient, 0))[1]).to.equal(1n);
      expect(await recordRegistry.recordCount(patient, OBSERVATIONS)).to.equal(4n);
      // The provider's write consent (granted before the move) still works.
      await recordRegistry.connect(accounts.provider).addRecord(patient, OBSERVATIONS, cidOf("lab"), bytes32Of("l"), 2);
      for (const call of [
        () =>
          recordRegistry.connect(accounts.patient).addRecord(patient, OBSERVATIONS, cidOf("thief"), bytes32Of("t"), 2),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(careRegistry, "RegistryAccountMoved")
          .withArgs(patient, newAddress.address);
      }
      // Key rotations go through the ConsentManager, which refuses the old address once synced.
      await expect(
        f.consentManager
          .connect(accounts.patient)
          .rotateCategoryKeys([{ category: OBSERVATIONS, expectedEpoch: 2, publicKey: bytes32Of("thief") }], []),
      )
        .to.be.revertedWithCustomError(f.consentManager, "ConsentAccountMoved")
        .withArgs(patient, newAddress.address);
      // Someone who speaks for no one is still just an uncredentialed writer.
      await expect(
        recordRegistry.connect(accounts.stranger).addRecord(patient, OBSERVATIONS, cidOf("x"), bytes32Of("x"), 2),
      )
        .to.be.revertedWithCustomError(recordRegistry, "RecordWriterNotCredentialed")
        .withArgs(accounts.stranger.address);
      const second = await recordRegistry.computeRecordId(patient, OBSERVATIONS, 1);
      await expect(recordRegistry.connect(accounts.stranger).amendRecord(second, cidOf("x"), bytes32Of("x"), 2))
        .to.be.revertedWithCustomError(recordRegistry, "RecordUnauthorizedAmender")
        .withArgs(second, accounts.stranger.address);
    });

    it("consents: old grants still hold; the new address grants, revokes and signs; the old address's signature is refused", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      await moveIdentity(f);
      const { careRegistry, consentManager, accounts, newAddress, terms, domain } = f;
      const patient = accounts.patient.address;
      expect(
        await consentManager.hasConsent(
          patient,
          accounts.provider.address,
          OBSERVATIONS,
          Purpose.Treatment,
          ACCESS_READ,
        ),
      ).to.equal(true);
      const researcher = {
        ...terms,
        grantee: accounts.provider2.address,
        purpose: Purpose.Research,
        access: ACCESS_READ,
      };
      await expect(consentManager.connect(newAddress).grantConsent(researcher, envelopesOf("r")))
        .to.emit(consentManager, "ConsentGranted")
        .withArgs(
          patient,
          accounts.provider2.address,
          Purpose.Research,
          researcher.scope,
          ACCESS_READ,
          0,
          MAX_UINT64,
          patient, // decided by the patient (its id), sent from the address that now speaks for it
          newAddress.address,
          envelopesOf("r"),
        );
      await expect(consentManager.connect(newAddress).revokeConsent(accounts.provider2.address, Purpose.Research))
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient, accounts.provider2.address, Purpose.Research, patient, newAddress.address);
      await consentManager.connect(newAddress).invalidateNonces(5n);
      expect(await consentManager.nonces(patient)).to.equal(5n);
      await consentManager.connect(newAddress).setBreakGlassOptOut(true);
      expect(await consentManager.breakGlassOptedOut(patient)).to.equal(true);

      const deadline = MAX_UINT64;
      const signed = await signConsentGrant(newAddress, domain, researcher, envelopesOf("s"), 5n, deadline, {
        patient,
      });
      await consentManager
        .connect(accounts.relayer)
        .grantConsentBySig(patient, researcher, envelopesOf("s"), signed.issuedAt, 5n, deadline, signed.serialized);
      const byOld = await signConsentGrant(accounts.patient, domain, researcher, envelopesOf("s"), 6n, deadline);
      await expect(
        consentManager
          .connect(accounts.relayer)
          .grantConsentBySig(patient, researcher, envelopesOf("s"), byOld.issuedAt, 6n, deadline, byOld.serialized),
      ).to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature");
      const revocation = await signConsentRevocation(
        newAddress,
        domain,
        accounts.provider2.address,
        Purpose.Research,
        6n,
        deadline,
        { patient },
      );
      await consentManager
        .connect(accounts.relayer)
        .revokeConsentBySig(patient, accounts.provider2.address, Purpose.Research, 6n, deadline, revocation.serialized);
      for (const call of [
        () => consentManager.connect(accounts.patient).grantConsent(researcher, envelopesOf("thief")),
        () => consentManager.connect(accounts.patient).revokeConsent(accounts.provider.address, Purpose.Treatment),
        () => consentManager.connect(accounts.patient).invalidateNonces(100n),
        () => consentManager.connect(accounts.patient).setBreakGlassOptOut(false),
      ]) {
        await expect(call())
          .to.be.revertedWithCustomError(consentManager, "ConsentAccountMoved")
          .withArgs(patient, newAddress.address);
      }
      await expect(consentManager.syncAccount(patient))
        .to.be.revertedWithCustomError(consentManager, "ConsentAccountInSync")
        .withArgs(patient, newAddress.address);
      expect(await careRegistry.controllerOf(patient)).to.equal(newAddress.address);
    });

    it("break-glass: the new address closes it, the old one cannot", async function () {
      const f = await networkHelpers.loadFixture(recoveryFixture);
      await moveIdentity(f);
      const { consentManager, accounts, newAddress } = f;
      const patient = accounts.patient.address;
      await consentManager.connect(accounts.provider).openBreakGlass(patient, 1, 3_600n);
      await expect(consentManager.connect(accounts.patient).closeBreakGlass(patient, accounts.provider.address))
        .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedBreakGlassCloser")
        .withArgs(patient, accounts.provider.address, patient);
      await expect(consentManager.connect(newAddress).closeBreakGlass(patient, accounts.provider.address)).to.emit(
        consentManager,
        "BreakGlassClosed",
      );
    });
  });
});
