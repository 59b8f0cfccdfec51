// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IClaimsSettlement} from "../interfaces/IClaimsSettlement.sol";
import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {IConsentView} from "../interfaces/IConsentView.sol";
import {IRecordView} from "../interfaces/IRecordView.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    GUARDIAN_MANAGE_CONSENT,
    INSURER_ROLE,
    PROVIDER_ROLE,
    Purpose
} from "../libraries/CareTypes.sol";

// Windows and limits are inclusive by definition (a decision at the deadline second is in time), and
// private immutables follow the `_private` convention of STYLE.md / OpenZeppelin.
// solhint-disable gas-strict-inequalities, immutable-vars-naming

/// @title ClaimsSettlement
/// @notice See {IClaimsSettlement}. Plans, coverage, per-insurer stablecoin pools, pre-authorisation,
/// claims with automatic or insurer adjudication, pull-payment payouts and appeals.
/// @dev Storage is packed so that the hot paths fit their gas budgets: a claim is two slots, a pool one,
/// a member's plan-year usage one. Amounts per plan and claim are `uint80` (over 10^18 units of a
/// 6-decimal stablecoin); pool totals are `uint128`. The claim commitment is emitted, not stored: the
/// receipt holding {ClaimSubmitted} is as binding on chain and costs 20k gas less per claim. A claim's id
/// is derived from its provider and encounter commitment, so the claim's own slot is the
/// duplicate-encounter check: no counter and no encounter index to write (about 27k gas less per claim).
/// A claim's hold (its worst case still unpaid) is recomputed from the claim and its plan, never stored.
contract ClaimsSettlement is IClaimsSettlement, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IClaimsSettlement
    uint256 public constant MAX_EVIDENCE = 16;

    /// @inheritdoc IClaimsSettlement
    uint256 public constant MAX_SEALED_REASON = 256;

    uint256 private constant _BPS = 10_000;
    uint256 private constant _SERVICE_CLASSES = 16;
    uint256 private constant _PLAN_YEAR = 365 days;

    ICareRegistryView private immutable _registry;
    IConsentView private immutable _consents;
    IRecordView private immutable _records;
    IERC20 private immutable _stablecoin;

    struct Counters {
        uint32 plans;
        uint32 coverages;
        uint64 preAuths;
    }

    Counters private _counters;

    mapping(uint256 planId => Plan) private _plans;
    mapping(uint256 coverageId => Coverage) private _coverages;
    mapping(address patient => mapping(uint256 planId => uint256 coverageId)) private _coverageOf;
    mapping(uint256 preAuthId => PreAuth) private _preAuths;
    mapping(uint256 claimId => Claim) private _claims;
    mapping(address insurer => Pool) private _pools;
    mapping(address provider => mapping(address insurer => uint256)) private _credits;
    mapping(uint256 coverageId => mapping(uint256 planYear => Usage)) private _usage;

    constructor(ICareRegistryView registry, IConsentView consents, IRecordView records, IERC20 stablecoin_) {
        _registry = registry;
        _consents = consents;
        _records = records;
        _stablecoin = stablecoin_;
    }

    // --- Plans -------------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function createPlan(PlanTerms calldata terms) external returns (uint256 planId) {
        _requireCredential(INSURER_ROLE, msg.sender);
        if (terms.coverageBps > _BPS || terms.reviewWindow == 0 || terms.appealWindow == 0 || terms.filingWindow == 0) {
            revert PlanInvalidTerms(terms.coverageBps, terms.reviewWindow, terms.appealWindow, terms.filingWindow);
        }
        planId = ++_counters.plans;
        _plans[planId] = Plan({
            insurer: msg.sender,
            coverageBps: terms.coverageBps,
            preAuthClasses: terms.preAuthClasses,
            deactivatedAt: 0,
            deductible: terms.deductible,
            annualLimit: terms.annualLimit,
            autoApproveThreshold: terms.autoApproveThreshold,
            reviewWindow: terms.reviewWindow,
            appealWindow: terms.appealWindow,
            filingWindow: terms.filingWindow,
            autoApproveAnnualCap: terms.autoApproveAnnualCap
        });
        emit PlanCreated(planId, msg.sender, terms);
    }

    /// @inheritdoc IClaimsSettlement
    function deactivatePlan(uint256 planId) external {
        Plan storage plan = _plan(planId);
        _requireInsurerOf(plan, planId);
        if (plan.deactivatedAt != 0) revert PlanInactive(planId);
        plan.deactivatedAt = uint40(block.timestamp);
        emit PlanDeactivated(planId, uint40(block.timestamp));
    }

    // --- Coverage ----------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function offerCoverage(
        address patient,
        uint256 planId,
        uint40 start,
        uint40 end
    ) external returns (uint256 coverageId) {
        Plan storage plan = _plan(planId);
        _requireInsurerOf(plan, planId);
        if (plan.deactivatedAt != 0) revert PlanInactive(planId);
        if (!_registry.isPatient(patient)) revert CoverageNotPatient(patient);
        if (start >= end || end <= block.timestamp) revert CoverageInvalidPeriod(start, end);

        coverageId = ++_counters.coverages;
        _coverages[coverageId] = Coverage({
            patient: patient,
            start: start,
            end: end,
            status: CoverageStatus.Offered,
            planId: uint32(planId),
            firstYearDeductibleMet: 0,
            firstYearPaid: 0,
            firstYearAutoApproved: 0
        });
        // A renewal offer does not hide the coverage the patient already accepted; acceptance moves the pointer.
        if (_coverages[_coverageOf[patient][planId]].status != CoverageStatus.Accepted) {
            _coverageOf[patient][planId] = coverageId;
        }
        emit CoverageOffered(coverageId, planId, patient, start, end);
    }

    /// @inheritdoc IClaimsSettlement
    function acceptCoverage(uint256 coverageId) external {
        Coverage storage coverage = _coverage(coverageId);
        if (coverage.status != CoverageStatus.Offered) revert CoverageInvalidStatus(coverageId, coverage.status);
        address patient = coverage.patient;
        if (
            msg.sender != _registry.controllerOf(patient) &&
            !_registry.isGuardian(patient, msg.sender, GUARDIAN_MANAGE_CONSENT)
        ) {
            revert CoverageUnauthorizedAcceptor(coverageId, msg.sender);
        }
        coverage.status = CoverageStatus.Accepted;
        _coverageOf[patient][coverage.planId] = coverageId;
        emit CoverageAccepted(coverageId, patient, msg.sender);
    }

    /// @inheritdoc IClaimsSettlement
    function checkEligibility(
        address patient,
        uint256 planId,
        uint40 serviceDate
    ) external view returns (Eligibility reason, uint256 coverageId) {
        coverageId = _coverageOf[patient][planId];
        reason = _eligibility(_coverages[coverageId], serviceDate);
    }

    /// @inheritdoc IClaimsSettlement
    function coverageEligibility(uint256 coverageId, uint40 serviceDate) external view returns (Eligibility) {
        return _eligibility(_coverages[coverageId], serviceDate);
    }

    // --- Pools -------------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function fundPool(uint256 amount) external nonReentrant {
        _requireCredential(INSURER_ROLE, msg.sender);
        if (amount == 0) revert PoolZeroAmount();
        // Credit what actually arrived, so a token that takes a fee cannot leave the pool over-counted.
        uint256 before = _stablecoin.balanceOf(address(this));
        _stablecoin.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = _stablecoin.balanceOf(address(this)) - before;
        _pools[msg.sender].balance += SafeCast.toUint128(received);
        emit PoolFunded(msg.sender, received);
    }

    /// @inheritdoc IClaimsSettlement
    function withdrawPool(uint256 amount, address to) external nonReentrant {
        if (amount == 0) revert PoolZeroAmount();
        Pool storage pool = _pools[msg.sender];
        uint256 available = pool.balance - pool.reserved;
        if (amount > available) revert PoolInsufficientFunds(msg.sender, available, amount);
        pool.balance -= uint128(amount);
        emit PoolWithdrawn(msg.sender, to, amount);
        _stablecoin.safeTransfer(to, amount);
    }

    // --- Pre-authorisation -------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function requestPreAuth(
        uint256 coverageId,
        uint8 serviceClass,
        uint256 estimate,
        uint256[] calldata evidence
    ) external returns (uint256 preAuthId) {
        _requireCredential(PROVIDER_ROLE, msg.sender);
        Coverage storage coverage = _coverage(coverageId);
        // Only accepted coverage, eligible now: a pre-authorisation is a promise about a service to come.
        Eligibility reason = _eligibility(coverage, uint40(block.timestamp));
        if (reason != Eligibility.Eligible) revert CoverageNotEligible(coverageId, uint40(block.timestamp), reason);
        if (serviceClass >= _SERVICE_CLASSES) revert ClaimInvalidServiceClass(serviceClass);
        uint80 estimate80 = _amount(estimate);
        _checkEvidence(coverage.patient, _plans[coverage.planId].insurer, evidence);

        preAuthId = ++_counters.preAuths;
        _preAuths[preAuthId] = PreAuth({
            provider: msg.sender,
            coverageId: uint32(coverageId),
            serviceClass: serviceClass,
            status: PreAuthStatus.Requested,
            expiresAt: 0,
            estimate: estimate80,
            approvedAmount: 0,
            requestedAt: uint40(block.timestamp)
        });
        emit PreAuthRequested(preAuthId, coverageId, msg.sender, serviceClass, estimate, evidence);
    }

    /// @inheritdoc IClaimsSettlement
    function approvePreAuth(uint256 preAuthId, uint256 amount, uint40 expiresAt) external {
        PreAuth storage preAuth = _pendingPreAuth(preAuthId);
        if (expiresAt <= block.timestamp) revert PreAuthInvalidExpiry(expiresAt);
        preAuth.approvedAmount = _amount(amount);
        preAuth.expiresAt = expiresAt;
        preAuth.status = PreAuthStatus.Approved;
        emit PreAuthApproved(preAuthId, amount, expiresAt);
    }

    /// @inheritdoc IClaimsSettlement
    function denyPreAuth(uint256 preAuthId, bytes calldata sealedReason) external {
        PreAuth storage preAuth = _pendingPreAuth(preAuthId);
        _checkSealedReason(sealedReason);
        preAuth.status = PreAuthStatus.Denied;
        emit PreAuthDenied(preAuthId, sealedReason);
    }

    // --- Claims ------------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function submitClaim(ClaimRequest calldata request) external returns (uint256 claimId) {
        _requireCredential(PROVIDER_ROLE, msg.sender);
        claimId = _claimIdOf(msg.sender, request.encounterCommitment);
        (Plan storage plan, address patient, uint16 planYear, Usage memory usage, uint80 billed) = _checkClaim(
            claimId,
            request
        );

        // Automatic adjudication: within the threshold and the member's yearly cap on automatic approvals
        // (so a large bill split into small claims, or one billed twice, reaches the insurer's review).
        bool automatic =
            billed <= plan.autoApproveThreshold && uint256(usage.autoApproved) + billed <= plan.autoApproveAnnualCap;
        uint80 payer;
        uint80 deductiblePart;
        if (automatic) (payer, deductiblePart) = _split(plan, usage, billed);
        _reserve(plan, billed, automatic, payer);

        _claims[claimId] = Claim({
            provider: msg.sender,
            coverageId: uint32(request.coverageId),
            status: automatic ? ClaimStatus.Approved : ClaimStatus.Pending,
            serviceClass: request.serviceClass,
            updatedAt: uint40(block.timestamp),
            billed: billed,
            allowed: automatic ? billed : 0,
            payerAmount: automatic ? payer : 0,
            planYear: planYear
        });
        _emitClaimSubmitted(claimId, patient, request);

        if (automatic) {
            _storeUsage(
                request.coverageId,
                planYear,
                Usage({
                    deductibleMet: usage.deductibleMet + deductiblePart,
                    paid: usage.paid + payer,
                    autoApproved: usage.autoApproved + uint64(billed)
                })
            );
            emit ClaimApproved(claimId, billed, payer, billed - payer, true);
            _credit(claimId, msg.sender, plan.insurer, payer);
        }
    }

    /// @inheritdoc IClaimsSettlement
    function approveClaim(uint256 claimId, uint256 allowed) external {
        (Claim storage claim, Plan storage plan) = _claimForInsurer(claimId);
        _requireReviewOpen(claimId, claim, plan);
        uint80 billed = claim.billed;
        if (allowed == 0 || allowed > billed) revert ClaimInvalidAmount(allowed, billed);

        uint80 payer = _adjudicate(claim, plan, uint80(allowed));
        claim.status = ClaimStatus.Approved;
        claim.allowed = uint80(allowed);
        claim.payerAmount = payer;
        claim.updatedAt = uint40(block.timestamp);
        emit ClaimApproved(claimId, allowed, payer, allowed - payer, false);
        address insurer = plan.insurer;
        // A full approval cannot be appealed: what its hold does not pay is released now.
        if (allowed == billed) _release(insurer, _worstCase(plan, billed) - payer);
        _credit(claimId, claim.provider, insurer, payer);
    }

    /// @inheritdoc IClaimsSettlement
    function denyClaim(uint256 claimId, bytes calldata sealedReason) external {
        (Claim storage claim, Plan storage plan) = _claimForInsurer(claimId);
        _requireReviewOpen(claimId, claim, plan);
        _checkSealedReason(sealedReason);
        claim.status = ClaimStatus.Denied;
        claim.updatedAt = uint40(block.timestamp);
        emit ClaimDenied(claimId, sealedReason);
    }

    /// @inheritdoc IClaimsSettlement
    function appealClaim(uint256 claimId, bytes32 evidenceCommitment) external {
        Claim storage claim = _claim(claimId);
        Coverage storage coverage = _coverages[claim.coverageId];
        // The patient may always appeal; a provider only while credentialed (a revoked one has no say).
        if (msg.sender != _registry.controllerOf(coverage.patient)) {
            if (msg.sender != claim.provider) revert ClaimUnauthorizedCaller(claimId, msg.sender);
            _requireCredential(PROVIDER_ROLE, msg.sender);
        }
        Plan storage plan = _plans[coverage.planId];
        ClaimStatus status = claim.status;
        uint256 appealDeadline;
        if (status == ClaimStatus.Pending) {
            // An insurer that lets the review window pass has in effect denied the claim at its deadline.
            uint256 reviewDeadline = uint256(claim.updatedAt) + plan.reviewWindow;
            if (block.timestamp <= reviewDeadline) revert ClaimReviewWindowOpen(claimId, reviewDeadline);
            appealDeadline = reviewDeadline + plan.appealWindow;
        } else if (status == ClaimStatus.Approved || status == ClaimStatus.Denied) {
            if (status == ClaimStatus.Approved && claim.allowed == claim.billed) revert ClaimNotAppealable(claimId);
            appealDeadline = uint256(claim.updatedAt) + plan.appealWindow;
        } else {
            revert ClaimInvalidStatus(claimId, status);
        }
        if (block.timestamp > appealDeadline) revert ClaimAppealWindowClosed(claimId, appealDeadline);
        claim.status = ClaimStatus.Appealed;
        claim.updatedAt = uint40(block.timestamp);
        emit ClaimAppealed(claimId, msg.sender, evidenceCommitment);
    }

    /// @inheritdoc IClaimsSettlement
    function decideAppeal(uint256 claimId, bool overturn, uint256 newAllowed) external {
        (Claim storage claim, Plan storage plan) = _claimForInsurer(claimId);
        if (claim.status != ClaimStatus.Appealed) revert ClaimInvalidStatus(claimId, claim.status);
        uint256 deadline = uint256(claim.updatedAt) + plan.reviewWindow;
        if (block.timestamp > deadline) revert ClaimReviewWindowClosed(claimId, deadline);
        _closeAppeal(claimId, claim, plan, overturn, newAllowed);
    }

    /// @inheritdoc IClaimsSettlement
    function closeClaim(uint256 claimId) external {
        Claim storage claim = _claim(claimId);
        ClaimStatus status = claim.status;
        Plan storage plan = _plans[_coverages[claim.coverageId].planId];
        ClaimStatus finalDecision = status;
        if (status == ClaimStatus.Pending) {
            // Unreviewed: denied at the review deadline, so final once that denial's appeal window is over.
            uint256 reviewDeadline = uint256(claim.updatedAt) + plan.reviewWindow;
            if (block.timestamp <= reviewDeadline) revert ClaimReviewWindowOpen(claimId, reviewDeadline);
            uint256 appealDeadline = reviewDeadline + plan.appealWindow;
            if (block.timestamp <= appealDeadline) revert ClaimAppealWindowOpen(claimId, appealDeadline);
            finalDecision = ClaimStatus.Denied;
        } else if (status == ClaimStatus.Approved || status == ClaimStatus.Denied) {
            if (status == ClaimStatus.Denied || claim.allowed < claim.billed) {
                uint256 appealDeadline = uint256(claim.updatedAt) + plan.appealWindow;
                if (block.timestamp <= appealDeadline) revert ClaimAppealWindowOpen(claimId, appealDeadline);
            }
        } else if (status == ClaimStatus.Appealed) {
            // The insurer let its decision deadline pass: the appeal is upheld in the appellant's favour.
            uint256 decisionDeadline = uint256(claim.updatedAt) + plan.reviewWindow;
            if (block.timestamp <= decisionDeadline) revert ClaimReviewWindowOpen(claimId, decisionDeadline);
            emit AppealDeadlineMissed(claimId, decisionDeadline);
            _closeAppeal(claimId, claim, plan, true, claim.billed);
            return;
        } else {
            revert ClaimInvalidStatus(claimId, status);
        }
        uint256 hold = _holdOf(claim, plan);
        claim.status = ClaimStatus.Closed;
        claim.updatedAt = uint40(block.timestamp);
        _release(plan.insurer, hold);
        emit ClaimClosed(claimId, finalDecision);
    }

    // --- Payouts -----------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function withdraw(address insurer) external nonReentrant returns (uint256 amount) {
        amount = _credits[msg.sender][insurer];
        if (amount == 0) revert PayoutNothingToWithdraw(msg.sender, insurer);
        _credits[msg.sender][insurer] = 0;
        Pool storage pool = _pools[insurer];
        // `amount` is part of `reserved` (credits + holds) and reserved <= balance, so neither can underflow.
        pool.balance -= uint128(amount);
        pool.reserved -= uint128(amount);
        emit PayoutWithdrawn(msg.sender, insurer, amount);
        _stablecoin.safeTransfer(msg.sender, amount);
    }

    // --- Views -------------------------------------------------------------------------------

    /// @inheritdoc IClaimsSettlement
    function stablecoin() external view returns (address) {
        return address(_stablecoin);
    }

    /// @inheritdoc IClaimsSettlement
    function getPlan(uint256 planId) external view returns (Plan memory) {
        return _plans[planId];
    }

    /// @inheritdoc IClaimsSettlement
    function getCoverage(uint256 coverageId) external view returns (Coverage memory) {
        return _coverages[coverageId];
    }

    /// @inheritdoc IClaimsSettlement
    function coverageOf(address patient, uint256 planId) external view returns (uint256) {
        return _coverageOf[patient][planId];
    }

    /// @inheritdoc IClaimsSettlement
    function getPreAuth(uint256 preAuthId) external view returns (PreAuth memory) {
        return _preAuths[preAuthId];
    }

    /// @inheritdoc IClaimsSettlement
    function getClaim(uint256 claimId) external view returns (Claim memory) {
        return _claims[claimId];
    }

    /// @inheritdoc IClaimsSettlement
    function claimOfEncounter(address provider, bytes32 encounterCommitment) external view returns (uint256) {
        uint256 claimId = _claimIdOf(provider, encounterCommitment);
        return _claims[claimId].status == ClaimStatus.None ? 0 : claimId;
    }

    /// @inheritdoc IClaimsSettlement
    function holdOf(uint256 claimId) external view returns (uint256) {
        Claim storage claim = _claims[claimId];
        return _holdOf(claim, _plans[_coverages[claim.coverageId].planId]);
    }

    /// @inheritdoc IClaimsSettlement
    function getPool(address insurer) external view returns (Pool memory) {
        return _pools[insurer];
    }

    /// @inheritdoc IClaimsSettlement
    function creditOf(address provider, address insurer) external view returns (uint256) {
        return _credits[provider][insurer];
    }

    /// @inheritdoc IClaimsSettlement
    function getUsage(uint256 coverageId, uint256 planYear) external view returns (Usage memory) {
        return _loadUsage(coverageId, planYear);
    }

    /// @inheritdoc IClaimsSettlement
    function quote(
        uint256 coverageId,
        uint40 serviceDate,
        uint256 allowed
    ) external view returns (uint256 payerAmount, uint256 patientShare) {
        Coverage storage coverage = _coverage(coverageId);
        Plan storage plan = _plans[coverage.planId];
        uint256 planYear = serviceDate < coverage.start ? 0 : (serviceDate - coverage.start) / _PLAN_YEAR;
        (payerAmount, ) = _split(plan, _loadUsage(coverageId, planYear), _amount(allowed));
        patientShare = allowed - payerAmount;
    }

    // --- Internals ---------------------------------------------------------------------------

    function _requireCredential(bytes32 role, address account) private view {
        if (!_registry.isCredentialed(role, account)) revert ClaimsMissingCredential(role, account);
    }

    function _requireInsurerOf(Plan storage plan, uint256 planId) private view {
        if (plan.insurer != msg.sender) revert PlanUnauthorizedInsurer(planId, msg.sender);
        _requireCredential(INSURER_ROLE, msg.sender);
    }

    function _plan(uint256 planId) private view returns (Plan storage plan) {
        plan = _plans[planId];
        if (plan.insurer == address(0)) revert PlanUnknown(planId);
    }

    function _coverage(uint256 coverageId) private view returns (Coverage storage coverage) {
        coverage = _coverages[coverageId];
        if (coverage.status == CoverageStatus.None) revert CoverageUnknown(coverageId);
    }

    function _claim(uint256 claimId) private view returns (Claim storage claim) {
        claim = _claims[claimId];
        if (claim.status == ClaimStatus.None) revert ClaimUnknown(claimId);
    }

    /// @dev The claim and its plan, after checking that the caller is that plan's credentialed insurer.
    function _claimForInsurer(uint256 claimId) private view returns (Claim storage claim, Plan storage plan) {
        claim = _claim(claimId);
        uint256 planId = _coverages[claim.coverageId].planId;
        plan = _plans[planId];
        _requireInsurerOf(plan, planId);
    }

    /// @dev A requested pre-authorisation, after checking the caller is its plan's credentialed insurer.
    function _pendingPreAuth(uint256 preAuthId) private view returns (PreAuth storage preAuth) {
        preAuth = _preAuths[preAuthId];
        if (preAuth.status == PreAuthStatus.None) revert PreAuthUnknown(preAuthId);
        uint256 planId = _coverages[preAuth.coverageId].planId;
        _requireInsurerOf(_plans[planId], planId);
        if (preAuth.status != PreAuthStatus.Requested) revert PreAuthInvalidStatus(preAuthId, preAuth.status);
    }

    function _requireReviewOpen(uint256 claimId, Claim storage claim, Plan storage plan) private view {
        if (claim.status != ClaimStatus.Pending) revert ClaimInvalidStatus(claimId, claim.status);
        uint256 deadline = uint256(claim.updatedAt) + plan.reviewWindow;
        if (block.timestamp > deadline) revert ClaimReviewWindowClosed(claimId, deadline);
    }

    /// @dev A denial carries its reason sealed (SDK sealDenialReason): present and bounded, never read here.
    function _checkSealedReason(bytes calldata sealedReason) private pure {
        uint256 length = sealedReason.length;
        if (length == 0 || length > MAX_SEALED_REASON) revert DenialReasonInvalidLength(length, MAX_SEALED_REASON);
    }

    function _amount(uint256 amount) private pure returns (uint80) {
        if (amount == 0 || amount > type(uint80).max) revert ClaimInvalidAmount(amount, type(uint80).max);
        return uint80(amount);
    }

    function _eligibility(Coverage storage coverage, uint40 serviceDate) private view returns (Eligibility) {
        CoverageStatus status = coverage.status;
        if (status == CoverageStatus.None) return Eligibility.NoCoverage;
        if (status == CoverageStatus.Offered) return Eligibility.CoverageNotAccepted;
        if (serviceDate < coverage.start) return Eligibility.CoverageNotStarted;
        if (serviceDate >= coverage.end) return Eligibility.CoverageExpired;
        Plan storage plan = _plans[coverage.planId];
        // Deactivation is not retroactive: services before it stay covered.
        uint40 deactivatedAt = plan.deactivatedAt;
        if (deactivatedAt != 0 && serviceDate >= deactivatedAt) return Eligibility.PlanInactive;
        if (!_registry.isCredentialed(INSURER_ROLE, plan.insurer)) return Eligibility.InsurerNotCredentialed;
        return Eligibility.Eligible;
    }

    /// @dev Every evidence record must be `patient`'s and listed once (strictly ascending ids), the patient
    /// must let the caller (the provider) access its category for treatment, and let `insurer` read it for
    /// claims. The provider's consent is the patient's say that this provider treats her: read or write
    /// access both count, since a provider that files results (write) treats as much as one that reads
    /// them. Each consent is read once for all categories ({IConsentView-consentScope}); the provider's
    /// write scope only when its read scope does not cover a record. The list is bounded by MAX_EVIDENCE.
    function _checkEvidence(address patient, address insurer, uint256[] calldata evidence) private view {
        uint256 count = evidence.length;
        if (count == 0 || count > MAX_EVIDENCE) revert ClaimInvalidEvidenceCount(count, MAX_EVIDENCE);
        uint256 readable = _consents.consentScope(patient, insurer, Purpose.Claims, ACCESS_READ);
        uint256 treatable = _consents.consentScope(patient, msg.sender, Purpose.Treatment, ACCESS_READ);
        bool writeScopeRead;
        uint256 previousId;
        for (uint256 i = 0; i < count; ++i) {
            uint256 recordId = evidence[i];
            if (i != 0 && recordId <= previousId) revert ClaimEvidenceNotAscending(previousId, recordId);
            previousId = recordId;
            (address subject, uint8 category) = _records.recordSubject(recordId);
            if (subject != patient) revert ClaimEvidenceNotOfPatient(recordId, patient, subject);
            if ((treatable >> category) & 1 == 0) {
                if (!writeScopeRead) {
                    treatable |= _consents.consentScope(patient, msg.sender, Purpose.Treatment, ACCESS_WRITE);
                    writeScopeRead = true;
                }
                if ((treatable >> category) & 1 == 0) {
                    revert ClaimEvidenceNoTreatmentConsent(recordId, msg.sender, category);
                }
            }
            if ((readable >> category) & 1 == 0) revert ClaimEvidenceNoConsent(recordId, insurer, category);
        }
    }

    /// @dev Every check a claim submission must pass; uses up its pre-authorisation. `claimId` is the
    /// caller's id for the encounter: a claim already stored under it means the caller claimed it.
    function _checkClaim(
        uint256 claimId,
        ClaimRequest calldata request
    ) private returns (Plan storage plan, address patient, uint16 planYear, Usage memory usage, uint80 billed) {
        if (request.encounterCommitment == bytes32(0)) revert ClaimInvalidEncounter(request.encounterCommitment);
        if (request.serviceClass >= _SERVICE_CLASSES) revert ClaimInvalidServiceClass(request.serviceClass);
        if (request.serviceDate > block.timestamp) revert ClaimServiceDateInFuture(request.serviceDate);
        billed = _amount(request.billed);

        Coverage storage coverage = _coverages[request.coverageId];
        Eligibility reason = _eligibility(coverage, request.serviceDate);
        if (reason != Eligibility.Eligible) revert CoverageNotEligible(request.coverageId, request.serviceDate, reason);
        patient = coverage.patient;
        plan = _plans[coverage.planId];
        uint256 filingDeadline = uint256(request.serviceDate) + plan.filingWindow;
        if (block.timestamp > filingDeadline) revert ClaimFilingWindowClosed(request.serviceDate, filingDeadline);
        _checkEvidence(patient, plan.insurer, request.evidence);

        if (_claims[claimId].status != ClaimStatus.None) {
            revert ClaimDuplicateEncounter(request.encounterCommitment, claimId);
        }
        _usePreAuth(plan, request, billed);

        planYear = uint16((request.serviceDate - coverage.start) / _PLAN_YEAR);
        usage = _loadUsage(request.coverageId, planYear);
        if (usage.paid >= plan.annualLimit) {
            revert ClaimAnnualLimitReached(request.coverageId, planYear, plan.annualLimit);
        }
    }

    function _emitClaimSubmitted(uint256 claimId, address patient, ClaimRequest calldata request) private {
        emit ClaimSubmitted(
            claimId,
            patient,
            msg.sender,
            request.coverageId,
            request.serviceClass,
            request.serviceDate,
            request.billed,
            request.encounterCommitment,
            request.claimCommitment,
            request.evidence,
            request.preAuthId
        );
    }

    /// @dev Checks and uses up the claim's pre-authorisation, when one is given or the plan needs one.
    function _usePreAuth(Plan storage plan, ClaimRequest calldata request, uint80 billed) private {
        uint256 preAuthId = request.preAuthId;
        if (preAuthId == 0) {
            if (plan.preAuthClasses & (uint16(1) << request.serviceClass) != 0) {
                revert PreAuthRequired(request.coverageId, request.serviceClass);
            }
            return;
        }
        PreAuth storage preAuth = _preAuths[preAuthId];
        PreAuthStatus status = preAuth.status;
        if (status == PreAuthStatus.None) revert PreAuthUnknown(preAuthId);
        if (status != PreAuthStatus.Approved) revert PreAuthInvalidStatus(preAuthId, status);
        if (
            preAuth.coverageId != request.coverageId ||
            preAuth.serviceClass != request.serviceClass ||
            preAuth.provider != msg.sender
        ) revert PreAuthMismatch(preAuthId);
        if (request.serviceDate < preAuth.requestedAt) {
            revert PreAuthServiceBeforeRequest(preAuthId, preAuth.requestedAt, request.serviceDate);
        }
        if (request.serviceDate > preAuth.expiresAt) revert PreAuthExpired(preAuthId, preAuth.expiresAt);
        if (billed > preAuth.approvedAmount) revert PreAuthExceeded(preAuthId, preAuth.approvedAmount, billed);
        preAuth.status = PreAuthStatus.Used;
    }

    /// @dev The plan's share of `allowed` given what the member used this plan year: the remaining
    /// deductible first, then the coverage share of the rest, capped by the remaining annual limit.
    /// Rounds down, in the pool's favour.
    function _split(
        Plan storage plan,
        Usage memory usage,
        uint80 allowed
    ) private view returns (uint80 payer, uint80 deductiblePart) {
        uint80 deductible = plan.deductible;
        uint80 remainingDeductible = deductible > usage.deductibleMet ? deductible - usage.deductibleMet : 0;
        deductiblePart = allowed < remainingDeductible ? allowed : remainingDeductible;
        uint256 share = (uint256(allowed - deductiblePart) * plan.coverageBps) / _BPS;
        uint80 annualLimit = plan.annualLimit;
        uint256 remainingLimit = annualLimit > usage.paid ? annualLimit - usage.paid : 0;
        payer = uint80(share < remainingLimit ? share : remainingLimit);
    }

    /// @dev Computes the payer amount for `allowed` more of the claim and records the member's usage.
    /// Returns the payer amount; it comes out of the claim's hold, which covers it: the claim's payer
    /// amounts add up to at most `allowed × coverageBps / 10,000` (each rounds down) and, through the
    /// member's usage, to at most the annual limit, so to at most {_worstCase}.
    function _adjudicate(Claim storage claim, Plan storage plan, uint80 allowed) private returns (uint80 payer) {
        uint256 coverageId = claim.coverageId;
        uint256 planYear = claim.planYear;
        Usage memory usage = _loadUsage(coverageId, planYear);
        uint80 deductiblePart;
        (payer, deductiblePart) = _split(plan, usage, allowed);
        usage.deductibleMet += deductiblePart;
        usage.paid += payer;
        _storeUsage(coverageId, planYear, usage);
    }

    /// @dev The most the plan can ever pay on a claim billed `billed`: its coverage share, capped by the
    /// annual limit. Plan terms never change, so this is the same at submission and at close.
    function _worstCase(Plan storage plan, uint80 billed) private view returns (uint256) {
        uint256 share = (uint256(billed) * plan.coverageBps) / _BPS;
        uint256 annualLimit = plan.annualLimit;
        return share < annualLimit ? share : annualLimit;
    }

    /// @dev Holds a new claim's worst case in its insurer's pool, or reverts when the pool's free balance
    /// cannot. A full automatic approval can be paid no more, so only its payer amount stays reserved (as
    /// the provider's credit).
    function _reserve(Plan storage plan, uint80 billed, bool automatic, uint80 payer) private {
        address insurer = plan.insurer;
        uint256 worstCase = _worstCase(plan, billed);
        Pool storage pool = _pools[insurer];
        uint256 reserved = pool.reserved;
        uint256 available = pool.balance - reserved;
        if (worstCase > available) revert PoolInsufficientFunds(insurer, available, worstCase);
        pool.reserved = uint128(reserved + (automatic ? payer : worstCase));
    }

    /// @dev What an open claim still holds: its worst case less what it was paid; nothing once it is
    /// closed or fully approved (neither can be paid more).
    function _holdOf(Claim storage claim, Plan storage plan) private view returns (uint256) {
        ClaimStatus status = claim.status;
        uint80 billed = claim.billed;
        if (
            status == ClaimStatus.None ||
            status == ClaimStatus.Closed ||
            (status == ClaimStatus.Approved && claim.allowed == billed)
        ) return 0;
        return _worstCase(plan, billed) - claim.payerAmount;
    }

    /// @dev Usage of plan year 0 lives in the coverage's second slot (beside `planId`, already read by
    /// every claim), later years in `_usage`: most coverages last a year, so a member's first claim
    /// updates a warm slot instead of creating one (about 19k gas).
    function _loadUsage(uint256 coverageId, uint256 planYear) private view returns (Usage memory) {
        if (planYear == 0) {
            Coverage storage coverage = _coverages[coverageId];
            return
                Usage({
                    deductibleMet: coverage.firstYearDeductibleMet,
                    paid: coverage.firstYearPaid,
                    autoApproved: coverage.firstYearAutoApproved
                });
        }
        return _usage[coverageId][planYear];
    }

    function _storeUsage(uint256 coverageId, uint256 planYear, Usage memory usage) private {
        if (planYear == 0) {
            Coverage storage coverage = _coverages[coverageId];
            coverage.firstYearDeductibleMet = usage.deductibleMet;
            coverage.firstYearPaid = usage.paid;
            coverage.firstYearAutoApproved = usage.autoApproved;
        } else {
            _usage[coverageId][planYear] = usage;
        }
    }

    /// @dev Decides an appeal and closes the claim: upheld as decided, or overturned to `newAllowed` (above
    /// what was allowed, at most the billed amount) with the extra payer amount reserved and credited.
    function _closeAppeal(
        uint256 claimId,
        Claim storage claim,
        Plan storage plan,
        bool overturn,
        uint256 newAllowed
    ) private {
        uint256 hold = _holdOf(claim, plan);
        uint80 allowed = claim.allowed;
        uint80 payer = claim.payerAmount;
        uint80 extraPayer;
        if (overturn) {
            if (newAllowed <= allowed || newAllowed > claim.billed) revert ClaimInvalidAmount(newAllowed, claim.billed);
            extraPayer = _adjudicate(claim, plan, uint80(newAllowed) - allowed);
            allowed = uint80(newAllowed);
            payer += extraPayer;
            claim.allowed = allowed;
            claim.payerAmount = payer;
        }
        claim.status = ClaimStatus.Closed;
        claim.updatedAt = uint40(block.timestamp);
        emit AppealDecided(claimId, overturn, allowed, payer, allowed - payer);
        address insurer = plan.insurer;
        _release(insurer, hold - extraPayer);
        _credit(claimId, claim.provider, insurer, extraPayer);
        emit ClaimClosed(claimId, allowed == 0 ? ClaimStatus.Denied : ClaimStatus.Approved);
    }

    /// @dev Credits `amount`, already reserved in `insurer`'s pool by the claim's hold, to `provider`.
    function _credit(uint256 claimId, address provider, address insurer, uint80 amount) private {
        if (amount == 0) return;
        _credits[provider][insurer] += amount;
        emit ClaimPaid(claimId, provider, insurer, amount);
    }

    /// @dev Returns `amount` a claim held but will never pay to `insurer`'s free balance.
    function _release(address insurer, uint256 amount) private {
        if (amount == 0) return;
        _pools[insurer].reserved -= uint128(amount);
    }

    function _claimIdOf(address provider, bytes32 encounterCommitment) private pure returns (uint256) {
        return uint256(keccak256(abi.encode(provider, encounterCommitment)));
    }
}
