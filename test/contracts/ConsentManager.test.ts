import { expect } from "chai";
import { TypedDataEncoder } from "ethers";
import { network } from "hardhat";

import {
  CONSENT_GRANT_TYPE,
  CONSENT_REVOCATION_TYPE,
  consentGrantTypes,
  consentManagerDomain,
  consentRevocationTypes,
  signConsentGrant,
  signConsentRevocation,
  type ConsentTerms,
} from "../helpers/consentTypedData.js";
import type { MockERC1271Wallet } from "../../types/ethers-contracts/index.js";
import {
  ACCESS_READ,
  ACCESS_WRITE,
  GUARDIAN_EMERGENCY,
  GUARDIAN_MANAGE_CONSENT,
  MAX_UINT64,
  Purpose,
  bytes32Of,
  deployCore,
  envelopesOf,
} from "../helpers/core.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time } = networkHelpers;

const YEAR = 365n * 86_400n;
const DAY = 86_400n;
const COOLING = DAY; // BREAK_GLASS_COOLING_PERIOD
const ENVELOPES = envelopesOf("test", 2);

async function consentFixture() {
  const core = await deployCore(connection);
  const { careRegistry, accounts, roles } = core;
  await careRegistry.connect(accounts.patient).registerPatient(bytes32Of("patient"));
  await careRegistry.connect(accounts.patient2).registerPatient(bytes32Of("patient2"));
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, accounts.provider.address);
  await careRegistry.grantCredential(roles.PROVIDER_ROLE, accounts.provider2.address);
  const now = BigInt(await time.latest());
  await careRegistry
    .connect(accounts.patient)
    .setGuardian(accounts.guardian.address, GUARDIAN_MANAGE_CONSENT, 0, now + YEAR);
  const terms: ConsentTerms = {
    grantee: accounts.provider.address,
    scope: 0b10011, // allergies, medications, observations
    purpose: Purpose.Treatment,
    access: ACCESS_READ,
    notBefore: 0n,
    expiresAt: now + YEAR,
  };
  return { ...core, terms };
}

describe("ConsentManager", function () {
  describe("EIP-712", function () {
    it("exposes typehashes equal to the keccak of their preimages", async function () {
      const { consentManager } = await networkHelpers.loadFixture(consentFixture);
      expect(await consentManager.CONSENT_GRANT_TYPEHASH()).to.equal(ethers.id(CONSENT_GRANT_TYPE));
      expect(await consentManager.CONSENT_REVOCATION_TYPEHASH()).to.equal(ethers.id(CONSENT_REVOCATION_TYPE));
      // The ethers schemas encode to the same type strings.
      expect(TypedDataEncoder.from(consentGrantTypes).encodeType("ConsentGrant")).to.equal(CONSENT_GRANT_TYPE);
      expect(TypedDataEncoder.from(consentRevocationTypes).encodeType("ConsentRevocation")).to.equal(
        CONSENT_REVOCATION_TYPE,
      );
    });

    it("uses the domain {CareLedger ConsentManager, 1, chainId, this}", async function () {
      const { consentManager, domain, chainId } = await networkHelpers.loadFixture(consentFixture);
      expect(await consentManager.DOMAIN_SEPARATOR()).to.equal(TypedDataEncoder.hashDomain(domain));
      const eip712 = await consentManager.eip712Domain();
      expect(eip712.name).to.equal("CareLedger ConsentManager");
      expect(eip712.version).to.equal("1");
      expect(eip712.chainId).to.equal(chainId);
      expect(eip712.verifyingContract).to.equal(await consentManager.getAddress());
    });
  });

  describe("grantConsent", function () {
    it("stores the grant, publishes the key envelopes and answers hasConsent", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      await expect(consentManager.connect(patient).grantConsent(terms, ENVELOPES))
        .to.emit(consentManager, "ConsentGranted")
        .withArgs(
          patient.address,
          provider.address,
          Purpose.Treatment,
          terms.scope,
          terms.access,
          terms.notBefore,
          terms.expiresAt,
          patient.address,
          patient.address,
          ENVELOPES,
        );
      const grant = await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment);
      expect(grant.scope).to.equal(terms.scope);
      expect(grant.access).to.equal(terms.access);
      expect(grant.revoked).to.equal(false);
      expect(grant.notBefore).to.equal(terms.notBefore);
      expect(grant.expiresAt).to.equal(terms.expiresAt);
      expect(grant.grantedAt).to.equal(BigInt(await time.latest()));

      const has = (category: number, purpose: number, access: number) =>
        consentManager.hasConsent(patient.address, provider.address, category, purpose, access);
      expect(await has(0, Purpose.Treatment, ACCESS_READ)).to.equal(true);
      expect(await has(1, Purpose.Treatment, ACCESS_READ)).to.equal(true);
      expect(await has(4, Purpose.Treatment, ACCESS_READ)).to.equal(true);
      expect(await has(2, Purpose.Treatment, ACCESS_READ)).to.equal(false); // out of scope
      expect(await has(0, Purpose.Treatment, ACCESS_WRITE)).to.equal(false); // access not covered
      expect(await has(0, Purpose.Treatment, ACCESS_READ | ACCESS_WRITE)).to.equal(false);
      expect(await has(0, Purpose.Claims, ACCESS_READ)).to.equal(false); // other purpose
      expect(await has(0, Purpose.Treatment, 0)).to.equal(false); // asks for nothing
      expect(await has(9, Purpose.Treatment, ACCESS_READ)).to.equal(false); // no such category
      expect(await has(255, Purpose.Treatment, ACCESS_READ)).to.equal(false);
      expect(
        await consentManager.hasConsent(accounts.patient2.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(false); // another patient
    });

    it("honours notBefore and expiresAt: not yet valid, live, expired", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      const now = BigInt(await time.latest());
      const window = { ...terms, notBefore: now + 100n, expiresAt: now + 200n };
      await consentManager.connect(patient).grantConsent(window, "0x");
      const has = () => consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ);
      expect(await has()).to.equal(false);
      await time.increaseTo(now + 100n);
      expect(await has()).to.equal(true);
      await time.increaseTo(now + 199n);
      expect(await has()).to.equal(true);
      await time.increaseTo(now + 200n);
      expect(await has()).to.equal(false);
    });

    it("replaces the earlier grant for the same grantee and purpose", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      await consentManager.connect(patient).grantConsent(terms, "0x");
      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      await consentManager.connect(patient).grantConsent({ ...terms, scope: 0b100, access: 3 }, "0x");
      const has = (category: number, access: number) =>
        consentManager.hasConsent(patient.address, provider.address, category, Purpose.Treatment, access);
      expect(await has(2, ACCESS_READ | ACCESS_WRITE)).to.equal(true);
      expect(await has(0, ACCESS_READ)).to.equal(false);
      expect((await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment)).revoked).to.equal(
        false,
      );
    });

    it("rejects invalid grantees, scopes, access bits and periods", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient } = accounts;
      const grant = (t: ConsentTerms) => consentManager.connect(patient).grantConsent(t, "0x");
      await expect(grant({ ...terms, grantee: ethers.ZeroAddress }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidGrantee")
        .withArgs(patient.address, ethers.ZeroAddress);
      await expect(grant({ ...terms, grantee: patient.address }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidGrantee")
        .withArgs(patient.address, patient.address);
      for (const scope of [0, 0x200, 0xffff]) {
        await expect(grant({ ...terms, scope }))
          .to.be.revertedWithCustomError(consentManager, "ConsentInvalidScope")
          .withArgs(scope);
      }
      for (const access of [0, 4, 7]) {
        await expect(grant({ ...terms, access }))
          .to.be.revertedWithCustomError(consentManager, "ConsentInvalidAccess")
          .withArgs(access);
      }
      const now = BigInt(await time.latest());
      await expect(grant({ ...terms, notBefore: now + 50n, expiresAt: now + 50n }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidPeriod")
        .withArgs(now + 50n, now + 50n, now + 1n);
      await expect(grant({ ...terms, notBefore: 0n, expiresAt: now + 1n }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidPeriod")
        .withArgs(0n, now + 1n, now + 1n);
    });
  });

  describe("revokeConsent", function () {
    it("revokes at once and is evented", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      await consentManager.connect(patient).grantConsent(terms, "0x");
      await expect(consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment))
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, patient.address, patient.address);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(false);
      expect((await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment)).revoked).to.equal(
        true,
      );
    });

    it("cancels in advance when there is no grant, and again when already revoked", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      await expect(consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment))
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, patient.address, patient.address);
      const cancelled = await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment);
      expect(cancelled.revoked).to.equal(true);
      expect(cancelled.grantedAt).to.equal(0n);
      expect(cancelled.revokedAt).to.equal(BigInt(await time.latest()));
      // Another patient's revocation touches only its own (missing) grant.
      await consentManager.connect(patient).grantConsent(terms, "0x");
      await consentManager.connect(accounts.stranger).revokeConsent(provider.address, Purpose.Treatment);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(true);
      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      const first = (await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment)).revokedAt;
      await expect(consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment)).to.emit(
        consentManager,
        "ConsentRevoked",
      );
      const again = await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment);
      expect(again.revokedAt).to.be.greaterThan(first);
      expect(again.scope).to.equal(terms.scope); // the revoked grant stays readable
    });
  });

  describe("guardians", function () {
    it("grant and revoke for the patient within GUARDIAN_MANAGE_CONSENT", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, guardian } = accounts;
      await expect(consentManager.connect(guardian).grantConsentFor(patient.address, terms, ENVELOPES))
        .to.emit(consentManager, "ConsentGranted")
        .withArgs(
          patient.address,
          provider.address,
          terms.purpose,
          terms.scope,
          terms.access,
          terms.notBefore,
          terms.expiresAt,
          guardian.address,
          guardian.address,
          ENVELOPES,
        );
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(true);
      await expect(
        consentManager.connect(guardian).revokeConsentFor(patient.address, provider.address, Purpose.Treatment),
      )
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, guardian.address, guardian.address);
    });

    it("rejects strangers, guardians outside their rights, before and after their period", async function () {
      const { consentManager, careRegistry, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, guardian, stranger } = accounts;
      const rejects = async (account: typeof stranger) => {
        await expect(consentManager.connect(account).grantConsentFor(patient.address, terms, "0x"))
          .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedGuardian")
          .withArgs(patient.address, account.address, GUARDIAN_MANAGE_CONSENT);
        await expect(
          consentManager.connect(account).revokeConsentFor(patient.address, provider.address, Purpose.Treatment),
        )
          .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedGuardian")
          .withArgs(patient.address, account.address, GUARDIAN_MANAGE_CONSENT);
      };
      await rejects(stranger);
      await rejects(provider);
      const now = BigInt(await time.latest());
      // Emergency rights only.
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_EMERGENCY, 0, now + YEAR);
      await rejects(guardian);
      // Not yet valid.
      await careRegistry
        .connect(patient)
        .setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, now + 100n, now + 200n);
      await rejects(guardian);
      // Expired.
      await time.increaseTo(now + 200n);
      await rejects(guardian);
      // Revoked.
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, 0, now + YEAR);
      await careRegistry.connect(patient).revokeGuardian(guardian.address);
      await rejects(guardian);
    });
  });

  describe("signed grants and revocations", function () {
    it("lets anyone submit the patient's signed grant, and uses the nonce", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, relayer } = accounts;
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signConsentGrant(patient, domain, terms, ENVELOPES, 0n, deadline);
      expect(await consentManager.nonces(patient.address)).to.equal(0n);
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(patient.address, terms, ENVELOPES, sig.issuedAt, 0n, deadline, sig.serialized),
      )
        .to.emit(consentManager, "ConsentGranted")
        .withArgs(
          patient.address,
          provider.address,
          terms.purpose,
          terms.scope,
          terms.access,
          terms.notBefore,
          terms.expiresAt,
          patient.address,
          relayer.address,
          ENVELOPES,
        );
      expect(await consentManager.nonces(patient.address)).to.equal(1n);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(true);
      // Replay.
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(patient.address, terms, ENVELOPES, sig.issuedAt, 0n, deadline, sig.serialized),
      )
        .to.be.revertedWithCustomError(consentManager, "InvalidAccountNonce")
        .withArgs(patient.address, 1n);
    });

    it("rejects an expired deadline", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const deadline = BigInt(await time.latest()) + 10n;
      const sig = await signConsentGrant(accounts.patient, domain, terms, "0x", 0n, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(
        consentManager.grantConsentBySig(
          accounts.patient.address,
          terms,
          "0x",
          sig.issuedAt,
          0n,
          deadline,
          sig.serialized,
        ),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentExpiredSignature")
        .withArgs(deadline);
    });

    it("rejects a signature for another chain, another contract, another signer or other terms", async function () {
      const { consentManager, accounts, terms, domain, chainId } = await networkHelpers.loadFixture(consentFixture);
      const { patient, stranger } = accounts;
      const deadline = BigInt(await time.latest()) + 3_600n;
      const issuedAt = BigInt(await time.latest());
      const submit = (sig: { serialized: string }, t = terms, envelopes = "0x") =>
        consentManager.grantConsentBySig(patient.address, t, envelopes, issuedAt, 0n, deadline, sig.serialized);

      const otherChain = consentManagerDomain(chainId + 1n, await consentManager.getAddress());
      const wrongChain = await signConsentGrant(patient, otherChain, terms, "0x", 0n, deadline, { issuedAt });
      await expect(submit(wrongChain))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature")
        .withArgs(patient.address, wrongChain.serialized);

      const otherContract = consentManagerDomain(chainId, accounts.stranger.address);
      const wrongContract = await signConsentGrant(patient, otherContract, terms, "0x", 0n, deadline, { issuedAt });
      await expect(submit(wrongContract)).to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature");

      // A stranger signs "as" the patient.
      const forged = await stranger.signTypedData(domain, consentGrantTypes, {
        patient: patient.address,
        ...terms,
        keyEnvelopes: "0x",
        issuedAt,
        nonce: 0n,
        deadline,
      });
      await expect(submit({ serialized: forged }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature")
        .withArgs(patient.address, forged);

      // The relayer widens the scope, swaps the envelopes or back-dates the signature.
      const good = await signConsentGrant(patient, domain, terms, "0x", 0n, deadline, { issuedAt });
      await expect(
        consentManager.grantConsentBySig(patient.address, terms, "0x", issuedAt - 1n, 0n, deadline, good.serialized),
      ).to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature");
      await expect(submit(good, { ...terms, scope: 0x1ff })).to.be.revertedWithCustomError(
        consentManager,
        "ConsentInvalidSignature",
      );
      await expect(submit(good, terms, "0x1234")).to.be.revertedWithCustomError(
        consentManager,
        "ConsentInvalidSignature",
      );
      // The untouched signature still works.
      await expect(submit(good)).to.emit(consentManager, "ConsentGranted");
    });

    it("rejects a nonce from the future and a malformed signature", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const sig = await signConsentGrant(accounts.patient, domain, terms, "0x", 5n, deadline);
      await expect(
        consentManager.grantConsentBySig(
          accounts.patient.address,
          terms,
          "0x",
          sig.issuedAt,
          5n,
          deadline,
          sig.serialized,
        ),
      )
        .to.be.revertedWithCustomError(consentManager, "InvalidAccountNonce")
        .withArgs(accounts.patient.address, 0n);
      await expect(
        consentManager.grantConsentBySig(accounts.patient.address, terms, "0x", sig.issuedAt, 0n, deadline, "0x1234"),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature")
        .withArgs(accounts.patient.address, "0x1234");
      // Signed "in the future": the relayer cannot post-date what the patient signed either.
      const now = BigInt(await time.latest());
      const future = await signConsentGrant(accounts.patient, domain, terms, "0x", 0n, deadline, {
        issuedAt: now + 1_000n,
      });
      await expect(
        consentManager.grantConsentBySig(
          accounts.patient.address,
          terms,
          "0x",
          now + 1_000n,
          0n,
          deadline,
          future.serialized,
        ),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentSignatureFromFuture")
        .withArgs(now + 1_000n, now + 1n);
    });

    it("validates signed terms like direct ones", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const deadline = BigInt(await time.latest()) + 3_600n;
      const bad = { ...terms, access: 0 };
      const sig = await signConsentGrant(accounts.patient, domain, bad, "0x", 0n, deadline);
      await expect(
        consentManager.grantConsentBySig(
          accounts.patient.address,
          bad,
          "0x",
          sig.issuedAt,
          0n,
          deadline,
          sig.serialized,
        ),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidAccess")
        .withArgs(0);
    });

    it("revokes with the patient's signature, sharing the grant nonces", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, relayer, stranger } = accounts;
      await consentManager.connect(patient).grantConsent(terms, "0x");
      const deadline = BigInt(await time.latest()) + 3_600n;
      const revoke = (sig: { serialized: string }, nonce = 0n, d = deadline) =>
        consentManager
          .connect(relayer)
          .revokeConsentBySig(patient.address, provider.address, Purpose.Treatment, nonce, d, sig.serialized);

      const forged = await signConsentRevocation(stranger, domain, provider.address, Purpose.Treatment, 0n, deadline);
      await expect(revoke(forged)).to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature");
      // Signed by `stranger` for its own address, submitted for the patient.
      const own = await stranger.signTypedData(domain, consentRevocationTypes, {
        patient: patient.address,
        grantee: provider.address,
        purpose: Purpose.Treatment,
        nonce: 0n,
        deadline,
      });
      await expect(revoke({ serialized: own }))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature")
        .withArgs(patient.address, own);

      const sig = await signConsentRevocation(patient, domain, provider.address, Purpose.Treatment, 0n, deadline);
      await expect(revoke(sig))
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, patient.address, relayer.address);
      expect(await consentManager.nonces(patient.address)).to.equal(1n);
      await expect(revoke(sig))
        .to.be.revertedWithCustomError(consentManager, "InvalidAccountNonce")
        .withArgs(patient.address, 1n);

      const late = await signConsentRevocation(patient, domain, provider.address, Purpose.Treatment, 1n, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(revoke(late, 1n))
        .to.be.revertedWithCustomError(consentManager, "ConsentExpiredSignature")
        .withArgs(deadline);
    });
  });

  describe("consentScope", function () {
    it("is every category hasConsent allows, in one call: live grant, access bits, break-glass", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, provider2 } = accounts;
      const scopeOf = (grantee: string, purpose: number, access: number) =>
        consentManager.consentScope(patient.address, grantee, purpose, access);
      expect(await scopeOf(provider.address, Purpose.Treatment, ACCESS_READ)).to.equal(0n);

      await consentManager.connect(patient).grantConsent(terms, ENVELOPES);
      expect(await scopeOf(provider.address, Purpose.Treatment, ACCESS_READ)).to.equal(0b10011n);
      expect(await scopeOf(provider.address, Purpose.Treatment, ACCESS_READ | ACCESS_WRITE)).to.equal(0n);
      expect(await scopeOf(provider.address, Purpose.Treatment, 0)).to.equal(0n);
      expect(await scopeOf(provider.address, Purpose.Claims, ACCESS_READ)).to.equal(0n);

      // Break-glass adds the emergency scope (allergies .. immunisations) for Emergency reads only.
      await consentManager
        .connect(patient)
        .grantConsent({ ...terms, grantee: provider2.address, purpose: Purpose.Emergency, scope: 0b1_0000_0001 }, "0x");
      await consentManager.connect(provider2).openBreakGlass(patient.address, 1, 3_600n);
      expect(await scopeOf(provider2.address, Purpose.Emergency, ACCESS_READ)).to.equal(0b1_0000_1111n);
      expect(await scopeOf(provider2.address, Purpose.Emergency, ACCESS_WRITE)).to.equal(0n);
      expect(await scopeOf(provider2.address, Purpose.Treatment, ACCESS_READ)).to.equal(0n);

      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      expect(await scopeOf(provider.address, Purpose.Treatment, ACCESS_READ)).to.equal(0n);
    });
  });

  describe("break-glass", function () {
    const REASON_UNCONSCIOUS = 1;
    const FOUR_HOURS = 4n * 3_600n;

    it("opens emergency read access to the emergency scope only, until it expires", async function () {
      const { consentManager, accounts } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      const openedAt = BigInt(await time.latest()) + 1n;
      await expect(consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS))
        .to.emit(consentManager, "BreakGlassOpened")
        .withArgs(patient.address, provider.address, REASON_UNCONSCIOUS, openedAt + FOUR_HOURS);
      const breakGlass = await consentManager.breakGlassOf(patient.address, provider.address);
      expect(breakGlass.openedAt).to.equal(openedAt);
      expect(breakGlass.expiresAt).to.equal(openedAt + FOUR_HOURS);
      expect(breakGlass.reasonCode).to.equal(REASON_UNCONSCIOUS);
      expect(await consentManager.isBreakGlassOpen(patient.address, provider.address)).to.equal(true);

      const has = (category: number, purpose: number, access: number) =>
        consentManager.hasConsent(patient.address, provider.address, category, purpose, access);
      for (const category of [0, 1, 2, 3]) expect(await has(category, Purpose.Emergency, ACCESS_READ)).to.equal(true);
      expect(await has(4, Purpose.Emergency, ACCESS_READ)).to.equal(false);
      expect(await has(0, Purpose.Emergency, ACCESS_WRITE)).to.equal(false);
      expect(await has(0, Purpose.Emergency, ACCESS_READ | ACCESS_WRITE)).to.equal(false);
      expect(await has(0, Purpose.Treatment, ACCESS_READ)).to.equal(false);
      expect(
        await consentManager.hasConsent(patient.address, accounts.provider2.address, 0, Purpose.Emergency, ACCESS_READ),
      ).to.equal(false);

      await time.increaseTo(openedAt + FOUR_HOURS);
      expect(await has(0, Purpose.Emergency, ACCESS_READ)).to.equal(false);
      expect(await consentManager.isBreakGlassOpen(patient.address, provider.address)).to.equal(false);
      // Once expired, it can be opened again (and is evented again).
      await expect(
        consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS),
      ).to.emit(consentManager, "BreakGlassOpened");
    });

    it("stops working as soon as the provider's credential is suspended", async function () {
      const { consentManager, careRegistry, accounts, roles } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      await consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS);
      await careRegistry.suspendCredential(roles.PROVIDER_ROLE, provider.address);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Emergency, ACCESS_READ),
      ).to.equal(false);
      expect(await consentManager.isBreakGlassOpen(patient.address, provider.address)).to.equal(false);
    });

    it("rejects uncredentialed, suspended and revoked providers, unknown patients, opt-outs and bad parameters", async function () {
      const { consentManager, careRegistry, accounts, roles } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, provider2, stranger } = accounts;
      const open = (
        who: typeof provider,
        target = patient.address,
        reason = REASON_UNCONSCIOUS,
        duration = FOUR_HOURS,
      ) => consentManager.connect(who).openBreakGlass(target, reason, duration);
      await expect(open(stranger))
        .to.be.revertedWithCustomError(consentManager, "ConsentProviderNotCredentialed")
        .withArgs(stranger.address);
      await careRegistry.suspendCredential(roles.PROVIDER_ROLE, provider2.address);
      await expect(open(provider2))
        .to.be.revertedWithCustomError(consentManager, "ConsentProviderNotCredentialed")
        .withArgs(provider2.address);
      await careRegistry.revokeCredential(roles.PROVIDER_ROLE, provider2.address);
      await expect(open(provider2))
        .to.be.revertedWithCustomError(consentManager, "ConsentProviderNotCredentialed")
        .withArgs(provider2.address);
      await expect(open(provider, stranger.address))
        .to.be.revertedWithCustomError(consentManager, "ConsentPatientNotRegistered")
        .withArgs(stranger.address);
      await expect(open(provider, patient.address, 0)).to.be.revertedWithCustomError(
        consentManager,
        "ConsentBreakGlassReasonRequired",
      );
      const max = await consentManager.MAX_BREAK_GLASS_DURATION();
      expect(max).to.equal(86_400n);
      for (const duration of [0n, max + 1n]) {
        await expect(open(provider, patient.address, REASON_UNCONSCIOUS, duration))
          .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassInvalidDuration")
          .withArgs(duration, max);
      }
      await open(provider, patient.address, REASON_UNCONSCIOUS, max);
      const { expiresAt } = await consentManager.breakGlassOf(patient.address, provider.address);
      await expect(open(provider))
        .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassAlreadyOpen")
        .withArgs(patient.address, provider.address, expiresAt);

      await expect(consentManager.connect(accounts.patient2).setBreakGlassOptOut(true))
        .to.emit(consentManager, "BreakGlassOptOutUpdated")
        .withArgs(accounts.patient2.address, true, accounts.patient2.address);
      expect(await consentManager.breakGlassOptedOut(accounts.patient2.address)).to.equal(true);
      await expect(open(provider, accounts.patient2.address))
        .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassOptedOut")
        .withArgs(accounts.patient2.address);
      await consentManager.connect(accounts.patient2).setBreakGlassOptOut(false);
      await expect(open(provider, accounts.patient2.address)).to.emit(consentManager, "BreakGlassOpened");
    });

    it("is closed early by the provider, the patient or an emergency guardian, and by no one else", async function () {
      const { consentManager, careRegistry, accounts } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, provider2, guardian, stranger } = accounts;
      const now = BigInt(await time.latest());
      await consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS);

      // `guardian` holds GUARDIAN_MANAGE_CONSENT only.
      for (const who of [stranger, guardian, provider2]) {
        await expect(consentManager.connect(who).closeBreakGlass(patient.address, provider.address))
          .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedBreakGlassCloser")
          .withArgs(patient.address, provider.address, who.address);
      }
      await expect(consentManager.connect(provider).closeBreakGlass(patient.address, provider.address))
        .to.emit(consentManager, "BreakGlassClosed")
        .withArgs(patient.address, provider.address, provider.address, BigInt(await time.latest()) + 1n);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Emergency, ACCESS_READ),
      ).to.equal(false);
      await expect(consentManager.connect(provider).closeBreakGlass(patient.address, provider.address))
        .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassNotOpen")
        .withArgs(patient.address, provider.address);

      await consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS);
      await expect(consentManager.connect(patient).closeBreakGlass(patient.address, provider.address))
        .to.emit(consentManager, "BreakGlassClosed")
        .withArgs(patient.address, provider.address, patient.address, BigInt(await time.latest()) + 1n + COOLING);

      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_EMERGENCY, 0, now + YEAR);
      await time.increase(COOLING);
      await consentManager.connect(provider).openBreakGlass(patient.address, REASON_UNCONSCIOUS, FOUR_HOURS);
      await expect(consentManager.connect(guardian).closeBreakGlass(patient.address, provider.address))
        .to.emit(consentManager, "BreakGlassClosed")
        .withArgs(patient.address, provider.address, guardian.address, BigInt(await time.latest()) + 1n + COOLING);
    });

    it("lets an emergency guardian set the opt-out, and no one else", async function () {
      const { consentManager, careRegistry, accounts } = await networkHelpers.loadFixture(consentFixture);
      const { patient, guardian, stranger } = accounts;
      await expect(consentManager.connect(guardian).setBreakGlassOptOutFor(patient.address, true))
        .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedGuardian")
        .withArgs(patient.address, guardian.address, GUARDIAN_EMERGENCY);
      await expect(consentManager.connect(stranger).setBreakGlassOptOutFor(patient.address, true))
        .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedGuardian")
        .withArgs(patient.address, stranger.address, GUARDIAN_EMERGENCY);
      const now = BigInt(await time.latest());
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_EMERGENCY, 0, now + YEAR);
      await expect(consentManager.connect(guardian).setBreakGlassOptOutFor(patient.address, true))
        .to.emit(consentManager, "BreakGlassOptOutUpdated")
        .withArgs(patient.address, true, guardian.address);
      expect(await consentManager.breakGlassOptedOut(patient.address)).to.equal(true);
    });

    it("keeps a live grant for the Emergency purpose independent of break-glass", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, guardian } = accounts;
      // A patient pre-shares the emergency scope with a trusted contact (not a provider).
      await consentManager.connect(patient).grantConsent(
        {
          ...terms,
          grantee: guardian.address,
          purpose: Purpose.Emergency,
          scope: 0b1111,
        },
        ENVELOPES,
      );
      expect(
        await consentManager.hasConsent(patient.address, guardian.address, 3, Purpose.Emergency, ACCESS_READ),
      ).to.equal(true);
      expect(
        await consentManager.hasConsent(patient.address, guardian.address, 4, Purpose.Emergency, ACCESS_READ),
      ).to.equal(false);
      expect(MAX_UINT64).to.be.greaterThan(0n);
    });
  });

  describe("under attack (issue 13)", function () {
    it("a relayer holding a signed grant cannot submit it after the patient invalidated its nonces", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, relayer } = accounts;
      const deadline = BigInt(await time.latest()) + DAY;
      // The patient signs two grants; the relayer holds both back.
      const first = await signConsentGrant(patient, domain, terms, ENVELOPES, 0n, deadline);
      const second = await signConsentGrant(
        patient,
        domain,
        { ...terms, purpose: Purpose.Claims },
        ENVELOPES,
        1n,
        deadline,
      );
      await expect(consentManager.connect(patient).invalidateNonces(2n))
        .to.emit(consentManager, "NoncesInvalidated")
        .withArgs(patient.address, 0n, 2n, patient.address);
      expect(await consentManager.nonces(patient.address)).to.equal(2n);
      for (const [sig, t, nonce] of [
        [first, terms, 0n],
        [second, { ...terms, purpose: Purpose.Claims }, 1n],
      ] as const) {
        await expect(
          consentManager
            .connect(relayer)
            .grantConsentBySig(patient.address, t, ENVELOPES, sig.issuedAt, nonce, deadline, sig.serialized),
        )
          .to.be.revertedWithCustomError(consentManager, "InvalidAccountNonce")
          .withArgs(patient.address, 2n);
      }
      expect(await consentManager.consentScope(patient.address, provider.address, Purpose.Treatment, 1)).to.equal(0);
    });

    it("a nonce invalidation only moves forward, within MAX_NONCE_INVALIDATION, and a guardian may do it", async function () {
      const { consentManager, accounts } = await networkHelpers.loadFixture(consentFixture);
      const { patient, guardian, stranger } = accounts;
      const max = await consentManager.MAX_NONCE_INVALIDATION();
      await expect(consentManager.connect(patient).invalidateNonces(0n))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidNonceInvalidation")
        .withArgs(patient.address, 0n, 0n);
      await expect(consentManager.connect(patient).invalidateNonces(max + 1n))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidNonceInvalidation")
        .withArgs(patient.address, 0n, max + 1n);
      await consentManager.connect(patient).invalidateNonces(max);
      await expect(consentManager.connect(stranger).invalidateNoncesFor(patient.address, max + 1n))
        .to.be.revertedWithCustomError(consentManager, "ConsentUnauthorizedGuardian")
        .withArgs(patient.address, stranger.address, GUARDIAN_MANAGE_CONSENT);
      await expect(consentManager.connect(guardian).invalidateNoncesFor(patient.address, max + 5n))
        .to.emit(consentManager, "NoncesInvalidated")
        .withArgs(patient.address, max, max + 5n, guardian.address);
      await expect(consentManager.connect(guardian).invalidateNoncesFor(patient.address, max + 5n))
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidNonceInvalidation")
        .withArgs(patient.address, max + 5n, max + 5n);
    });

    it("a relayer holding a signed grant cannot submit it after the patient cancelled it in advance", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, relayer } = accounts;
      const deadline = BigInt(await time.latest()) + DAY;
      const sig = await signConsentGrant(patient, domain, terms, ENVELOPES, 0n, deadline);
      // No grant exists yet: the revocation is a cancellation, recorded and evented.
      await expect(consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment))
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, patient.address, patient.address);
      const revokedAt = BigInt(await time.latest());
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(patient.address, terms, ENVELOPES, sig.issuedAt, 0n, deadline, sig.serialized),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentSignatureRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, sig.issuedAt, revokedAt);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(false);
    });

    it("a stale signature does not re-open access after a direct revocation, nor after a later grant", async function () {
      const { consentManager, accounts, terms, domain } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, relayer } = accounts;
      const deadline = BigInt(await time.latest()) + DAY;
      // Two signatures for the same triple; the relayer submits the first and keeps the second.
      const used = await signConsentGrant(patient, domain, terms, ENVELOPES, 0n, deadline);
      const kept = await signConsentGrant(
        patient,
        domain,
        { ...terms, access: ACCESS_READ | ACCESS_WRITE },
        ENVELOPES,
        1n,
        deadline,
      );
      await consentManager
        .connect(relayer)
        .grantConsentBySig(patient.address, terms, ENVELOPES, used.issuedAt, 0n, deadline, used.serialized);
      await consentManager.connect(patient).revokeConsent(provider.address, Purpose.Treatment);
      const revokedAt = BigInt(await time.latest());
      const submitKept = () =>
        consentManager
          .connect(relayer)
          .grantConsentBySig(
            patient.address,
            { ...terms, access: ACCESS_READ | ACCESS_WRITE },
            ENVELOPES,
            kept.issuedAt,
            1n,
            deadline,
            kept.serialized,
          );
      await expect(submitKept())
        .to.be.revertedWithCustomError(consentManager, "ConsentSignatureRevoked")
        .withArgs(patient.address, provider.address, Purpose.Treatment, kept.issuedAt, revokedAt);
      // A new direct grant does not revive signatures older than the revocation.
      await consentManager.connect(patient).grantConsent(terms, "0x");
      await expect(submitKept()).to.be.revertedWithCustomError(consentManager, "ConsentSignatureRevoked");
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_WRITE),
      ).to.equal(false);
      // A signature issued after the revocation is the patient's new will, and applies.
      const fresh = await signConsentGrant(patient, domain, terms, ENVELOPES, 1n, deadline);
      expect(fresh.issuedAt).to.be.greaterThan(revokedAt);
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(patient.address, terms, ENVELOPES, fresh.issuedAt, 1n, deadline, fresh.serialized),
      ).to.emit(consentManager, "ConsentGranted");
    });

    it("a guardian cannot grant itself", async function () {
      const { consentManager, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, guardian } = accounts;
      await expect(
        consentManager
          .connect(guardian)
          .grantConsentFor(patient.address, { ...terms, grantee: guardian.address }, "0x"),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentGuardianSelfGrant")
        .withArgs(patient.address, guardian.address);
    });

    it("a guardian cannot grant beyond its guardianship", async function () {
      const { consentManager, careRegistry, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, guardian } = accounts;
      const until = (await careRegistry.guardianOf(patient.address, guardian.address)).validUntil;
      await expect(
        consentManager.connect(guardian).grantConsentFor(patient.address, { ...terms, expiresAt: MAX_UINT64 }, "0x"),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentGuardianGrantOutlivesGuardianship")
        .withArgs(MAX_UINT64, until);
      await expect(
        consentManager.connect(guardian).grantConsentFor(patient.address, { ...terms, expiresAt: until }, "0x"),
      ).to.emit(consentManager, "ConsentGranted");
    });

    it("a guardian's grant ends with the guardianship: revoked, or rights withdrawn", async function () {
      const { consentManager, careRegistry, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, guardian } = accounts;
      const until = (await careRegistry.guardianOf(patient.address, guardian.address)).validUntil;
      const write = { ...terms, access: ACCESS_READ | ACCESS_WRITE, expiresAt: until };
      await consentManager.connect(guardian).grantConsentFor(patient.address, write, "0x");
      const grant = await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment);
      expect(grant.guardian).to.equal(guardian.address);
      const reads = () =>
        consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ);
      const scope = () =>
        consentManager.consentScope(patient.address, provider.address, Purpose.Treatment, ACCESS_WRITE);
      expect(await reads()).to.equal(true);
      expect(await scope()).to.equal(terms.scope);

      await careRegistry.connect(patient).revokeGuardian(guardian.address);
      expect(await reads()).to.equal(false);
      expect(await scope()).to.equal(0);

      // Re-named with emergency rights only: still no consent rights, so the grant stays dead.
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_EMERGENCY, 0, until);
      expect(await reads()).to.equal(false);
      // The patient's own grant for the same triple no longer depends on any guardian.
      await consentManager.connect(patient).grantConsent(terms, "0x");
      expect(await reads()).to.equal(true);
      expect((await consentManager.consentOf(patient.address, provider.address, Purpose.Treatment)).guardian).to.equal(
        ethers.ZeroAddress,
      );
    });

    it("a guardian's grant ends when the guardianship period ends", async function () {
      const { consentManager, careRegistry, accounts, terms } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider, guardian } = accounts;
      const now = BigInt(await time.latest());
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, 0, now + 100n);
      await consentManager
        .connect(guardian)
        .grantConsentFor(patient.address, { ...terms, expiresAt: now + 100n }, "0x");
      // The patient shortens the guardianship: the grant ends with it.
      await careRegistry.connect(patient).setGuardian(guardian.address, GUARDIAN_MANAGE_CONSENT, 0, now + 50n);
      await time.increaseTo(now + 50n);
      expect(
        await consentManager.hasConsent(patient.address, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(false);
    });

    it("a provider cannot reopen break-glass right after the patient closed it", async function () {
      const { consentManager, accounts } = await networkHelpers.loadFixture(consentFixture);
      const { patient, provider } = accounts;
      expect(await consentManager.BREAK_GLASS_COOLING_PERIOD()).to.equal(COOLING);
      await consentManager.connect(provider).openBreakGlass(patient.address, 1, 3_600n);
      await consentManager.connect(patient).closeBreakGlass(patient.address, provider.address);
      const reopensAt = BigInt(await time.latest()) + COOLING;
      // The patient sees until when.
      expect(await consentManager.breakGlassReopensAt(patient.address, provider.address)).to.equal(reopensAt);
      expect((await consentManager.breakGlassOf(patient.address, provider.address)).reopensAt).to.equal(reopensAt);
      await expect(consentManager.connect(provider).openBreakGlass(patient.address, 1, 3_600n))
        .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassCoolingDown")
        .withArgs(patient.address, provider.address, reopensAt);
      await time.setNextBlockTimestamp(reopensAt - 1n);
      await expect(consentManager.connect(provider).openBreakGlass(patient.address, 1, 3_600n))
        .to.be.revertedWithCustomError(consentManager, "ConsentBreakGlassCoolingDown")
        .withArgs(patient.address, provider.address, reopensAt);
      await time.setNextBlockTimestamp(reopensAt);
      await expect(consentManager.connect(provider).openBreakGlass(patient.address, 1, 3_600n)).to.emit(
        consentManager,
        "BreakGlassOpened",
      );
      // Another provider was never closed on, and is not held back.
      await expect(consentManager.connect(accounts.provider2).openBreakGlass(patient.address, 1, 3_600n)).to.emit(
        consentManager,
        "BreakGlassOpened",
      );
    });

    it("an ERC-1271 wallet patient signs a grant and a revocation; a wrong signer is refused", async function () {
      const { consentManager, careRegistry, accounts, terms, domain } =
        await networkHelpers.loadFixture(consentFixture);
      const { provider, relayer, stranger, insurer: owner } = accounts;
      const wallet = (await ethers.deployContract("MockERC1271Wallet", [
        owner.address,
      ])) as unknown as MockERC1271Wallet;
      const walletAddress = await wallet.getAddress();
      await wallet
        .connect(owner)
        .execute(
          await careRegistry.getAddress(),
          careRegistry.interface.encodeFunctionData("registerPatient", [bytes32Of("wallet")]),
        );
      expect(await careRegistry.isPatient(walletAddress)).to.equal(true);
      const deadline = BigInt(await time.latest()) + DAY;
      const grantBy = (signer: typeof owner) =>
        signConsentGrant(signer, domain, terms, ENVELOPES, 0n, deadline, { patient: walletAddress });

      const wrong = await grantBy(stranger);
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(walletAddress, terms, ENVELOPES, wrong.issuedAt, 0n, deadline, wrong.serialized),
      )
        .to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature")
        .withArgs(walletAddress, wrong.serialized);

      const good = await grantBy(owner);
      await expect(
        consentManager
          .connect(relayer)
          .grantConsentBySig(walletAddress, terms, ENVELOPES, good.issuedAt, 0n, deadline, good.serialized),
      )
        .to.emit(consentManager, "ConsentGranted")
        .withArgs(
          walletAddress,
          provider.address,
          terms.purpose,
          terms.scope,
          terms.access,
          terms.notBefore,
          terms.expiresAt,
          walletAddress,
          relayer.address,
          ENVELOPES,
        );
      expect(
        await consentManager.hasConsent(walletAddress, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(true);

      const revokeBy = (signer: typeof owner) =>
        signConsentRevocation(signer, domain, provider.address, Purpose.Treatment, 1n, deadline, {
          patient: walletAddress,
        });
      const wrongRevocation = await revokeBy(stranger);
      await expect(
        consentManager
          .connect(relayer)
          .revokeConsentBySig(
            walletAddress,
            provider.address,
            Purpose.Treatment,
            1n,
            deadline,
            wrongRevocation.serialized,
          ),
      ).to.be.revertedWithCustomError(consentManager, "ConsentInvalidSignature");
      const revocation = await revokeBy(owner);
      await expect(
        consentManager
          .connect(relayer)
          .revokeConsentBySig(walletAddress, provider.address, Purpose.Treatment, 1n, deadline, revocation.serialized),
      )
        .to.emit(consentManager, "ConsentRevoked")
        .withArgs(walletAddress, provider.address, Purpose.Treatment, walletAddress, relayer.address);
      expect(
        await consentManager.hasConsent(walletAddress, provider.address, 0, Purpose.Treatment, ACCESS_READ),
      ).to.equal(false);
      // Only the owner drives the wallet.
      await expect(wallet.connect(stranger).execute(walletAddress, "0x"))
        .to.be.revertedWithCustomError(wallet, "MockWalletUnauthorized")
        .withArgs(stranger.address);
      // A failing call through the wallet bubbles its error up.
      await expect(
        wallet
          .connect(owner)
          .execute(
            await careRegistry.getAddress(),
            careRegistry.interface.encodeFunctionData("registerPatient", [bytes32Of("again")]),
          ),
      ).to.be.revertedWithCustomError(careRegistry, "RegistryPatientAlreadyRegistered");
    });
  });
});
