// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ClaimsBase} from "./ClaimsBase.sol";
import {IClaimsSettlement} from "../../contracts/interfaces/IClaimsSettlement.sol";
import {CATEGORY_DIAGNOSTICS, CATEGORY_ENCOUNTERS, Purpose} from "../../contracts/libraries/CareTypes.sol";

contract ClaimsSettlementFuzzTest is ClaimsBase {
    /// @notice Whatever the insurer allows, the plan's and the patient's shares add up to it, the plan
    /// pays no more than its coverage share and its annual limit, and exactly what it pays is credited.
    function testFuzz_approveClaim_splitsAllowedAmount(uint256 billed, uint256 allowed, uint256 earlier) public {
        earlier = bound(earlier, 0, 3);
        for (uint256 i = 0; i < earlier; ++i) _submit(_request(400 * USD)); // use up deductible and limit
        IClaimsSettlement.Usage memory before = claims.getUsage(coverageId, 0);

        billed = bound(billed, 500 * USD + 1, 5_000 * USD);
        allowed = bound(allowed, 1, billed);
        uint256 claimId = _submitPending(billed);
        uint256 creditBefore = claims.creditOf(provider, insurer);
        vm.prank(insurer);
        claims.approveClaim(claimId, allowed);

        IClaimsSettlement.Claim memory claim = claims.getClaim(claimId);
        IClaimsSettlement.Usage memory usage = claims.getUsage(coverageId, 0);
        vm.assertEq(claim.allowed, allowed, "allowed");
        vm.assertLe(claim.payerAmount, (allowed * 8_000) / 10_000, "at most the coverage share");
        vm.assertLe(usage.paid, 2_000 * USD, "within annual limit");
        vm.assertLe(usage.deductibleMet, 100 * USD, "within deductible");
        vm.assertEq(usage.paid - before.paid, claim.payerAmount, "usage tracks payer");
        vm.assertEq(claims.creditOf(provider, insurer) - creditBefore, claim.payerAmount, "credited once, exactly");
    }

    /// @notice Any non-zero encounter commitment gives the provider's claim id, and the provider can claim it
    /// once only.
    function testFuzz_submitClaim_idIsProvidersEncounter(bytes32 encounter, uint256 billed) public {
        vm.assume(encounter != bytes32(0));
        billed = bound(billed, 1, 5_000 * USD);
        IClaimsSettlement.ClaimRequest memory request = _request(billed);
        request.encounterCommitment = encounter;
        uint256 claimId = _submit(request);
        vm.assertEq(claimId, uint256(keccak256(abi.encode(provider, encounter))), "id");
        vm.assertEq(claims.claimOfEncounter(provider, encounter), claimId, "claimOfEncounter");
        vm.assertEq(claims.getClaim(claimId).billed, billed, "stored under the id");

        vm.expectRevert(abi.encodeWithSelector(IClaimsSettlement.ClaimDuplicateEncounter.selector, encounter, claimId));
        _submit(request);
    }

    /// @notice No payout without the patient's consent: a provider is paid for a claim exactly when the
    /// patient's Treatment consent to it (read or write, any mix) covers both evidence categories; otherwise
    /// the submission reverts and nothing is credited or held.
    function testFuzz_submitClaim_paidOnlyWithPatientsTreatmentConsent(
        uint8 encountersAccess,
        uint8 imagingAccess
    ) public {
        encountersAccess = encountersAccess % 4; // none, read, write, read + write
        imagingAccess = imagingAccess % 4;
        consents.setConsent(patient, otherProvider, CATEGORY_ENCOUNTERS, Purpose.Treatment, encountersAccess);
        consents.setConsent(patient, otherProvider, CATEGORY_DIAGNOSTICS, Purpose.Treatment, imagingAccess);
        IClaimsSettlement.Pool memory before = claims.getPool(insurer);

        vm.prank(otherProvider);
        try claims.submitClaim(_request(300 * USD)) {
            vm.assertTrue(encountersAccess != 0 && imagingAccess != 0, "paid only with the patient's say");
            vm.assertEq(claims.creditOf(otherProvider, insurer), 160 * USD, "credited");
        } catch {
            vm.assertTrue(encountersAccess == 0 || imagingAccess == 0, "refused only without it");
            vm.assertEq(claims.creditOf(otherProvider, insurer), 0, "nothing credited");
            vm.assertEq(claims.getPool(insurer).reserved, before.reserved, "nothing held");
        }
    }

    /// @notice `quote` predicts what an approval pays.
    function testFuzz_quote_matchesApproval(uint256 billed, uint256 allowed) public {
        billed = bound(billed, 500 * USD + 1, 5_000 * USD);
        allowed = bound(allowed, 1, billed);
        uint256 claimId = _submitPending(billed);
        (uint256 payer, uint256 share) = claims.quote(coverageId, uint40(block.timestamp), allowed);
        vm.prank(insurer);
        claims.approveClaim(claimId, allowed);
        vm.assertEq(claims.getClaim(claimId).payerAmount, payer, "payer");
        vm.assertEq(payer + share, allowed, "shares add up");
    }
}
