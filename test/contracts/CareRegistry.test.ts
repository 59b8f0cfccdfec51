import { expect } from "chai";
import { network } from "hardhat";

import CareLedgerCore from "../../ignition/modules/CareLedgerCore.js";
import type { CareRegistry } from "../../types/ethers-contracts/index.js";
import { GUARDIAN_EMERGENCY, GUARDIAN_MANAGE_CONSENT, bytes32Of, deployCore } from "../helpers/core.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

enum CredentialStatus {
  None,
  Active,
  Suspended,
  Revoked,
}

async function coreFixture() {
  return deployCore(connection);
}

describe("CareRegistry", function () {
  describe("deployment", function () {
    it("gives the admin DEFAULT_ADMIN_ROLE and CREDENTIAL_ADMIN_ROLE, with a delayed handover", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      expect(await careRegistry.hasRole(roles.DEFAULT_ADMIN_ROLE, accounts.admin.address)).to.equal(true);
      expect(await careRegistry.hasRole(roles.CREDENTIAL_ADMIN_ROLE, accounts.admin.address)).to.equal(true);
      expect(await careRegistry.defaultAdmin()).to.equal(accounts.admin.address);
      expect(await careRegistry.defaultAdminDelay()).to.equal(await careRegistry.ADMIN_TRANSFER_DELAY());
      expect(await careRegistry.ADMIN_TRANSFER_DELAY()).to.equal(86_400n);
    });

    it("hands the admin over in two delayed steps, after which the new admin credentials", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      const { admin, stranger: multisig, provider } = accounts;
      await careRegistry.connect(admin).beginDefaultAdminTransfer(multisig.address);
      await expect(careRegistry.connect(multisig).acceptDefaultAdminTransfer())
        .to.be.revertedWithCustomError(careRegistry, "AccessControlEnforcedDefaultAdminDelay")
        .withArgs((await careRegistry.pendingDefaultAdmin())[1]);
      await time.increase(86_401);
      await careRegistry.connect(multisig).acceptDefaultAdminTransfer();
      expect(await careRegistry.defaultAdmin()).to.equal(multisig.address);
      expect(await careRegistry.hasRole(roles.DEFAULT_ADMIN_ROLE, admin.address)).to.equal(false);
      // The new admin takes over credentialing and removes the old key.
      await careRegistry.connect(multisig).grantRole(roles.CREDENTIAL_ADMIN_ROLE, multisig.address);
      await careRegistry.connect(multisig).revokeRole(roles.CREDENTIAL_ADMIN_ROLE, admin.address);
      await expect(careRegistry.connect(admin).grantCredential(roles.PROVIDER_ROLE, provider.address))
        .to.be.revertedWithCustomError(careRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, roles.CREDENTIAL_ADMIN_ROLE);
      await expect(careRegistry.connect(multisig).grantCredential(roles.PROVIDER_ROLE, provider.address)).to.emit(
        careRegistry,
        "CredentialGranted",
      );
    });

    it("takes the credentialing authority from the CareLedgerCore `admin` parameter", async function () {
      const [, , , , , , authority] = await ethers.getSigners();
      const { careRegistry } = await connection.ignition.deploy(CareLedgerCore, {
        parameters: { CareLedgerCore: { admin: authority.address } },
        deploymentId: "admin-parameter",
      });
      const registry = careRegistry as unknown as CareRegistry;
      expect(await registry.defaultAdmin()).to.equal(authority.address);
      expect(await registry.hasRole(ethers.id("CREDENTIAL_ADMIN_ROLE"), authority.address)).to.equal(true);
    });

    it("lets only the admin start a handover", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      await expect(careRegistry.connect(accounts.stranger).beginDefaultAdminTransfer(accounts.stranger.address))
        .to.be.revertedWithCustomError(careRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(accounts.stranger.address, roles.DEFAULT_ADMIN_ROLE);
    });
  });

  describe("patients and encryption keys", function () {
    it("registers a patient with key version 1", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      const key = bytes32Of("patient key");
      await expect(careRegistry.connect(accounts.patient).registerPatient(key))
        .to.emit(careRegistry, "PatientRegistered")
        .withArgs(accounts.patient.address, key, 1);
      expect(await careRegistry.isPatient(accounts.patient.address)).to.equal(true);
      expect(await careRegistry.encryptionKey(accounts.patient.address)).to.deep.equal([key, 1n]);
      expect(await careRegistry.isPatient(accounts.stranger.address)).to.equal(false);
    });

    it("rejects a second registration and a zero key", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      await expect(
        careRegistry.connect(accounts.patient).registerPatient(ethers.ZeroHash),
      ).to.be.revertedWithCustomError(careRegistry, "RegistryInvalidEncryptionKey");
      await careRegistry.connect(accounts.patient).registerPatient(bytes32Of("k1"));
      await expect(careRegistry.connect(accounts.patient).registerPatient(bytes32Of("k2")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryPatientAlreadyRegistered")
        .withArgs(accounts.patient.address);
    });

    it("versions key rotation for any account, and keeps counting when a key holder registers later", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      const { provider, patient } = accounts;
      await expect(careRegistry.connect(provider).setEncryptionKey(bytes32Of("p1")))
        .to.emit(careRegistry, "EncryptionKeyUpdated")
        .withArgs(provider.address, bytes32Of("p1"), 1);
      await expect(careRegistry.connect(provider).setEncryptionKey(bytes32Of("p2")))
        .to.emit(careRegistry, "EncryptionKeyUpdated")
        .withArgs(provider.address, bytes32Of("p2"), 2);
      expect(await careRegistry.encryptionKey(provider.address)).to.deep.equal([bytes32Of("p2"), 2n]);
      await expect(careRegistry.connect(provider).setEncryptionKey(ethers.ZeroHash)).to.be.revertedWithCustomError(
        careRegistry,
        "RegistryInvalidEncryptionKey",
      );
      // A provider who is also a patient registers with its next key version.
      await expect(careRegistry.connect(provider).registerPatient(bytes32Of("p3")))
        .to.emit(careRegistry, "PatientRegistered")
        .withArgs(provider.address, bytes32Of("p3"), 3);
      await careRegistry.connect(patient).registerPatient(bytes32Of("a"));
      await careRegistry.connect(patient).setEncryptionKey(bytes32Of("b"));
      expect(await careRegistry.encryptionKey(patient.address)).to.deep.equal([bytes32Of("b"), 2n]);
      expect(await careRegistry.isPatient(patient.address)).to.equal(true);
    });
  });

  describe("key custody (passkey-wrapped identity keys)", function () {
    it("publishes, replaces and clears the digest of an account's key-custody document", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      const { patient, provider } = accounts;
      expect(await careRegistry.keyCustody(patient.address)).to.equal(ethers.ZeroHash);
      await careRegistry.connect(patient).registerPatient(bytes32Of("patient key"));
      await expect(careRegistry.connect(patient).setKeyCustody(bytes32Of("custody 1")))
        .to.emit(careRegistry, "KeyCustodyUpdated")
        .withArgs(patient.address, bytes32Of("custody 1"), 1);
      expect(await careRegistry.keyCustody(patient.address)).to.equal(bytes32Of("custody 1"));
      await careRegistry.connect(patient).setEncryptionKey(bytes32Of("rotated"));
      await expect(careRegistry.connect(patient).setKeyCustody(bytes32Of("custody 2")))
        .to.emit(careRegistry, "KeyCustodyUpdated")
        .withArgs(patient.address, bytes32Of("custody 2"), 2);
      await expect(careRegistry.connect(patient).setKeyCustody(ethers.ZeroHash))
        .to.emit(careRegistry, "KeyCustodyUpdated")
        .withArgs(patient.address, ethers.ZeroHash, 2);
      expect(await careRegistry.keyCustody(patient.address)).to.equal(ethers.ZeroHash);
      // A provider sets key and custody in one transaction.
      await careRegistry
        .connect(provider)
        .multicall([
          careRegistry.interface.encodeFunctionData("setEncryptionKey", [bytes32Of("provider key")]),
          careRegistry.interface.encodeFunctionData("setKeyCustody", [bytes32Of("provider custody")]),
        ]);
      expect(await careRegistry.keyCustody(provider.address)).to.equal(bytes32Of("provider custody"));
    });

    it("refuses a custody for an account with no encryption key, naming the account", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      await expect(careRegistry.connect(accounts.stranger).setKeyCustody(bytes32Of("custody")))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNoEncryptionKey")
        .withArgs(accounts.stranger.address);
    });
  });

  describe("credentials", function () {
    it("walks the lifecycle None -> Active -> Suspended -> Active -> Revoked with events", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      const { admin, provider } = accounts;
      const role = roles.PROVIDER_ROLE;
      expect(await careRegistry.credentialStatus(role, provider.address)).to.equal(CredentialStatus.None);
      await expect(careRegistry.grantCredential(role, provider.address))
        .to.emit(careRegistry, "CredentialGranted")
        .withArgs(role, provider.address, admin.address);
      expect(await careRegistry.isCredentialed(role, provider.address)).to.equal(true);
      await expect(careRegistry.suspendCredential(role, provider.address))
        .to.emit(careRegistry, "CredentialSuspended")
        .withArgs(role, provider.address, admin.address);
      expect(await careRegistry.isCredentialed(role, provider.address)).to.equal(false);
      expect(await careRegistry.credentialStatus(role, provider.address)).to.equal(CredentialStatus.Suspended);
      await expect(careRegistry.reinstateCredential(role, provider.address))
        .to.emit(careRegistry, "CredentialReinstated")
        .withArgs(role, provider.address, admin.address);
      expect(await careRegistry.isCredentialed(role, provider.address)).to.equal(true);
      await expect(careRegistry.revokeCredential(role, provider.address))
        .to.emit(careRegistry, "CredentialRevoked")
        .withArgs(role, provider.address, admin.address);
      expect(await careRegistry.isCredentialed(role, provider.address)).to.equal(false);
      expect(await careRegistry.credentialStatus(role, provider.address)).to.equal(CredentialStatus.Revoked);
    });

    it("keeps roles apart: a provider credential is not an insurer credential", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      await careRegistry.grantCredential(roles.INSURER_ROLE, accounts.insurer.address);
      await careRegistry.grantCredential(roles.RESEARCHER_ROLE, accounts.stranger.address);
      expect(await careRegistry.isCredentialed(roles.INSURER_ROLE, accounts.insurer.address)).to.equal(true);
      expect(await careRegistry.isCredentialed(roles.PROVIDER_ROLE, accounts.insurer.address)).to.equal(false);
      expect(await careRegistry.isCredentialed(roles.RESEARCHER_ROLE, accounts.stranger.address)).to.equal(true);
    });

    it("makes revocation final and rejects every other invalid transition", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      const role = roles.PROVIDER_ROLE;
      const who = accounts.provider.address;
      const invalid = (status: CredentialStatus) => [role, who, status] as const;
      await expect(careRegistry.suspendCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.None));
      await expect(careRegistry.reinstateCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.None));
      await expect(careRegistry.revokeCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.None));
      await careRegistry.grantCredential(role, who);
      await expect(careRegistry.grantCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.Active));
      await expect(careRegistry.reinstateCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.Active));
      await careRegistry.suspendCredential(role, who);
      await expect(careRegistry.suspendCredential(role, who))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
        .withArgs(...invalid(CredentialStatus.Suspended));
      // A suspended credential can be revoked directly.
      await careRegistry.revokeCredential(role, who);
      for (const action of [
        careRegistry.grantCredential(role, who),
        careRegistry.suspendCredential(role, who),
        careRegistry.reinstateCredential(role, who),
        careRegistry.revokeCredential(role, who),
      ]) {
        await expect(action)
          .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidCredentialTransition")
          .withArgs(...invalid(CredentialStatus.Revoked));
      }
    });

    it("credentials each research and supply-chain role with its own lifecycle", async function () {
      const { careRegistry, roles, accounts } = await networkHelpers.loadFixture(coreFixture);
      const who = accounts.stranger.address;
      for (const role of [
        roles.SPONSOR_ROLE,
        roles.ETHICS_BOARD_ROLE,
        roles.REGULATOR_ROLE,
        roles.MANUFACTURER_ROLE,
        roles.DISTRIBUTOR_ROLE,
        roles.PHARMACY_ROLE,
      ]) {
        await expect(careRegistry.grantCredential(role, who)).to.emit(careRegistry, "CredentialGranted");
        expect(await careRegistry.isCredentialed(role, who)).to.equal(true);
        expect(await careRegistry.isCredentialed(roles.PROVIDER_ROLE, who)).to.equal(false);
        await careRegistry.suspendCredential(role, who);
        expect(await careRegistry.isCredentialed(role, who)).to.equal(false);
      }
    });

    it("rejects unknown roles and the zero address", async function () {
      const { careRegistry, roles, accounts } = await networkHelpers.loadFixture(coreFixture);
      for (const role of [roles.CREDENTIAL_ADMIN_ROLE, roles.DEFAULT_ADMIN_ROLE, ethers.id("NURSE_ROLE")]) {
        for (const action of [
          careRegistry.grantCredential(role, accounts.provider.address),
          careRegistry.suspendCredential(role, accounts.provider.address),
          careRegistry.reinstateCredential(role, accounts.provider.address),
          careRegistry.revokeCredential(role, accounts.provider.address),
        ]) {
          await expect(action)
            .to.be.revertedWithCustomError(careRegistry, "RegistryUnknownCredentialRole")
            .withArgs(role);
        }
      }
      await expect(careRegistry.grantCredential(roles.PROVIDER_ROLE, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidAccount")
        .withArgs(ethers.ZeroAddress);
    });

    it("lets only CREDENTIAL_ADMIN_ROLE change credentials", async function () {
      const { careRegistry, roles, accounts } = await networkHelpers.loadFixture(coreFixture);
      const { stranger, provider } = accounts;
      await careRegistry.grantCredential(roles.PROVIDER_ROLE, provider.address);
      for (const action of [
        careRegistry.connect(stranger).grantCredential(roles.PROVIDER_ROLE, stranger.address),
        careRegistry.connect(provider).suspendCredential(roles.PROVIDER_ROLE, provider.address),
        careRegistry.connect(stranger).reinstateCredential(roles.PROVIDER_ROLE, provider.address),
        careRegistry.connect(stranger).revokeCredential(roles.PROVIDER_ROLE, provider.address),
      ]) {
        await expect(action)
          .to.be.revertedWithCustomError(careRegistry, "AccessControlUnauthorizedAccount")
          .withArgs(anyOf(stranger.address, provider.address), roles.CREDENTIAL_ADMIN_ROLE);
      }
    });
  });

  describe("directory", function () {
    const PartyKind = { Other: 0, Clinician: 1, Laboratory: 4, Insurer: 6 } as const;
    const okafor = { displayName: "Dr. Amara Okafor", kind: PartyKind.Clinician, registryId: "NPI 1234567893" };

    it("lists a party under the name people know, set by the authority with its credential in one transaction", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      const { admin, provider } = accounts;
      const calls = [
        careRegistry.interface.encodeFunctionData("grantCredential", [roles.PROVIDER_ROLE, provider.address]),
        careRegistry.interface.encodeFunctionData("setProfile", [provider.address, okafor]),
      ];
      await expect(careRegistry.connect(admin).multicall(calls))
        .to.emit(careRegistry, "CredentialGranted")
        .withArgs(roles.PROVIDER_ROLE, provider.address, admin.address)
        .and.to.emit(careRegistry, "ProfileUpdated")
        .withArgs(provider.address, okafor.displayName, okafor.kind, okafor.registryId, admin.address);
      const profile = await careRegistry.profileOf(provider.address);
      expect([profile.displayName, profile.kind, profile.registryId]).to.deep.equal([
        okafor.displayName,
        BigInt(okafor.kind),
        okafor.registryId,
      ]);
      expect(await careRegistry.isCredentialed(roles.PROVIDER_ROLE, provider.address)).to.equal(true);
    });

    it("replaces a profile (a party renamed) and leaves others alone", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      await careRegistry.setProfile(accounts.provider.address, okafor);
      await careRegistry.setProfile(accounts.provider2.address, {
        displayName: "Northside Labs",
        kind: PartyKind.Laboratory,
        registryId: "",
      });
      await careRegistry.setProfile(accounts.provider.address, { ...okafor, displayName: "Dr. Amara Okafor-Reid" });
      expect((await careRegistry.profileOf(accounts.provider.address)).displayName).to.equal("Dr. Amara Okafor-Reid");
      expect((await careRegistry.profileOf(accounts.provider2.address)).displayName).to.equal("Northside Labs");
      expect((await careRegistry.profileOf(accounts.stranger.address)).displayName).to.equal("");
    });

    it("an attacker cannot list itself under a trusted name, even inside a multicall", async function () {
      const { careRegistry, accounts, roles } = await networkHelpers.loadFixture(coreFixture);
      const { stranger } = accounts;
      const impersonation = { ...okafor, registryId: "NPI 1234567893" };
      await expect(careRegistry.connect(stranger).setProfile(stranger.address, impersonation))
        .to.be.revertedWithCustomError(careRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, roles.CREDENTIAL_ADMIN_ROLE);
      const call = careRegistry.interface.encodeFunctionData("setProfile", [stranger.address, impersonation]);
      await expect(careRegistry.connect(stranger).multicall([call]))
        .to.be.revertedWithCustomError(careRegistry, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, roles.CREDENTIAL_ADMIN_ROLE);
      expect((await careRegistry.profileOf(stranger.address)).displayName).to.equal("");
    });

    it("refuses an empty or over-long name, an over-long identifier and the zero address, saying the lengths", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(coreFixture);
      const who = accounts.provider.address;
      const max = await careRegistry.MAX_PROFILE_TEXT();
      expect(max).to.equal(64n);
      await expect(careRegistry.setProfile(who, { ...okafor, displayName: "" }))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidProfile")
        .withArgs(0, okafor.registryId.length, max);
      await expect(careRegistry.setProfile(who, { ...okafor, displayName: "x".repeat(65) }))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidProfile")
        .withArgs(65, okafor.registryId.length, max);
      await expect(careRegistry.setProfile(who, { ...okafor, registryId: "9".repeat(65) }))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidProfile")
        .withArgs(okafor.displayName.length, 65, max);
      // 64 bytes of UTF-8 is the limit, however many characters they make.
      await expect(careRegistry.setProfile(who, { ...okafor, displayName: "é".repeat(32) })).to.emit(
        careRegistry,
        "ProfileUpdated",
      );
      await expect(careRegistry.setProfile(ethers.ZeroAddress, okafor))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidAccount")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("guardians", function () {
    async function patientFixture() {
      const core = await deployCore(connection);
      await core.careRegistry.connect(core.accounts.patient).registerPatient(bytes32Of("patient"));
      return core;
    }

    it("names a guardian with rights and a period, and lists it", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(patientFixture);
      const { patient, guardian } = accounts;
      const now = BigInt(await time.latest());
      const from = now + 100n;
      const until = now + 1_000n;
      await expect(careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, from, until))
        .to.emit(careRegistry, "GuardianSet")
        .withArgs(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT, from, until);
      expect(await careRegistry.guardians(patient.address, 0, 100)).to.deep.equal([guardian.address]);
      expect(await careRegistry.guardianOf(patient.address, guardian.address)).to.deep.equal([
        BigInt(GUARDIAN_MANAGE_CONSENT),
        from,
        until,
      ]);
      // Not yet valid.
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT)).to.equal(false);
      await time.increaseTo(from);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT)).to.equal(true);
      // Outside its rights, and asking for nothing.
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_EMERGENCY)).to.equal(false);
      expect(
        await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY),
      ).to.equal(false);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, 0)).to.equal(false);
      // Expired.
      await time.increaseTo(until);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT)).to.equal(false);
    });

    it("lists guardians a page at a time (an attacker cannot make the view unbounded)", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(patientFixture);
      const { patient } = accounts;
      const until = BigInt(await time.latest()) + 1_000n;
      const named = (await ethers.getSigners()).slice(10, 15).map((s) => s.address);
      for (const address of named) {
        await careRegistry.connect(patient).setGuardian(address, GUARDIAN_EMERGENCY, 0, until);
      }
      expect(await careRegistry.guardianCount(patient.address)).to.equal(5n);
      expect(await careRegistry.guardians(patient.address, 0, 2)).to.deep.equal(named.slice(0, 2));
      expect(await careRegistry.guardians(patient.address, 2, 2)).to.deep.equal(named.slice(2, 4));
      expect(await careRegistry.guardians(patient.address, 4, 2)).to.deep.equal(named.slice(4));
      expect(await careRegistry.guardians(patient.address, 5, 2)).to.deep.equal([]);
      expect(await careRegistry.guardians(patient.address, ethers.MaxUint256, ethers.MaxUint256)).to.deep.equal([]);
      // A huge limit is capped at MAX_GUARDIAN_PAGE.
      expect(await careRegistry.MAX_GUARDIAN_PAGE()).to.equal(100n);
      expect(await careRegistry.guardians(patient.address, 1, ethers.MaxUint256)).to.deep.equal(named.slice(1));
    });

    it("replaces a guardian's rights when named again, without listing it twice", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(patientFixture);
      const { patient, guardian } = accounts;
      const until = BigInt(await time.latest()) + 1_000n;
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, 0, until);
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_EMERGENCY, 0, until);
      expect(await careRegistry.guardians(patient.address, 0, 100)).to.deep.equal([guardian.address]);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_EMERGENCY)).to.equal(true);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_MANAGE_CONSENT)).to.equal(false);
    });

    it("revokes a guardian at once", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(patientFixture);
      const { patient, guardian } = accounts;
      const until = BigInt(await time.latest()) + 1_000n;
      await careRegistry.connect(patient).setGuardian(guardian.address, 3, 0, until);
      await expect(careRegistry.connect(patient).revokeGuardian(guardian.address))
        .to.emit(careRegistry, "GuardianRevoked")
        .withArgs(patient.address, guardian.address);
      expect(await careRegistry.isGuardian(patient.address, guardian.address, GUARDIAN_EMERGENCY)).to.equal(false);
      expect(await careRegistry.guardians(patient.address, 0, 100)).to.deep.equal([]);
      expect(await careRegistry.guardianOf(patient.address, guardian.address)).to.deep.equal([0n, 0n, 0n]);
      await expect(careRegistry.connect(patient).revokeGuardian(guardian.address))
        .to.be.revertedWithCustomError(careRegistry, "RegistryGuardianNotFound")
        .withArgs(patient.address, guardian.address);
    });

    it("rejects non-patients, invalid guardians, rights and periods", async function () {
      const { careRegistry, accounts } = await networkHelpers.loadFixture(patientFixture);
      const { patient, guardian, stranger } = accounts;
      const now = BigInt(await time.latest());
      await expect(careRegistry.connect(stranger).setGuardian(guardian.address, 1, 0, now + 100n))
        .to.be.revertedWithCustomError(careRegistry, "RegistryNotPatient")
        .withArgs(stranger.address);
      await expect(careRegistry.connect(patient).setGuardian(ethers.ZeroAddress, 1, 0, now + 100n))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardian")
        .withArgs(patient.address, ethers.ZeroAddress);
      await expect(careRegistry.connect(patient).setGuardian(patient.address, 1, 0, now + 100n))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardian")
        .withArgs(patient.address, patient.address);
      for (const rights of [0, 8, 255]) {
        await expect(careRegistry.connect(patient).setGuardian(guardian.address, rights, 0, now + 100n))
          .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardianRights")
          .withArgs(rights);
      }
      // Empty period.
      await expect(careRegistry.connect(patient).setGuardian(guardian.address, 1, now + 100n, now + 100n))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardianPeriod")
        .withArgs(now + 100n, now + 100n, now + 1n);
      // Already over.
      await expect(careRegistry.connect(patient).setGuardian(guardian.address, 1, 0, now))
        .to.be.revertedWithCustomError(careRegistry, "RegistryInvalidGuardianPeriod")
        .withArgs(0, now, now + 1n);
    });
  });

  it("supports the IAccessControl interfaces", async function () {
    const { careRegistry } = await networkHelpers.loadFixture(coreFixture);
    // IAccessControl and IAccessControlDefaultAdminRules.
    expect(await careRegistry.supportsInterface("0x7965db0b")).to.equal(true);
    expect(await careRegistry.supportsInterface("0x31498786")).to.equal(true);
    expect(await careRegistry.supportsInterface("0xffffffff")).to.equal(false);
  });
});

function anyOf(...values: string[]) {
  return (value: string) => values.includes(value);
}
