// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Amounts and flags in events are data for the timelines, not filters; ids and parties are indexed.
// `Claim` packs into exactly two slots (the gas bench depends on it); the packing heuristic misreads enums.
// solhint-disable gas-indexed-events, gas-struct-packing

/// @title IClaimsSettlement
/// @notice Insurance claims for CareLedger: plans, coverage, eligibility, pre-authorisation, claims,
/// adjudication (automatic where the plan's rules decide, by the insurer otherwise), pull-payment
/// payouts from per-insurer pools, appeals.
///
/// Lifecycle (after Etherisc GIF and FHIR `Claim` / `ClaimResponse`):
/// `Pending` --approve--> `Approved` --(appeal window)--> `Closed`
/// `Pending` --deny-->    `Denied`   --(appeal window)--> `Closed`
/// `Approved` (partial) / `Denied` / overdue `Pending` --appeal--> `Appealed` --decideAppeal--> `Closed`
/// A claim whose billed amount is within the plan's auto-approval threshold is approved in the same
/// transaction that submits it.
///
/// Deadlines bind the insurer as well as the claimant, so no claim can be left open forever:
/// - Silence on review is a denial: a claim still `Pending` when its review window ends counts as denied at
///   that deadline. The provider or patient may appeal it within the plan's appeal window from there;
///   after that anyone may close it (final decision `Denied`).
/// - Silence on appeal is an overturn: the insurer has the plan's review window again, from the appeal, to
///   {decideAppeal}. Past that deadline anyone may {closeClaim}, which approves the billed amount (priced
///   by the plan's deductible, coinsurance and annual limit like any approval) and closes the claim. The
///   insurer may ignore a first review at no cost, never an appeal.
///
/// Money: every approval reserves the payer amount in the insurer's pool and credits it to the
/// provider; the provider pulls it with {withdraw}. The insurer can only withdraw the unreserved
/// part of its pool, so an approved claim is always backed by tokens the contract holds.
///
/// Claim ids: a claim's id is its encounter commitment read as a number (`uint256(encounterCommitment)`),
/// so the provider knows it before submitting and an encounter can be claimed only once. Ids are not
/// sequential; enumerate claims from {ClaimSubmitted} logs.
///
/// Privacy: diagnosis and procedure codes stay in the encrypted FHIR `Claim` off chain. The chain holds
/// the encounter and claim commitments, amounts, service class numbers, dates and states.
interface IClaimsSettlement {
    /// @dev The service classes a plan knows (0..15); a plan's `preAuthClasses` is a bit mask over them.
    /// Class numbers are coarse (e.g. 0 outpatient, 1 inpatient, 2 imaging, 3 surgery); their meaning
    /// lives in the plan's off-chain documents, never a diagnosis or procedure code.

    /// @notice A plan's rules, as defined by its insurer.
    /// @param coverageBps Share of the allowed amount (after the deductible) the insurer pays, in basis points.
    /// @param preAuthClasses Bit mask of the service classes that need an approved pre-authorisation.
    /// @param deductible What the member pays per plan year before the plan pays anything.
    /// @param annualLimit The most the plan pays per member per plan year.
    /// @param autoApproveThreshold Claims billed at or below this are approved automatically.
    /// @param reviewWindow Seconds the insurer has to decide a pending claim.
    /// @param appealWindow Seconds the provider or patient has to appeal a denial or partial approval.
    struct PlanTerms {
        uint16 coverageBps;
        uint16 preAuthClasses;
        uint80 deductible;
        uint80 annualLimit;
        uint80 autoApproveThreshold;
        uint32 reviewWindow;
        uint32 appealWindow;
    }

    /// @notice A plan as stored.
    struct Plan {
        address insurer;
        uint16 coverageBps;
        uint16 preAuthClasses;
        bool active;
        uint80 deductible;
        uint80 annualLimit;
        uint80 autoApproveThreshold;
        uint32 reviewWindow;
        uint32 appealWindow;
    }

    enum CoverageStatus {
        None,
        Offered,
        Accepted
    }

    /// @notice Patient × plan × period. Active on service dates in [start, end) once accepted.
    /// `firstYearDeductibleMet` / `firstYearPaid` are the member's usage in plan year 0, packed beside
    /// `planId` so a member's first claim does not pay for a fresh storage slot; read usage of any year
    /// through {getUsage}.
    struct Coverage {
        address patient;
        uint40 start;
        uint40 end;
        CoverageStatus status;
        uint32 planId;
        uint80 firstYearDeductibleMet;
        uint80 firstYearPaid;
    }

    /// @notice Why a patient is not eligible on a date (`Eligible` when they are).
    enum Eligibility {
        Eligible,
        NoCoverage,
        CoverageNotAccepted,
        CoverageNotStarted,
        CoverageExpired,
        PlanInactive,
        InsurerNotCredentialed
    }

    enum PreAuthStatus {
        None,
        Requested,
        Approved,
        Denied,
        Used
    }

    struct PreAuth {
        address provider;
        uint32 coverageId;
        uint8 serviceClass;
        PreAuthStatus status;
        uint40 expiresAt;
        uint80 estimate;
        uint80 approvedAmount;
    }

    enum ClaimStatus {
        None,
        Pending,
        Approved,
        Denied,
        Appealed,
        Closed
    }

    /// @notice A claim as stored (two storage slots). `allowed - payerAmount` is the patient's share;
    /// `billed - allowed` is what the insurer did not allow. `updatedAt` is the time of the last
    /// transition: the review window runs from submission, the appeal window from the decision.
    struct Claim {
        address provider;
        uint32 coverageId;
        ClaimStatus status;
        uint8 serviceClass;
        uint40 updatedAt;
        uint80 billed;
        uint80 allowed;
        uint80 payerAmount;
        uint16 planYear;
    }

    /// @notice An insurer's claims pool. `reserved` is owed to providers for approved claims and not yet
    /// withdrawn by them; the insurer may withdraw only `balance - reserved`.
    struct Pool {
        uint128 balance;
        uint128 reserved;
    }

    /// @notice What a member has used in one plan year of one coverage.
    struct Usage {
        uint80 deductibleMet;
        uint80 paid;
    }

    /// @notice What a claim submission carries. Only commitments and amounts: the FHIR `Claim` itself is
    /// encrypted off chain.
    /// @param coverageId The patient's coverage under which the service is claimed.
    /// @param serviceClass The plan's service class (0..15).
    /// @param serviceDate When the service was given (unix seconds, not in the future).
    /// @param billed The amount billed, in stablecoin units.
    /// @param encounterCommitment A commitment to the encounter (e.g. keccak256 of its FHIR id and a salt
    /// known to provider and insurer); not zero. It becomes the claim id, and the same encounter cannot be
    /// claimed twice.
    /// @param claimCommitment keccak256 (or sha-256) of the encrypted FHIR `Claim`; emitted, not stored.
    /// @param evidence Record ids in `RecordRegistry` the insurer needs to read (1..MAX_EVIDENCE).
    /// @param preAuthId The approved pre-authorisation, or 0 when the service class needs none.
    struct ClaimRequest {
        uint256 coverageId;
        uint8 serviceClass;
        uint40 serviceDate;
        uint256 billed;
        bytes32 encounterCommitment;
        bytes32 claimCommitment;
        uint256[] evidence;
        uint256 preAuthId;
    }

    // --- Events ------------------------------------------------------------------------------

    /// @notice Emitted when `insurer` creates plan `planId`.
    event PlanCreated(uint256 indexed planId, address indexed insurer, PlanTerms terms);
    /// @notice Emitted when the insurer deactivates plan `planId`.
    event PlanDeactivated(uint256 indexed planId);
    /// @notice Emitted when the insurer offers `patient` coverage under `planId` for [start, end).
    event CoverageOffered(
        uint256 indexed coverageId,
        uint256 indexed planId,
        address indexed patient,
        uint40 start,
        uint40 end
    );
    /// @notice Emitted when the patient, or `acceptedBy` as their guardian, accepts coverage.
    event CoverageAccepted(uint256 indexed coverageId, address indexed patient, address indexed acceptedBy);
    /// @notice Emitted when `insurer` adds `amount` to its pool.
    event PoolFunded(address indexed insurer, uint256 amount);
    /// @notice Emitted when `insurer` withdraws `amount` of the unreserved part of its pool to `to`.
    event PoolWithdrawn(address indexed insurer, address indexed to, uint256 amount);
    /// @notice Emitted when `provider` asks for pre-authorisation.
    event PreAuthRequested(
        uint256 indexed preAuthId,
        uint256 indexed coverageId,
        address indexed provider,
        uint8 serviceClass,
        uint256 estimate,
        uint256[] evidence
    );
    /// @notice Emitted when the insurer authorises up to `amount` for services given until `expiresAt`.
    event PreAuthApproved(uint256 indexed preAuthId, uint256 amount, uint40 expiresAt);
    /// @notice Emitted when the insurer denies a pre-authorisation.
    event PreAuthDenied(uint256 indexed preAuthId, uint16 reasonCode);
    /// @notice Emitted when `provider` submits claim `claimId` (`uint256(encounterCommitment)`) for `patient`.
    event ClaimSubmitted(
        uint256 indexed claimId,
        address indexed patient,
        address indexed provider,
        uint256 coverageId,
        uint8 serviceClass,
        uint40 serviceDate,
        uint256 billed,
        bytes32 encounterCommitment,
        bytes32 claimCommitment,
        uint256[] evidence,
        uint256 preAuthId
    );
    /// @notice Emitted when a claim is approved; `automatic` when the plan's rules decided.
    event ClaimApproved(
        uint256 indexed claimId,
        uint256 allowed,
        uint256 payerAmount,
        uint256 patientShare,
        bool automatic
    );
    /// @notice Emitted when the insurer denies a claim.
    event ClaimDenied(uint256 indexed claimId, uint16 reasonCode);
    /// @notice Emitted when `amount` for claim `claimId` is reserved in `insurer`'s pool and credited to
    /// `provider`, who can then {withdraw} it.
    event ClaimPaid(uint256 indexed claimId, address indexed provider, address indexed insurer, uint256 amount);
    /// @notice Emitted when `provider` withdraws its credit from `insurer`'s pool.
    event PayoutWithdrawn(address indexed provider, address indexed insurer, uint256 amount);
    /// @notice Emitted when `appellant` (provider or patient) appeals, committing to new evidence.
    event ClaimAppealed(uint256 indexed claimId, address indexed appellant, bytes32 evidenceCommitment);
    /// @notice Emitted when the insurer decides an appeal; the claim then closes.
    event AppealDecided(
        uint256 indexed claimId,
        bool overturned,
        uint256 allowed,
        uint256 payerAmount,
        uint256 patientShare
    );
    /// @notice Emitted when a claim becomes final.
    event ClaimClosed(uint256 indexed claimId, ClaimStatus finalDecision);
    /// @notice Emitted when an appeal is closed undecided after the insurer's decision `deadline`; the
    /// {AppealDecided} that follows overturns the decision to the billed amount.
    event AppealDeadlineMissed(uint256 indexed claimId, uint256 deadline);

    // --- Errors ------------------------------------------------------------------------------

    /// @notice Thrown when `account` lacks an active `role` credential in `CareRegistry`.
    error ClaimsMissingCredential(bytes32 role, address account);
    /// @notice Thrown when plan terms are out of range (coverage share above 100%, a zero window).
    error PlanInvalidTerms(uint16 coverageBps, uint32 reviewWindow, uint32 appealWindow);
    /// @notice Thrown when no plan has id `planId`.
    error PlanUnknown(uint256 planId);
    /// @notice Thrown when plan `planId` was deactivated.
    error PlanInactive(uint256 planId);
    /// @notice Thrown when `caller` is not the insurer of plan `planId`.
    error PlanUnauthorizedInsurer(uint256 planId, address caller);
    /// @notice Thrown when `account` is not a registered patient.
    error CoverageNotPatient(address account);
    /// @notice Thrown when a coverage period is empty or already over.
    error CoverageInvalidPeriod(uint40 start, uint40 end);
    /// @notice Thrown when no coverage has id `coverageId`.
    error CoverageUnknown(uint256 coverageId);
    /// @notice Thrown when coverage `coverageId` is not in a state that allows the action.
    error CoverageInvalidStatus(uint256 coverageId, CoverageStatus status);
    /// @notice Thrown when `caller` is neither the patient nor a guardian allowed to manage consent.
    error CoverageUnauthorizedAcceptor(uint256 coverageId, address caller);
    /// @notice Thrown when the coverage does not cover `serviceDate`; `reason` says why.
    error CoverageNotEligible(uint256 coverageId, uint40 serviceDate, Eligibility reason);
    /// @notice Thrown on a zero deposit or withdrawal.
    error PoolZeroAmount();
    /// @notice Thrown when `insurer`'s unreserved pool balance `available` is below `needed`.
    error PoolInsufficientFunds(address insurer, uint256 available, uint256 needed);
    /// @notice Thrown when no pre-authorisation has id `preAuthId`.
    error PreAuthUnknown(uint256 preAuthId);
    /// @notice Thrown when pre-authorisation `preAuthId` is not in a state that allows the action.
    error PreAuthInvalidStatus(uint256 preAuthId, PreAuthStatus status);
    /// @notice Thrown when the approved pre-authorisation ended at `expiresAt`, before the service date.
    error PreAuthExpired(uint256 preAuthId, uint40 expiresAt);
    /// @notice Thrown when an approval's expiry is not in the future.
    error PreAuthInvalidExpiry(uint40 expiresAt);
    /// @notice Thrown when service class `serviceClass` of the plan needs a pre-authorisation and none was given.
    error PreAuthRequired(uint256 coverageId, uint8 serviceClass);
    /// @notice Thrown when the pre-authorisation was for another coverage, service class or provider.
    error PreAuthMismatch(uint256 preAuthId);
    /// @notice Thrown when the claim bills more than the pre-authorised `approvedAmount`.
    error PreAuthExceeded(uint256 preAuthId, uint256 approvedAmount, uint256 billed);
    /// @notice Thrown when a service class is not in 0..15.
    error ClaimInvalidServiceClass(uint8 serviceClass);
    /// @notice Thrown when the service date is after the submission.
    error ClaimServiceDateInFuture(uint40 serviceDate);
    /// @notice Thrown when an amount is zero or above `max`.
    error ClaimInvalidAmount(uint256 amount, uint256 max);
    /// @notice Thrown when the evidence list is empty or longer than `max`.
    error ClaimInvalidEvidenceCount(uint256 count, uint256 max);
    /// @notice Thrown when evidence record `recordId` belongs to `subject`, not to `patient`.
    error ClaimEvidenceNotOfPatient(uint256 recordId, address patient, address subject);
    /// @notice Thrown when the patient has not let `insurer` read `category` records for claims.
    error ClaimEvidenceNoConsent(uint256 recordId, address insurer, uint8 category);
    /// @notice Thrown when the encounter commitment is zero: it would be claim id 0, which means "no claim".
    error ClaimInvalidEncounter(bytes32 encounterCommitment);
    /// @notice Thrown when `encounterCommitment` was already claimed in `existingClaimId` (the same value).
    error ClaimDuplicateEncounter(bytes32 encounterCommitment, uint256 existingClaimId);
    /// @notice Thrown when the member already used the plan's whole annual limit for that plan year.
    error ClaimAnnualLimitReached(uint256 coverageId, uint256 planYear, uint256 annualLimit);
    /// @notice Thrown when no claim has id `claimId`.
    error ClaimUnknown(uint256 claimId);
    /// @notice Thrown when claim `claimId` is not in a state that allows the action.
    error ClaimInvalidStatus(uint256 claimId, ClaimStatus status);
    /// @notice Thrown when `caller` may not act on claim `claimId`.
    error ClaimUnauthorizedCaller(uint256 claimId, address caller);
    /// @notice Thrown when the insurer decides a claim, or an appeal, after its review window ended at `deadline`.
    error ClaimReviewWindowClosed(uint256 claimId, uint256 deadline);
    /// @notice Thrown when a pending claim is appealed or closed, or an appeal closed undecided, before the
    /// insurer's review window ends at `deadline`.
    error ClaimReviewWindowOpen(uint256 claimId, uint256 deadline);
    /// @notice Thrown when an appeal comes after the appeal window ended at `deadline`.
    error ClaimAppealWindowClosed(uint256 claimId, uint256 deadline);
    /// @notice Thrown when closing a claim that can still be appealed until `deadline`.
    error ClaimAppealWindowOpen(uint256 claimId, uint256 deadline);
    /// @notice Thrown when a fully approved claim is appealed.
    error ClaimNotAppealable(uint256 claimId);
    /// @notice Thrown when `provider` has nothing to withdraw from `insurer`'s pool.
    error PayoutNothingToWithdraw(address provider, address insurer);

    // --- Plans -------------------------------------------------------------------------------

    /// @notice Creates a plan owned by the caller.
    /// @dev Caller: a credentialed insurer. Emits {PlanCreated}. Reverts with {ClaimsMissingCredential},
    /// {PlanInvalidTerms} (coverage share above 10,000 bps or a zero window).
    function createPlan(PlanTerms calldata terms) external returns (uint256 planId);

    /// @notice Stops plan `planId`: no new coverage, pre-authorisations or claims under it.
    /// @dev Caller: the plan's insurer. Emits {PlanDeactivated}. Reverts with {PlanUnknown},
    /// {PlanUnauthorizedInsurer}, {PlanInactive}.
    function deactivatePlan(uint256 planId) external;

    // --- Coverage ----------------------------------------------------------------------------

    /// @notice Offers `patient` coverage under `planId` for service dates in [start, end).
    /// @dev Caller: the plan's credentialed insurer. The offer becomes the patient's coverage for that plan
    /// in {coverageOf} unless they hold an accepted one, which it replaces once accepted. Emits {CoverageOffered}. Reverts with {PlanUnknown},
    /// {PlanUnauthorizedInsurer}, {PlanInactive}, {ClaimsMissingCredential}, {CoverageNotPatient},
    /// {CoverageInvalidPeriod}.
    function offerCoverage(
        address patient,
        uint256 planId,
        uint40 start,
        uint40 end
    ) external returns (uint256 coverageId);

    /// @notice Accepts offered coverage.
    /// @dev Caller: the patient, or a guardian holding GUARDIAN_MANAGE_CONSENT. Emits {CoverageAccepted}.
    /// Reverts with {CoverageUnknown}, {CoverageInvalidStatus}, {CoverageUnauthorizedAcceptor}.
    function acceptCoverage(uint256 coverageId) external;

    /// @notice Whether `patient`'s latest coverage under `planId` covers `serviceDate`, and if not why.
    function checkEligibility(
        address patient,
        uint256 planId,
        uint40 serviceDate
    ) external view returns (Eligibility reason, uint256 coverageId);

    /// @notice Whether coverage `coverageId` covers `serviceDate`, and if not why.
    function coverageEligibility(uint256 coverageId, uint40 serviceDate) external view returns (Eligibility);

    // --- Pools -------------------------------------------------------------------------------

    /// @notice Moves `amount` stablecoin from the caller into the caller's claims pool.
    /// @dev Caller: a credentialed insurer that approved this contract. Emits {PoolFunded}.
    /// Reverts with {ClaimsMissingCredential}, {PoolZeroAmount}, or the token's error.
    function fundPool(uint256 amount) external;

    /// @notice Withdraws `amount` of the unreserved part of the caller's pool to `to`.
    /// @dev Caller: the pool's insurer (even with a suspended credential: the funds are theirs).
    /// Emits {PoolWithdrawn}. Reverts with {PoolZeroAmount}, {PoolInsufficientFunds}.
    function withdrawPool(uint256 amount, address to) external;

    // --- Pre-authorisation -------------------------------------------------------------------

    /// @notice Asks the insurer of coverage `coverageId` to pre-authorise a service.
    /// @dev Caller: a credentialed provider. Evidence is checked as for claims. Emits {PreAuthRequested}.
    /// Reverts with {ClaimsMissingCredential}, {CoverageUnknown}, {PlanInactive},
    /// {ClaimInvalidServiceClass}, {ClaimInvalidAmount}, the evidence errors.
    function requestPreAuth(
        uint256 coverageId,
        uint8 serviceClass,
        uint256 estimate,
        uint256[] calldata evidence
    ) external returns (uint256 preAuthId);

    /// @notice Authorises up to `amount` for services given until `expiresAt`.
    /// @dev Caller: the plan's credentialed insurer. Emits {PreAuthApproved}. Reverts with
    /// {PreAuthUnknown}, {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {PreAuthInvalidStatus},
    /// {PreAuthInvalidExpiry}, {ClaimInvalidAmount}.
    function approvePreAuth(uint256 preAuthId, uint256 amount, uint40 expiresAt) external;

    /// @notice Denies a pre-authorisation with an insurer-defined `reasonCode` (e.g. an X12 CARC number).
    /// @dev Caller: the plan's credentialed insurer. Emits {PreAuthDenied}. Reverts with {PreAuthUnknown},
    /// {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {PreAuthInvalidStatus}.
    function denyPreAuth(uint256 preAuthId, uint16 reasonCode) external;

    // --- Claims ------------------------------------------------------------------------------

    /// @notice Submits a claim under the id `uint256(request.encounterCommitment)`. Approves, reserves and
    /// credits it at once when the billed amount is within the plan's auto-approval threshold and the pool
    /// can pay; leaves it pending review otherwise.
    /// @dev Caller: a credentialed provider. Checks: a non-zero encounter commitment, the insurer's
    /// credential, coverage active on the service date, every evidence record is the patient's and the
    /// patient lets the insurer read its category for claims, the encounter was never claimed, an approved,
    /// unexpired, matching and sufficient pre-authorisation where the plan needs one (it is used up), the
    /// annual limit not yet reached. Emits {ClaimSubmitted}, then {ClaimApproved} and {ClaimPaid} when
    /// automatic. Reverts with {ClaimInvalidEncounter}, {ClaimDuplicateEncounter} and the errors of the
    /// checks above.
    function submitClaim(ClaimRequest calldata request) external returns (uint256 claimId);

    /// @notice Approves a pending claim for `allowed` (≤ billed; below it is a partial approval); the
    /// payer amount and patient share follow from the plan (deductible, coinsurance, annual limit).
    /// @dev Caller: the plan's credentialed insurer, within the review window. Emits {ClaimApproved},
    /// {ClaimPaid} (when the payer amount is not zero). Reverts with {ClaimUnknown},
    /// {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {ClaimInvalidStatus},
    /// {ClaimReviewWindowClosed}, {ClaimInvalidAmount}, {PoolInsufficientFunds}.
    function approveClaim(uint256 claimId, uint256 allowed) external;

    /// @notice Denies a pending claim with an insurer-defined `reasonCode`.
    /// @dev Caller: the plan's credentialed insurer, within the review window. Emits {ClaimDenied}.
    function denyClaim(uint256 claimId, uint16 reasonCode) external;

    /// @notice Appeals a denial, a partial approval, or a claim left pending past its review window,
    /// committing to new evidence shared off chain.
    /// @dev Caller: the claim's provider or the patient, within the appeal window (for an overdue
    /// pending claim: the appeal window that starts when its review window ends). The insurer then has
    /// the plan's review window to {decideAppeal}. Emits {ClaimAppealed}. Reverts with
    /// {ClaimUnknown}, {ClaimUnauthorizedCaller}, {ClaimInvalidStatus}, {ClaimNotAppealable},
    /// {ClaimAppealWindowClosed}, {ClaimReviewWindowOpen}.
    function appealClaim(uint256 claimId, bytes32 evidenceCommitment) external;

    /// @notice Decides an appeal: upholds the decision, or overturns it with a new allowed amount
    /// (above the one allowed before, at most the billed amount). The claim then closes.
    /// @dev Caller: the plan's credentialed insurer, within the plan's review window from the appeal (past
    /// it, {closeClaim} overturns the decision). Emits {AppealDecided}, {ClaimPaid} for the extra payer
    /// amount, {ClaimClosed}. Reverts with {ClaimUnknown}, {PlanUnauthorizedInsurer},
    /// {ClaimsMissingCredential}, {ClaimInvalidStatus}, {ClaimReviewWindowClosed}, {ClaimInvalidAmount},
    /// {PoolInsufficientFunds}.
    function decideAppeal(uint256 claimId, bool overturn, uint256 newAllowed) external;

    /// @notice Makes a claim final once no one can act on it any more:
    /// - approved or denied: once it can no longer be appealed (a full approval at once, otherwise after
    ///   the appeal window);
    /// - left pending by the insurer: denied, once the appeal window after the review deadline is over;
    /// - appealed and left undecided past the insurer's decision deadline: overturned to the billed
    ///   amount, whose payer amount is reserved and credited to the provider like any approval.
    /// @dev Caller: anyone. Emits {ClaimClosed}; for an undecided appeal {AppealDeadlineMissed},
    /// {AppealDecided}, {ClaimPaid} first. Reverts with {ClaimUnknown}, {ClaimInvalidStatus},
    /// {ClaimReviewWindowOpen}, {ClaimAppealWindowOpen}, {PoolInsufficientFunds} (an undecided appeal
    /// the pool cannot pay stays open until the insurer funds it).
    function closeClaim(uint256 claimId) external;

    // --- Payouts -----------------------------------------------------------------------------

    /// @notice Transfers to the caller everything credited to it from `insurer`'s pool.
    /// @dev Caller: a provider with a credit (credentials are not checked: earned payouts stay payable).
    /// Emits {PayoutWithdrawn}. Reverts with {PayoutNothingToWithdraw}.
    function withdraw(address insurer) external returns (uint256 amount);

    // --- Views -------------------------------------------------------------------------------

    /// @notice The maximum number of evidence records per claim or pre-authorisation.
    function MAX_EVIDENCE() external view returns (uint256);

    /// @notice The stablecoin pools are funded and claims paid in.
    function stablecoin() external view returns (address);

    function getPlan(uint256 planId) external view returns (Plan memory);

    function getCoverage(uint256 coverageId) external view returns (Coverage memory);

    /// @notice The patient's coverage id under `planId`: the latest accepted one, or else the latest offer
    /// (0 when none). Usage and annual limits are tracked per coverage, so a renewal starts a new count.
    function coverageOf(address patient, uint256 planId) external view returns (uint256);

    function getPreAuth(uint256 preAuthId) external view returns (PreAuth memory);

    /// @notice Claim `claimId` (status `None` when there is none).
    function getClaim(uint256 claimId) external view returns (Claim memory);

    /// @notice The claim that claimed `encounterCommitment`: `uint256(encounterCommitment)` once claimed,
    /// 0 when not.
    function claimOfEncounter(bytes32 encounterCommitment) external view returns (uint256);

    function getPool(address insurer) external view returns (Pool memory);

    /// @notice What `provider` can {withdraw} from `insurer`'s pool.
    function creditOf(address provider, address insurer) external view returns (uint256);

    /// @notice The member's usage of coverage `coverageId` in plan year `planYear` (0 = the first year
    /// from the coverage start; a plan year is 365 days).
    function getUsage(uint256 coverageId, uint256 planYear) external view returns (Usage memory);

    /// @notice What the plan would pay and the patient owe if `allowed` were approved now for a service
    /// on `serviceDate` under `coverageId`.
    function quote(
        uint256 coverageId,
        uint40 serviceDate,
        uint256 allowed
    ) external view returns (uint256 payerAmount, uint256 patientShare);
}
