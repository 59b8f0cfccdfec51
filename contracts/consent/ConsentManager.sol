// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {IConsentManager} from "../interfaces/IConsentManager.sol";
import {IConsentView} from "../interfaces/IConsentView.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    CATEGORY_COUNT,
    EMERGENCY_SCOPE,
    GUARDIAN_EMERGENCY,
    GUARDIAN_MANAGE_CONSENT,
    PROVIDER_ROLE,
    Purpose
} from "../libraries/CareTypes.sol";

// Periods are half-open [from, until): `from <= now < until` reads clearer than its strict rewrite.
// solhint-disable gas-strict-inequalities

/// @title ConsentManager
/// @notice Patients' consent grants (direct, by a guardian, or by EIP-712 signature so the patient
/// pays no gas), their revocation, and time-limited break-glass emergency access.
contract ConsentManager is IConsentManager, EIP712, Nonces {
    /// @notice keccak256("ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,
    /// uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)") (one line, no spaces
    /// after commas). Mirrored by the SDK's typed-data schema.
    // Typehash preimages are longer than 32 bytes by nature; they are hashed at compile time.
    // solhint-disable gas-small-strings
    bytes32 public constant CONSENT_GRANT_TYPEHASH = keccak256(
        "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)"
    );

    /// @notice keccak256("ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)")
    bytes32 public constant CONSENT_REVOCATION_TYPEHASH = keccak256(
        "ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    /// @notice The longest a break-glass may stay open; a provider needing more must open a new one,
    /// which is evented again.
    uint64 public constant MAX_BREAK_GLASS_DURATION = 24 hours;

    uint256 private constant _REVOKED_BIT = 1 << 24;

    /// @notice The registry of patients, credentials and guardians.
    ICareRegistryView public immutable REGISTRY;

    /// @dev A {Grant} packed into one word, written with one SSTORE (a struct of packed fields costs one
    /// read-modify-write per field): scope bits 0..15, access 16..23, revoked 24, notBefore 32..95,
    /// expiresAt 96..159, grantedAt 160..223.
    /// Keyed by `_grantKey(patient, grantee, purpose)`: one hash instead of three nested ones.
    mapping(bytes32 grantKey => uint256 packedGrant) private _grants;
    mapping(address patient => mapping(address provider => BreakGlass)) private _breakGlasses;
    mapping(address patient => bool) private _breakGlassOptOuts;

    /// @param registry The CareRegistry of this deployment.
    constructor(ICareRegistryView registry) EIP712("CareLedger ConsentManager", "1") {
        REGISTRY = registry;
    }

    // ----------------------------------------------------------------------------------------
    // Grants
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IConsentManager
    function grantConsent(ConsentTerms calldata terms, bytes calldata keyEnvelopes) external {
        _grant(msg.sender, terms, keyEnvelopes);
    }

    /// @inheritdoc IConsentManager
    function grantConsentFor(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) external {
        _checkGuardian(patient, GUARDIAN_MANAGE_CONSENT);
        _grant(patient, terms, keyEnvelopes);
    }

    /// @inheritdoc IConsentManager
    function grantConsentBySig(
        address patient,
        ConsentTerms calldata terms,
        bytes calldata keyEnvelopes,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        _useCheckedNonce(patient, nonce);
        // `ConsentTerms` is a static struct, so `abi.encode(terms)` is exactly its six fields in
        // typed-data order: grantee, scope, purpose, access, notBefore, expiresAt.
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_GRANT_TYPEHASH, patient, terms, keccak256(keyEnvelopes), nonce, deadline)
        );
        _checkSigner(patient, structHash, r, vs);
        _grant(patient, terms, keyEnvelopes);
    }

    /// @inheritdoc IConsentManager
    function revokeConsent(address grantee, Purpose purpose) external {
        _revoke(msg.sender, grantee, purpose);
    }

    /// @inheritdoc IConsentManager
    function revokeConsentFor(address patient, address grantee, Purpose purpose) external {
        _checkGuardian(patient, GUARDIAN_MANAGE_CONSENT);
        _revoke(patient, grantee, purpose);
    }

    /// @inheritdoc IConsentManager
    function revokeConsentBySig(
        address patient,
        address grantee,
        Purpose purpose,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        _useCheckedNonce(patient, nonce);
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_REVOCATION_TYPEHASH, patient, grantee, purpose, nonce, deadline)
        );
        _checkSigner(patient, structHash, r, vs);
        _revoke(patient, grantee, purpose);
    }

    /// @inheritdoc IConsentManager
    function consentOf(address patient, address grantee, Purpose purpose) external view returns (Grant memory) {
        return _unpack(_grants[_grantKey(patient, grantee, purpose)]);
    }

    /// @inheritdoc IConsentView
    function hasConsent(
        address patient,
        address grantee,
        uint8 category,
        Purpose purpose,
        uint8 access
    ) external view returns (bool) {
        if (access == 0 || category >= CATEGORY_COUNT) return false;
        uint256 packedGrant = _grants[_grantKey(patient, grantee, purpose)];
        if (
            packedGrant & _REVOKED_BIT == 0 &&
            uint64(packedGrant >> 32) <= block.timestamp && // notBefore
            block.timestamp < uint64(packedGrant >> 96) && // expiresAt
            (packedGrant >> category) & 1 == 1 && // scope
            uint8(packedGrant >> 16) & access == access // access
        ) {
            return true;
        }
        return
            purpose == Purpose.Emergency &&
            access == ACCESS_READ &&
            (EMERGENCY_SCOPE >> category) & 1 == 1 &&
            _isBreakGlassOpen(patient, grantee);
    }

    /// @inheritdoc IConsentView
    function consentScope(
        address patient,
        address grantee,
        Purpose purpose,
        uint8 access
    ) external view returns (uint16 scope) {
        if (access == 0) return 0;
        uint256 packedGrant = _grants[_grantKey(patient, grantee, purpose)];
        if (
            packedGrant & _REVOKED_BIT == 0 &&
            uint64(packedGrant >> 32) <= block.timestamp && // notBefore
            block.timestamp < uint64(packedGrant >> 96) && // expiresAt
            uint8(packedGrant >> 16) & access == access // access
        ) {
            scope = uint16(packedGrant);
        }
        if (
            purpose == Purpose.Emergency &&
            access == ACCESS_READ &&
            scope & EMERGENCY_SCOPE != EMERGENCY_SCOPE &&
            _isBreakGlassOpen(patient, grantee)
        ) {
            scope |= EMERGENCY_SCOPE;
        }
    }

    // ----------------------------------------------------------------------------------------
    // Break-glass
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IConsentManager
    function openBreakGlass(address patient, uint16 reasonCode, uint64 duration) external {
        if (!REGISTRY.isCredentialed(PROVIDER_ROLE, msg.sender)) revert ConsentProviderNotCredentialed(msg.sender);
        if (!REGISTRY.isPatient(patient)) revert ConsentPatientNotRegistered(patient);
        if (_breakGlassOptOuts[patient]) revert ConsentBreakGlassOptedOut(patient);
        if (reasonCode == 0) revert ConsentBreakGlassReasonRequired();
        if (duration == 0 || duration > MAX_BREAK_GLASS_DURATION) {
            revert ConsentBreakGlassInvalidDuration(duration, MAX_BREAK_GLASS_DURATION);
        }
        BreakGlass storage breakGlass = _breakGlasses[patient][msg.sender];
        if (breakGlass.expiresAt > block.timestamp) {
            revert ConsentBreakGlassAlreadyOpen(patient, msg.sender, breakGlass.expiresAt);
        }
        uint64 expiresAt = uint64(block.timestamp) + duration;
        _breakGlasses[patient][msg.sender] = BreakGlass({
            openedAt: uint64(block.timestamp),
            expiresAt: expiresAt,
            reasonCode: reasonCode
        });
        emit BreakGlassOpened(patient, msg.sender, reasonCode, expiresAt);
    }

    /// @inheritdoc IConsentManager
    function closeBreakGlass(address patient, address provider) external {
        BreakGlass storage breakGlass = _breakGlasses[patient][provider];
        if (breakGlass.expiresAt <= block.timestamp) revert ConsentBreakGlassNotOpen(patient, provider);
        if (
            msg.sender != provider &&
            msg.sender != patient &&
            !REGISTRY.isGuardian(patient, msg.sender, GUARDIAN_EMERGENCY)
        ) {
            revert ConsentUnauthorizedBreakGlassCloser(patient, provider, msg.sender);
        }
        breakGlass.expiresAt = uint64(block.timestamp);
        emit BreakGlassClosed(patient, provider, msg.sender);
    }

    /// @inheritdoc IConsentManager
    function setBreakGlassOptOut(bool optedOut) external {
        _breakGlassOptOuts[msg.sender] = optedOut;
        emit BreakGlassOptOutUpdated(msg.sender, optedOut, msg.sender);
    }

    /// @inheritdoc IConsentManager
    function setBreakGlassOptOutFor(address patient, bool optedOut) external {
        _checkGuardian(patient, GUARDIAN_EMERGENCY);
        _breakGlassOptOuts[patient] = optedOut;
        emit BreakGlassOptOutUpdated(patient, optedOut, msg.sender);
    }

    /// @inheritdoc IConsentManager
    function breakGlassOf(address patient, address provider) external view returns (BreakGlass memory) {
        return _breakGlasses[patient][provider];
    }

    /// @inheritdoc IConsentManager
    function isBreakGlassOpen(address patient, address provider) external view returns (bool) {
        return _isBreakGlassOpen(patient, provider);
    }

    /// @inheritdoc IConsentManager
    function breakGlassOptedOut(address patient) external view returns (bool) {
        return _breakGlassOptOuts[patient];
    }

    /// @inheritdoc IConsentManager
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ----------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------

    function _grant(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) private {
        ConsentTerms memory t = terms; // decode and validate the calldata once
        if (t.grantee == address(0) || t.grantee == patient) revert ConsentInvalidGrantee(patient, t.grantee);
        if (t.scope == 0 || t.scope >> CATEGORY_COUNT != 0) revert ConsentInvalidScope(t.scope);
        if (t.access == 0 || t.access & ~(ACCESS_READ | ACCESS_WRITE) != 0) revert ConsentInvalidAccess(t.access);
        if (t.expiresAt <= t.notBefore || t.expiresAt <= block.timestamp) {
            revert ConsentInvalidPeriod(t.notBefore, t.expiresAt, uint64(block.timestamp));
        }
        _grants[_grantKey(patient, t.grantee, t.purpose)] =
            uint256(t.scope) |
            (uint256(t.access) << 16) |
            (uint256(t.notBefore) << 32) |
            (uint256(t.expiresAt) << 96) |
            (block.timestamp << 160);
        emit ConsentGranted(
            patient,
            t.grantee,
            t.purpose,
            t.scope,
            t.access,
            t.notBefore,
            t.expiresAt,
            msg.sender,
            keyEnvelopes
        );
    }

    function _revoke(address patient, address grantee, Purpose purpose) private {
        bytes32 grantKey = _grantKey(patient, grantee, purpose);
        uint256 packedGrant = _grants[grantKey];
        if (packedGrant == 0) revert ConsentGrantNotFound(patient, grantee, purpose);
        if (packedGrant & _REVOKED_BIT != 0) revert ConsentAlreadyRevoked(patient, grantee, purpose);
        _grants[grantKey] = packedGrant | _REVOKED_BIT;
        emit ConsentRevoked(patient, grantee, purpose, msg.sender);
    }

    function _checkGuardian(address patient, uint8 rights) private view {
        if (!REGISTRY.isGuardian(patient, msg.sender, rights)) {
            revert ConsentUnauthorizedGuardian(patient, msg.sender, rights);
        }
    }

    function _checkSigner(address patient, bytes32 structHash, bytes32 r, bytes32 vs) private view {
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), r, vs);
        if (signer != patient) revert ConsentInvalidSigner(signer, patient);
    }

    function _grantKey(address patient, address grantee, Purpose purpose) private pure returns (bytes32) {
        return keccak256(abi.encode(patient, grantee, purpose));
    }

    function _unpack(uint256 packedGrant) private pure returns (Grant memory) {
        return
            Grant({
                scope: uint16(packedGrant),
                access: uint8(packedGrant >> 16),
                revoked: packedGrant & _REVOKED_BIT != 0,
                notBefore: uint64(packedGrant >> 32),
                expiresAt: uint64(packedGrant >> 96),
                grantedAt: uint64(packedGrant >> 160)
            });
    }

    function _isBreakGlassOpen(address patient, address provider) private view returns (bool) {
        return
            block.timestamp < _breakGlasses[patient][provider].expiresAt &&
            REGISTRY.isCredentialed(PROVIDER_ROLE, provider);
    }
}
