// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreFixture} from "./helpers/CoreFixture.sol";
import {CoreHandler} from "./helpers/CoreHandler.sol";
import {CATEGORY_COUNT, CREDENTIAL_ADMIN_ROLE, Purpose} from "../../contracts/libraries/CareTypes.sol";

/// @notice Invariants of consent and record writes under random sequences of grants, signed grants,
/// revocations, break-glass, credential suspensions, writes and time.
contract CoreInvariantTest is CoreFixture {
    CoreHandler internal handler;

    function setUp() public override {
        super.setUp();
        uint8[] memory categories = new uint8[](CATEGORY_COUNT);
        bytes32[] memory keys = new bytes32[](CATEGORY_COUNT);
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            categories[c] = c;
            keys[c] = keccak256(abi.encode("category key", c));
        }
        vm.prank(patient);
        records.publishCategoryKeys(categories, keys);
        vm.prank(patient2);
        records.publishCategoryKeys(categories, keys);

        handler = new CoreHandler(
            registry,
            consents,
            records,
            [patient, patient2],
            [PATIENT_KEY, PATIENT2_KEY],
            [provider, provider2],
            stranger,
            guardian
        );
        registry.grantRole(CREDENTIAL_ADMIN_ROLE, address(handler));
        targetContract(address(handler));
    }

    /// hasConsent answers exactly what the model of live grants and open break-glasses allows:
    /// no read or write permission exists without a live grant (or a credentialed break-glass).
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_hasConsentMatchesLiveGrants() public view {
        uint8[3] memory sampleCategories = [0, 4, 8];
        for (uint256 p = 0; p < 2; ++p) {
            address patient_ = handler.patients(p);
            for (uint256 g = 0; g < 3; ++g) {
                address grantee = handler.grantees(g);
                for (uint8 purpose = 0; purpose < 4; ++purpose) {
                    for (uint256 c = 0; c < 3; ++c) {
                        for (uint8 access = 1; access <= 3; ++access) {
                            vm.assertEq(
                                consents.hasConsent(patient_, grantee, sampleCategories[c], Purpose(purpose), access),
                                handler.expectedConsent(
                                    patient_,
                                    grantee,
                                    sampleCategories[c],
                                    Purpose(purpose),
                                    access
                                ),
                                "hasConsent differs from the model"
                            );
                        }
                    }
                }
            }
        }
    }

    /// A revoked, expired or not-yet-valid grant never passes hasConsent (outside break-glass).
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_deadGrantsNeverPass() public view {
        for (uint256 p = 0; p < 2; ++p) {
            address patient_ = handler.patients(p);
            for (uint256 g = 0; g < 3; ++g) {
                address grantee = handler.grantees(g);
                for (uint8 purpose = 0; purpose < 3; ++purpose) {
                    if (!handler.grantDead(patient_, grantee, Purpose(purpose))) continue;
                    for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
                        vm.assertFalse(
                            consents.hasConsent(patient_, grantee, c, Purpose(purpose), 1),
                            "dead grant reads"
                        );
                        vm.assertFalse(
                            consents.hasConsent(patient_, grantee, c, Purpose(purpose), 2),
                            "dead grant writes"
                        );
                    }
                }
            }
        }
    }

    /// No grant outlives its granter's authority: a guardian's grant passes nothing once the
    /// guardianship is over or revoked, for any category, access or purpose.
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_noGrantOutlivesItsGranter() public view {
        for (uint256 p = 0; p < 2; ++p) {
            address patient_ = handler.patients(p);
            for (uint256 g = 0; g < 3; ++g) {
                address grantee = handler.grantees(g);
                for (uint8 purpose = 0; purpose < 3; ++purpose) {
                    if (!handler.guardianGrantOrphaned(patient_, grantee, Purpose(purpose))) continue;
                    vm.assertEq(
                        consents.consentScope(patient_, grantee, Purpose(purpose), 1),
                        0,
                        "an orphaned guardian grant reads"
                    );
                    vm.assertEq(
                        consents.consentScope(patient_, grantee, Purpose(purpose), 2),
                        0,
                        "an orphaned guardian grant writes"
                    );
                }
            }
        }
    }

    /// Every record was written by its patient or by a credentialed provider holding live
    /// Treatment write consent at that moment; and every such write succeeded.
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_writesNeedPatientOrLiveGrant() public view {
        vm.assertEq(handler.unauthorizedWrites(), 0, "a write without permission succeeded");
        vm.assertEq(handler.rejectedAuthorizedWrites(), 0, "a permitted write was rejected");
        vm.assertEq(handler.unexpectedSuccesses(), 0, "revocation or break-glass outcome differs from the model");
    }

    /// Revocation holds: no record was ever written under a category key epoch that had reached a
    /// grantee (or a break-glass provider) whose access had ended, whoever revoked it (patient,
    /// guardian, signature) and however it ended (revocation, expiry, closing); and a write is
    /// refused for its key only when such a holder exists (or is within the minute the chain
    /// rounds to). Stale rotations are refused (counted in unexpectedSuccesses).
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_noRecordUnderAKeyHeldByAnEndedGrant() public view {
        vm.assertEq(handler.leakedWrites(), 0, "a record was written under a key an ended grantee holds");
        vm.assertEq(handler.overBlockedWrites(), 0, "a write was refused for its key with no ended holder");
    }

    /// Nonces only go up, by exactly one per signed grant or revocation.
    /**
     * hardhat-config: invariant.runs = 48
     * hardhat-config: invariant.depth = 50
     */
    function invariant_noncesOnlyGoUp() public view {
        vm.assertEq(handler.nonceDecreases(), 0, "a nonce did not go up");
        for (uint256 p = 0; p < 2; ++p) {
            address patient_ = handler.patients(p);
            vm.assertEq(consents.nonces(patient_), handler.signedOperations(patient_), "nonce != signed operations");
        }
    }
}
