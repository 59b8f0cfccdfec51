import { expect } from "chai";
import { network } from "hardhat";

import {
  ClaimStatus,
  CLASS_OUTPATIENT,
  CLASS_SURGERY,
  CoverageStatus,
  DAY,
  deployClaimsWorld,
  Eligibility,
  GUARDIAN_EMERGENCY,
  GUARDIAN_MANAGE_CONSENT,
  planTerms,
  PreAuthStatus,
  PURPOSE_CLAIMS,
  PURPOSE_TREATMENT,
  CATEGORY_DIAGNOSTICS,
  CATEGORY_ENCOUNTERS,
  RECORD_ENCOUNTER,
  RECORD_IMAGING,
  RECORD_NO_CONSENT,
  RECORD_OTHER_PATIENT,
  SEALED_REASON,
  USD,
} from "./fixture.js";
import { claimIdOf } from "../../sdk/src/protocol/claimIds.js";

const { ethers, networkHelpers } = await network.create();
const { time, loadFixture } = networkHelpers;

const world = () => deployClaimsWorld({ ethers, networkHelpers });
const UINT80_MAX = (1n << 80n) - 1n;

describe("ClaimsSettlement", function () {
  describe("plans", function () {
    it("a credentialed insurer creates a plan", async function () {
      const { claims, insurer } = await loadFixture(world);
      await expect(claims.connect(insurer).createPlan(planTerms()))
        .to.emit(claims, "PlanCreated")
        .withArgs(2n, insurer.address, Object.values(planTerms()));
      const plan = await claims.getPlan(2n);
      expect(plan.insurer).to.equal(insurer.address);
      expect(plan.coverageBps).to.equal(8_000n);
      expect(plan.deactivatedAt).to.equal(0n);
    });

    it("rejects a caller without an insurer credential", async function () {
      const { claims, provider, INSURER_ROLE } = await loadFixture(world);
      await expect(claims.connect(provider).createPlan(planTerms()))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(INSURER_ROLE, provider.address);
    });

    it("rejects invalid terms", async function () {
      const { claims, insurer } = await loadFixture(world);
      await expect(claims.connect(insurer).createPlan(planTerms({ coverageBps: 10_001 })))
        .to.be.revertedWithCustomError(claims, "PlanInvalidTerms")
        .withArgs(10_001, 14 * DAY, 30 * DAY, 90 * DAY);
      await expect(claims.connect(insurer).createPlan(planTerms({ reviewWindow: 0 })))
        .to.be.revertedWithCustomError(claims, "PlanInvalidTerms")
        .withArgs(8_000, 0, 30 * DAY, 90 * DAY);
      await expect(claims.connect(insurer).createPlan(planTerms({ filingWindow: 0 })))
        .to.be.revertedWithCustomError(claims, "PlanInvalidTerms")
        .withArgs(8_000, 14 * DAY, 30 * DAY, 0);
    });

    it("the insurer deactivates its plan; no new coverage, no cover for services from then on", async function () {
      const { claims, insurer, otherInsurer, otherPatient, planId, coverageId, request, provider, t0 } =
        await loadFixture(world);
      await expect(claims.connect(otherInsurer).deactivatePlan(planId))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, otherInsurer.address);
      await expect(claims.connect(insurer).deactivatePlan(planId))
        .to.emit(claims, "PlanDeactivated")
        .withArgs(planId, (await time.latest()) + 1);
      await expect(claims.connect(insurer).deactivatePlan(planId))
        .to.be.revertedWithCustomError(claims, "PlanInactive")
        .withArgs(planId);
      await expect(claims.connect(insurer).offerCoverage(otherPatient.address, planId, t0, t0 + DAY))
        .to.be.revertedWithCustomError(claims, "PlanInactive")
        .withArgs(planId);
      const req = await request(USD(100), { serviceDate: await time.latest() });
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(coverageId, req.serviceDate, Eligibility.PlanInactive);
      await expect(claims.connect(insurer).deactivatePlan(99n))
        .to.be.revertedWithCustomError(claims, "PlanUnknown")
        .withArgs(99n);
    });
  });

  describe("coverage and eligibility", function () {
    it("the insurer offers, the patient accepts", async function () {
      const { claims, insurer, otherPatient, planId, t0 } = await loadFixture(world);
      await expect(claims.connect(insurer).offerCoverage(otherPatient.address, planId, t0, t0 + 365 * DAY))
        .to.emit(claims, "CoverageOffered")
        .withArgs(2n, planId, otherPatient.address, t0, t0 + 365 * DAY);
      expect(await claims.checkEligibility(otherPatient.address, planId, t0)).to.deep.equal([
        BigInt(Eligibility.CoverageNotAccepted),
        2n,
      ]);
      await expect(claims.connect(otherPatient).acceptCoverage(2n))
        .to.emit(claims, "CoverageAccepted")
        .withArgs(2n, otherPatient.address, otherPatient.address);
      expect((await claims.getCoverage(2n)).status).to.equal(BigInt(CoverageStatus.Accepted));
      expect((await claims.checkEligibility(otherPatient.address, planId, t0))[0]).to.equal(
        BigInt(Eligibility.Eligible),
      );
    });

    it("a guardian with the manage-consent right accepts for the patient; others cannot", async function () {
      const { claims, registry, insurer, otherPatient, guardian, stranger, planId, t0 } = await loadFixture(world);
      await claims.connect(insurer).offerCoverage(otherPatient.address, planId, t0, t0 + 365 * DAY);
      await registry.setGuardian(otherPatient.address, guardian.address, GUARDIAN_EMERGENCY);
      await expect(claims.connect(guardian).acceptCoverage(2n))
        .to.be.revertedWithCustomError(claims, "CoverageUnauthorizedAcceptor")
        .withArgs(2n, guardian.address);
      await expect(claims.connect(stranger).acceptCoverage(2n))
        .to.be.revertedWithCustomError(claims, "CoverageUnauthorizedAcceptor")
        .withArgs(2n, stranger.address);
      await registry.setGuardian(otherPatient.address, guardian.address, GUARDIAN_MANAGE_CONSENT);
      await expect(claims.connect(guardian).acceptCoverage(2n))
        .to.emit(claims, "CoverageAccepted")
        .withArgs(2n, otherPatient.address, guardian.address);
      await expect(claims.connect(otherPatient).acceptCoverage(2n))
        .to.be.revertedWithCustomError(claims, "CoverageInvalidStatus")
        .withArgs(2n, CoverageStatus.Accepted);
      await expect(claims.connect(otherPatient).acceptCoverage(9n))
        .to.be.revertedWithCustomError(claims, "CoverageUnknown")
        .withArgs(9n);
    });

    it("after an account recovery the new address accepts the coverage and appeals; the old address cannot", async function () {
      const { claims, registry, insurer, otherPatient, stranger, planId, t0 } = await loadFixture(world);
      await claims.connect(insurer).offerCoverage(otherPatient.address, planId, t0, t0 + 365 * DAY);
      // `stranger` stands for the patient's new wallet (CareRegistry.completeRecovery, mirrored by the double).
      await registry.setMoved(otherPatient.address, stranger.address);
      await expect(claims.connect(otherPatient).acceptCoverage(2n))
        .to.be.revertedWithCustomError(claims, "CoverageUnauthorizedAcceptor")
        .withArgs(2n, otherPatient.address);
      await expect(claims.connect(stranger).acceptCoverage(2n))
        .to.emit(claims, "CoverageAccepted")
        .withArgs(2n, otherPatient.address, stranger.address);
    });

    it("rejects offers by another insurer, to non-patients, or with a bad period", async function () {
      const { claims, insurer, otherInsurer, otherPatient, stranger, planId, t0 } = await loadFixture(world);
      await expect(claims.connect(otherInsurer).offerCoverage(otherPatient.address, planId, t0, t0 + DAY))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, otherInsurer.address);
      await expect(claims.connect(insurer).offerCoverage(stranger.address, planId, t0, t0 + DAY))
        .to.be.revertedWithCustomError(claims, "CoverageNotPatient")
        .withArgs(stranger.address);
      await expect(claims.connect(insurer).offerCoverage(otherPatient.address, planId, t0 + DAY, t0 + DAY))
        .to.be.revertedWithCustomError(claims, "CoverageInvalidPeriod")
        .withArgs(t0 + DAY, t0 + DAY);
      await expect(claims.connect(insurer).offerCoverage(otherPatient.address, 7n, t0, t0 + DAY))
        .to.be.revertedWithCustomError(claims, "PlanUnknown")
        .withArgs(7n);
    });

    it("explains why a patient is not eligible", async function () {
      const { claims, registry, insurer, patient, otherPatient, planId, coverageId, t0, INSURER_ROLE } =
        await loadFixture(world);
      const reason = async (who: string, date: number) => (await claims.checkEligibility(who, planId, date))[0];
      expect(await reason(patient.address, t0)).to.equal(BigInt(Eligibility.Eligible));
      expect(await reason(otherPatient.address, t0)).to.equal(BigInt(Eligibility.NoCoverage));
      expect(await reason(patient.address, t0 - 31 * DAY)).to.equal(BigInt(Eligibility.CoverageNotStarted));
      expect(await reason(patient.address, t0 + 335 * DAY)).to.equal(BigInt(Eligibility.CoverageExpired));
      await registry.setCredentialed(INSURER_ROLE, insurer.address, false);
      expect(await claims.coverageEligibility(coverageId, t0)).to.equal(BigInt(Eligibility.InsurerNotCredentialed));
      await registry.setCredentialed(INSURER_ROLE, insurer.address, true);
      await claims.connect(insurer).deactivatePlan(planId);
      const deactivatedAt = await time.latest();
      expect(await reason(patient.address, deactivatedAt)).to.equal(BigInt(Eligibility.PlanInactive));
      expect(await reason(patient.address, deactivatedAt - 1)).to.equal(BigInt(Eligibility.Eligible));
    });
  });

  describe("pools", function () {
    it("funds, withdraws only the unreserved part, and honours reserves", async function () {
      const { claims, stablecoin, insurer, provider, stranger, request } = await loadFixture(world);
      expect((await claims.getPool(insurer.address)).balance).to.equal(USD(10_000));
      await claims.connect(provider).submitClaim(await request(USD(300))); // reserves 160
      const available = USD(10_000) - USD(160);
      await expect(claims.connect(insurer).withdrawPool(available + 1n, insurer.address))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, available, available + 1n);
      const withdrawal = claims.connect(insurer).withdrawPool(available, stranger.address);
      await expect(withdrawal).to.emit(claims, "PoolWithdrawn").withArgs(insurer.address, stranger.address, available);
      await expect(withdrawal).to.changeTokenBalances(ethers, stablecoin, [claims, stranger], [-available, available]);
      await expect(claims.connect(provider).withdraw(insurer.address)).to.changeTokenBalances(
        ethers,
        stablecoin,
        [claims, provider],
        [-USD(160), USD(160)],
      );
    });

    it("rejects funding by a non-insurer and zero amounts", async function () {
      const { claims, insurer, stranger, INSURER_ROLE } = await loadFixture(world);
      await expect(claims.connect(stranger).fundPool(1n))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(INSURER_ROLE, stranger.address);
      await expect(claims.connect(insurer).fundPool(0n)).to.be.revertedWithCustomError(claims, "PoolZeroAmount");
      await expect(claims.connect(insurer).withdrawPool(0n, insurer.address)).to.be.revertedWithCustomError(
        claims,
        "PoolZeroAmount",
      );
    });

    it("emits PoolFunded", async function () {
      const { claims, stablecoin, otherInsurer } = await loadFixture(world);
      await stablecoin.connect(otherInsurer).faucet();
      await stablecoin.connect(otherInsurer).approve(claims, USD(500));
      await expect(claims.connect(otherInsurer).fundPool(USD(500)))
        .to.emit(claims, "PoolFunded")
        .withArgs(otherInsurer.address, USD(500));
    });
  });

  describe("pre-authorisation", function () {
    async function requested() {
      const w = await loadFixture(world);
      await w.claims
        .connect(w.provider)
        .requestPreAuth(w.coverageId, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER, RECORD_IMAGING]);
      await time.increase(2 * 3_600); // claims below are for services after the request
      return { ...w, preAuthId: 1n };
    }

    it("provider requests, insurer approves, the claim uses it once", async function () {
      const { claims, provider, insurer, coverageId, request } = await loadFixture(world);
      await expect(claims.connect(provider).requestPreAuth(coverageId, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER]))
        .to.emit(claims, "PreAuthRequested")
        .withArgs(1n, coverageId, provider.address, CLASS_SURGERY, USD(400), [RECORD_ENCOUNTER]);
      const expiresAt = (await time.latest()) + 30 * DAY;
      await expect(claims.connect(insurer).approvePreAuth(1n, USD(350), expiresAt))
        .to.emit(claims, "PreAuthApproved")
        .withArgs(1n, USD(350), expiresAt);
      await time.increase(2 * 3_600); // the service comes after the request
      const req = await request(USD(350), { serviceClass: CLASS_SURGERY, preAuthId: 1n });
      await expect(claims.connect(provider).submitClaim(req))
        .to.emit(claims, "ClaimApproved")
        .withArgs(
          claimIdOf(provider.address as `0x${string}`, req.encounterCommitment as `0x${string}`),
          USD(350),
          USD(200),
          USD(150),
          true,
        );
      expect((await claims.getPreAuth(1n)).status).to.equal(BigInt(PreAuthStatus.Used));
      await expect(
        claims.connect(provider).submitClaim(await request(USD(10), { serviceClass: CLASS_SURGERY, preAuthId: 1n })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(1n, PreAuthStatus.Used);
    });

    it("rejects a claim without the required pre-authorisation", async function () {
      const { claims, provider, coverageId, request } = await loadFixture(world);
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { serviceClass: CLASS_SURGERY })))
        .to.be.revertedWithCustomError(claims, "PreAuthRequired")
        .withArgs(coverageId, CLASS_SURGERY);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { serviceClass: CLASS_SURGERY, preAuthId: 5n })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthUnknown")
        .withArgs(5n);
    });

    it("refuses a pre-authorisation denial whose sealed reason is empty or too long", async function () {
      const { claims, insurer, preAuthId } = await requested();
      await expect(claims.connect(insurer).denyPreAuth(preAuthId, "0x"))
        .to.be.revertedWithCustomError(claims, "DenialReasonInvalidLength")
        .withArgs(0, 256);
      await expect(claims.connect(insurer).denyPreAuth(preAuthId, `0x${"00".repeat(257)}`))
        .to.be.revertedWithCustomError(claims, "DenialReasonInvalidLength")
        .withArgs(257, 256);
    });

    it("rejects a claim with a requested (undecided) or denied pre-authorisation", async function () {
      const { claims, provider, insurer, preAuthId, request } = await requested();
      const surgery = async () => request(USD(100), { serviceClass: CLASS_SURGERY, preAuthId });
      await expect(claims.connect(provider).submitClaim(await surgery()))
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(preAuthId, PreAuthStatus.Requested);
      await expect(claims.connect(insurer).denyPreAuth(preAuthId, SEALED_REASON))
        .to.emit(claims, "PreAuthDenied")
        .withArgs(preAuthId, SEALED_REASON);
      await expect(claims.connect(provider).submitClaim(await surgery()))
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(preAuthId, PreAuthStatus.Denied);
    });

    it("rejects a claim with an expired pre-authorisation", async function () {
      const { claims, provider, insurer, preAuthId, request } = await requested();
      const expiresAt = (await time.latest()) + DAY;
      await claims.connect(insurer).approvePreAuth(preAuthId, USD(400), expiresAt);
      await time.increase(3 * DAY);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { serviceClass: CLASS_SURGERY, preAuthId })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthExpired")
        .withArgs(preAuthId, expiresAt);
    });

    it("rejects a pre-authorisation for another provider or class, or an amount above it", async function () {
      const { claims, consents, patient, provider, otherProvider, insurer, preAuthId, request } = await requested();
      for (const category of [CATEGORY_ENCOUNTERS, CATEGORY_DIAGNOSTICS]) {
        await consents.setConsent(patient.address, otherProvider.address, category, PURPOSE_TREATMENT, 1);
      }
      await claims.connect(insurer).approvePreAuth(preAuthId, USD(400), (await time.latest()) + 30 * DAY);
      await expect(
        claims.connect(otherProvider).submitClaim(await request(USD(100), { serviceClass: CLASS_SURGERY, preAuthId })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthMismatch")
        .withArgs(preAuthId);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { serviceClass: CLASS_OUTPATIENT, preAuthId })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthMismatch")
        .withArgs(preAuthId);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(401), { serviceClass: CLASS_SURGERY, preAuthId })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthExceeded")
        .withArgs(preAuthId, USD(400), USD(401));
    });

    it("rejects wrong callers and bad input at each step", async function () {
      const { claims, provider, insurer, otherInsurer, stranger, coverageId, preAuthId, PROVIDER_ROLE, planId } =
        await requested();
      await expect(claims.connect(stranger).requestPreAuth(coverageId, CLASS_SURGERY, 1n, [RECORD_ENCOUNTER]))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(PROVIDER_ROLE, stranger.address);
      await expect(
        claims.connect(provider).requestPreAuth(coverageId, CLASS_SURGERY, 1n, [RECORD_OTHER_PATIENT]),
      ).to.be.revertedWithCustomError(claims, "ClaimEvidenceNotOfPatient");
      await expect(claims.connect(provider).requestPreAuth(coverageId, 16, 1n, [RECORD_ENCOUNTER]))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidServiceClass")
        .withArgs(16);
      const expiresAt = (await time.latest()) + DAY;
      await expect(claims.connect(otherInsurer).approvePreAuth(preAuthId, 1n, expiresAt))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, otherInsurer.address);
      await expect(claims.connect(insurer).approvePreAuth(preAuthId, 1n, 1))
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidExpiry")
        .withArgs(1);
      await expect(claims.connect(insurer).denyPreAuth(42n, SEALED_REASON))
        .to.be.revertedWithCustomError(claims, "PreAuthUnknown")
        .withArgs(42n);
      await claims.connect(insurer).approvePreAuth(preAuthId, 1n, expiresAt);
      await expect(claims.connect(insurer).approvePreAuth(preAuthId, 1n, expiresAt))
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(preAuthId, PreAuthStatus.Approved);
    });
  });

  describe("claims: automatic adjudication", function () {
    it("approves, computes the patient's share, reserves and credits in one transaction", async function () {
      const { claims, provider, insurer, patient, coverageId, request } = await loadFixture(world);
      const req = await request(USD(300));
      const claimId = claimIdOf(provider.address as `0x${string}`, req.encounterCommitment as `0x${string}`);
      expect(await claims.claimOfEncounter(provider.address, req.encounterCommitment)).to.equal(0n);
      // Deductible 100, then 80% of 200: the plan pays 160, the patient owes 140.
      await expect(claims.connect(provider).submitClaim(req))
        .to.emit(claims, "ClaimSubmitted")
        .withArgs(
          claimId,
          patient.address,
          provider.address,
          coverageId,
          CLASS_OUTPATIENT,
          req.serviceDate,
          USD(300),
          req.encounterCommitment,
          req.claimCommitment,
          req.evidence,
          0n,
        )
        .and.to.emit(claims, "ClaimApproved")
        .withArgs(claimId, USD(300), USD(160), USD(140), true)
        .and.to.emit(claims, "ClaimPaid")
        .withArgs(claimId, provider.address, insurer.address, USD(160));
      const claim = await claims.getClaim(claimId);
      expect(claim.status).to.equal(BigInt(ClaimStatus.Approved));
      expect(claim.payerAmount).to.equal(USD(160));
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(USD(160));
      expect((await claims.getPool(insurer.address)).reserved).to.equal(USD(160));
      expect(await claims.getUsage(coverageId, 0n)).to.deep.equal([USD(100), USD(160), USD(300)]);
      expect(await claims.claimOfEncounter(provider.address, req.encounterCommitment)).to.equal(claimId);
      expect(await claims.quote(coverageId, req.serviceDate, USD(100))).to.deep.equal([USD(80), USD(20)]);
    });

    it("refuses a claim whose worst case the pool cannot hold", async function () {
      const { claims, provider, insurer, request } = await loadFixture(world);
      await claims.connect(insurer).withdrawPool(USD(9_900), insurer.address);
      await expect(claims.connect(provider).submitClaim(await request(USD(300))))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, USD(100), USD(240));
    });

    it("caps the payout at the annual limit, then rejects claims over it", async function () {
      const { claims, provider, insurer, patient, planId, request } = await loadFixture(world);
      await claims.connect(insurer).createPlan(planTerms({ deductible: 0n, annualLimit: USD(250) }));
      const now = await time.latest();
      await claims.connect(insurer).offerCoverage(patient.address, 2n, now - DAY, now + 365 * DAY);
      await claims.connect(patient).acceptCoverage(2n);
      await claims.connect(provider).submitClaim(await request(USD(200), { coverageId: 2n }));
      const second = await request(USD(200), { coverageId: 2n });
      await expect(claims.connect(provider).submitClaim(second))
        .to.emit(claims, "ClaimApproved")
        .withArgs(
          claimIdOf(provider.address as `0x${string}`, second.encounterCommitment as `0x${string}`),
          USD(200),
          USD(90),
          USD(110),
          true,
        );
      await expect(claims.connect(provider).submitClaim(await request(USD(10), { coverageId: 2n })))
        .to.be.revertedWithCustomError(claims, "ClaimAnnualLimitReached")
        .withArgs(2n, 0n, USD(250));
      expect(planId).to.equal(1n);
    });
  });

  describe("claims: submission rejections", function () {
    it("rejects a non-credentialed or suspended provider", async function () {
      const { claims, registry, provider, stranger, request, PROVIDER_ROLE } = await loadFixture(world);
      await expect(claims.connect(stranger).submitClaim(await request(USD(100))))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(PROVIDER_ROLE, stranger.address);
      await registry.setCredentialed(PROVIDER_ROLE, provider.address, false);
      await expect(claims.connect(provider).submitClaim(await request(USD(100))))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(PROVIDER_ROLE, provider.address);
    });

    it("rejects when the patient is not eligible (no coverage, not accepted, not started, expired, insurer suspended)", async function () {
      const { claims, registry, provider, insurer, patient, request, t0, INSURER_ROLE } = await loadFixture(world);
      let req = await request(USD(100), { coverageId: 9n });
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(9n, req.serviceDate, Eligibility.NoCoverage);

      await claims.connect(insurer).offerCoverage(patient.address, 1n, t0 - DAY, t0 + DAY);
      req = await request(USD(100), { coverageId: 2n });
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(2n, req.serviceDate, Eligibility.CoverageNotAccepted);

      req = await request(USD(100), { serviceDate: t0 - 31 * DAY });
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(1n, req.serviceDate, Eligibility.CoverageNotStarted);

      await registry.setCredentialed(INSURER_ROLE, insurer.address, false);
      req = await request(USD(100));
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(1n, req.serviceDate, Eligibility.InsurerNotCredentialed);
      await registry.setCredentialed(INSURER_ROLE, insurer.address, true);

      await time.increaseTo(t0 + 340 * DAY);
      req = await request(USD(100));
      await expect(claims.connect(provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "CoverageNotEligible")
        .withArgs(1n, req.serviceDate, Eligibility.CoverageExpired);
    });

    it("rejects evidence of another patient, without consent, or unknown", async function () {
      const { claims, records, consents, provider, insurer, patient, otherPatient, request } = await loadFixture(world);
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { evidence: [RECORD_OTHER_PATIENT] })))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNotOfPatient")
        .withArgs(RECORD_OTHER_PATIENT, patient.address, otherPatient.address);
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { evidence: [RECORD_NO_CONSENT] })))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(RECORD_NO_CONSENT, insurer.address, 2);
      await consents.setConsent(patient.address, insurer.address, 5, PURPOSE_CLAIMS, 0); // revoked
      await expect(claims.connect(provider).submitClaim(await request(USD(100))))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(RECORD_IMAGING, insurer.address, 5);
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { evidence: [77n] })))
        .to.be.revertedWithCustomError(records, "RecordsDoubleUnknownRecord")
        .withArgs(77n);
      await expect(claims.connect(provider).submitClaim(await request(USD(100), { evidence: [] })))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidEvidenceCount")
        .withArgs(0, 16);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { evidence: Array(17).fill(RECORD_ENCOUNTER) })),
      )
        .to.be.revertedWithCustomError(claims, "ClaimInvalidEvidenceCount")
        .withArgs(17, 16);
    });

    it("rejects a provider's second claim for the same encounter", async function () {
      const { claims, provider, request } = await loadFixture(world);
      const req = await request(USD(100));
      await claims.connect(provider).submitClaim(req);
      await expect(claims.connect(provider).submitClaim({ ...req, claimCommitment: ethers.id("other") }))
        .to.be.revertedWithCustomError(claims, "ClaimDuplicateEncounter")
        .withArgs(
          req.encounterCommitment,
          claimIdOf(provider.address as `0x${string}`, req.encounterCommitment as `0x${string}`),
        );
    });

    it("rejects a zero encounter commitment: it would be claim id 0, which means no claim", async function () {
      const { claims, provider, request } = await loadFixture(world);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { encounterCommitment: ethers.ZeroHash })),
      )
        .to.be.revertedWithCustomError(claims, "ClaimInvalidEncounter")
        .withArgs(ethers.ZeroHash);
    });

    it("rejects a bad class, a future date, or an out-of-range amount", async function () {
      const { claims, provider, request } = await loadFixture(world);
      await expect(claims.connect(provider).submitClaim(await request(USD(1), { serviceClass: 16 })))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidServiceClass")
        .withArgs(16);
      const future = (await time.latest()) + DAY;
      await expect(claims.connect(provider).submitClaim(await request(USD(1), { serviceDate: future })))
        .to.be.revertedWithCustomError(claims, "ClaimServiceDateInFuture")
        .withArgs(future);
      await expect(claims.connect(provider).submitClaim(await request(0n)))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidAmount")
        .withArgs(0n, UINT80_MAX);
      await expect(claims.connect(provider).submitClaim(await request(UINT80_MAX + 1n)))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidAmount")
        .withArgs(UINT80_MAX + 1n, UINT80_MAX);
    });
  });

  describe("claims: review, appeal, close", function () {
    async function pending() {
      const w = await loadFixture(world);
      const req = await w.request(USD(1_000));
      await w.claims.connect(w.provider).submitClaim(req);
      const submittedAt = await time.latest();
      return {
        ...w,
        claimId: claimIdOf(w.provider.address as `0x${string}`, req.encounterCommitment as `0x${string}`),
        submittedAt,
      };
    }

    it("the insurer approves in full; nothing to appeal; closes at once", async function () {
      const { claims, insurer, provider, patient, claimId } = await pending();
      expect((await claims.getClaim(claimId)).status).to.equal(BigInt(ClaimStatus.Pending));
      await expect(claims.connect(insurer).approveClaim(claimId, USD(1_000)))
        .to.emit(claims, "ClaimApproved")
        .withArgs(claimId, USD(1_000), USD(720), USD(280), false)
        .and.to.emit(claims, "ClaimPaid")
        .withArgs(claimId, provider.address, insurer.address, USD(720));
      await expect(claims.connect(patient).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimNotAppealable")
        .withArgs(claimId);
      await expect(claims.closeClaim(claimId)).to.emit(claims, "ClaimClosed").withArgs(claimId, ClaimStatus.Approved);
    });

    it("the patient's new address (after an account recovery) may appeal; the lost one may not", async function () {
      const { claims, registry, insurer, patient, stranger, claimId } = await pending();
      await claims.connect(insurer).denyClaim(claimId, SEALED_REASON);
      await registry.setMoved(patient.address, stranger.address);
      await expect(claims.connect(patient).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimUnauthorizedCaller")
        .withArgs(claimId, patient.address);
      await expect(claims.connect(stranger).appealClaim(claimId, ethers.ZeroHash))
        .to.emit(claims, "ClaimAppealed")
        .withArgs(claimId, stranger.address, ethers.ZeroHash);
    });

    it("rejects approval by another insurer, a provider, a suspended insurer, twice, or for a bad amount", async function () {
      const { claims, registry, insurer, otherInsurer, provider, claimId, planId, INSURER_ROLE } = await pending();
      await expect(claims.connect(otherInsurer).approveClaim(claimId, 1n))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, otherInsurer.address);
      await expect(claims.connect(provider).denyClaim(claimId, SEALED_REASON))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, provider.address);
      await registry.setCredentialed(INSURER_ROLE, insurer.address, false);
      await expect(claims.connect(insurer).approveClaim(claimId, 1n))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(INSURER_ROLE, insurer.address);
      await registry.setCredentialed(INSURER_ROLE, insurer.address, true);
      await expect(claims.connect(insurer).approveClaim(claimId, USD(1_001)))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidAmount")
        .withArgs(USD(1_001), USD(1_000));
      await expect(claims.connect(insurer).approveClaim(99n, 1n))
        .to.be.revertedWithCustomError(claims, "ClaimUnknown")
        .withArgs(99n);
      await claims.connect(insurer).approveClaim(claimId, USD(1_000));
      await expect(claims.connect(insurer).approveClaim(claimId, USD(1_000)))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidStatus")
        .withArgs(claimId, ClaimStatus.Approved);
    });

    it("rejects review after the review window", async function () {
      const { claims, insurer, claimId, submittedAt } = await pending();
      await time.increaseTo(submittedAt + 14 * DAY + 1);
      await expect(claims.connect(insurer).approveClaim(claimId, 1n))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowClosed")
        .withArgs(claimId, submittedAt + 14 * DAY);
      await expect(claims.connect(insurer).denyClaim(claimId, SEALED_REASON))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowClosed")
        .withArgs(claimId, submittedAt + 14 * DAY);
    });

    it("refuses a denial without a sealed reason, or with one longer than MAX_SEALED_REASON", async function () {
      const { claims, insurer, claimId } = await pending();
      const max = await claims.MAX_SEALED_REASON();
      expect(max).to.equal(256n);
      const tooLong = `0x${"ab".repeat(Number(max) + 1)}`;
      await expect(claims.connect(insurer).denyClaim(claimId, "0x"))
        .to.be.revertedWithCustomError(claims, "DenialReasonInvalidLength")
        .withArgs(0, max);
      await expect(claims.connect(insurer).denyClaim(claimId, tooLong))
        .to.be.revertedWithCustomError(claims, "DenialReasonInvalidLength")
        .withArgs(Number(max) + 1, max);
      await expect(claims.connect(insurer).denyClaim(claimId, `0x${"ab".repeat(Number(max))}`)).to.emit(
        claims,
        "ClaimDenied",
      );
    });

    it("denied, appealed by the provider, overturned with an amount, closed", async function () {
      const { claims, insurer, otherInsurer, provider, claimId, planId } = await pending();
      await expect(claims.connect(insurer).denyClaim(claimId, SEALED_REASON))
        .to.emit(claims, "ClaimDenied")
        .withArgs(claimId, SEALED_REASON);
      const evidence = ethers.id("new x-ray report");
      await expect(claims.connect(provider).appealClaim(claimId, evidence))
        .to.emit(claims, "ClaimAppealed")
        .withArgs(claimId, provider.address, evidence);
      await expect(claims.connect(otherInsurer).decideAppeal(claimId, true, USD(600)))
        .to.be.revertedWithCustomError(claims, "PlanUnauthorizedInsurer")
        .withArgs(planId, otherInsurer.address);
      await expect(claims.connect(insurer).decideAppeal(claimId, true, 0n))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidAmount")
        .withArgs(0n, USD(1_000));
      await expect(claims.connect(insurer).decideAppeal(claimId, true, USD(600)))
        .to.emit(claims, "AppealDecided")
        .withArgs(claimId, true, USD(600), USD(400), USD(200))
        .and.to.emit(claims, "ClaimPaid")
        .withArgs(claimId, provider.address, insurer.address, USD(400))
        .and.to.emit(claims, "ClaimClosed")
        .withArgs(claimId, ClaimStatus.Approved);
      await expect(claims.connect(insurer).decideAppeal(claimId, false, 0n))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidStatus")
        .withArgs(claimId, ClaimStatus.Closed);
    });

    it("partially approved, appealed by the patient, upheld", async function () {
      const { claims, insurer, patient, claimId } = await pending();
      await claims.connect(insurer).approveClaim(claimId, USD(600));
      await claims.connect(patient).appealClaim(claimId, ethers.id("second opinion"));
      await expect(claims.connect(insurer).decideAppeal(claimId, false, 0n))
        .to.emit(claims, "AppealDecided")
        .withArgs(claimId, false, USD(600), USD(400), USD(200))
        .and.not.to.emit(claims, "ClaimPaid");
    });

    it("rejects an appeal by a stranger or after the appeal window", async function () {
      const { claims, insurer, provider, stranger, claimId } = await pending();
      await claims.connect(insurer).denyClaim(claimId, SEALED_REASON);
      const deniedAt = await time.latest();
      await expect(claims.connect(stranger).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimUnauthorizedCaller")
        .withArgs(claimId, stranger.address);
      await time.increaseTo(deniedAt + 30 * DAY + 1);
      await expect(claims.connect(provider).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimAppealWindowClosed")
        .withArgs(claimId, deniedAt + 30 * DAY);
      await expect(claims.closeClaim(claimId)).to.emit(claims, "ClaimClosed").withArgs(claimId, ClaimStatus.Denied);
    });

    it("a claim the insurer left pending past the review window can be appealed", async function () {
      const { claims, provider, claimId, submittedAt } = await pending();
      await expect(claims.connect(provider).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowOpen")
        .withArgs(claimId, submittedAt + 14 * DAY);
      await time.increaseTo(submittedAt + 14 * DAY + 1);
      await expect(claims.connect(provider).appealClaim(claimId, ethers.ZeroHash)).to.emit(claims, "ClaimAppealed");
    });

    it("a partial approval closes only after the appeal window", async function () {
      const { claims, insurer, claimId } = await pending();
      await claims.connect(insurer).approveClaim(claimId, USD(500));
      const decidedAt = await time.latest();
      await expect(claims.closeClaim(claimId))
        .to.be.revertedWithCustomError(claims, "ClaimAppealWindowOpen")
        .withArgs(claimId, decidedAt + 30 * DAY);
      await time.increaseTo(decidedAt + 30 * DAY + 1);
      await expect(claims.closeClaim(claimId)).to.emit(claims, "ClaimClosed").withArgs(claimId, ClaimStatus.Approved);
      await expect(claims.closeClaim(claimId))
        .to.be.revertedWithCustomError(claims, "ClaimInvalidStatus")
        .withArgs(claimId, ClaimStatus.Closed);
    });
  });

  describe("payouts", function () {
    it("the provider pulls its credit once; a second withdrawal pays nothing", async function () {
      const { claims, stablecoin, provider, insurer, request } = await loadFixture(world);
      await claims.connect(provider).submitClaim(await request(USD(300)));
      const payout = claims.connect(provider).withdraw(insurer.address);
      await expect(payout).to.emit(claims, "PayoutWithdrawn").withArgs(provider.address, insurer.address, USD(160));
      await expect(payout).to.changeTokenBalances(ethers, stablecoin, [claims, provider], [-USD(160), USD(160)]);
      await expect(claims.connect(provider).withdraw(insurer.address))
        .to.be.revertedWithCustomError(claims, "PayoutNothingToWithdraw")
        .withArgs(provider.address, insurer.address);
      expect(await claims.getPool(insurer.address)).to.deep.equal([USD(10_000) - USD(160), 0n]);
    });

    it("a re-entering token cannot pay the provider twice", async function () {
      const { registry, consents, records, insurer, patient, PROVIDER_ROLE, request } = await loadFixture(world);
      const evil = await ethers.deployContract("ReentrantToken");
      const evilClaims = await ethers.deployContract("ClaimsSettlement", [registry, consents, records, evil]);
      const evilClaimsAddress = await evilClaims.getAddress();
      await registry.setCredentialed(PROVIDER_ROLE, await evil.getAddress(), true);
      for (const category of [CATEGORY_ENCOUNTERS, CATEGORY_DIAGNOSTICS]) {
        await consents.setConsent(patient.address, await evil.getAddress(), category, PURPOSE_TREATMENT, 1);
      }
      await evil.mint(insurer.address, USD(10_000));
      await (evil.connect(insurer) as typeof evil).approve(evilClaimsAddress, USD(10_000));
      await evilClaims.connect(insurer).fundPool(USD(10_000));
      await evilClaims.connect(insurer).createPlan(planTerms());
      const now = await time.latest();
      await evilClaims.connect(insurer).offerCoverage(patient.address, 1n, now - DAY, now + 365 * DAY);
      await evilClaims.connect(patient).acceptCoverage(1n);
      // The token contract is itself the provider owed the payout.
      await evil.execute(
        evilClaimsAddress,
        evilClaims.interface.encodeFunctionData("submitClaim", [await request(USD(300))]),
      );
      await evil.arm(evilClaimsAddress, 1, insurer.address);
      await evil.execute(evilClaimsAddress, evilClaims.interface.encodeFunctionData("withdraw", [insurer.address]));
      expect(await evil.reentryAttempted()).to.equal(true);
      expect(await evil.reentrySucceeded()).to.equal(false);
      expect(await evil.reentryError()).to.equal(
        evilClaims.interface.getError("ReentrancyGuardReentrantCall")!.selector,
      );
      expect(await evil.balanceOf(await evil.getAddress())).to.equal(USD(160));
      expect(await evil.balanceOf(evilClaimsAddress)).to.equal(USD(10_000) - USD(160));
    });
  });

  describe("MockStablecoin", function () {
    it("is Care USD with 6 decimals and a rate-limited faucet", async function () {
      const { stablecoin, stranger } = await loadFixture(world);
      expect(await stablecoin.symbol()).to.equal("cUSD");
      expect(await stablecoin.decimals()).to.equal(6n);
      await expect(stablecoin.connect(stranger).faucet())
        .to.emit(stablecoin, "FaucetDrawn")
        .withArgs(stranger.address, USD(10_000));
      const next = await stablecoin.nextFaucetAt(stranger.address);
      await expect(stablecoin.connect(stranger).faucet())
        .to.be.revertedWithCustomError(stablecoin, "FaucetCooldown")
        .withArgs(stranger.address, next);
    });
  });
});
