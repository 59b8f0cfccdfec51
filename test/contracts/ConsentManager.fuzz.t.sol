// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreFixture} from "./helpers/CoreFixture.sol";
import {IConsentManager} from "../../contracts/interfaces/IConsentManager.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    CATEGORY_COUNT,
    GUARDIAN_MANAGE_CONSENT,
    Purpose
} from "../../contracts/libraries/CareTypes.sol";

contract ConsentManagerFuzzTest is CoreFixture {
    /// hasConsent is exactly "not revoked, notBefore <= now < expiresAt, category in scope,
    /// access covered, same purpose" for any grant and any moment.
    function testFuzz_hasConsent_isTheGrantWindow(
        uint16 scope,
        uint8 access,
        uint8 purposeIndex,
        uint64 notBefore,
        uint64 expiresAt,
        uint64 at,
        uint8 category,
        uint8 askedAccess,
        uint8 askedPurposeIndex
    ) public {
        scope = uint16(bound(scope, 1, (1 << CATEGORY_COUNT) - 1));
        access = uint8(bound(access, 1, ACCESS_READ | ACCESS_WRITE));
        Purpose purpose = Purpose(bound(purposeIndex, 0, 3));
        Purpose askedPurpose = Purpose(bound(askedPurposeIndex, 0, 3));
        askedAccess = uint8(bound(askedAccess, 0, 3));
        expiresAt = uint64(bound(expiresAt, block.timestamp + 1, type(uint64).max));
        notBefore = uint64(bound(notBefore, 0, expiresAt - 1));
        vm.prank(patient);
        consents.grantConsent(_terms(provider, scope, purpose, access, notBefore, expiresAt), "");

        at = uint64(bound(at, block.timestamp, type(uint64).max - 1));
        vm.warp(at);
        bool expected =
            askedAccess != 0 &&
                category < CATEGORY_COUNT &&
                askedPurpose == purpose &&
                notBefore <= at &&
                at < expiresAt &&
                (scope >> category) & 1 == 1 &&
                access & askedAccess == askedAccess;
        vm.assertEq(consents.hasConsent(patient, provider, category, askedPurpose, askedAccess), expected, "window");
    }

    /// A revoked grant never passes, whatever is asked and whenever.
    function testFuzz_hasConsent_revokedNeverPasses(
        uint8 category,
        uint8 askedAccess,
        uint64 at,
        uint8 purposeIndex
    ) public {
        Purpose purpose = Purpose(bound(purposeIndex, 0, 2)); // Emergency could pass through break-glass
        vm.startPrank(patient);
        consents.grantConsent(_terms(provider, 0x1ff, purpose, 3, 0, type(uint64).max), "");
        consents.revokeConsent(provider, purpose);
        vm.stopPrank();
        vm.warp(bound(at, block.timestamp, type(uint64).max - 1));
        vm.assertFalse(consents.hasConsent(patient, provider, category, purpose, askedAccess), "revoked passes");
    }

    /// Only the patient's own key produces an accepted signature.
    function testFuzz_grantConsentBySig_onlyThePatientSigns(uint256 signerKey) public {
        signerKey = bound(signerKey, 1, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140);
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            signerKey,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", ISSUED_AT, 0, deadline)
        );
        if (signerKey == PATIENT_KEY) {
            consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
            vm.assertEq(consents.nonces(patient), 1, "nonce");
        } else {
            vm.expectRevert(abi.encodeWithSelector(IConsentManager.ConsentInvalidSignature.selector, patient, sig));
            consents.grantConsentBySig(patient, t, "", ISSUED_AT, 0, deadline, sig);
        }
    }

    /// Any nonce other than the current one is rejected, and the current one is used once.
    function testFuzz_grantConsentBySig_nonceMustBeCurrent(uint256 nonce) public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(
            PATIENT_KEY,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", ISSUED_AT, nonce, deadline)
        );
        if (nonce != 0) vm.expectRevert();
        consents.grantConsentBySig(patient, t, "", ISSUED_AT, nonce, deadline, sig);
        vm.assertEq(consents.nonces(patient), nonce == 0 ? 1 : 0, "nonce");
    }

    /// Break-glass never grants anything but Emergency reads of the emergency scope, and never
    /// outlives its duration.
    function testFuzz_breakGlass_boundedInScopeAndTime(
        uint64 duration,
        uint64 later,
        uint8 category,
        uint8 access
    ) public {
        duration = uint64(bound(duration, 1, consents.MAX_BREAK_GLASS_DURATION()));
        vm.prank(provider);
        consents.openBreakGlass(patient, 1, duration);
        uint256 openedAt = block.timestamp;
        vm.warp(bound(later, openedAt, openedAt + 3 days));
        bool expected = block.timestamp < openedAt + duration && access == ACCESS_READ && category < 4; // EMERGENCY_SCOPE = categories 0..3
        vm.assertEq(
            consents.hasConsent(patient, provider, category, Purpose.Emergency, access),
            expected,
            "break-glass"
        );
        for (uint8 p = 0; p < 3; ++p) {
            vm.assertFalse(consents.hasConsent(patient, provider, category, Purpose(p), access), "other purpose");
        }
    }

    /// No grant outlives its granter's authority: a guardian's grant never ends after the guardianship,
    /// and passes nothing once the guardian is revoked, whatever the terms and the time asked.
    function testFuzz_grantConsentFor_neverOutlivesTheGuardianship(
        uint64 guardianFor,
        uint64 expiresIn,
        uint64 later,
        bool revokeGuardian
    ) public {
        uint64 until = uint64(block.timestamp) + uint64(bound(guardianFor, 1, 3650 days));
        vm.prank(patient);
        registry.setGuardian(guardian, GUARDIAN_MANAGE_CONSENT, 0, until);
        uint64 expiresAt = uint64(block.timestamp) + uint64(bound(expiresIn, 1, type(uint32).max));
        IConsentManager.ConsentTerms memory t = _terms(provider, 0x1ff, Purpose.Treatment, 3, 0, expiresAt);
        vm.prank(guardian);
        if (expiresAt > until) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IConsentManager.ConsentGuardianGrantOutlivesGuardianship.selector,
                    expiresAt,
                    until
                )
            );
            consents.grantConsentFor(patient, t, "");
            return;
        }
        consents.grantConsentFor(patient, t, "");
        if (revokeGuardian) {
            vm.prank(patient);
            registry.revokeGuardian(guardian);
        }
        vm.warp(bound(later, block.timestamp, uint256(until) + 365 days));
        bool expected = !revokeGuardian && block.timestamp < expiresAt;
        vm.assertEq(consents.hasConsent(patient, provider, 0, Purpose.Treatment, ACCESS_READ), expected, "read");
        vm.assertEq(consents.consentScope(patient, provider, Purpose.Treatment, ACCESS_WRITE) != 0, expected, "scope");
        if (block.timestamp >= until) vm.assertFalse(expected, "outlived the guardianship");
    }

    /// A signed grant issued at or before the last revocation of its triple never applies.
    function testFuzz_grantConsentBySig_neverAppliesAfterALaterRevocation(uint32 signedBefore, uint32 waited) public {
        IConsentManager.ConsentTerms memory t = _terms(provider, 1, Purpose.Treatment, 1, 0, type(uint64).max);
        vm.warp(block.timestamp + 30 days);
        uint64 issuedAt = uint64(block.timestamp) - uint64(bound(signedBefore, 0, 30 days));
        uint256 deadline = block.timestamp + 60 days;
        bytes memory sig = _sign(
            PATIENT_KEY,
            _grantDigest(consents.DOMAIN_SEPARATOR(), patient, t, "", issuedAt, 0, deadline)
        );
        vm.prank(patient);
        consents.revokeConsent(provider, Purpose.Treatment);
        uint64 revokedAt = uint64(block.timestamp);
        vm.warp(block.timestamp + bound(waited, 0, 59 days));
        vm.expectRevert(
            abi.encodeWithSelector(
                IConsentManager.ConsentSignatureRevoked.selector,
                patient,
                provider,
                Purpose.Treatment,
                issuedAt,
                revokedAt
            )
        );
        consents.grantConsentBySig(patient, t, "", issuedAt, 0, deadline, sig);
        vm.assertFalse(consents.hasConsent(patient, provider, 0, Purpose.Treatment, ACCESS_READ), "re-opened");
    }
}
