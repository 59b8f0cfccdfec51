// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {CoreFixture} from "./helpers/CoreFixture.sol";
import {ICareRegistry} from "../../contracts/interfaces/ICareRegistry.sol";
import {
    GUARDIAN_EMERGENCY,
    GUARDIAN_MANAGE_CONSENT,
    INSURER_ROLE,
    PROVIDER_ROLE,
    RESEARCHER_ROLE
} from "../../contracts/libraries/CareTypes.sol";

contract CareRegistryTest is CoreFixture {
    function test_registerPatient_setsKeyVersionOne() public {
        address newcomer = makeAddr("newcomer");
        vm.prank(newcomer);
        registry.registerPatient(bytes32(uint256(7)));
        (bytes32 key, uint32 version) = registry.encryptionKey(newcomer);
        vm.assertEq(key, bytes32(uint256(7)), "key");
        vm.assertEq(uint256(version), 1, "version");
        vm.assertTrue(registry.isPatient(newcomer), "patient");
    }

    function test_revokedCredential_isFinal() public {
        registry.revokeCredential(PROVIDER_ROLE, provider);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICareRegistry.RegistryInvalidCredentialTransition.selector,
                PROVIDER_ROLE,
                provider,
                ICareRegistry.CredentialStatus.Revoked
            )
        );
        registry.reinstateCredential(PROVIDER_ROLE, provider);
        vm.assertFalse(registry.isCredentialed(PROVIDER_ROLE, provider), "revoked");
    }

    /// Key versions count every rotation.
    function testFuzz_setEncryptionKey_versionCountsRotations(uint8 rotations, bytes32 seed) public {
        rotations = uint8(bound(rotations, 1, 20));
        for (uint256 i = 0; i < rotations; ++i) {
            vm.prank(provider);
            registry.setEncryptionKey(keccak256(abi.encode(seed, i)));
        }
        (bytes32 key, uint32 version) = registry.encryptionKey(provider);
        vm.assertEq(key, keccak256(abi.encode(seed, rotations - 1)), "latest key");
        vm.assertEq(uint256(version), rotations, "version");
    }

    /// Only active credentials count, whatever the sequence of suspensions and reinstatements.
    function testFuzz_credential_activeOnlyWhenActive(uint256 actions, uint8 roleIndex) public {
        bytes32 role = [PROVIDER_ROLE, INSURER_ROLE, RESEARCHER_ROLE][bound(roleIndex, 0, 2)];
        address account = makeAddr("account");
        registry.grantCredential(role, account);
        bool active = true;
        for (uint256 i = 0; i < 8; ++i) {
            if ((actions >> i) & 1 == 1) {
                if (active) registry.suspendCredential(role, account);
                else registry.reinstateCredential(role, account);
                active = !active;
            }
            vm.assertEq(registry.isCredentialed(role, account), active, "credentialed");
        }
    }

    /// A stranger can never change credentials.
    function testFuzz_credentials_onlyAuthority(address caller) public {
        vm.assume(caller != address(this));
        vm.prank(caller);
        vm.expectRevert();
        registry.suspendCredential(PROVIDER_ROLE, provider);
        vm.assertTrue(registry.isCredentialed(PROVIDER_ROLE, provider), "unchanged");
    }

    /// A guardian acts exactly within its rights and period.
    function testFuzz_isGuardian_rightsAndPeriod(
        uint8 rights,
        uint64 validFrom,
        uint64 validUntil,
        uint64 at,
        uint8 asked
    ) public {
        rights = uint8(bound(rights, 1, GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY));
        validUntil = uint64(bound(validUntil, block.timestamp + 1, type(uint64).max));
        validFrom = uint64(bound(validFrom, 0, validUntil - 1));
        asked = uint8(bound(asked, 0, 3));
        vm.prank(patient);
        registry.setGuardian(guardian, rights, validFrom, validUntil);
        vm.warp(bound(at, block.timestamp, type(uint64).max - 1));
        bool expected =
            asked != 0 && rights & asked == asked && validFrom <= block.timestamp && block.timestamp < validUntil;
        vm.assertEq(registry.isGuardian(patient, guardian, asked), expected, "guardian");
    }
}
