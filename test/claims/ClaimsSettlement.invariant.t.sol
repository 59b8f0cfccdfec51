// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../utils/Test.sol";
import {ClaimsBase, SEALED_REASON} from "./ClaimsBase.sol";
import {ClaimsSettlement} from "../../contracts/claims/ClaimsSettlement.sol";
import {IClaimsSettlement} from "../../contracts/interfaces/IClaimsSettlement.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {ACCESS_READ, Purpose} from "../../contracts/libraries/CareTypes.sol";
import {ConsentDouble} from "./mocks/ConsentDouble.sol";

/// @notice Drives ClaimsSettlement through random sequences of funding, claims, decisions, appeals,
/// closes and withdrawals by the right actors, the patient granting and revoking the second provider's
/// Treatment consent, and keeps ghost books of the money that moved.
contract ClaimsHandler is Test {
    uint256 private constant USD = 1e6;
    uint8 private constant CATEGORY_ENCOUNTERS = 7;

    ClaimsSettlement public immutable claims;
    MockStablecoin public immutable token;
    ConsentDouble public immutable consents;
    address[2] public insurers;
    address[2] public providers;
    address public immutable patient;
    uint256[2] public coverages;

    mapping(address insurer => uint256) public deposited;
    mapping(address insurer => uint256) public withdrawnByInsurer;
    mapping(address insurer => uint256) public paidOut;
    /// @dev What each claim's credits added up to, measured from the providers' credit balances.
    mapping(uint256 claimId => uint256) public creditedFor;
    uint256[] public claimIds;
    /// @dev Submissions of an already claimed encounter that went through (must stay 0: a claim's id is its
    /// encounter, so such a submission would start a paid claim over).
    uint256 public duplicatesAccepted;
    /// @dev Submissions that went through while the patient gave the provider no Treatment consent (must
    /// stay 0: no claim, so no payout, without the patient's say).
    uint256 public unconsentedAccepted;
    /// @dev Undecided appeals past their decision deadline that `closeClaim` could not pay (must stay 0).
    uint256 public overdueAppealsNotPaid;
    mapping(uint256 claimId => bytes32) public encounterOf;
    mapping(uint256 claimId => uint256) public insurerIndexOf;
    mapping(address provider => bool) public treats;
    uint256 private _nonce;

    constructor(
        ClaimsSettlement claims_,
        MockStablecoin token_,
        ConsentDouble consents_,
        address[2] memory insurers_,
        address[2] memory providers_,
        address patient_,
        uint256[2] memory coverages_,
        uint256[2] memory initialDeposits
    ) {
        claims = claims_;
        token = token_;
        consents = consents_;
        insurers = insurers_;
        providers = providers_;
        patient = patient_;
        coverages = coverages_;
        deposited[insurers_[0]] = initialDeposits[0];
        deposited[insurers_[1]] = initialDeposits[1];
        treats[providers_[0]] = true;
    }

    /// @dev The patient grants or revokes the second provider's Treatment consent (the first always has it).
    function setSecondProviderConsent(bool granted) external {
        address provider = providers[1];
        consents.setConsent(patient, provider, CATEGORY_ENCOUNTERS, Purpose.Treatment, granted ? ACCESS_READ : 0);
        treats[provider] = granted;
    }

    function claimCount() external view returns (uint256) {
        return claimIds.length;
    }

    function fund(uint256 who, uint256 amount) external {
        address insurer = insurers[who % 2];
        amount = bound(amount, 1, token.balanceOf(insurer) == 0 ? 1 : token.balanceOf(insurer));
        if (token.balanceOf(insurer) < amount) return;
        vm.startPrank(insurer);
        token.approve(address(claims), amount);
        claims.fundPool(amount);
        vm.stopPrank();
        deposited[insurer] += amount;
    }

    function withdrawPool(uint256 who, uint256 amount) external {
        address insurer = insurers[who % 2];
        IClaimsSettlement.Pool memory pool = claims.getPool(insurer);
        uint256 available = pool.balance - pool.reserved;
        if (available == 0) return;
        amount = bound(amount, 1, available);
        vm.prank(insurer);
        claims.withdrawPool(amount, insurer);
        withdrawnByInsurer[insurer] += amount;
    }

    function submit(uint256 who, uint256 which, uint256 billed) external {
        // Enough claims to exhaust limits and pools; few enough that the invariants can walk them all.
        if (claimIds.length >= 12) return;
        address provider = providers[who % 2];
        uint256 index = which % 2;
        address insurer = insurers[index];
        ++_nonce;
        IClaimsSettlement.ClaimRequest memory request = _claimRequest(
            coverages[index],
            bound(billed, 1, 1_500 * USD),
            keccak256(abi.encode(_nonce))
        );
        uint256 creditBefore = claims.creditOf(provider, insurer);
        vm.prank(provider);
        try claims.submitClaim(request) returns (uint256 claimId) {
            if (!treats[provider]) ++unconsentedAccepted;
            claimIds.push(claimId);
            encounterOf[claimId] = request.encounterCommitment;
            insurerIndexOf[claimId] = index;
            creditedFor[claimId] += claims.creditOf(provider, insurer) - creditBefore;
        } catch {}
    }

    /// @dev Its provider claims an encounter again, whatever state its claim is in, under either coverage.
    function resubmit(uint256 pick, uint256 which, uint256 billed) external {
        (uint256 claimId, IClaimsSettlement.Claim memory claim, ) = _pick(pick);
        if (claimId == 0) return;
        IClaimsSettlement.ClaimRequest memory request = _claimRequest(
            coverages[which % 2],
            bound(billed, 1, 1_500 * USD),
            encounterOf[claimId]
        );
        vm.prank(claim.provider);
        try claims.submitClaim(request) {
            ++duplicatesAccepted;
        } catch {}
    }

    function approve(uint256 pick, uint256 allowed) external {
        (uint256 claimId, IClaimsSettlement.Claim memory claim, address insurer) = _pick(pick);
        if (claimId == 0) return;
        allowed = bound(allowed, 1, claim.billed);
        uint256 creditBefore = claims.creditOf(claim.provider, insurer);
        vm.prank(insurer);
        try claims.approveClaim(claimId, allowed) {
            creditedFor[claimId] += claims.creditOf(claim.provider, insurer) - creditBefore;
        } catch {}
    }

    function deny(uint256 pick) external {
        (uint256 claimId, , address insurer) = _pick(pick);
        if (claimId == 0) return;
        vm.prank(insurer);
        try claims.denyClaim(claimId, SEALED_REASON) {} catch {}
    }

    function appeal(uint256 pick, bool byPatient) external {
        (uint256 claimId, IClaimsSettlement.Claim memory claim, ) = _pick(pick);
        if (claimId == 0) return;
        vm.prank(byPatient ? patient : claim.provider);
        try claims.appealClaim(claimId, keccak256("evidence")) {} catch {}
    }

    function decideAppeal(uint256 pick, bool overturn, uint256 newAllowed) external {
        (uint256 claimId, IClaimsSettlement.Claim memory claim, address insurer) = _pick(pick);
        if (claimId == 0) return;
        newAllowed = bound(newAllowed, 0, claim.billed);
        uint256 creditBefore = claims.creditOf(claim.provider, insurer);
        vm.prank(insurer);
        try claims.decideAppeal(claimId, overturn, newAllowed) {
            creditedFor[claimId] += claims.creditOf(claim.provider, insurer) - creditBefore;
        } catch {}
    }

    /// @dev Closing an appeal the insurer left undecided overturns it, which credits the provider.
    function close(uint256 pick) external {
        (uint256 claimId, IClaimsSettlement.Claim memory claim, address insurer) = _pick(pick);
        if (claimId == 0) return;
        uint256 creditBefore = claims.creditOf(claim.provider, insurer);
        bool overdueAppeal =
            claim.status == IClaimsSettlement.ClaimStatus.Appealed &&
                block.timestamp > uint256(claim.updatedAt) + claims.getPlan(1).reviewWindow;
        try claims.closeClaim(claimId) {
            creditedFor[claimId] += claims.creditOf(claim.provider, insurer) - creditBefore;
        } catch {
            if (overdueAppeal) ++overdueAppealsNotPaid;
        }
    }

    function providerWithdraw(uint256 who, uint256 which) external {
        address provider = providers[who % 2];
        address insurer = insurers[which % 2];
        if (claims.creditOf(provider, insurer) == 0) return;
        vm.prank(provider);
        paidOut[insurer] += claims.withdraw(insurer);
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 20 days));
    }

    function _claimRequest(
        uint256 coverageId,
        uint256 billed,
        bytes32 encounterCommitment
    ) private view returns (IClaimsSettlement.ClaimRequest memory) {
        uint256[] memory evidence = new uint256[](1);
        evidence[0] = 1;
        return
            IClaimsSettlement.ClaimRequest({
                coverageId: coverageId,
                serviceClass: 0,
                serviceDate: uint40(block.timestamp),
                billed: billed,
                encounterCommitment: encounterCommitment,
                claimCommitment: keccak256(abi.encode("claim", encounterCommitment)),
                evidence: evidence,
                preAuthId: 0
            });
    }

    function _pick(
        uint256 pick
    ) private view returns (uint256 claimId, IClaimsSettlement.Claim memory claim, address insurer) {
        if (claimIds.length == 0) return (0, claim, address(0));
        claimId = claimIds[pick % claimIds.length];
        claim = claims.getClaim(claimId);
        insurer = claims.getPlan(claims.getCoverage(claim.coverageId).planId).insurer;
    }
}

contract ClaimsSettlementInvariantTest is ClaimsBase {
    ClaimsHandler internal handler;
    address[2] internal insurerPair;
    address[2] internal providerPair;

    function setUp() public override {
        super.setUp();
        uint256 otherPlan = _createPlan(otherInsurer);
        _fund(otherInsurer, 5_000 * USD);
        uint256 otherCoverage = _offer(patient, otherPlan, T0 - 30 * DAY, T0 + 3_650 * DAY);
        vm.prank(patient);
        claims.acceptCoverage(otherCoverage);
        consents.setConsent(patient, otherInsurer, 7, Purpose.Claims, 1);
        // Money the insurers can add to their pools later.
        for (uint256 i = 0; i < 3; ++i) {
            vm.warp(block.timestamp + DAY);
            vm.prank(insurer);
            token.faucet();
            vm.prank(otherInsurer);
            token.faucet();
        }

        insurerPair = [insurer, otherInsurer];
        providerPair = [provider, otherProvider];
        handler = new ClaimsHandler(
            claims,
            token,
            consents,
            insurerPair,
            providerPair,
            patient,
            [coverageId, otherCoverage],
            [10_000 * USD, 5_000 * USD]
        );
        targetContract(address(handler));
    }

    /// @notice Paid out plus reserved never exceeds what was deposited minus what the insurer withdrew.
    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 60
     */
    function invariant_paidPlusReservedWithinNetDeposits() public view {
        for (uint256 i = 0; i < 2; ++i) {
            address pooled = insurerPair[i];
            IClaimsSettlement.Pool memory pool = claims.getPool(pooled);
            vm.assertLe(
                handler.paidOut(pooled) + pool.reserved,
                handler.deposited(pooled) - handler.withdrawnByInsurer(pooled),
                "paid + reserved <= deposited - withdrawn"
            );
            vm.assertEq(
                pool.balance,
                handler.deposited(pooled) - handler.withdrawnByInsurer(pooled) - handler.paidOut(pooled),
                "pool balance books"
            );
        }
    }

    /// @notice The contract holds at least every pool's reserve and every unwithdrawn provider credit.
    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 60
     */
    function invariant_tokensCoverReservedAndCredits() public view {
        uint256 reserved;
        uint256 credited;
        uint256 balances;
        for (uint256 i = 0; i < 2; ++i) {
            IClaimsSettlement.Pool memory pool = claims.getPool(insurerPair[i]);
            reserved += pool.reserved;
            balances += pool.balance;
            vm.assertLe(pool.reserved, pool.balance, "reserved <= balance");
            for (uint256 j = 0; j < 2; ++j) {
                credited += claims.creditOf(providerPair[j], insurerPair[i]);
            }
        }
        vm.assertGe(reserved, credited, "reserved >= unwithdrawn credits");
        vm.assertGe(token.balanceOf(address(claims)), balances, "tokens >= pool balances");
        vm.assertGe(token.balanceOf(address(claims)), credited, "tokens >= credits");
    }

    /// @notice Reserved funds always cover every open claim's worst case: each pool reserves exactly its
    /// unwithdrawn credits plus every open claim's worst case less what it was paid (computed here from the
    /// plan terms, independently of the contract), its balance covers that, and an appeal the insurer
    /// leaves undecided is always paid when closed.
    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 60
     */
    function invariant_reservesCoverEveryOpenClaimsWorstCase() public view {
        vm.assertEq(handler.overdueAppealsNotPaid(), 0, "closing an overdue appeal always pays");
        uint256[2] memory holds;
        uint256 count = handler.claimCount();
        for (uint256 i = 0; i < count; ++i) {
            uint256 claimId = handler.claimIds(i);
            IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
            IClaimsSettlement.ClaimStatus status = claim.status;
            uint256 hold;
            bool canBePaidMore =
                status != IClaimsSettlement.ClaimStatus.Closed &&
                    !(status == IClaimsSettlement.ClaimStatus.Approved && claim.allowed == claim.billed);
            if (canBePaidMore) {
                // Both plans have ClaimsBase's terms: 80 % coverage, 2,000 annual limit.
                uint256 worstCase = (uint256(claim.billed) * 8_000) / 10_000;
                if (worstCase > 2_000 * USD) worstCase = 2_000 * USD;
                hold = worstCase - claim.payerAmount;
            }
            vm.assertEq(claims.holdOf(claimId), hold, "holdOf");
            holds[handler.insurerIndexOf(claimId)] += hold;
        }
        for (uint256 i = 0; i < 2; ++i) {
            IClaimsSettlement.Pool memory pool = claims.getPool(insurerPair[i]);
            uint256 credited;
            for (uint256 j = 0; j < 2; ++j) credited += claims.creditOf(providerPair[j], insurerPair[i]);
            vm.assertEq(pool.reserved, credited + holds[i], "reserved == credits + open claims' holds");
            vm.assertGe(pool.balance, credited + holds[i], "balance >= credits + holds");
        }
    }

    /// @notice No payout without the patient's consent: no claim is ever taken from a provider the patient
    /// gave no Treatment consent at the time, so none is credited.
    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 60
     */
    function invariant_noClaimWithoutPatientsConsent() public view {
        vm.assertEq(handler.unconsentedAccepted(), 0, "no claim without the patient's Treatment consent");
    }

    /// @notice No claim is paid twice: an encounter is claimed once, and each claim's credits add up to
    /// exactly its payer amount, which never exceeds what was allowed, which never exceeds what was billed.
    /**
     * hardhat-config: invariant.runs = 64
     * hardhat-config: invariant.depth = 60
     */
    function invariant_noClaimPaidTwice() public view {
        vm.assertEq(handler.duplicatesAccepted(), 0, "an encounter is claimed once");
        uint256 count = handler.claimCount();
        for (uint256 i = 0; i < count; ++i) {
            uint256 claimId = handler.claimIds(i);
            IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
            vm.assertEq(handler.creditedFor(claimId), claim.payerAmount, "credited == payer amount");
            vm.assertLe(claim.payerAmount, claim.allowed, "payer <= allowed");
            vm.assertLe(claim.allowed, claim.billed, "allowed <= billed");
        }
    }
}
