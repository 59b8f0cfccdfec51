/**
 * The claims lifecycle end to end against the real core: the whole system deployed through the
 * `CareLedger` Ignition module, evidence written with `RecordRegistry.addRecord`, the insurer's right to
 * read it granted and revoked with `ConsentManager`, credentials managed in `CareRegistry`.
 */
import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { network } from "hardhat";
import type { Hex } from "viem";

import { claimIdOf, evidenceOrder } from "../../sdk/src/protocol/claimIds.js";

import {
  CLASS_OUTPATIENT,
  CLASS_SURGERY,
  ClaimStatus,
  DAY,
  Eligibility,
  PreAuthStatus,
  USD,
} from "../claims/fixture.js";
import { ACCESS_READ, MAX_UINT64, Purpose, envelopesOf } from "../helpers/core.js";
import { CATEGORY_CONDITIONS, CLAIMS_SCOPE, deployClaimsSystem } from "./fixture.js";
import { SEALED_REASON } from "../claims/fixture.js";
import { openDenialReason, sealDenialReason } from "../../sdk/src/crypto/denialReason.js";
import { generateKeyPair } from "../../sdk/src/crypto/keys.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const { time, loadFixture } = networkHelpers;

/** The evidence record the insurer's consent check meets first (ids ascending), its insurer and category. */
function firstEvidence(records: { encounter: bigint; imaging: bigint }) {
  const [first] = evidenceOrder([records.encounter, records.imaging]);
  return [first, deployedInsurer, first === records.encounter ? 7 : 5] as const;
}
let deployedInsurer = "";

async function claimsSystem() {
  const system = await deployClaimsSystem(connection);
  deployedInsurer = system.accounts.insurer.address;
  let encounter = 0;
  /** A claim request under the patient's coverage; every call commits to a fresh encounter. */
  const request = async (
    billed: bigint,
    overrides: Partial<{ coverageId: bigint; serviceClass: number; evidence: bigint[]; preAuthId: bigint }> = {},
  ) => {
    encounter += 1;
    return {
      coverageId: system.coverageId,
      serviceClass: CLASS_OUTPATIENT,
      serviceDate: (await time.latest()) - 3_600,
      billed,
      encounterCommitment: ethers.id(`Encounter/${encounter} + salt`),
      claimCommitment: ethers.id(`encrypted FHIR Claim ${encounter}`),
      preAuthId: 0n,
      ...overrides,
      evidence: evidenceOrder(overrides.evidence ?? [system.records.encounter, system.records.imaging]),
    };
  };
  /** Submits `billed` as the provider and returns the claim id. */
  const submit = async (billed: bigint, overrides: Parameters<typeof request>[1] = {}) => {
    const req = await request(billed, overrides);
    const claimId = await system.claims.connect(system.accounts.provider).submitClaim.staticCall(req);
    await (await system.claims.connect(system.accounts.provider).submitClaim(req)).wait();
    return claimId;
  };
  return { ...system, request, submit };
}

describe("Claims lifecycle on the real core (Ignition CareLedger module)", function () {
  it("wires ClaimsSettlement to the deployed core and stablecoin", async function () {
    const { claims, stablecoin } = await loadFixture(claimsSystem);
    expect(await claims.stablecoin()).to.equal(await stablecoin.getAddress());
  });

  describe("eligibility", function () {
    it("answers for the covered patient, the uncovered one, outside the period and for a suspended insurer", async function () {
      const { claims, careRegistry, accounts, roles, planId, coverageId, t0 } = await loadFixture(claimsSystem);
      const { admin, insurer, patient, otherPatient } = accounts;
      const now = await time.latest();
      expect(await claims.checkEligibility(patient.address, planId, now)).to.deep.equal([
        BigInt(Eligibility.Eligible),
        coverageId,
      ]);
      expect((await claims.checkEligibility(otherPatient.address, planId, now))[0]).to.equal(Eligibility.NoCoverage);
      expect(await claims.coverageEligibility(coverageId, t0 - 31 * DAY)).to.equal(Eligibility.CoverageNotStarted);
      expect(await claims.coverageEligibility(coverageId, t0 + 335 * DAY)).to.equal(Eligibility.CoverageExpired);

      await careRegistry.connect(admin).suspendCredential(roles.INSURER_ROLE, insurer.address);
      expect((await claims.checkEligibility(patient.address, planId, now))[0]).to.equal(
        Eligibility.InsurerNotCredentialed,
      );
    });
  });

  describe("pre-authorisation", function () {
    it("is requested with real evidence, approved and used once; a denied one cannot be claimed", async function () {
      const { claims, accounts, coverageId, records, request } = await loadFixture(claimsSystem);
      const { insurer, provider } = accounts;
      const evidence = evidenceOrder([records.encounter, records.imaging]);

      const surgery = await request(USD(1_200), { serviceClass: CLASS_SURGERY });
      await expect(claims.connect(provider).submitClaim(surgery))
        .to.be.revertedWithCustomError(claims, "PreAuthRequired")
        .withArgs(coverageId, CLASS_SURGERY);

      await expect(claims.connect(provider).requestPreAuth(coverageId, CLASS_SURGERY, USD(1_500), evidence))
        .to.emit(claims, "PreAuthRequested")
        .withArgs(1n, coverageId, provider.address, CLASS_SURGERY, USD(1_500), evidence);
      const expiresAt = (await time.latest()) + 60 * DAY;
      await expect(claims.connect(insurer).approvePreAuth(1n, USD(1_300), expiresAt))
        .to.emit(claims, "PreAuthApproved")
        .withArgs(1n, USD(1_300), expiresAt);

      await claims.connect(provider).requestPreAuth(coverageId, CLASS_SURGERY, USD(9_000), evidence);
      await expect(claims.connect(insurer).denyPreAuth(2n, SEALED_REASON))
        .to.emit(claims, "PreAuthDenied")
        .withArgs(2n, SEALED_REASON);
      await time.increase(2 * 3_600); // the services below come after the requests
      await expect(
        claims.connect(provider).submitClaim(await request(USD(800), { serviceClass: CLASS_SURGERY, preAuthId: 2n })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(2n, PreAuthStatus.Denied);

      const approved = await request(USD(1_200), { serviceClass: CLASS_SURGERY, preAuthId: 1n });
      await expect(claims.connect(provider).submitClaim(approved)).to.emit(claims, "ClaimSubmitted");
      expect((await claims.getPreAuth(1n)).status).to.equal(PreAuthStatus.Used);
      await expect(
        claims.connect(provider).submitClaim(await request(USD(100), { serviceClass: CLASS_SURGERY, preAuthId: 1n })),
      )
        .to.be.revertedWithCustomError(claims, "PreAuthInvalidStatus")
        .withArgs(1n, PreAuthStatus.Used);
    });

    it("checks the evidence against real consent", async function () {
      const { claims, accounts, coverageId, records } = await loadFixture(claimsSystem);
      await expect(
        claims.connect(accounts.provider).requestPreAuth(coverageId, CLASS_SURGERY, USD(900), [records.condition]),
      )
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(records.condition, accounts.insurer.address, CATEGORY_CONDITIONS);
    });
  });

  describe("evidence and consent", function () {
    it("needs the patient's Claims consent for the evidence: rejected, accepted once granted, rejected after revocation", async function () {
      const { claims, consentManager, accounts, records, request, claimsGrant } = await loadFixture(claimsSystem);
      const { insurer, provider, patient } = accounts;
      const evidence = [records.encounter, records.condition];

      await expect(claims.connect(provider).submitClaim(await request(USD(200), { evidence })))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(records.condition, insurer.address, CATEGORY_CONDITIONS);

      const withConditions = { ...claimsGrant, scope: CLAIMS_SCOPE | (1 << CATEGORY_CONDITIONS) };
      await consentManager.connect(patient).grantConsent(withConditions, envelopesOf("claims + conditions", 4));
      expect(
        await consentManager.hasConsent(
          patient.address,
          insurer.address,
          CATEGORY_CONDITIONS,
          Purpose.Claims,
          ACCESS_READ,
        ),
      ).to.equal(true);
      await expect(claims.connect(provider).submitClaim(await request(USD(200), { evidence }))).to.emit(
        claims,
        "ClaimApproved",
      );

      await consentManager.connect(patient).revokeConsent(insurer.address, Purpose.Claims);
      const [first] = evidenceOrder(evidence);
      await expect(claims.connect(provider).submitClaim(await request(USD(200), { evidence })))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(first, insurer.address, first === records.encounter ? 7 : CATEGORY_CONDITIONS);
    });

    it("rejects a grant that is not yet in force or already expired, and Treatment-only consent", async function () {
      const { claims, consentManager, accounts, records, request, claimsGrant } = await loadFixture(claimsSystem);
      const { provider, patient } = accounts;
      const now = BigInt(await time.latest());
      await consentManager
        .connect(patient)
        .grantConsent({ ...claimsGrant, notBefore: now + 10n * BigInt(DAY), expiresAt: MAX_UINT64 }, "0x");
      await expect(claims.connect(provider).submitClaim(await request(USD(200))))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(...firstEvidence(records));

      await consentManager
        .connect(patient)
        .grantConsent({ ...claimsGrant, purpose: Purpose.Treatment, access: ACCESS_READ }, "0x");
      await consentManager.connect(patient).grantConsent({ ...claimsGrant, expiresAt: now + 2n * BigInt(DAY) }, "0x");
      await expect(claims.connect(provider).submitClaim(await request(USD(200)))).to.emit(claims, "ClaimSubmitted");
      await time.increase(3 * DAY);
      await expect(claims.connect(provider).submitClaim(await request(USD(200))))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoConsent")
        .withArgs(...firstEvidence(records));
    });

    it("rejects evidence of another patient, and a record that does not exist", async function () {
      const { claims, recordRegistry, accounts, records, request } = await loadFixture(claimsSystem);
      const { provider, patient, otherPatient } = accounts;
      await expect(
        claims
          .connect(provider)
          .submitClaim(await request(USD(200), { evidence: [records.encounter, records.otherPatient] })),
      )
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNotOfPatient")
        .withArgs(records.otherPatient, patient.address, otherPatient.address);
      const unwritten = await recordRegistry.computeRecordId(patient.address, 7, 99);
      await expect(claims.connect(provider).submitClaim(await request(USD(200), { evidence: [unwritten] })))
        .to.be.revertedWithCustomError(recordRegistry, "RecordNotFound")
        .withArgs(unwritten);
    });
  });

  describe("adjudication and payout", function () {
    it("auto-approves, credits, and the provider withdraws exactly the payer amount", async function () {
      const { claims, stablecoin, accounts, coverageId, submit } = await loadFixture(claimsSystem);
      const { insurer, provider } = accounts;
      const contractBalance = await stablecoin.balanceOf(await claims.getAddress());

      // 300 billed: 100 deductible, then 80% of 200 = 160 paid; the patient owes 140.
      expect(await claims.quote(coverageId, await time.latest(), USD(300))).to.deep.equal([USD(160), USD(140)]);
      const claimId = await submit(USD(300));
      const claim = await claims.getClaim(claimId);
      expect(claim.status).to.equal(ClaimStatus.Approved);
      expect([claim.allowed, claim.payerAmount]).to.deep.equal([USD(300), USD(160)]);
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(USD(160));
      expect(await claims.getPool(insurer.address)).to.deep.equal([USD(10_000), USD(160)]);
      expect(await claims.getUsage(coverageId, 0)).to.deep.equal([USD(100), USD(160), USD(300)]);

      await expect(claims.connect(provider).withdraw(insurer.address)).to.changeTokenBalances(
        ethers,
        stablecoin,
        [provider, claims],
        [USD(160), -USD(160)],
      );
      expect(await stablecoin.balanceOf(await claims.getAddress())).to.equal(contractBalance - USD(160));
      expect(await claims.getPool(insurer.address)).to.deep.equal([USD(9_840), 0n]);
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(0n);
      await expect(claims.connect(provider).withdraw(insurer.address))
        .to.be.revertedWithCustomError(claims, "PayoutNothingToWithdraw")
        .withArgs(provider.address, insurer.address);
      await expect(claims.closeClaim(claimId)).to.emit(claims, "ClaimClosed").withArgs(claimId, ClaimStatus.Approved);
    });

    it("a partial approval computes the patient's share (deductible, coinsurance)", async function () {
      const { claims, accounts, coverageId, submit } = await loadFixture(claimsSystem);
      const claimId = await submit(USD(1_000));
      expect((await claims.getClaim(claimId)).status).to.equal(ClaimStatus.Pending);
      // 800 allowed: 100 deductible + 20% of 700 = 240 for the patient, 560 for the plan.
      const [payer, share] = await claims.quote(coverageId, await time.latest(), USD(800));
      expect([payer, share]).to.deep.equal([USD(560), USD(240)]);
      await expect(claims.connect(accounts.insurer).approveClaim(claimId, USD(800)))
        .to.emit(claims, "ClaimApproved")
        .withArgs(claimId, USD(800), USD(560), USD(240), false)
        .and.to.emit(claims, "ClaimPaid")
        .withArgs(claimId, accounts.provider.address, accounts.insurer.address, USD(560));
    });

    it("denied, appealed with new evidence, overturned within the deadline", async function () {
      const { claims, careRegistry, accounts, submit } = await loadFixture(claimsSystem);
      const { insurer, provider, patient } = accounts;
      const claimId = await submit(USD(1_000));
      // The reason (50, not medically necessary) is sealed to patient, provider and insurer: the event
      // carries only the sealed bytes, and the patient opens them to the code.
      const keys = [patient, provider, insurer].map((a) => ({ account: a.address, key: generateKeyPair() }));
      const context = {
        chainId: (await ethers.provider.getNetwork()).chainId,
        registry: await careRegistry.getAddress(),
        settlement: await claims.getAddress(),
        kind: "claim" as const,
        id: claimId,
        patient: patient.address,
      };
      const sealed = await sealDenialReason(
        50,
        keys.map((k) => ({ account: k.account, publicKey: k.key.publicKey })),
        context,
      );
      await expect(claims.connect(insurer).denyClaim(claimId, sealed))
        .to.emit(claims, "ClaimDenied")
        .withArgs(claimId, sealed);
      const [denied] = await claims.queryFilter(claims.filters.ClaimDenied(claimId));
      const emitted = (denied as unknown as { args: { sealedReason: Hex } }).args.sealedReason;
      expect(emitted.length).to.equal(2 + 2 * (1 + 3 * 56), "three sealed envelopes, the same length for any code");
      for (const reader of keys) expect(await openDenialReason(emitted, reader, context)).to.equal(50);
      await time.increase(5 * DAY);
      await expect(claims.connect(patient).appealClaim(claimId, ethers.id("second opinion")))
        .to.emit(claims, "ClaimAppealed")
        .withArgs(claimId, patient.address, ethers.id("second opinion"));
      await expect(claims.connect(insurer).decideAppeal(claimId, true, USD(600)))
        .to.emit(claims, "AppealDecided")
        .withArgs(claimId, true, USD(600), USD(400), USD(200))
        .and.to.emit(claims, "ClaimClosed")
        .withArgs(claimId, ClaimStatus.Approved);
      expect(await claims.creditOf(provider.address, insurer.address)).to.equal(USD(400));
    });

    it("rejects a provider's second claim for the same encounter", async function () {
      const { claims, accounts, request } = await loadFixture(claimsSystem);
      const req = await request(USD(200));
      await claims.connect(accounts.provider).submitClaim(req);
      const claimId = claimIdOf(accounts.provider.address as Hex, req.encounterCommitment as Hex);
      await expect(claims.connect(accounts.provider).submitClaim(req))
        .to.be.revertedWithCustomError(claims, "ClaimDuplicateEncounter")
        .withArgs(req.encounterCommitment, claimId);
      expect(await claims.claimOfEncounter(accounts.provider.address, req.encounterCommitment)).to.equal(claimId);
    });

    it("a provider the patient never saw cannot be paid for a claim against her coverage (real ConsentManager)", async function () {
      const { claims, accounts, request, records } = await loadFixture(claimsSystem);
      const copied = await request(USD(200));
      await expect(claims.connect(accounts.otherProvider).submitClaim(copied))
        .to.be.revertedWithCustomError(claims, "ClaimEvidenceNoTreatmentConsent")
        .withArgs(copied.evidence[0], accounts.otherProvider.address, anyValue);
      // The honest provider, who holds the patient's Treatment consent, is not blocked by the attempt.
      await claims.connect(accounts.provider).submitClaim(copied);
      expect(await claims.creditOf(accounts.otherProvider.address, accounts.insurer.address)).to.equal(0n);
      expect(records.encounter).to.not.equal(0n);
    });

    it("a provider whose Treatment consent the patient revoked cannot claim any more", async function () {
      const { claims, consentManager, accounts, request } = await loadFixture(claimsSystem);
      const revoke = consentManager
        .connect(accounts.patient)
        .revokeConsent(accounts.provider.address, Purpose.Treatment);
      await (await revoke).wait();
      await expect(
        claims.connect(accounts.provider).submitClaim(await request(USD(200))),
      ).to.be.revertedWithCustomError(claims, "ClaimEvidenceNoTreatmentConsent");
    });

    it("rejects a provider whose credential was suspended, and accepts it again once reinstated", async function () {
      const { claims, careRegistry, accounts, roles, request } = await loadFixture(claimsSystem);
      const { admin, provider } = accounts;
      await careRegistry.connect(admin).suspendCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(claims.connect(provider).submitClaim(await request(USD(200))))
        .to.be.revertedWithCustomError(claims, "ClaimsMissingCredential")
        .withArgs(roles.PROVIDER_ROLE, provider.address);
      await careRegistry.connect(admin).reinstateCredential(roles.PROVIDER_ROLE, provider.address);
      await expect(claims.connect(provider).submitClaim(await request(USD(200)))).to.emit(claims, "ClaimApproved");
    });

    it("an empty pool refuses claims it could not hold, and takes them once funded", async function () {
      const { claims, stablecoin, accounts, request, submit } = await loadFixture(claimsSystem);
      const { insurer } = accounts;
      await claims.connect(insurer).withdrawPool(USD(10_000), insurer.address);
      await expect(claims.connect(insurer).withdrawPool(1n, insurer.address))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, 0n, 1n);

      await expect(claims.connect(accounts.provider).submitClaim(await request(USD(300))))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, 0n, USD(240));

      await stablecoin.connect(insurer).approve(await claims.getAddress(), USD(500));
      await claims.connect(insurer).fundPool(USD(500));
      const claimId = await submit(USD(300));
      expect((await claims.getClaim(claimId)).status).to.equal(ClaimStatus.Approved);
      expect(await claims.creditOf(accounts.provider.address, insurer.address)).to.equal(USD(160));
      // Reserved money is the provider's: the insurer cannot take it back.
      await expect(claims.connect(insurer).withdrawPool(USD(341), insurer.address))
        .to.be.revertedWithCustomError(claims, "PoolInsufficientFunds")
        .withArgs(insurer.address, USD(340), USD(341));
    });

    it("rejects an appeal after the appeal window, then closes the claim", async function () {
      const { claims, accounts, submit } = await loadFixture(claimsSystem);
      const claimId = await submit(USD(1_000));
      await claims.connect(accounts.insurer).denyClaim(claimId, SEALED_REASON);
      const deniedAt = await time.latest();
      await time.increaseTo(deniedAt + 30 * DAY + 1);
      await expect(claims.connect(accounts.provider).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimAppealWindowClosed")
        .withArgs(claimId, deniedAt + 30 * DAY);
      await expect(claims.closeClaim(claimId)).to.emit(claims, "ClaimClosed").withArgs(claimId, ClaimStatus.Denied);
    });
  });

  describe("deadlines bind the insurer", function () {
    it("a claim left pending is denied at the review deadline: appealable for the appeal window, then closed", async function () {
      const { claims, accounts, submit } = await loadFixture(claimsSystem);
      const claimId = await submit(USD(1_000));
      const reviewDeadline = (await claims.getClaim(claimId)).updatedAt + BigInt(14 * DAY);
      await expect(claims.closeClaim(claimId))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowOpen")
        .withArgs(claimId, reviewDeadline);
      await time.increaseTo(reviewDeadline + 1n);
      await expect(claims.connect(accounts.insurer).approveClaim(claimId, USD(1_000)))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowClosed")
        .withArgs(claimId, reviewDeadline);
      await expect(claims.closeClaim(claimId))
        .to.be.revertedWithCustomError(claims, "ClaimAppealWindowOpen")
        .withArgs(claimId, reviewDeadline + BigInt(30 * DAY));
      await time.increaseTo(reviewDeadline + BigInt(30 * DAY) + 1n);
      await expect(claims.connect(accounts.patient).appealClaim(claimId, ethers.ZeroHash))
        .to.be.revertedWithCustomError(claims, "ClaimAppealWindowClosed")
        .withArgs(claimId, reviewDeadline + BigInt(30 * DAY));
      await expect(claims.connect(accounts.stranger).closeClaim(claimId))
        .to.emit(claims, "ClaimClosed")
        .withArgs(claimId, ClaimStatus.Denied);
    });

    it("an appeal the insurer leaves undecided past its deadline is overturned to the billed amount and paid", async function () {
      const { claims, stablecoin, accounts, submit } = await loadFixture(claimsSystem);
      const { insurer, provider } = accounts;
      const claimId = await submit(USD(1_000));
      await time.increase(14 * DAY + 1);
      await claims.connect(provider).appealClaim(claimId, ethers.id("no answer in 14 days"));
      const decisionDeadline = (await claims.getClaim(claimId)).updatedAt + BigInt(14 * DAY);
      await expect(claims.closeClaim(claimId))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowOpen")
        .withArgs(claimId, decisionDeadline);

      await time.increaseTo(decisionDeadline + 1n);
      await expect(claims.connect(insurer).decideAppeal(claimId, false, 0n))
        .to.be.revertedWithCustomError(claims, "ClaimReviewWindowClosed")
        .withArgs(claimId, decisionDeadline);
      // 1,000 billed: 100 deductible + 80% of 900 = 720 for the plan.
      await expect(claims.connect(accounts.stranger).closeClaim(claimId))
        .to.emit(claims, "AppealDeadlineMissed")
        .withArgs(claimId, decisionDeadline)
        .and.to.emit(claims, "AppealDecided")
        .withArgs(claimId, true, USD(1_000), USD(720), USD(280))
        .and.to.emit(claims, "ClaimClosed")
        .withArgs(claimId, ClaimStatus.Approved);
      await expect(claims.connect(provider).withdraw(insurer.address)).to.changeTokenBalance(
        ethers,
        stablecoin,
        provider,
        USD(720),
      );
    });
  });
});
