/**
 * Issue 13, from the attacker's side: each test is an attack that worked on the earlier ClaimsSettlement
 * and must now fail (or, for the honest party, succeed).
 */
import { expect } from "chai";
import { network } from "hardhat";

import {
  ACCESS_READ,
  CATEGORY_DIAGNOSTICS,
  CATEGORY_ENCOUNTERS,
  ClaimStatus,
  CLASS_SURGERY,
  DAY,
  deployClaimsWorld,
  Eligibility,
  planTerms,
  PURPOSE_TREATMENT,
  RECORD_ENCOUNTER,
  RECORD_IMAGING,
  SEALED_REASON,
  USD,
} from "./fixture.js";
import { claimIdOf } from "../../sdk/src/protocol/claimIds.js";

const ACCESS_WRITE = 2;
const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;
const world = () => deployClaimsWorld({ ethers, networkHelpers });
const hex = (value: string) => value as `0x${string}`;

describe("ClaimsSettlement under attack (issue 13)", function () {
  describe("the patient's say", function () {
    it("a provider the patient never saw cannot be paid for a claim against her coverage", async function () {
      const { claims, otherProvider, insurer, request } = await loadFixture(world);
      await expect(claims.connect(otherProvider).submitClaim(await request(USD(300))))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoTreatmentConsent")
        .withArgs(RECORD_ENCOUNTER, otherProvider.address, CATEGORY_ENCOUNTERS);
      expect(await claims.creditOf(otherProvider.address, insurer.address)).to.equal(0n);
    });

    it("a provider the patient revoked cannot bill her any more", async function () {
      const { claims, consents, patient, provider, request } = await loadFixture(world);
      await claims.connect(provider).submitClaim(await request(USD(100)));
      await consents.setConsent(patient.address, provider.address, CATEGORY_DIAGNOSTICS, PURPOSE_TREATMENT, 0);
      await expect(claims.connect(provider).submitClaim(await request(USD(100))))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoTreatmentConsent")
        .withArgs(RECORD_IMAGING, provider.address, CATEGORY_DIAGNOSTICS);
    });

    it("a provider the patient lets write the category (e.g. a lab filing results) may claim for it", async function () {
      const { claims, consents, patient, otherProvider, request } = await loadFixture(world);
      await consents.setConsent(
        patient.address,
        otherProvider.address,
        CATEGORY_ENCOUNTERS,
        PURPOSE_TREATMENT,
        ACCESS_READ,
      );
      await consents.setConsent(
        patient.address,
        otherProvider.address,
        CATEGORY_DIAGNOSTICS,
        PURPOSE_TREATMENT,
        ACCESS_WRITE,
      );
      const req = await request(USD(100));
      await claims.connect(otherProvider).submitClaim(req);
      const claim = await claims.getClaim(claimIdOf(hex(otherProvider.address), hex(req.encounterCommitment)));
      expect(claim.status).to.equal(BigInt(ClaimStatus.Approved));
    });

    it("a provider the patient never saw cannot ask for a pre-authorisation on her coverage", async function () {
      const { claims, otherProvider, coverageId } = await loadFixture(world);
      await expect(
        claims.connect(otherProvider).requestPreAuth(coverageId, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER]),
      )
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoTreatmentConsent")
        .withArgs(RECORD_ENCOUNTER, otherProvider.address, CATEGORY_ENCOUNTERS);
    });
  });

  describe("claim ids", function () {
    it("a copied submitClaim from the mempool does not take the honest provider's claim", async function () {
      const { claims, consents, patient, provider, otherProvider, insurer, request } = await loadFixture(world);
      // Even a copier the patient also sees gets only its own id; the honest submission still succeeds.
      for (const category of [CATEGORY_ENCOUNTERS, CATEGORY_DIAGNOSTICS]) {
        await consents.setConsent(patient.address, otherProvider.address, category, PURPOSE_TREATMENT, ACCESS_READ);
      }
      const req = await request(USD(300));
      const honestId = claimIdOf(hex(provider.address), hex(req.encounterCommitment));
      const copyId = claimIdOf(hex(otherProvider.address), hex(req.encounterCommitment));
      await claims.connect(otherProvider).submitClaim(req);
      await expect(claims.connect(provider).submitClaim(req))
        .to.emit(claims, "ClaimSubmitted")
        .withArgs(
          honestId,
          patient.address,
          provider.address,
          req.coverageId,
          req.serviceClass,
          req.serviceDate,
          req.billed,
          req.encounterCommitment,
          req.claimCommitment,
          req.evidence,
          req.preAuthId,
        );
      expect(copyId).to.not.equal(honestId);
      expect(await claims.claimOfEncounter(provider.address, req.encounterCommitment)).to.equal(honestId);
      // The honest claim is the member's second of the year: the copy already met the deductible.
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(USD(240));
    });
  });

  describe("reserves", function () {
    it("an insurer cannot withdraw what an appealed claim may still be owed; closeClaim then pays", async function () {
      const { claims, registry, provider, insurer, request, INSURER_ROLE } = await loadFixture(world);
      const req = await request(USD(1_000));
      await claims.connect(provider).submitClaim(req);
      const claimId = claimIdOf(hex(provider.address), hex(req.encounterCommitment));
      await claims.connect(insurer).denyClaim(claimId, SEALED_REASON);
      await claims.connect(provider).appealClaim(claimId, ethers.id("letter"));
      expect(await claims.holdOf(claimId)).to.equal(USD(800));

      await registry.setCredentialed(INSURER_ROLE, insurer.address, false); // suspended: withdrawing still works
      await expect(claims.connect(insurer).withdrawPool(USD(10_000), insurer.address))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, USD(9_200), USD(10_000));
      await claims.connect(insurer).withdrawPool(USD(9_200), insurer.address);

      await time.increase(14 * DAY + 1);
      await expect(claims.closeClaim(claimId))
        .to.emit(claims, "ClaimPaid")
        .withArgs(claimId, provider.address, insurer.address, USD(720));
      await expect(claims.connect(provider).withdraw(insurer.address))
        .to.emit(claims, "PayoutWithdrawn")
        .withArgs(provider.address, insurer.address, USD(720));
      expect(await claims.getPool(insurer.address)).to.deep.equal([USD(80), 0n]);
    });
  });

  describe("split and double billing", function () {
    it("bills split into small claims stop being approved automatically past the plan's yearly cap", async function () {
      const { claims, insurer, provider, patient, request } = await loadFixture(world);
      await claims.connect(insurer).createPlan(planTerms({ autoApproveAnnualCap: USD(1_000) }));
      const now = await time.latest();
      await claims.connect(insurer).offerCoverage(patient.address, 2n, now - DAY, now + 300 * DAY);
      await claims.connect(patient).acceptCoverage(2n);
      const statuses = [];
      for (let i = 0; i < 3; i += 1) {
        const req = await request(USD(400), { coverageId: 2n });
        await claims.connect(provider).submitClaim(req);
        const id = claimIdOf(hex(provider.address), hex(req.encounterCommitment));
        statuses.push(Number((await claims.getClaim(id)).status));
      }
      expect(statuses).to.deep.equal([ClaimStatus.Approved, ClaimStatus.Approved, ClaimStatus.Pending]);
      expect((await claims.getUsage(2n, 0n)).autoApproved).to.equal(USD(800));
    });

    it("evidence listing the same record twice is refused", async function () {
      const { claims, provider, request } = await loadFixture(world);
      await expect(
        claims
          .connect(provider)
          .submitClaim(await request(USD(100), { evidence: [RECORD_ENCOUNTER, RECORD_ENCOUNTER] })),
      )
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNotAscending")
        .withArgs(RECORD_ENCOUNTER, RECORD_ENCOUNTER);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { evidence: [RECORD_IMAGING, RECORD_ENCOUNTER] })),
      )
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNotAscending")
        .withArgs(RECORD_IMAGING, RECORD_ENCOUNTER);
    });
  });

  describe("eligibility at the service date", function () {
    it("deactivating a plan does not void services already given", async function () {
      const { claims, provider, patient, insurer, request } = await loadFixture(world);
      const given = await request(USD(1_000)); // an hour ago
      await claims.connect(insurer).deactivatePlan(1n);
      await claims.connect(provider).submitClaim(given);
      const claimId = claimIdOf(hex(provider.address), hex(given.encounterCommitment));
      await claims.connect(insurer).denyClaim(claimId, SEALED_REASON);
      await expect(claims.connect(patient).appealClaim(claimId, ethers.id("appeal"))).to.emit(claims, "ClaimAppealed");
      await claims.connect(insurer).decideAppeal(claimId, true, USD(1_000));
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(USD(720));
    });

    it("a suspended insurer cannot deactivate a plan", async function () {
      const { claims, registry, insurer, INSURER_ROLE } = await loadFixture(world);
      await registry.setCredentialed(INSURER_ROLE, insurer.address, false);
      await expect(claims.connect(insurer).deactivatePlan(1n))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(INSURER_ROLE, insurer.address);
    });
  });

  describe("appeals", function () {
    it("a revoked provider cannot appeal; the patient still can", async function () {
      const { claims, registry, provider, patient, insurer, request, PROVIDER_ROLE } = await loadFixture(world);
      const req = await request(USD(1_000));
      await claims.connect(provider).submitClaim(req);
      const claimId = claimIdOf(hex(provider.address), hex(req.encounterCommitment));
      await claims.connect(insurer).denyClaim(claimId, SEALED_REASON);
      await registry.setCredentialed(PROVIDER_ROLE, provider.address, false);
      await expect(claims.connect(provider).appealClaim(claimId, ethers.id("letter")))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(PROVIDER_ROLE, provider.address);
      await expect(claims.connect(patient).appealClaim(claimId, ethers.id("mine"))).to.emit(claims, "ClaimAppealed");
    });
  });

  describe("timely filing", function () {
    it("a claim filed after the filing window is refused", async function () {
      const { claims, insurer, patient, provider, request } = await loadFixture(world);
      const now = await time.latest();
      await claims.connect(insurer).createPlan(planTerms());
      await claims.connect(insurer).offerCoverage(patient.address, 2n, now - 200 * DAY, now + 100 * DAY);
      await claims.connect(patient).acceptCoverage(2n);
      const serviceDate = now - 91 * DAY;
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { coverageId: 2n, serviceDate })))
        .to.be.revertedWithCustomError(claims, "ClaimFilingWindowClosed")
        .withArgs(serviceDate, serviceDate + 90 * DAY);
    });
  });

  describe("pre-authorisations", function () {
    it("cannot be requested on coverage the patient never accepted", async function () {
      const { claims, insurer, provider, patient } = await loadFixture(world);
      const now = await time.latest();
      await claims.connect(insurer).createPlan(planTerms());
      await claims.connect(insurer).offerCoverage(patient.address, 2n, now - DAY, now + 300 * DAY);
      await expect(claims.connect(provider).requestPreAuth(2n, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER]))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(2n, (await time.latest()) + 1, Eligibility.CoverageNotAccepted);
    });

    it("cannot cover a service dated before it was requested", async function () {
      const { claims, insurer, provider, coverageId, request } = await loadFixture(world);
      await claims.connect(provider).requestPreAuth(coverageId, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER]);
      const requestedAt = await time.latest();
      await claims.connect(insurer).approvePreAuth(1n, USD(400), requestedAt + 30 * DAY);
      const before = await request(USD(300), { serviceClass: CLASS_SURGERY, preAuthId: 1n });
      await expect(claims.connect(provider).submitClaim(before))
        .to.be.revertedWithCustomError(claims, "PreAuthServiceBeforeRequest")
        .withArgs(1n, requestedAt, before.serviceDate);
    });
  });
});
