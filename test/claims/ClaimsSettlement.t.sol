// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {ClaimsBase, SEALED_REASON} from "./ClaimsBase.sol";
import {ClaimsSettlement} from "../../contracts/claims/ClaimsSettlement.sol";
import {IClaimsSettlement} from "../../contracts/interfaces/IClaimsSettlement.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {
    GUARDIAN_EMERGENCY,
    GUARDIAN_MANAGE_CONSENT,
    INSURER_ROLE,
    PROVIDER_ROLE,
    Purpose
} from "../../contracts/libraries/CareTypes.sol";
import {ReentrantToken} from "./mocks/ReentrantToken.sol";
import {RecordsDouble} from "./mocks/RecordsDouble.sol";

contract ClaimsSettlementTest is ClaimsBase {
    // --- Plans -------------------------------------------------------------------------------

    function test_createPlan_storesTerms() public view {
        IClaimsSettlement.Plan memory plan = claims.getPlan(planId);
        vm.assertEq(plan.insurer, insurer, "insurer");
        vm.assertEq(plan.coverageBps, 8_000, "bps");
        vm.assertEq(plan.deductible, 100 * USD, "deductible");
        vm.assertEq(plan.annualLimit, 2_000 * USD, "limit");
        vm.assertEq(plan.autoApproveThreshold, 500 * USD, "threshold");
        vm.assertEq(plan.reviewWindow, 14 * DAY, "review");
        vm.assertEq(plan.appealWindow, 30 * DAY, "appeal");
        vm.assertEq(plan.filingWindow, FILING_WINDOW, "filing");
        vm.assertEq(plan.autoApproveAnnualCap, AUTO_APPROVE_CAP, "auto-approval cap");
        vm.assertEq(plan.deactivatedAt, 0, "active");
    }

    function test_createPlan_emits() public {
        vm.expectEmit();
        emit IClaimsSettlement.PlanCreated(2, insurer, _terms());
        _createPlan(insurer);
    }

    function test_createPlan_revertsForNonInsurer() public {
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, INSURER_ROLE, provider)
        );
        _createPlan(provider);
    }

    function test_createPlan_revertsOnInvalidTerms() public {
        IClaimsSettlement.PlanTerms memory terms = _terms();
        terms.coverageBps = 10_001;
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.PlanInvalidTerms.selector,
                10_001,
                14 * DAY,
                30 * DAY,
                FILING_WINDOW
            )
        );
        vm.prank(insurer);
        claims.createPlan(terms);

        terms = _terms();
        terms.reviewWindow = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanInvalidTerms.selector, 8_000, 0, 30 * DAY, FILING_WINDOW)
        );
        vm.prank(insurer);
        claims.createPlan(terms);

        terms = _terms();
        terms.appealWindow = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanInvalidTerms.selector, 8_000, 14 * DAY, 0, FILING_WINDOW)
        );
        vm.prank(insurer);
        claims.createPlan(terms);

        terms = _terms();
        terms.filingWindow = 0;
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanInvalidTerms.selector, 8_000, 14 * DAY, 30 * DAY, 0)
        );
        vm.prank(insurer);
        claims.createPlan(terms);
    }

    function test_deactivatePlan_stopsNewCoverageAndClaims() public {
        vm.expectEmit();
        emit IClaimsSettlement.PlanDeactivated(planId, uint40(block.timestamp));
        vm.prank(insurer);
        claims.deactivatePlan(planId);
        vm.assertEq(claims.getPlan(planId).deactivatedAt, block.timestamp, "deactivatedAt");

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanInactive.selector, planId));
        vm.prank(insurer);
        claims.offerCoverage(otherPatient, planId, uint40(T0), uint40(T0 + DAY));

        vm.warp(block.timestamp + 1 hours);
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        request.serviceDate = uint40(block.timestamp - 1 hours); // the deactivation second itself
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageNotEligible.selector,
                coverageId,
                request.serviceDate,
                IClaimsSettlement.Eligibility.PlanInactive
            )
        );
        _submit(request);

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageNotEligible.selector,
                coverageId,
                uint40(block.timestamp),
                IClaimsSettlement.Eligibility.PlanInactive
            )
        );
        _requestPreAuth(100 * USD);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanInactive.selector, planId));
        vm.prank(insurer);
        claims.deactivatePlan(planId);
    }

    function test_deactivatePlan_revertsForOtherInsurerOrUnknownPlan() public {
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.deactivatePlan(planId);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanUnknown.selector, 99));
        vm.prank(insurer);
        claims.deactivatePlan(99);
    }

    // --- Coverage ----------------------------------------------------------------------------

    function test_offerCoverage_emitsAndRecords() public {
        vm.expectEmit();
        emit IClaimsSettlement.CoverageOffered(2, planId, otherPatient, uint40(T0), uint40(T0 + 365 * DAY));
        uint256 id = _offer(otherPatient, planId, T0, T0 + 365 * DAY);
        IClaimsSettlement.Coverage memory coverage = claims.getCoverage(id);
        vm.assertEq(coverage.patient, otherPatient, "patient");
        vm.assertEq(uint256(coverage.status), uint256(IClaimsSettlement.CoverageStatus.Offered), "offered");
        vm.assertEq(claims.coverageOf(otherPatient, planId), id, "coverageOf");
    }

    function test_offerCoverage_revertsForWrongCallerOrInput() public {
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.offerCoverage(otherPatient, planId, uint40(T0), uint40(T0 + DAY));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanUnknown.selector, 42));
        vm.prank(insurer);
        claims.offerCoverage(otherPatient, 42, uint40(T0), uint40(T0 + DAY));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.CoverageNotPatient.selector, stranger));
        vm.prank(insurer);
        claims.offerCoverage(stranger, planId, uint40(T0), uint40(T0 + DAY));

        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.CoverageInvalidPeriod.selector, uint40(T0), uint40(T0))
        );
        vm.prank(insurer);
        claims.offerCoverage(otherPatient, planId, uint40(T0), uint40(T0));

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageInvalidPeriod.selector,
                uint40(T0 - 2 * DAY),
                uint40(T0 - DAY)
            )
        );
        vm.prank(insurer);
        claims.offerCoverage(otherPatient, planId, uint40(T0 - 2 * DAY), uint40(T0 - DAY));
    }

    function test_offerCoverage_revertsForSuspendedInsurer() public {
        registry.setCredentialed(INSURER_ROLE, insurer, false);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, INSURER_ROLE, insurer)
        );
        vm.prank(insurer);
        claims.offerCoverage(otherPatient, planId, uint40(T0), uint40(T0 + DAY));
    }

    function test_acceptCoverage_byGuardianWithManageConsent() public {
        uint256 id = _offer(otherPatient, planId, T0, T0 + 365 * DAY);
        registry.setGuardian(otherPatient, guardian, GUARDIAN_EMERGENCY);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.CoverageUnauthorizedAcceptor.selector, id, guardian));
        vm.prank(guardian);
        claims.acceptCoverage(id);

        registry.setGuardian(otherPatient, guardian, GUARDIAN_MANAGE_CONSENT);
        vm.expectEmit();
        emit IClaimsSettlement.CoverageAccepted(id, otherPatient, guardian);
        vm.prank(guardian);
        claims.acceptCoverage(id);
        vm.assertEq(
            uint256(claims.getCoverage(id).status),
            uint256(IClaimsSettlement.CoverageStatus.Accepted),
            "accepted"
        );
    }

    function test_acceptCoverage_revertsForStrangerTwiceOrUnknown() public {
        uint256 id = _offer(otherPatient, planId, T0, T0 + 365 * DAY);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.CoverageUnauthorizedAcceptor.selector, id, insurer));
        vm.prank(insurer);
        claims.acceptCoverage(id);

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageInvalidStatus.selector,
                coverageId,
                IClaimsSettlement.CoverageStatus.Accepted
            )
        );
        vm.prank(patient);
        claims.acceptCoverage(coverageId);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.CoverageUnknown.selector, 77));
        vm.prank(patient);
        claims.acceptCoverage(77);
    }

    function test_coverageOf_renewalOfferKeepsAcceptedCoverageUntilAccepted() public {
        uint256 renewal = _offer(patient, planId, T0 + 335 * DAY, T0 + 700 * DAY);
        vm.assertEq(claims.coverageOf(patient, planId), coverageId, "accepted coverage still current");
        (IClaimsSettlement.Eligibility reason, uint256 id) = claims.checkEligibility(patient, planId, uint40(T0));
        vm.assertEq(uint256(reason), uint256(IClaimsSettlement.Eligibility.Eligible), "still eligible");
        vm.assertEq(id, coverageId, "id");
        vm.prank(patient);
        claims.acceptCoverage(renewal);
        vm.assertEq(claims.coverageOf(patient, planId), renewal, "renewal current once accepted");
    }

    function test_approveClaim_afterAnnualLimitUsedPaysNothing() public {
        uint256 pendingId = _submitPending(1_000 * USD);
        // Exhaust the 2,000 limit with automatic claims (100 deductible, then 80%).
        for (uint256 i = 0; i < 6; ++i) _submit(_request(500 * USD));
        vm.assertEq(claims.getUsage(coverageId, 0).paid, 2_000 * USD, "limit used");
        vm.expectEmit();
        emit IClaimsSettlement.ClaimApproved(pendingId, 1_000 * USD, 0, 1_000 * USD, false);
        vm.prank(insurer);
        claims.approveClaim(pendingId, 1_000 * USD);
    }

    function test_checkEligibility_explainsEveryReason() public {
        _assertEligibility(patient, planId, T0, IClaimsSettlement.Eligibility.Eligible);
        _assertEligibility(otherPatient, planId, T0, IClaimsSettlement.Eligibility.NoCoverage);
        _assertEligibility(patient, planId, T0 - 31 * DAY, IClaimsSettlement.Eligibility.CoverageNotStarted);
        _assertEligibility(patient, planId, T0 + 335 * DAY, IClaimsSettlement.Eligibility.CoverageExpired);

        uint256 id = _offer(otherPatient, planId, T0, T0 + 365 * DAY);
        _assertEligibility(otherPatient, planId, T0, IClaimsSettlement.Eligibility.CoverageNotAccepted);
        vm.assertEq(
            uint256(claims.coverageEligibility(id, uint40(T0))),
            uint256(IClaimsSettlement.Eligibility.CoverageNotAccepted),
            "by coverage id"
        );

        registry.setCredentialed(INSURER_ROLE, insurer, false);
        _assertEligibility(patient, planId, T0, IClaimsSettlement.Eligibility.InsurerNotCredentialed);
        registry.setCredentialed(INSURER_ROLE, insurer, true);

        vm.prank(insurer);
        claims.deactivatePlan(planId);
        _assertEligibility(patient, planId, T0, IClaimsSettlement.Eligibility.PlanInactive);
    }

    function _assertEligibility(
        address who,
        uint256 plan,
        uint256 date,
        IClaimsSettlement.Eligibility expected
    ) private view {
        (IClaimsSettlement.Eligibility reason, ) = claims.checkEligibility(who, plan, uint40(date));
        vm.assertEq(uint256(reason), uint256(expected), "eligibility");
    }

    // --- Pools -------------------------------------------------------------------------------

    function test_fundPool_addsToBalance() public view {
        vm.assertEq(claims.getPool(insurer).balance, 10_000 * USD, "funded");
        vm.assertEq(token.balanceOf(address(claims)), 10_000 * USD, "tokens held");
    }

    function test_fundPool_revertsForNonInsurerOrZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, INSURER_ROLE, stranger)
        );
        vm.prank(stranger);
        claims.fundPool(1);

        vm.expectRevert(IClaimsSettlement.PoolZeroAmount.selector);
        vm.prank(insurer);
        claims.fundPool(0);
    }

    function test_withdrawPool_onlyTheUnreservedPart() public {
        _submit(_request(300 * USD)); // auto-approved: 160 cUSD reserved
        uint256 available = 10_000 * USD - 160 * USD;
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PoolInsufficientFunds.selector, insurer, available, available + 1)
        );
        vm.prank(insurer);
        claims.withdrawPool(available + 1, insurer);

        vm.expectEmit();
        emit IClaimsSettlement.PoolWithdrawn(insurer, stranger, available);
        vm.prank(insurer);
        claims.withdrawPool(available, stranger);
        vm.assertEq(token.balanceOf(stranger), available, "withdrawn");
        vm.assertEq(claims.getPool(insurer).balance, 160 * USD, "reserved stays");

        // The reserved payout is still honoured.
        vm.prank(provider);
        claims.withdraw(insurer);
        vm.assertEq(token.balanceOf(provider), 160 * USD, "provider paid");
    }

    function test_withdrawPool_revertsOnZero() public {
        vm.expectRevert(IClaimsSettlement.PoolZeroAmount.selector);
        vm.prank(insurer);
        claims.withdrawPool(0, insurer);
    }

    // --- Pre-authorisation -------------------------------------------------------------------

    function test_preAuth_requestApproveAndUse() public {
        vm.expectEmit();
        emit IClaimsSettlement.PreAuthRequested(1, coverageId, provider, CLASS_SURGERY, 400 * USD, _evidence());
        uint256 preAuthId = _requestPreAuth(400 * USD);

        vm.expectEmit();
        emit IClaimsSettlement.PreAuthApproved(preAuthId, 350 * USD, uint40(T0 + 30 * DAY));
        vm.prank(insurer);
        claims.approvePreAuth(preAuthId, 350 * USD, uint40(T0 + 30 * DAY));

        vm.warp(T0 + 2 hours); // the service, after the request
        uint256 claimId = _submit(_request(coverageId, CLASS_SURGERY, 350 * USD, preAuthId));
        vm.assertEq(uint256(claims.getClaim(claimId).status), uint256(IClaimsSettlement.ClaimStatus.Approved), "auto");
        vm.assertEq(claims.getPreAuth(preAuthId).requestedAt, T0, "request time stored");
        vm.assertEq(
            uint256(claims.getPreAuth(preAuthId).status),
            uint256(IClaimsSettlement.PreAuthStatus.Used),
            "used"
        );

        // A pre-authorisation pays for one claim only.
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.PreAuthInvalidStatus.selector,
                preAuthId,
                IClaimsSettlement.PreAuthStatus.Used
            )
        );
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, preAuthId));
    }

    function test_preAuth_aboveThresholdGoesToReview() public {
        uint256 preAuthId = _approvedPreAuth(1_500 * USD, T0 + 30 * DAY);
        vm.warp(T0 + 2 hours);
        uint256 claimId = _submit(_request(coverageId, CLASS_SURGERY, 1_200 * USD, preAuthId));
        vm.assertEq(
            uint256(claims.getClaim(claimId).status),
            uint256(IClaimsSettlement.ClaimStatus.Pending),
            "pending"
        );
    }

    function test_submitClaim_revertsWithoutRequiredPreAuth() public {
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthRequired.selector, coverageId, CLASS_SURGERY));
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, 0));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthUnknown.selector, 9));
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, 9));
    }

    function test_submitClaim_revertsWithPendingOrDeniedPreAuth() public {
        uint256 preAuthId = _requestPreAuth(400 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.PreAuthInvalidStatus.selector,
                preAuthId,
                IClaimsSettlement.PreAuthStatus.Requested
            )
        );
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, preAuthId));

        vm.expectEmit();
        emit IClaimsSettlement.PreAuthDenied(preAuthId, SEALED_REASON);
        vm.prank(insurer);
        claims.denyPreAuth(preAuthId, SEALED_REASON);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.PreAuthInvalidStatus.selector,
                preAuthId,
                IClaimsSettlement.PreAuthStatus.Denied
            )
        );
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, preAuthId));
    }

    function test_submitClaim_revertsWithExpiredPreAuth() public {
        uint256 preAuthId = _approvedPreAuth(400 * USD, T0 + DAY);
        vm.warp(T0 + 3 * DAY);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthExpired.selector, preAuthId, uint40(T0 + DAY)));
        _submit(_request(coverageId, CLASS_SURGERY, 100 * USD, preAuthId));
    }

    function test_submitClaim_revertsWithMismatchedOrExceededPreAuth() public {
        uint256 preAuthId = _approvedPreAuth(400 * USD, T0 + 30 * DAY);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthMismatch.selector, preAuthId));
        _submit(_request(coverageId, CLASS_OUTPATIENT, 100 * USD, preAuthId));

        consents.setConsent(patient, otherProvider, 7, Purpose.Treatment, 1);
        consents.setConsent(patient, otherProvider, 5, Purpose.Treatment, 1);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthMismatch.selector, preAuthId));
        vm.prank(otherProvider);
        claims.submitClaim(_request(coverageId, CLASS_SURGERY, 100 * USD, preAuthId));

        uint256 otherCoverage = _offer(otherPatient, planId, T0 - DAY, T0 + 100 * DAY);
        vm.prank(otherPatient);
        claims.acceptCoverage(otherCoverage);
        IClaimsSettlement.ClaimRequest memory request = _request(otherCoverage, CLASS_SURGERY, 100 * USD, preAuthId);
        request.evidence = new uint256[](1);
        request.evidence[0] = RECORD_OTHER_PATIENT;
        consents.setConsent(otherPatient, insurer, 7, _claimsPurpose(), 1);
        consents.setConsent(otherPatient, provider, 7, Purpose.Treatment, 1);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthMismatch.selector, preAuthId));
        _submit(request);

        vm.warp(T0 + 2 hours);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PreAuthExceeded.selector, preAuthId, 400 * USD, 401 * USD)
        );
        _submit(_request(coverageId, CLASS_SURGERY, 401 * USD, preAuthId));
    }

    function test_preAuth_revertsForWrongCallerOrInput() public {
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, PROVIDER_ROLE, stranger)
        );
        vm.prank(stranger);
        claims.requestPreAuth(coverageId, CLASS_SURGERY, 1, _evidence());

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.CoverageUnknown.selector, 55));
        vm.prank(provider);
        claims.requestPreAuth(55, CLASS_SURGERY, 1, _evidence());

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidServiceClass.selector, 16));
        vm.prank(provider);
        claims.requestPreAuth(coverageId, 16, 1, _evidence());

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidAmount.selector, 0, type(uint80).max));
        vm.prank(provider);
        claims.requestPreAuth(coverageId, CLASS_SURGERY, 0, _evidence());

        uint256 preAuthId = _requestPreAuth(400 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.approvePreAuth(preAuthId, 1, uint40(T0 + DAY));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, provider));
        vm.prank(provider);
        claims.denyPreAuth(preAuthId, SEALED_REASON);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthInvalidExpiry.selector, uint40(T0)));
        vm.prank(insurer);
        claims.approvePreAuth(preAuthId, 1, uint40(T0));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PreAuthUnknown.selector, 99));
        vm.prank(insurer);
        claims.approvePreAuth(99, 1, uint40(T0 + DAY));

        vm.prank(insurer);
        claims.approvePreAuth(preAuthId, 1, uint40(T0 + DAY));
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.PreAuthInvalidStatus.selector,
                preAuthId,
                IClaimsSettlement.PreAuthStatus.Approved
            )
        );
        vm.prank(insurer);
        claims.denyPreAuth(preAuthId, SEALED_REASON);
    }

    // --- Claims: automatic adjudication --------------------------------------------------------

    function test_submitClaim_autoApprovesAndCredits() public {
        IClaimsSettlement.ClaimRequest memory request = _request(300 * USD);
        uint256 expectedId = uint256(keccak256(abi.encode(provider, request.encounterCommitment)));
        vm.assertEq(claims.claimOfEncounter(provider, request.encounterCommitment), 0, "encounter not yet claimed");
        // 100 deductible, then 80% of 200 = 160 paid by the plan; the patient owes 140.
        vm.expectEmit();
        emit IClaimsSettlement.ClaimSubmitted(
            expectedId,
            patient,
            provider,
            coverageId,
            CLASS_OUTPATIENT,
            request.serviceDate,
            300 * USD,
            request.encounterCommitment,
            request.claimCommitment,
            request.evidence,
            0
        );
        vm.expectEmit();
        emit IClaimsSettlement.ClaimApproved(expectedId, 300 * USD, 160 * USD, 140 * USD, true);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimPaid(expectedId, provider, insurer, 160 * USD);
        uint256 claimId = _submit(request);
        vm.assertEq(claimId, expectedId, "claim id is the provider's encounter");

        IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
        vm.assertEq(uint256(claim.status), uint256(IClaimsSettlement.ClaimStatus.Approved), "approved");
        vm.assertEq(claim.allowed, 300 * USD, "allowed");
        vm.assertEq(claim.payerAmount, 160 * USD, "payer");
        vm.assertEq(claims.creditOf(provider, insurer), 160 * USD, "credit");
        vm.assertEq(claims.getPool(insurer).reserved, 160 * USD, "reserved");
        vm.assertEq(claims.claimOfEncounter(provider, request.encounterCommitment), claimId, "encounter");
        IClaimsSettlement.Usage memory usage = claims.getUsage(coverageId, 0);
        vm.assertEq(usage.deductibleMet, 100 * USD, "deductible met");
        vm.assertEq(usage.paid, 160 * USD, "paid");

        // The deductible is met: the next claim is paid at 80% from the first unit.
        _submit(_request(100 * USD));
        vm.assertEq(claims.creditOf(provider, insurer), 240 * USD, "second credit");
    }

    function test_submitClaim_withinDeductiblePaysNothing() public {
        uint256 claimId = _submit(_request(60 * USD));
        vm.assertEq(claims.getClaim(claimId).payerAmount, 0, "payer");
        vm.assertEq(claims.creditOf(provider, insurer), 0, "credit");
        (uint256 payer, uint256 share) = claims.quote(coverageId, uint40(T0), 100 * USD);
        vm.assertEq(payer, 48 * USD, "quote payer"); // 40 deductible left, then 80% of 60
        vm.assertEq(share, 52 * USD, "quote share");
    }

    function test_submitClaim_capsPayoutAtAnnualLimitThenRejects() public {
        IClaimsSettlement.PlanTerms memory terms = _terms();
        terms.deductible = 0;
        terms.annualLimit = uint80(250 * USD);
        vm.prank(insurer);
        uint256 smallPlan = claims.createPlan(terms);
        uint256 id = _offer(patient, smallPlan, T0 - DAY, T0 + 365 * DAY);
        vm.prank(patient);
        claims.acceptCoverage(id);

        uint256 first = _submit(_request(id, CLASS_OUTPATIENT, 200 * USD, 0)); // pays 160
        uint256 second = _submit(_request(id, CLASS_OUTPATIENT, 200 * USD, 0)); // 160 capped to 90
        vm.assertEq(claims.getClaim(first).payerAmount, 160 * USD, "first");
        vm.assertEq(claims.getClaim(second).payerAmount, 90 * USD, "capped");

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimAnnualLimitReached.selector, id, 0, 250 * USD));
        _submit(_request(id, CLASS_OUTPATIENT, 10 * USD, 0));

        // A new plan year starts afresh.
        vm.warp(T0 + 365 * DAY);
        uint256 nextYear = _submit(_request(id, CLASS_OUTPATIENT, 100 * USD, 0));
        vm.assertEq(claims.getClaim(nextYear).planYear, 1, "plan year");
        vm.assertEq(claims.getClaim(nextYear).payerAmount, 80 * USD, "paid again");
    }

    function test_submitClaim_revertsWhenThePoolCannotHoldItsWorstCase() public {
        vm.prank(insurer);
        claims.withdrawPool(10_000 * USD - 200 * USD, insurer); // 200 left; the claim's worst case is 240
        IClaimsSettlement.ClaimRequest memory request = _request(300 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PoolInsufficientFunds.selector, insurer, 200 * USD, 240 * USD)
        );
        _submit(request);

        _fund(insurer, 40 * USD);
        uint256 claimId = _submit(request);
        vm.assertEq(claims.creditOf(provider, insurer), 160 * USD, "paid once the pool can hold it");
        vm.assertEq(claims.getPool(insurer).reserved, 160 * USD, "only the credit stays reserved");
        vm.assertEq(claims.holdOf(claimId), 0, "a full approval holds nothing more");
    }

    // --- Claims: submission rejections ---------------------------------------------------------

    function test_submitClaim_revertsForNonCredentialedOrSuspendedProvider() public {
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, PROVIDER_ROLE, stranger)
        );
        vm.prank(stranger);
        claims.submitClaim(request);

        registry.setCredentialed(PROVIDER_ROLE, provider, false); // suspended
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, PROVIDER_ROLE, provider)
        );
        _submit(request);
    }

    function test_submitClaim_revertsWhenInsurerSuspended() public {
        registry.setCredentialed(INSURER_ROLE, insurer, false);
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageNotEligible.selector,
                coverageId,
                request.serviceDate,
                IClaimsSettlement.Eligibility.InsurerNotCredentialed
            )
        );
        _submit(request);
    }

    function test_submitClaim_revertsWhenNotEligible() public {
        // Not covered at all.
        IClaimsSettlement.ClaimRequest memory request = _request(99, CLASS_OUTPATIENT, 100 * USD, 0);
        _expectNotEligible(request, IClaimsSettlement.Eligibility.NoCoverage);

        // Coverage offered but not accepted.
        uint256 offered = _offer(patient, _createPlan(insurer), T0 - DAY, T0 + DAY);
        request = _request(offered, CLASS_OUTPATIENT, 100 * USD, 0);
        _expectNotEligible(request, IClaimsSettlement.Eligibility.CoverageNotAccepted);

        // Service before the coverage started.
        request = _request(100 * USD);
        request.serviceDate = uint40(T0 - 31 * DAY);
        _expectNotEligible(request, IClaimsSettlement.Eligibility.CoverageNotStarted);

        // Coverage expired before the service.
        vm.warp(T0 + 340 * DAY);
        request = _request(100 * USD);
        _expectNotEligible(request, IClaimsSettlement.Eligibility.CoverageExpired);
    }

    function _expectNotEligible(
        IClaimsSettlement.ClaimRequest memory request,
        IClaimsSettlement.Eligibility reason
    ) private {
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.CoverageNotEligible.selector,
                request.coverageId,
                request.serviceDate,
                reason
            )
        );
        _submit(request);
    }

    function test_submitClaim_revertsOnBadEvidence() public {
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        request.evidence[1] = RECORD_OTHER_PATIENT;
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimEvidenceNotOfPatient.selector,
                RECORD_OTHER_PATIENT,
                patient,
                otherPatient
            )
        );
        _submit(request);

        request.evidence[1] = RECORD_NO_CONSENT;
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimEvidenceNoConsent.selector, RECORD_NO_CONSENT, insurer, 2)
        );
        _submit(request);

        request.evidence[1] = 1234;
        vm.expectRevert(abi.encodeWithSelector(RecordsDouble.RecordsDoubleUnknownRecord.selector, 1234));
        _submit(request);

        request.evidence = new uint256[](0);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidEvidenceCount.selector, 0, 16));
        _submit(request);

        request.evidence = new uint256[](17);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidEvidenceCount.selector, 17, 16));
        _submit(request);
    }

    function test_submitClaim_revertsWhenConsentRevoked() public {
        consents.setConsent(patient, insurer, 5, _claimsPurpose(), 0);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimEvidenceNoConsent.selector, RECORD_IMAGING, insurer, 5)
        );
        _submit(_request(100 * USD));
    }

    function test_submitClaim_revertsOnDuplicateEncounter() public {
        IClaimsSettlement.ClaimRequest memory request = _request(300 * USD); // auto-approved, 160 paid
        uint256 claimId = _submit(request);
        request.claimCommitment = keccak256("a different claim for the same encounter");
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimDuplicateEncounter.selector,
                request.encounterCommitment,
                claimId
            )
        );
        _submit(request);

        // A claim's id is its encounter: once final, resubmitting it must still not start it over.
        claims.closeClaim(claimId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimDuplicateEncounter.selector,
                request.encounterCommitment,
                claimId
            )
        );
        _submit(request);
        IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
        vm.assertEq(uint256(claim.status), uint256(IClaimsSettlement.ClaimStatus.Closed), "still closed");
        vm.assertEq(claims.creditOf(provider, insurer), claim.payerAmount, "credited once");
    }

    function test_submitClaim_revertsOnZeroEncounter() public {
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        request.encounterCommitment = bytes32(0);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidEncounter.selector, bytes32(0)));
        _submit(request);
        vm.assertEq(claims.claimOfEncounter(provider, bytes32(0)), 0, "no claim 0");
    }

    function test_submitClaim_revertsOnBadInput() public {
        IClaimsSettlement.ClaimRequest memory request = _request(100 * USD);
        request.serviceClass = 16;
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidServiceClass.selector, 16));
        _submit(request);

        request = _request(100 * USD);
        request.serviceDate = uint40(block.timestamp + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimServiceDateInFuture.selector, request.serviceDate)
        );
        _submit(request);

        request = _request(0);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidAmount.selector, 0, type(uint80).max));
        _submit(request);

        request = _request(uint256(type(uint80).max) + 1);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidAmount.selector,
                uint256(type(uint80).max) + 1,
                type(uint80).max
            )
        );
        _submit(request);
    }

    // --- Claims: insurer review --------------------------------------------------------------

    function test_approveClaim_fullApproval() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimApproved(claimId, 1_000 * USD, 720 * USD, 280 * USD, false);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimPaid(claimId, provider, insurer, 720 * USD);
        vm.prank(insurer);
        claims.approveClaim(claimId, 1_000 * USD);
        vm.assertEq(claims.creditOf(provider, insurer), 720 * USD, "credit");

        // Fully approved: nothing to appeal, closes at once.
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimNotAppealable.selector, claimId));
        vm.prank(patient);
        claims.appealClaim(claimId, keccak256("more"));
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Approved);
        claims.closeClaim(claimId);
    }

    function test_approveClaim_partialWithinDeductiblePaysNothing() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimApproved(claimId, 50 * USD, 0, 50 * USD, false);
        vm.prank(insurer);
        claims.approveClaim(claimId, 50 * USD);
        vm.assertEq(claims.getPool(insurer).reserved, 800 * USD, "the worst case stays held while appealable");
        vm.warp(block.timestamp + 30 * DAY + 1);
        claims.closeClaim(claimId);
        vm.assertEq(claims.getPool(insurer).reserved, 0, "released once final");
    }

    function test_approveClaim_revertsForWrongCallerStatusOrAmount() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.approveClaim(claimId, 1);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, provider));
        vm.prank(provider);
        claims.approveClaim(claimId, 1);

        registry.setCredentialed(INSURER_ROLE, insurer, false);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimsMissingCredential.selector, INSURER_ROLE, insurer)
        );
        vm.prank(insurer);
        claims.approveClaim(claimId, 1);
        registry.setCredentialed(INSURER_ROLE, insurer, true);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidAmount.selector, 0, 1_000 * USD));
        vm.prank(insurer);
        claims.approveClaim(claimId, 0);

        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidAmount.selector, 1_001 * USD, 1_000 * USD)
        );
        vm.prank(insurer);
        claims.approveClaim(claimId, 1_001 * USD);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimUnknown.selector, 404));
        vm.prank(insurer);
        claims.approveClaim(404, 1);
    }

    function test_approveClaim_cannotPayTwice() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.approveClaim(claimId, 1_000 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidStatus.selector,
                claimId,
                IClaimsSettlement.ClaimStatus.Approved
            )
        );
        vm.prank(insurer);
        claims.approveClaim(claimId, 1_000 * USD);

        vm.prank(provider);
        claims.withdraw(insurer);
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PayoutNothingToWithdraw.selector, provider, insurer));
        vm.prank(provider);
        claims.withdraw(insurer);
        vm.assertEq(token.balanceOf(provider), 720 * USD, "paid once");
    }

    function test_review_outOfWindow() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.warp(T0 + 14 * DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowClosed.selector, claimId, T0 + 14 * DAY)
        );
        vm.prank(insurer);
        claims.approveClaim(claimId, 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowClosed.selector, claimId, T0 + 14 * DAY)
        );
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);
    }

    function test_denyClaim_refusesAnEmptyOrOversizedSealedReason() public {
        uint256 claimId = _submitPending(1_000 * USD);
        uint256 max = claims.MAX_SEALED_REASON();
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.DenialReasonInvalidLength.selector, 0, max));
        vm.prank(insurer);
        claims.denyClaim(claimId, "");
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.DenialReasonInvalidLength.selector, max + 1, max));
        vm.prank(insurer);
        claims.denyClaim(claimId, new bytes(max + 1));
    }

    function test_denyClaim_thenAppealAndOverturn() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.denyClaim(claimId, SEALED_REASON);

        vm.expectEmit();
        emit IClaimsSettlement.ClaimDenied(claimId, SEALED_REASON);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidStatus.selector,
                claimId,
                IClaimsSettlement.ClaimStatus.Denied
            )
        );
        vm.prank(insurer);
        claims.decideAppeal(claimId, true, 1);

        vm.warp(T0 + 10 * DAY);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimAppealed(claimId, provider, keccak256("x-ray report"));
        vm.prank(provider);
        claims.appealClaim(claimId, keccak256("x-ray report"));

        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimInvalidAmount.selector, 1_001 * USD, 1_000 * USD)
        );
        vm.prank(insurer);
        claims.decideAppeal(claimId, true, 1_001 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PlanUnauthorizedInsurer.selector, planId, otherInsurer)
        );
        vm.prank(otherInsurer);
        claims.decideAppeal(claimId, true, 600 * USD);

        vm.expectEmit();
        emit IClaimsSettlement.AppealDecided(claimId, true, 600 * USD, 400 * USD, 200 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimPaid(claimId, provider, insurer, 400 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Approved);
        vm.prank(insurer);
        claims.decideAppeal(claimId, true, 600 * USD);
        vm.assertEq(uint256(claims.getClaim(claimId).status), uint256(IClaimsSettlement.ClaimStatus.Closed), "closed");
        vm.assertEq(claims.creditOf(provider, insurer), 400 * USD, "credit");
    }

    function test_partialApproval_appealedByPatient_overturnPaysTheDifference() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.approveClaim(claimId, 600 * USD); // 100 deductible + 80% of 500 = 400

        vm.prank(patient);
        claims.appealClaim(claimId, keccak256("second opinion"));
        vm.prank(insurer);
        claims.decideAppeal(claimId, true, 1_000 * USD); // 400 more allowed at 80% = 320 more
        IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
        vm.assertEq(claim.allowed, 1_000 * USD, "allowed");
        vm.assertEq(claim.payerAmount, 720 * USD, "payer");
        vm.assertEq(claims.creditOf(provider, insurer), 720 * USD, "credit");
        vm.assertEq(claims.getUsage(coverageId, 0).paid, 720 * USD, "usage");
    }

    function test_appeal_upheld() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);
        vm.prank(patient);
        claims.appealClaim(claimId, keccak256("letter"));

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidStatus.selector,
                claimId,
                IClaimsSettlement.ClaimStatus.Appealed
            )
        );
        vm.prank(provider);
        claims.appealClaim(claimId, keccak256("again"));

        vm.expectEmit();
        emit IClaimsSettlement.AppealDecided(claimId, false, 0, 0, 0);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Denied);
        vm.prank(insurer);
        claims.decideAppeal(claimId, false, 0);
    }

    function test_appeal_revertsForStrangerOrOutOfWindow() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimUnauthorizedCaller.selector, claimId, stranger));
        vm.prank(stranger);
        claims.appealClaim(claimId, bytes32(0));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimUnauthorizedCaller.selector, claimId, insurer));
        vm.prank(insurer);
        claims.appealClaim(claimId, bytes32(0));

        vm.warp(T0 + 30 * DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimAppealWindowClosed.selector, claimId, T0 + 30 * DAY)
        );
        vm.prank(provider);
        claims.appealClaim(claimId, bytes32(0));

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimUnknown.selector, 31));
        claims.appealClaim(31, bytes32(0));
    }

    function test_appeal_overduePendingClaim() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowOpen.selector, claimId, T0 + 14 * DAY)
        );
        vm.prank(provider);
        claims.appealClaim(claimId, bytes32(0));

        vm.warp(T0 + 14 * DAY + 1);
        vm.prank(provider);
        claims.appealClaim(claimId, keccak256("no answer in 14 days"));
        vm.prank(insurer);
        claims.decideAppeal(claimId, true, 1_000 * USD);
        vm.assertEq(claims.creditOf(provider, insurer), 720 * USD, "credit");
    }

    function test_appeal_overduePendingClaim_windowEnds() public {
        uint256 claimId = _submitPending(1_000 * USD);
        // Denied in effect at T0 + 14 days; appealable for the 30-day appeal window from there.
        vm.warp(T0 + 44 * DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimAppealWindowClosed.selector, claimId, T0 + 44 * DAY)
        );
        vm.prank(patient);
        claims.appealClaim(claimId, bytes32(0));
    }

    function test_closeClaim_overduePendingClaimIsDeniedOnceUnappealable() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.warp(T0 + 14 * DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimAppealWindowOpen.selector, claimId, T0 + 44 * DAY)
        );
        claims.closeClaim(claimId);

        vm.warp(T0 + 44 * DAY + 1);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Denied);
        vm.prank(stranger);
        claims.closeClaim(claimId);
        vm.assertEq(uint256(claims.getClaim(claimId).status), uint256(IClaimsSettlement.ClaimStatus.Closed), "closed");
        vm.assertEq(claims.creditOf(provider, insurer), 0, "nothing paid");
    }

    function test_decideAppeal_revertsAfterDecisionDeadline() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);
        vm.warp(T0 + 5 * DAY);
        vm.prank(provider);
        claims.appealClaim(claimId, keccak256("letter"));

        vm.warp(T0 + 19 * DAY + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowClosed.selector, claimId, T0 + 19 * DAY)
        );
        vm.prank(insurer);
        claims.decideAppeal(claimId, false, 0);
    }

    function test_closeClaim_undecidedAppealIsOverturnedToBilled() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.approveClaim(claimId, 600 * USD); // 100 deductible + 80% of 500 = 400
        vm.warp(T0 + 2 * DAY);
        vm.prank(patient);
        claims.appealClaim(claimId, keccak256("second opinion"));

        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowOpen.selector, claimId, T0 + 16 * DAY)
        );
        claims.closeClaim(claimId);

        vm.warp(T0 + 16 * DAY + 1);
        vm.expectEmit();
        emit IClaimsSettlement.AppealDeadlineMissed(claimId, T0 + 16 * DAY);
        vm.expectEmit();
        emit IClaimsSettlement.AppealDecided(claimId, true, 1_000 * USD, 720 * USD, 280 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimPaid(claimId, provider, insurer, 320 * USD);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Approved);
        vm.prank(stranger);
        claims.closeClaim(claimId);
        vm.assertEq(claims.creditOf(provider, insurer), 720 * USD, "credit");
        vm.assertEq(claims.getPool(insurer).reserved, 720 * USD, "reserved");
    }

    function test_closeClaim_undecidedAppealAlwaysPays_insurerCannotWithdrawItsHold() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);
        vm.prank(provider);
        claims.appealClaim(claimId, keccak256("letter"));
        vm.assertEq(claims.holdOf(claimId), 800 * USD, "worst case held");

        // Even suspended, the insurer can take only what no open claim may still need.
        registry.setCredentialed(INSURER_ROLE, insurer, false);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.PoolInsufficientFunds.selector, insurer, 9_200 * USD, 10_000 * USD)
        );
        vm.prank(insurer);
        claims.withdrawPool(10_000 * USD, insurer);
        vm.prank(insurer);
        claims.withdrawPool(9_200 * USD, insurer);

        vm.warp(T0 + 14 * DAY + 1);
        claims.closeClaim(claimId);
        vm.assertEq(claims.creditOf(provider, insurer), 720 * USD, "credit");
        IClaimsSettlement.Pool memory pool = claims.getPool(insurer);
        vm.assertEq(pool.reserved, 720 * USD, "what was not paid is released");
        vm.assertEq(pool.balance, 800 * USD, "balance");
        vm.prank(provider);
        claims.withdraw(insurer);
        vm.assertEq(token.balanceOf(provider), 720 * USD, "paid");
    }

    function test_closeClaim_afterAppealWindow() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimReviewWindowOpen.selector, claimId, T0 + 14 * DAY)
        );
        claims.closeClaim(claimId);

        vm.prank(insurer);
        claims.approveClaim(claimId, 500 * USD);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimAppealWindowOpen.selector, claimId, T0 + 30 * DAY)
        );
        claims.closeClaim(claimId);

        vm.warp(T0 + 30 * DAY + 1);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Approved);
        vm.prank(stranger);
        claims.closeClaim(claimId);

        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidStatus.selector,
                claimId,
                IClaimsSettlement.ClaimStatus.Closed
            )
        );
        claims.closeClaim(claimId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IClaimsSettlement.ClaimInvalidStatus.selector,
                claimId,
                IClaimsSettlement.ClaimStatus.Closed
            )
        );
        vm.prank(provider);
        claims.appealClaim(claimId, bytes32(0));
    }

    function test_closeClaim_deniedAfterWindow() public {
        uint256 claimId = _submitPending(1_000 * USD);
        vm.prank(insurer);
        claims.denyClaim(claimId, SEALED_REASON);
        vm.expectRevert(
            abi.encodeWithSelector(IClaimsSettlement.ClaimAppealWindowOpen.selector, claimId, T0 + 30 * DAY)
        );
        claims.closeClaim(claimId);
        vm.warp(T0 + 31 * DAY);
        vm.expectEmit();
        emit IClaimsSettlement.ClaimClosed(claimId, IClaimsSettlement.ClaimStatus.Denied);
        claims.closeClaim(claimId);

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimUnknown.selector, 8));
        claims.closeClaim(8);
    }

    // --- Payouts -----------------------------------------------------------------------------

    function test_withdraw_paysCreditAndReleasesReserve() public {
        _submit(_request(300 * USD));
        vm.expectEmit();
        emit IClaimsSettlement.PayoutWithdrawn(provider, insurer, 160 * USD);
        vm.prank(provider);
        uint256 amount = claims.withdraw(insurer);
        vm.assertEq(amount, 160 * USD, "amount");
        vm.assertEq(token.balanceOf(provider), 160 * USD, "tokens");
        IClaimsSettlement.Pool memory pool = claims.getPool(insurer);
        vm.assertEq(pool.balance, 10_000 * USD - 160 * USD, "balance");
        vm.assertEq(pool.reserved, 0, "reserved");
        vm.assertEq(claims.creditOf(provider, insurer), 0, "credit");
    }

    function test_withdraw_staysPayableAfterSuspension() public {
        _submit(_request(300 * USD));
        registry.setCredentialed(PROVIDER_ROLE, provider, false);
        vm.prank(provider);
        claims.withdraw(insurer);
        vm.assertEq(token.balanceOf(provider), 160 * USD, "earned payout still paid");
    }

    function test_withdraw_revertsWithNothingOwed() public {
        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.PayoutNothingToWithdraw.selector, stranger, insurer));
        vm.prank(stranger);
        claims.withdraw(insurer);
    }

    function test_withdraw_reentrancyAttemptFails() public {
        (ReentrantToken evil, ClaimsSettlement evilClaims, uint256 evilCoverage) = _reentrantWorld();
        // The token itself is the provider owed the payout, and re-enters `withdraw` from its transfer.
        evil.execute(
            address(evilClaims),
            abi.encodeCall(IClaimsSettlement.submitClaim, (_request(evilCoverage, 0, 300 * USD, 0)))
        );
        vm.assertEq(evilClaims.creditOf(address(evil), insurer), 160 * USD, "credited");
        evil.arm(evilClaims, ReentrantToken.Attack.Withdraw, insurer);

        evil.execute(address(evilClaims), abi.encodeCall(IClaimsSettlement.withdraw, (insurer)));
        vm.assertTrue(evil.reentryAttempted(), "attempted");
        vm.assertFalse(evil.reentrySucceeded(), "blocked");
        vm.assertEq(
            evil.reentryError(),
            abi.encodeWithSelector(ReentrancyGuardTransient.ReentrancyGuardReentrantCall.selector),
            "guard"
        );
        vm.assertEq(evil.balanceOf(address(evil)), 160 * USD, "paid once");
        vm.assertEq(evil.balanceOf(address(evilClaims)), 10_000 * USD - 160 * USD, "pool intact");
        IClaimsSettlement.Pool memory pool = evilClaims.getPool(insurer);
        vm.assertEq(pool.balance, 10_000 * USD - 160 * USD, "pool balance");
        vm.assertEq(pool.reserved, 0, "reserved");
    }

    function test_withdrawPool_reentrancyAttemptFails() public {
        (ReentrantToken evil, ClaimsSettlement evilClaims, ) = _reentrantWorld();
        registry.setCredentialed(INSURER_ROLE, address(evil), true);
        evil.mint(address(evil), 1_000 * USD);
        evil.execute(address(evil), abi.encodeCall(IERC20.approve, (address(evilClaims), 1_000 * USD)));
        evil.execute(address(evilClaims), abi.encodeCall(IClaimsSettlement.fundPool, (1_000 * USD)));
        evil.arm(evilClaims, ReentrantToken.Attack.WithdrawPool, address(0));

        evil.execute(address(evilClaims), abi.encodeCall(IClaimsSettlement.withdrawPool, (1_000 * USD, address(evil))));
        vm.assertFalse(evil.reentrySucceeded(), "blocked");
        vm.assertEq(evilClaims.getPool(address(evil)).balance, 0, "withdrawn once");
        vm.assertEq(evil.balanceOf(address(evilClaims)), 10_000 * USD, "other pool intact");
    }

    function _reentrantWorld()
        private
        returns (ReentrantToken evil, ClaimsSettlement evilClaims, uint256 evilCoverage)
    {
        evil = new ReentrantToken();
        evilClaims = new ClaimsSettlement(registry, consents, records, IERC20(address(evil)));
        registry.setCredentialed(PROVIDER_ROLE, address(evil), true);
        consents.setConsent(patient, address(evil), 7, Purpose.Treatment, 1);
        consents.setConsent(patient, address(evil), 5, Purpose.Treatment, 1);
        evil.mint(insurer, 10_000 * USD);
        vm.prank(insurer);
        evil.approve(address(evilClaims), 10_000 * USD);
        vm.prank(insurer);
        evilClaims.fundPool(10_000 * USD);
        vm.prank(insurer);
        uint256 plan = evilClaims.createPlan(_terms());
        vm.prank(insurer);
        evilCoverage = evilClaims.offerCoverage(patient, plan, uint40(T0 - DAY), uint40(T0 + 365 * DAY));
        vm.prank(patient);
        evilClaims.acceptCoverage(evilCoverage);
    }

    // --- Views and token ---------------------------------------------------------------------

    function test_views() public view {
        vm.assertEq(claims.MAX_EVIDENCE(), 16, "max evidence");
        vm.assertEq(claims.stablecoin(), address(token), "stablecoin");
        vm.assertEq(claims.getPreAuth(1).provider, address(0), "no pre-auth");
    }

    function test_quote_beforeCoverageStartUsesFirstYear() public view {
        (uint256 payer, ) = claims.quote(coverageId, uint40(T0 - 60 * DAY), 200 * USD);
        vm.assertEq(payer, 80 * USD, "quote");
    }

    function test_faucet_isRateLimited() public {
        vm.prank(stranger);
        token.faucet();
        vm.assertEq(token.balanceOf(stranger), token.FAUCET_AMOUNT(), "minted");
        vm.assertEq(token.decimals(), 6, "decimals");
        vm.expectRevert(
            abi.encodeWithSelector(MockStablecoin.FaucetCooldown.selector, stranger, block.timestamp + DAY)
        );
        vm.prank(stranger);
        token.faucet();
        vm.warp(block.timestamp + DAY);
        vm.prank(stranger);
        token.faucet();
        vm.assertEq(token.balanceOf(stranger), 2 * token.FAUCET_AMOUNT(), "minted twice");
    }

    function _claimsPurpose() private pure returns (Purpose) {
        return Purpose.Claims;
    }
}
