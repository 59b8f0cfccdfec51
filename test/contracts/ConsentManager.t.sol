// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {CoreFixture} from "./helpers/CoreFixture.sol";
import {IConsentManager} from "../../contracts/interfaces/IConsentManager.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    CATEGORY_COUNT,
    EMERGENCY_SCOPE,
    GUARDIAN_MANAGE_CONSENT,
    PROVIDER_ROLE,
    Purpose
} from "../../contracts/libraries/CareTypes.sol";

contract ConsentManagerTest is CoreFixture {
    bytes internal constant ENVELOPES = hex"01020304";

    function test_typehashes_matchTheirPreimages() public view {
        vm.assertEq(
            consents.CONSENT_GRANT_TYPEHASH(),
            keccak256(
                "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,uint256 deadline)"
            ),
            "grant typehash"
        );
        vm.assertEq(
            consents.CONSENT_REVOCATION_TYPEHASH(),
            keccak256(
                "ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)"
            ),
            "revocation typehash"
        );
    }

    function test_domainSeparator_coversChainAndContract() public view {
        vm.assertEq(consents.DOMAIN_SEPARATOR(), _domainSeparator(block.chainid, address(consents)), "domain");
    }

    function test_grantConsentBySig_grantsAndUsesNonce() public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 0x1ff, Purpose.Treatment, 3, 0, type(uint64).max);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            PATIENT_KEY,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, ENVELOPES, ISSUED_AT, 0, deadline)
        );
        vm.prank(stranger);
        consents.grantConsentBySig(patient, t, ENVELOPES, ISSUED_AT, 0, deadline, sig);
        vm.assertTrue(consents.hasConsent(patient, provider, 8, Purpose.Treatment, ACCESS_WRITE), "granted");
        vm.assertEq(consents.nonces(patient), 1, "nonce used");

        vm.expectRevert(abi.encodeWithSelector(Nonces.InvalidAccountNonce.selector, patient, 1));
        consents.grantConsentBySig(patient, t, ENVELOPES, ISSUED_AT, 0, deadline, sig);
    }

    function test_grantConsentBySig_rejectsOtherChain() public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        uint256 deadline = block.timestamp + 1 hours;
        // Signed for chain 1, submitted here.
        bytes memory sig = _sign(
            PATIENT_KEY,
            _grantDigest(_domainSeparator(1, address(consents)), patient, t, "", ISSUED_AT, 0, deadline)
        );
        vm.expectRevert(); // ConsentInvalidSignature(patient, sig)
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);

        // Signed for this chain, submitted after a fork to another chain id.
        sig = _sign(PATIENT_KEY, _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", ISSUED_AT, 0, deadline));
        uint256 originalChain = block.chainid;
        vm.chainId(originalChain + 1);
        vm.expectRevert();
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
        vm.chainId(originalChain);
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
        vm.assertTrue(consents.hasConsent(patient, provider, 0, Purpose.Treatment, ACCESS_READ), "granted");
    }

    function test_grantConsentBySig_rejectsWrongSigner() public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            PATIENT2_KEY,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", ISSUED_AT, 0, deadline)
        );
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.ConsentInvalidSignature.selector, patient, sig));
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
    }

    function test_grantConsentBySig_rejectsExpiredDeadline() public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        uint256 deadline = block.timestamp;
        bytes memory sig = _sign(
            PATIENT_KEY,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", ISSUED_AT, 0, deadline)
        );
        vm.warp(deadline + 1);
        vm.expectRevert(abi.encodeWithSelector(IConsentManager.ConsentExpiredSignature.selector, deadline));
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
    }

    function test_revokeConsentBySig_revokes() public {
        vm.prank(patient);
        consents.grantConsent(_terms(provider, 1, Purpose.Claims, 1, 0, type(uint64).max), "");
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            PATIENT_KEY,
            _revocationDigest(consents.DOMAIN_SEPARATOR(), patient, provider, Purpose.Claims, 0, deadline)
        );
        consents.revokeConsentBySig(patient, provider, Purpose.Claims, 0, deadline, sig);
        vm.assertFalse(consents.hasConsent(patient, provider, 0, Purpose.Claims, ACCESS_READ), "revoked");
        vm.assertTrue(consents.consentOf(patient, provider, Purpose.Claims).revoked, "flag");
    }

    function test_guardian_grantsOnlyWithinPeriod() public {
        vm.prank(patient);
        registry.setGuardian(
            guardian,
            GUARDIAN_MANAGE_CONSENT,
            uint64(block.timestamp + 10),
            uint64(block.timestamp + 20)
        );
        IConsentManager.ConsentTerms memory t = _terms(
            provider,
            1,
            Purpose.Treatment,
            1,
            0,
            uint64(block.timestamp + 20)
        );
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentManager.ConsentUnauthorizedGuardian.selector,
                patient,
                guardian,
                GUARDIAN_MANAGE_CONSENT
            )
        );
        consents.grantConsentFor(patient, t, "");
        vm.warp(block.timestamp + 10);
        vm.prank(guardian);
        consents.grantConsentFor(patient, t, "");
        vm.assertTrue(consents.hasConsent(patient, provider, 0, Purpose.Treatment, ACCESS_READ), "granted");
    }

    function test_breakGlass_readsEmergencyScopeOnly() public {
        vm.prank(provider2);
        consents.openBreakGlass(patient, 7, 1 hours);
        for (uint8 category = 0; category < CATEGORY_COUNT; ++category) {
            bool inScope = (EMERGENCY_SCOPE >> category) & 1 == 1;
            vm.assertEq(
                consents.hasConsent(patient, provider2, category, Purpose.Emergency, ACCESS_READ),
                inScope,
                "emergency read"
            );
            vm.assertFalse(
                consents.hasConsent(patient, provider2, category, Purpose.Emergency, ACCESS_WRITE),
                "no emergency write"
            );
        }
        registry.suspendCredential(PROVIDER_ROLE, provider2);
        vm.assertFalse(consents.hasConsent(patient, provider2, 0, Purpose.Emergency, ACCESS_READ), "suspended");
        registry.reinstateCredential(PROVIDER_ROLE, provider2);
        vm.warp(block.timestamp + 1 hours);
        vm.assertFalse(consents.hasConsent(patient, provider2, 0, Purpose.Emergency, ACCESS_READ), "expired");
    }
}
