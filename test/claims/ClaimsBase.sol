// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {Test} from "../utils/Test.sol";
import {ClaimsSettlement} from "../../contracts/claims/ClaimsSettlement.sol";
import {IClaimsSettlement} from "../../contracts/interfaces/IClaimsSettlement.sol";
import {MockStablecoin} from "../../contracts/mocks/MockStablecoin.sol";
import {
    ACCESS_READ,
    CATEGORY_DIAGNOSTICS,
    CATEGORY_ENCOUNTERS,
    INSURER_ROLE,
    PROVIDER_ROLE,
    Purpose
} from "../../contracts/libraries/CareTypes.sol";
import {CareRegistryDouble} from "./mocks/CareRegistryDouble.sol";
import {ConsentDouble} from "./mocks/ConsentDouble.sol";
import {RecordsDouble} from "./mocks/RecordsDouble.sol";

/// @dev Stands for a denial reason sealed by the SDK (1 + 3 × 56 bytes): the contract only bounds its length.
bytes constant SEALED_REASON =
    hex"03"
    hex"434c4b4502010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    hex"434c4b4502010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    hex"434c4b4502010000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

/// @notice Shared world for the ClaimsSettlement Solidity tests: doubles of the core contracts, a
/// credentialed insurer with a funded pool and a plan, an accepted coverage, a provider, and evidence
/// records the patient lets the insurer read for claims.
abstract contract ClaimsBase is Test {
    uint256 internal constant USD = 1e6;
    uint256 internal constant DAY = 1 days;
    uint256 internal constant T0 = 1_750_000_000;
    uint256 internal constant FILING_WINDOW = 90 * DAY;
    uint256 internal constant AUTO_APPROVE_CAP = 5_000 * USD;

    uint8 internal constant CLASS_OUTPATIENT = 0;
    uint8 internal constant CLASS_SURGERY = 3;

    uint256 internal constant RECORD_ENCOUNTER = 1;
    uint256 internal constant RECORD_IMAGING = 2;
    uint256 internal constant RECORD_OTHER_PATIENT = 3;
    uint256 internal constant RECORD_NO_CONSENT = 4;

    CareRegistryDouble internal registry;
    ConsentDouble internal consents;
    RecordsDouble internal records;
    MockStablecoin internal token;
    ClaimsSettlement internal claims;

    address internal insurer = makeAddr("insurer");
    address internal otherInsurer = makeAddr("otherInsurer");
    address internal provider = makeAddr("provider");
    address internal otherProvider = makeAddr("otherProvider");
    address internal patient = makeAddr("patient");
    address internal otherPatient = makeAddr("otherPatient");
    address internal guardian = makeAddr("guardian");
    address internal stranger = makeAddr("stranger");

    uint256 internal planId;
    uint256 internal coverageId;
    uint256 private _nonce;

    function setUp() public virtual {
        vm.warp(T0);
        registry = new CareRegistryDouble();
        consents = new ConsentDouble();
        records = new RecordsDouble();
        token = new MockStablecoin();
        claims = new ClaimsSettlement(registry, consents, records, IERC20(address(token)));

        registry.setCredentialed(INSURER_ROLE, insurer, true);
        registry.setCredentialed(INSURER_ROLE, otherInsurer, true);
        registry.setCredentialed(PROVIDER_ROLE, provider, true);
        registry.setCredentialed(PROVIDER_ROLE, otherProvider, true);
        registry.setPatient(patient, true);
        registry.setPatient(otherPatient, true);

        records.setRecord(RECORD_ENCOUNTER, patient, CATEGORY_ENCOUNTERS);
        records.setRecord(RECORD_IMAGING, patient, CATEGORY_DIAGNOSTICS);
        records.setRecord(RECORD_OTHER_PATIENT, otherPatient, CATEGORY_ENCOUNTERS);
        records.setRecord(RECORD_NO_CONSENT, patient, 2); // conditions: no claims consent
        consents.setConsent(patient, insurer, CATEGORY_ENCOUNTERS, Purpose.Claims, ACCESS_READ);
        consents.setConsent(patient, insurer, CATEGORY_DIAGNOSTICS, Purpose.Claims, ACCESS_READ);
        // The patient's say: `provider` treats her (encounters, diagnostics, conditions); `otherProvider`
        // is credentialed but has never seen her.
        consents.setConsent(patient, provider, CATEGORY_ENCOUNTERS, Purpose.Treatment, ACCESS_READ);
        consents.setConsent(patient, provider, CATEGORY_DIAGNOSTICS, Purpose.Treatment, ACCESS_READ);
        consents.setConsent(patient, provider, 2, Purpose.Treatment, ACCESS_READ);

        planId = _createPlan(insurer);
        _fund(insurer, 10_000 * USD);
        coverageId = _offer(patient, planId, T0 - 30 * DAY, T0 + 335 * DAY);
        vm.prank(patient);
        claims.acceptCoverage(coverageId);
    }

    function _terms() internal pure returns (IClaimsSettlement.PlanTerms memory) {
        return
            IClaimsSettlement.PlanTerms({
                coverageBps: 8_000,
                preAuthClasses: uint16(1) << CLASS_SURGERY,
                deductible: uint80(100 * USD),
                annualLimit: uint80(2_000 * USD),
                autoApproveThreshold: uint80(500 * USD),
                reviewWindow: uint32(14 * DAY),
                appealWindow: uint32(30 * DAY),
                filingWindow: uint32(FILING_WINDOW),
                autoApproveAnnualCap: uint64(AUTO_APPROVE_CAP)
            });
    }

    function _createPlan(address by) internal returns (uint256) {
        vm.prank(by);
        return claims.createPlan(_terms());
    }

    function _fund(address by, uint256 amount) internal {
        // The faucet is rate-limited; tests move time forward to draw repeatedly.
        while (token.balanceOf(by) < amount) {
            if (token.nextFaucetAt(by) > block.timestamp) vm.warp(token.nextFaucetAt(by));
            vm.prank(by);
            token.faucet();
        }
        vm.prank(by);
        token.approve(address(claims), amount);
        vm.prank(by);
        claims.fundPool(amount);
    }

    function _offer(address who, uint256 plan, uint256 start, uint256 end) internal returns (uint256) {
        vm.prank(claims.getPlan(plan).insurer);
        return claims.offerCoverage(who, plan, uint40(start), uint40(end));
    }

    function _evidence() internal pure returns (uint256[] memory evidence) {
        evidence = new uint256[](2);
        evidence[0] = RECORD_ENCOUNTER;
        evidence[1] = RECORD_IMAGING;
    }

    function _request(uint256 billed) internal returns (IClaimsSettlement.ClaimRequest memory) {
        return _request(coverageId, CLASS_OUTPATIENT, billed, 0);
    }

    function _request(
        uint256 coverage,
        uint8 serviceClass,
        uint256 billed,
        uint256 preAuthId
    ) internal returns (IClaimsSettlement.ClaimRequest memory) {
        ++_nonce;
        return
            IClaimsSettlement.ClaimRequest({
                coverageId: coverage,
                serviceClass: serviceClass,
                serviceDate: uint40(block.timestamp - 1 hours),
                billed: billed,
                encounterCommitment: keccak256(abi.encode("encounter", _nonce)),
                claimCommitment: keccak256(abi.encode("claim", _nonce)),
                evidence: _evidence(),
                preAuthId: preAuthId
            });
    }

    function _submit(IClaimsSettlement.ClaimRequest memory request) internal returns (uint256) {
        vm.prank(provider);
        return claims.submitClaim(request);
    }

    function _submitPending(uint256 billed) internal returns (uint256 claimId) {
        claimId = _submit(_request(billed));
        vm.assertEq(
            uint256(claims.getClaim(claimId).status),
            uint256(IClaimsSettlement.ClaimStatus.Pending),
            "pending"
        );
    }

    function _requestPreAuth(uint256 estimate) internal returns (uint256 preAuthId) {
        vm.prank(provider);
        preAuthId = claims.requestPreAuth(coverageId, CLASS_SURGERY, estimate, _evidence());
    }

    function _approvedPreAuth(uint256 amount, uint256 expiresAt) internal returns (uint256 preAuthId) {
        preAuthId = _requestPreAuth(amount);
        vm.prank(insurer);
        claims.approvePreAuth(preAuthId, amount, uint40(expiresAt));
    }
}
