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

/// @title ConsentManager
/// @notice Patients' consent grants (direct, by a guardian, or by EIP-712 signature so the patient
/// pays no gas), their revocation, and time-limited break-glass emergency access.
contract ConsentManager is IConsentManager, EIP712, Nonces {
    /// @notice keccak256("ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,
    /// uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)") (one line, no spaces
    /// after commas). Mirrored by the SDK's typed-data schema.
    bytes32 public constant CONSENT_GRANT_TYPEHASH =
        keccak256(
            "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)"
        );

    /// @notice keccak256("ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)")
    bytes32 public constant CONSENT_REVOCATION_TYPEHASH =
        keccak256("ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)");

    /// @notice The longest a break-glass may stay open; a provider needing more must open a new one,
    /// which is evented again.
    uint64 public constant MAX_BREAK_GLASS_DURATION = 24 hours;

    /// @notice The registry of patients, credentials and guardians.
    ICareRegistryView public immutable REGISTRY;

    mapping(address patient => mapping(address grantee => mapping(Purpose purpose => Grant))) private _grants;
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
        if (!REGISTRY.isPatient(msg.sender)) revert ConsentPatientNotRegistered(msg.sender);
        _grant(msg.sender, terms, keyEnvelopes);
    }

    /// @inheritdoc IConsentManager
    function grantConsentFor(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) external {
        // Only registered patients name guardians, so no separate registration check is needed.
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
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        _useCheckedNonce(patient, nonce);
        // `ConsentTerms` is a static struct, so `abi.encode(terms)` is exactly its six fields in
        // typed-data order: grantee, scope, purpose, access, notBefore, expiresAt.
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_GRANT_TYPEHASH, patient, terms, keccak256(keyEnvelopes), nonce, deadline)
        );
        _checkSigner(patient, structHash, v, r, s);
        if (!REGISTRY.isPatient(patient)) revert ConsentPatientNotRegistered(patient);
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
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        _useCheckedNonce(patient, nonce);
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_REVOCATION_TYPEHASH, patient, grantee, purpose, nonce, deadline)
        );
        _checkSigner(patient, structHash, v, r, s);
        _revoke(patient, grantee, purpose);
    }

    /// @inheritdoc IConsentManager
    function consentOf(address patient, address grantee, Purpose purpose) external view returns (Grant memory) {
        return _grants[patient][grantee][purpose];
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
        Grant memory grant = _grants[patient][grantee][purpose];
        if (
            !grant.revoked &&
            grant.notBefore <= block.timestamp &&
            block.timestamp < grant.expiresAt &&
            (grant.scope >> category) & 1 == 1 &&
            grant.access & access == access
        ) {
            return true;
        }
        return
            purpose == Purpose.Emergency &&
            access == ACCESS_READ &&
            (EMERGENCY_SCOPE >> category) & 1 == 1 &&
            _isBreakGlassOpen(patient, grantee);
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
        if (terms.grantee == address(0) || terms.grantee == patient) revert ConsentInvalidGrantee(patient, terms.grantee);
        if (terms.scope == 0 || terms.scope >> CATEGORY_COUNT != 0) revert ConsentInvalidScope(terms.scope);
        if (terms.access == 0 || terms.access & ~(ACCESS_READ | ACCESS_WRITE) != 0) {
            revert ConsentInvalidAccess(terms.access);
        }
        if (terms.expiresAt <= terms.notBefore || terms.expiresAt <= block.timestamp) {
            revert ConsentInvalidPeriod(terms.notBefore, terms.expiresAt, uint64(block.timestamp));
        }
        _grants[patient][terms.grantee][terms.purpose] = Grant({
            scope: terms.scope,
            access: terms.access,
            revoked: false,
            notBefore: terms.notBefore,
            expiresAt: terms.expiresAt,
            grantedAt: uint64(block.timestamp)
        });
        emit ConsentGranted(
            patient,
            terms.grantee,
            terms.purpose,
            terms.scope,
            terms.access,
            terms.notBefore,
            terms.expiresAt,
            msg.sender,
            keyEnvelopes
        );
    }

    function _revoke(address patient, address grantee, Purpose purpose) private {
        Grant storage grant = _grants[patient][grantee][purpose];
        if (grant.grantedAt == 0) revert ConsentGrantNotFound(patient, grantee, purpose);
        if (grant.revoked) revert ConsentAlreadyRevoked(patient, grantee, purpose);
        grant.revoked = true;
        emit ConsentRevoked(patient, grantee, purpose, msg.sender);
    }

    function _checkGuardian(address patient, uint8 rights) private view {
        if (!REGISTRY.isGuardian(patient, msg.sender, rights)) {
            revert ConsentUnauthorizedGuardian(patient, msg.sender, rights);
        }
    }

    function _checkSigner(address patient, bytes32 structHash, uint8 v, bytes32 r, bytes32 s) private view {
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), v, r, s);
        if (signer != patient) revert ConsentInvalidSigner(signer, patient);
    }

    function _isBreakGlassOpen(address patient, address provider) private view returns (bool) {
        return
            block.timestamp < _breakGlasses[patient][provider].expiresAt &&
            REGISTRY.isCredentialed(PROVIDER_ROLE, provider);
    }
}
