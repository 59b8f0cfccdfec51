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
/// The patient's say: a provider may claim (or ask for a pre-authorisation) only with the patient's live
/// Treatment consent (read or write) covering the category of every evidence record it cites, so a
/// provider the patient never saw, or has revoked, cannot bill her coverage.
///
/// Money: a claim holds its worst case in the insurer's pool from submission until it can no longer be
/// paid more: `min(billed × coverageBps / 10,000, annualLimit)`, recomputed from the claim and its plan.
/// Approval turns the hold into the provider's credit (the provider pulls it with {withdraw}); a denial
/// or partial approval keeps the rest held while it can be appealed; closing releases what was not paid.
/// The pool's `reserved` is credits plus holds, and the insurer can only withdraw `balance - reserved`,
/// so every credit and every overturn an open claim may still win is backed by tokens the contract holds.
///
/// Claim ids: `uint256(keccak256(abi.encode(provider, encounterCommitment)))`, so the provider knows its
/// id before submitting, a provider claims an encounter only once, and a copy of a pending submission by
/// another provider gets another id (it cannot take the honest provider's). Ids are not sequential;
/// enumerate claims from {ClaimSubmitted} logs.
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
    /// @param autoApproveThreshold Claims billed at or below this are approved automatically, while the
    /// member's automatic approvals of the plan year stay within `autoApproveAnnualCap`.
    /// @param reviewWindow Seconds the insurer has to decide a pending claim.
    /// @param appealWindow Seconds the provider or patient has to appeal a denial or partial approval.
    /// @param filingWindow Seconds after the service date within which a claim must be submitted.
    /// @param autoApproveAnnualCap The most billed per member and plan year that is approved
    /// automatically; past it claims wait for the insurer's review (split or repeated bills cannot
    /// bypass review).
    struct PlanTerms {
        uint16 coverageBps;
        uint16 preAuthClasses;
        uint80 deductible;
        uint80 annualLimit;
        uint80 autoApproveThreshold;
        uint32 reviewWindow;
        uint32 appealWindow;
        uint32 filingWindow;
        uint64 autoApproveAnnualCap;
    }

    /// @notice A plan as stored. `deactivatedAt` is 0 while the plan is active, else when the insurer
    /// deactivated it: services on or after it are not covered, earlier ones still are.
    struct Plan {
        address insurer;
        uint16 coverageBps;
        uint16 preAuthClasses;
        uint40 deactivatedAt;
        uint80 deductible;
        uint80 annualLimit;
        uint80 autoApproveThreshold;
        uint32 reviewWindow;
        uint32 appealWindow;
        uint32 filingWindow;
        uint64 autoApproveAnnualCap;
    }

    enum CoverageStatus {
        None,
        Offered,
        Accepted
    }

    /// @notice Patient × plan × period. Active on service dates in [start, end) once accepted.
    /// `firstYearDeductibleMet` / `firstYearPaid` / `firstYearAutoApproved` are the member's usage in plan
    /// year 0, packed beside `planId` (exactly one slot) so a member's first claim does not pay for a fresh
    /// storage slot; read usage of any year through {getUsage}.
    struct Coverage {
        address patient;
        uint40 start;
        uint40 end;
        CoverageStatus status;
        uint32 planId;
        uint80 firstYearDeductibleMet;
        uint80 firstYearPaid;
        uint64 firstYearAutoApproved;
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

    /// @notice A pre-authorisation. `requestedAt` is when the provider asked: a claim under it must be for
    /// a service on or after it.
    struct PreAuth {
        address provider;
        uint32 coverageId;
        uint8 serviceClass;
        PreAuthStatus status;
        uint40 expiresAt;
        uint80 estimate;
        uint80 approvedAmount;
        uint40 requestedAt;
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

    /// @notice An insurer's claims pool. `reserved` is what providers were credited and have not yet
    /// withdrawn, plus what open claims hold for their worst case; the insurer may withdraw only
    /// `balance - reserved`.
    struct Pool {
        uint128 balance;
        uint128 reserved;
    }

    /// @notice What a member has used in one plan year of one coverage; `autoApproved` is the billed total
    /// approved automatically (bounded by the plan's `autoApproveAnnualCap`).
    struct Usage {
        uint80 deductibleMet;
        uint80 paid;
        uint64 autoApproved;
    }

    /// @notice What a claim submission carries. Only commitments and amounts: the FHIR `Claim` itself is
    /// encrypted off chain.
    /// @param coverageId The patient's coverage under which the service is claimed.
    /// @param serviceClass The plan's service class (0..15).
    /// @param serviceDate When the service was given (unix seconds, not in the future).
    /// @param billed The amount billed, in stablecoin units.
    /// @param encounterCommitment A commitment to the encounter (e.g. keccak256 of its FHIR id and a salt
    /// known to provider and insurer); not zero. With the provider it makes the claim id, and a provider
    /// cannot claim the same encounter twice.
    /// @param claimCommitment keccak256 (or sha-256) of the encrypted FHIR `Claim`; emitted, not stored.
    /// @param evidence Record ids in `RecordRegistry` the insurer needs to read (1..MAX_EVIDENCE), in
    /// strictly ascending order (so none is listed twice).
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
    /// @notice Emitted when the insurer deactivates plan `planId`: services from `deactivatedAt` on are
    /// not covered.
    event PlanDeactivated(uint256 indexed planId, uint40 deactivatedAt);
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
    /// @notice Emitted when the insurer denied a pre-authorisation; `sealedReason` is its reason code
    /// sealed to the patient, the provider and the insurer (no reason is readable on chain).
    event PreAuthDenied(uint256 indexed preAuthId, bytes sealedReason);
    /// @notice Emitted when `provider` submits claim `claimId` (`uint256(keccak256(abi.encode(provider,
    /// encounterCommitment)))`) for `patient`.
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
    /// @notice Emitted when the insurer denied a claim; `sealedReason` is its reason code sealed to the
    /// patient, the provider and the insurer (no reason is readable on chain).
    event ClaimDenied(uint256 indexed claimId, bytes sealedReason);
    /// @notice Emitted when `amount` for claim `claimId`, held in `insurer`'s pool, is credited to
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
    error PlanInvalidTerms(uint16 coverageBps, uint32 reviewWindow, uint32 appealWindow, uint32 filingWindow);
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
    /// @notice Thrown when the claimed service on `serviceDate` precedes the pre-authorisation's request
    /// at `requestedAt`: a pre-authorisation cannot cover what was done before it was asked for.
    error PreAuthServiceBeforeRequest(uint256 preAuthId, uint40 requestedAt, uint40 serviceDate);
    /// @notice Thrown when the claim bills more than the pre-authorised `approvedAmount`.
    error PreAuthExceeded(uint256 preAuthId, uint256 approvedAmount, uint256 billed);
    /// @notice Thrown when a denial's sealed reason is empty or longer than `max` bytes.
    error DenialReasonInvalidLength(uint256 length, uint256 max);
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
    /// @notice Thrown when the patient holds no live Treatment consent (read or write) letting `provider`
    /// access `category`, the category of evidence record `recordId`: the patient has not said this
    /// provider treats her for it.
    error ClaimEvidenceNoTreatmentConsent(uint256 recordId, address provider, uint8 category);
    /// @notice Thrown when evidence record `recordId` does not come strictly after `previousId` (the list must
    /// be strictly ascending, so no record is cited twice).
    error ClaimEvidenceNotAscending(uint256 previousId, uint256 recordId);
    /// @notice Thrown when the encounter commitment is zero.
    error ClaimInvalidEncounter(bytes32 encounterCommitment);
    /// @notice Thrown when the caller already claimed `encounterCommitment`, in `existingClaimId`.
    error ClaimDuplicateEncounter(bytes32 encounterCommitment, uint256 existingClaimId);
    /// @notice Thrown when the claim comes after the plan's filing window for a service on `serviceDate`
    /// ended at `deadline`.
    error ClaimFilingWindowClosed(uint40 serviceDate, uint256 deadline);
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
    /// {PlanInvalidTerms} (coverage share above 10,000 bps or a zero review, appeal or filing window).
    function createPlan(PlanTerms calldata terms) external returns (uint256 planId);

    /// @notice Stops plan `planId` from now on: no new coverage or pre-authorisations under it and no
    /// cover for services from now on. Services given before stay covered: their claims and appeals
    /// proceed (no retroactive voiding).
    /// @dev Caller: the plan's credentialed insurer. Emits {PlanDeactivated}. Reverts with {PlanUnknown},
    /// {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {PlanInactive}.
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
    /// @dev Caller: a credentialed provider holding the patient's Treatment consent for the evidence.
    /// The coverage must be accepted and eligible now. Evidence is checked as for claims. Emits
    /// {PreAuthRequested}. Reverts with {ClaimsMissingCredential}, {CoverageUnknown}, {CoverageNotEligible}
    /// (e.g. `CoverageNotAccepted`, `PlanInactive`), {ClaimInvalidServiceClass}, {ClaimInvalidAmount}, the
    /// evidence errors.
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

    /// @notice Denies a pre-authorisation with `sealedReason`: an insurer-defined reason code (e.g. an X12
    /// CARC number) sealed with HPKE to the patient, the provider and the insurer (SDK `sealDenialReason`),
    /// so the chain shows that it was denied, never why.
    /// @dev Caller: the plan's credentialed insurer. Emits {PreAuthDenied}. Reverts with {PreAuthUnknown},
    /// {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {PreAuthInvalidStatus},
    /// {DenialReasonInvalidLength}. The contract cannot check what is sealed, only that something is.
    function denyPreAuth(uint256 preAuthId, bytes calldata sealedReason) external;

    // --- Claims ------------------------------------------------------------------------------

    /// @notice Submits a claim under the id `uint256(keccak256(abi.encode(msg.sender,
    /// request.encounterCommitment)))` and holds its worst case in the insurer's pool. Approves and credits
    /// it at once when the billed amount is within the plan's auto-approval threshold and the member's
    /// automatic approvals stay within the plan's annual cap for them; leaves it pending review otherwise.
    /// @dev Caller: a credentialed provider. Checks: a non-zero encounter commitment, filed within the
    /// plan's filing window, the insurer's credential, coverage accepted on the service date (and the plan
    /// not deactivated before it), strictly ascending evidence records that are all the patient's, whose
    /// categories the patient lets the provider access for treatment and the insurer read for claims, the
    /// provider never claimed the encounter, an approved, unexpired, matching and sufficient
    /// pre-authorisation requested before the service where the plan needs one (it is used up), the annual
    /// limit not yet reached, and the pool can hold the worst case. Emits {ClaimSubmitted}, then
    /// {ClaimApproved} and {ClaimPaid} when automatic. Reverts with {ClaimInvalidEncounter},
    /// {ClaimDuplicateEncounter}, {ClaimFilingWindowClosed}, {PoolInsufficientFunds} and the errors of the
    /// checks above.
    function submitClaim(ClaimRequest calldata request) external returns (uint256 claimId);

    /// @notice Approves a pending claim for `allowed` (≤ billed; below it is a partial approval); the
    /// payer amount and patient share follow from the plan (deductible, coinsurance, annual limit).
    /// @dev Caller: the plan's credentialed insurer, within the review window. Emits {ClaimApproved},
    /// {ClaimPaid} (when the payer amount is not zero). Reverts with {ClaimUnknown},
    /// {PlanUnauthorizedInsurer}, {ClaimsMissingCredential}, {ClaimInvalidStatus},
    /// {ClaimReviewWindowClosed}, {ClaimInvalidAmount}. The payer amount comes out of the claim's hold.
    function approveClaim(uint256 claimId, uint256 allowed) external;

    /// @notice Denies a pending claim with `sealedReason`: an insurer-defined reason code sealed to the
    /// patient, the provider and the insurer (SDK `sealDenialReason`), as for {denyPreAuth}.
    /// @dev Caller: the plan's credentialed insurer, within the review window. Emits {ClaimDenied}.
    /// Reverts with {ClaimUnknown}, {PlanUnauthorizedInsurer}, {ClaimsMissingCredential},
    /// {ClaimInvalidStatus}, {ClaimReviewWindowClosed}, {DenialReasonInvalidLength}.
    function denyClaim(uint256 claimId, bytes calldata sealedReason) external;

    /// @notice Appeals a denial, a partial approval, or a claim left pending past its review window,
    /// committing to new evidence shared off chain.
    /// @dev Caller: the claim's provider while it holds a live PROVIDER_ROLE credential, or the patient
    /// (always), within the appeal window (for an overdue pending claim: the appeal window that starts when
    /// its review window ends). The insurer then has the plan's review window to {decideAppeal}. Emits
    /// {ClaimAppealed}. Reverts with {ClaimUnknown}, {ClaimUnauthorizedCaller}, {ClaimsMissingCredential},
    /// {ClaimInvalidStatus}, {ClaimNotAppealable},
    /// {ClaimAppealWindowClosed}, {ClaimReviewWindowOpen}.
    function appealClaim(uint256 claimId, bytes32 evidenceCommitment) external;

    /// @notice Decides an appeal: upholds the decision, or overturns it with a new allowed amount
    /// (above the one allowed before, at most the billed amount). The claim then closes.
    /// @dev Caller: the plan's credentialed insurer, within the plan's review window from the appeal (past
    /// it, {closeClaim} overturns the decision). Emits {AppealDecided}, {ClaimPaid} for the extra payer
    /// amount, {ClaimClosed}. Reverts with {ClaimUnknown}, {PlanUnauthorizedInsurer},
    /// {ClaimsMissingCredential}, {ClaimInvalidStatus}, {ClaimReviewWindowClosed}, {ClaimInvalidAmount}.
    function decideAppeal(uint256 claimId, bool overturn, uint256 newAllowed) external;

    /// @notice Makes a claim final once no one can act on it any more:
    /// - approved or denied: once it can no longer be appealed (a full approval at once, otherwise after
    ///   the appeal window);
    /// - left pending by the insurer: denied, once the appeal window after the review deadline is over;
    /// - appealed and left undecided past the insurer's decision deadline: overturned to the billed
    ///   amount, whose payer amount comes out of the claim's hold and is credited to the provider like any
    ///   approval (the hold covers it, so this always pays).
    /// What the claim holds and was not paid is released to the insurer's free balance.
    /// @dev Caller: anyone. Emits {ClaimClosed}; for an undecided appeal {AppealDeadlineMissed},
    /// {AppealDecided}, {ClaimPaid} first. Reverts with {ClaimUnknown}, {ClaimInvalidStatus},
    /// {ClaimReviewWindowOpen}, {ClaimAppealWindowOpen}.
    function closeClaim(uint256 claimId) external;

    // --- Payouts -----------------------------------------------------------------------------

    /// @notice Transfers to the caller everything credited to it from `insurer`'s pool.
    /// @dev Caller: a provider with a credit. Credentials are not checked on purpose: the credit was earned
    /// by a claim approved while the provider was credentialed, and a later suspension must not let the
    /// insurer keep money it already owes; withdrawing moves only that credit.
    /// Emits {PayoutWithdrawn}. Reverts with {PayoutNothingToWithdraw}.
    function withdraw(address insurer) external returns (uint256 amount);

    // --- Views -------------------------------------------------------------------------------

    /// @notice The maximum number of evidence records per claim or pre-authorisation.
    function MAX_EVIDENCE() external view returns (uint256);

    /// @notice The maximum length in bytes of a denial's sealed reason.
    function MAX_SEALED_REASON() external view returns (uint256);

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

    /// @notice The claim `provider` submitted for `encounterCommitment`:
    /// `uint256(keccak256(abi.encode(provider, encounterCommitment)))` once claimed, 0 when not.
    function claimOfEncounter(address provider, bytes32 encounterCommitment) external view returns (uint256);

    /// @notice What open claim `claimId` holds in its insurer's pool for what it may still be paid (0 once
    /// it can be paid no more).
    function holdOf(uint256 claimId) external view returns (uint256);

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
