// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../../utils/Test.sol";
import {CareRegistry} from "../../../contracts/registry/CareRegistry.sol";
import {ConsentManager} from "../../../contracts/consent/ConsentManager.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {IConsentManager} from "../../../contracts/interfaces/IConsentManager.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    CATEGORY_COUNT,
    GUARDIAN_MANAGE_CONSENT,
    PROVIDER_ROLE,
    Purpose
} from "../../../contracts/libraries/CareTypes.sol";

/// @notice Drives the core with random grants (direct and signed), revocations, break-glass,
/// credential changes, record writes and time, and keeps a plain model of what consent should allow.
/// Every surprise (a write the model forbids, a nonce going down, ...) is counted in a ghost variable
/// that the invariant test asserts stays zero.
contract CoreHandler is Test {
    struct ModelGrant {
        bool exists;
        bool revoked;
        uint16 scope;
        uint8 access;
        uint64 notBefore;
        uint64 expiresAt;
        bool byGuardian;
    }

    CareRegistry internal immutable _registry;
    ConsentManager internal immutable _consents;
    RecordRegistry internal immutable _records;

    address[2] public patients;
    uint256[2] internal _patientKeys;
    address[3] public grantees; // provider, provider2, stranger
    address[2] public providers;
    address public immutable guardian;
    /// @dev When the model's guardianship of `guardian` for a patient ends (0: none).
    mapping(address patient => uint64 until) public guardianUntil;

    mapping(bytes32 key => ModelGrant) internal _model;
    mapping(address patient => mapping(address provider => uint64 expiresAt)) internal _breakGlass;
    mapping(address patient => mapping(address provider => uint64 reopensAt)) internal _breakGlassReopensAt;
    mapping(address provider => bool) public credentialActive;
    mapping(address patient => uint256) public signedOperations;

    uint256 public unauthorizedWrites;
    uint256 public rejectedAuthorizedWrites;
    uint256 public nonceDecreases;
    uint256 public unexpectedSuccesses;
    uint256 public successfulWrites;

    constructor(
        CareRegistry registry,
        ConsentManager consents,
        RecordRegistry records,
        address[2] memory patients_,
        uint256[2] memory patientKeys,
        address[2] memory providers_,
        address stranger,
        address guardian_
    ) {
        guardian = guardian_;
        _registry = registry;
        _consents = consents;
        _records = records;
        patients = patients_;
        _patientKeys = patientKeys;
        providers = providers_;
        grantees = [providers_[0], providers_[1], stranger];
        credentialActive[providers_[0]] = true;
        credentialActive[providers_[1]] = true;
    }

    // ----------------------------------------------------------------------------------------
    // Actions
    // ----------------------------------------------------------------------------------------

    function grant(
        uint256 patientSeed,
        uint256 granteeSeed,
        uint256 purposeSeed,
        uint16 scope,
        uint8 access,
        uint32 startOffset,
        uint32 duration,
        bool bySignature
    ) external {
        uint256 p = patientSeed % 2;
        address patient = patients[p];
        address grantee = grantees[granteeSeed % 3];
        Purpose purpose = Purpose(purposeSeed % 4);
        scope = uint16(bound(scope, 1, (1 << CATEGORY_COUNT) - 1));
        access = uint8(bound(access, 1, ACCESS_READ | ACCESS_WRITE));
        uint64 notBefore = startOffset % 3 == 0 ? 0 : uint64(block.timestamp + (startOffset % 2 days));
        uint64 expiresAt = uint64(block.timestamp + (startOffset % 2 days) + 1 + (duration % 5 days));
        IConsentManager.ConsentTerms memory terms = IConsentManager.ConsentTerms({
            grantee: grantee,
            scope: scope,
            purpose: purpose,
            access: access,
            notBefore: notBefore,
            expiresAt: expiresAt
        });
        if (bySignature) {
            // A signature must be issued after the triple's last revocation: sign a second later.
            vm.warp(block.timestamp + 1);
            uint64 issuedAt = uint64(block.timestamp);
            uint256 nonce = _consents.nonces(patient);
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 structHash = keccak256(
                abi.encode(
                    _consents.CONSENT_GRANT_TYPEHASH(),
                    patient,
                    terms,
                    keccak256(hex"abcd"),
                    issuedAt,
                    nonce,
                    deadline
                )
            );
            bytes memory sig = _sign(_patientKeys[p], structHash);
            _consents.grantConsentBySig(patient, terms, hex"abcd", issuedAt, nonce, deadline, sig);
            _afterSignedOperation(patient, nonce);
        } else {
            vm.prank(patient);
            _consents.grantConsent(terms, hex"abcd");
        }
        _model[_key(patient, grantee, purpose)] = ModelGrant({
            exists: true,
            revoked: false,
            scope: scope,
            access: access,
            notBefore: notBefore,
            expiresAt: expiresAt,
            byGuardian: false
        });
    }

    /// @dev The guardian grants for the patient; the contract must refuse it beyond the guardianship
    /// (not a guardian now, or past its end), and the model then keeps the grant tied to it.
    function guardianGrant(
        uint256 patientSeed,
        uint256 granteeSeed,
        uint256 purposeSeed,
        uint16 scope,
        uint32 duration
    ) external {
        address patient = patients[patientSeed % 2];
        address grantee = grantees[granteeSeed % 3];
        Purpose purpose = Purpose(purposeSeed % 4);
        scope = uint16(bound(scope, 1, (1 << CATEGORY_COUNT) - 1));
        uint64 expiresAt = uint64(block.timestamp + 1 + (duration % 5 days));
        IConsentManager.ConsentTerms memory terms = IConsentManager.ConsentTerms({
            grantee: grantee,
            scope: scope,
            purpose: purpose,
            access: ACCESS_READ | ACCESS_WRITE,
            notBefore: 0,
            expiresAt: expiresAt
        });
        bool allowed = block.timestamp < guardianUntil[patient] && expiresAt <= guardianUntil[patient];
        vm.prank(guardian);
        try _consents.grantConsentFor(patient, terms, hex"abcd") {
            if (!allowed) unexpectedSuccesses++;
            _model[_key(patient, grantee, purpose)] = ModelGrant({
                exists: true,
                revoked: false,
                scope: scope,
                access: ACCESS_READ | ACCESS_WRITE,
                notBefore: 0,
                expiresAt: expiresAt,
                byGuardian: true
            });
        } catch {
            if (allowed) unexpectedSuccesses++;
        }
    }

    function appointGuardian(uint256 patientSeed, uint32 duration) external {
        address patient = patients[patientSeed % 2];
        uint64 until = uint64(block.timestamp + 1 + (duration % 4 days));
        vm.prank(patient);
        _registry.setGuardian(guardian, GUARDIAN_MANAGE_CONSENT, 0, until);
        guardianUntil[patient] = until;
    }

    function revokeGuardian(uint256 patientSeed) external {
        address patient = patients[patientSeed % 2];
        vm.prank(patient);
        try _registry.revokeGuardian(guardian) {
            guardianUntil[patient] = 0;
        } catch {}
    }

    function revoke(uint256 patientSeed, uint256 granteeSeed, uint256 purposeSeed, bool bySignature) external {
        uint256 p = patientSeed % 2;
        address patient = patients[p];
        address grantee = grantees[granteeSeed % 3];
        Purpose purpose = Purpose(purposeSeed % 4);
        ModelGrant storage modelled = _model[_key(patient, grantee, purpose)];
        // A revocation always succeeds: with no live grant it is a cancellation in advance.
        bool revocable = true;
        bool succeeded;
        if (bySignature) {
            uint256 nonce = _consents.nonces(patient);
            uint256 deadline = block.timestamp + 1 hours;
            bytes32 structHash = keccak256(
                abi.encode(_consents.CONSENT_REVOCATION_TYPEHASH(), patient, grantee, purpose, nonce, deadline)
            );
            bytes memory sig = _sign(_patientKeys[p], structHash);
            try _consents.revokeConsentBySig(patient, grantee, purpose, nonce, deadline, sig) {
                succeeded = true;
                _afterSignedOperation(patient, nonce);
            } catch {}
        } else {
            vm.prank(patient);
            try _consents.revokeConsent(grantee, purpose) {
                succeeded = true;
            } catch {}
        }
        if (succeeded != revocable) unexpectedSuccesses++;
        if (succeeded) modelled.revoked = true;
    }

    function openBreakGlass(uint256 patientSeed, uint256 providerSeed, uint32 duration) external {
        address patient = patients[patientSeed % 2];
        address provider = providers[providerSeed % 2];
        uint64 d = uint64(bound(duration, 1, _consents.MAX_BREAK_GLASS_DURATION()));
        bool allowed =
            credentialActive[provider] &&
                _breakGlass[patient][provider] <= block.timestamp &&
                _breakGlassReopensAt[patient][provider] <= block.timestamp;
        vm.prank(provider);
        try _consents.openBreakGlass(patient, 1, d) {
            if (!allowed) unexpectedSuccesses++;
            _breakGlass[patient][provider] = uint64(block.timestamp) + d;
        } catch {
            if (allowed) unexpectedSuccesses++;
        }
    }

    function closeBreakGlass(uint256 patientSeed, uint256 providerSeed) external {
        address patient = patients[patientSeed % 2];
        address provider = providers[providerSeed % 2];
        vm.prank(patient);
        try _consents.closeBreakGlass(patient, provider) {
            _breakGlass[patient][provider] = uint64(block.timestamp);
            _breakGlassReopensAt[patient][provider] = uint64(block.timestamp) + _consents.BREAK_GLASS_COOLING_PERIOD();
        } catch {}
    }

    function toggleCredential(uint256 providerSeed) external {
        address provider = providers[providerSeed % 2];
        if (credentialActive[provider]) {
            _registry.suspendCredential(PROVIDER_ROLE, provider);
        } else {
            _registry.reinstateCredential(PROVIDER_ROLE, provider);
        }
        credentialActive[provider] = !credentialActive[provider];
    }

    function addRecord(uint256 patientSeed, uint256 writerSeed, uint8 category) external {
        address patient = patients[patientSeed % 2];
        uint256 w = writerSeed % 4;
        address writer = w == 3 ? patient : grantees[w];
        category = uint8(category % CATEGORY_COUNT);
        bool allowed =
            writer == patient ||
                (credentialActive[writer] && _grantLive(patient, writer, Purpose.Treatment, category, ACCESS_WRITE));
        vm.prank(writer);
        try _records.addRecord(patient, category, hex"01551220aa", keccak256(abi.encode(block.timestamp)), 1) {
            successfulWrites++;
            if (!allowed) unauthorizedWrites++;
        } catch {
            if (allowed) rejectedAuthorizedWrites++;
        }
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + (seconds_ % 3 days));
    }

    // ----------------------------------------------------------------------------------------
    // Model
    // ----------------------------------------------------------------------------------------

    /// @notice What hasConsent must answer, from the model alone.
    function expectedConsent(
        address patient,
        address grantee,
        uint8 category,
        Purpose purpose,
        uint8 access
    ) external view returns (bool) {
        if (_grantLive(patient, grantee, purpose, category, access)) return true;
        return
            purpose == Purpose.Emergency &&
            access == ACCESS_READ &&
            category < 4 &&
            block.timestamp < _breakGlass[patient][grantee] &&
            credentialActive[grantee];
    }

    /// @notice Whether the model holds a grant that is revoked or no longer (or not yet) in its period.
    function grantDead(address patient, address grantee, Purpose purpose) external view returns (bool) {
        ModelGrant storage modelled = _model[_key(patient, grantee, purpose)];
        return
            modelled.exists &&
            (modelled.revoked ||
                block.timestamp < modelled.notBefore ||
                block.timestamp >= modelled.expiresAt ||
                (modelled.byGuardian && !_guardianLive(patient)));
    }

    /// @notice Whether the model holds a grant made by the guardian whose guardianship is over or revoked.
    function guardianGrantOrphaned(address patient, address grantee, Purpose purpose) external view returns (bool) {
        ModelGrant storage modelled = _model[_key(patient, grantee, purpose)];
        return modelled.exists && modelled.byGuardian && !_guardianLive(patient);
    }

    function _guardianLive(address patient) internal view returns (bool) {
        return block.timestamp < guardianUntil[patient];
    }

    function _grantLive(
        address patient,
        address grantee,
        Purpose purpose,
        uint8 category,
        uint8 access
    ) internal view returns (bool) {
        ModelGrant storage modelled = _model[_key(patient, grantee, purpose)];
        return
            modelled.exists &&
            !modelled.revoked &&
            access != 0 &&
            category < CATEGORY_COUNT &&
            modelled.notBefore <= block.timestamp &&
            block.timestamp < modelled.expiresAt &&
            (modelled.scope >> category) & 1 == 1 &&
            modelled.access & access == access &&
            (!modelled.byGuardian || _guardianLive(patient));
    }

    function _afterSignedOperation(address patient, uint256 nonceBefore) internal {
        uint256 nonceAfter = _consents.nonces(patient);
        if (nonceAfter <= nonceBefore) nonceDecreases++;
        signedOperations[patient]++;
    }

    function _sign(uint256 privateKey, bytes32 structHash) internal view returns (bytes memory) {
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", _consents.DOMAIN_SEPARATOR(), structHash));
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(privateKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function _key(address patient, address grantee, Purpose purpose) internal pure returns (bytes32) {
        return keccak256(abi.encode(patient, grantee, purpose));
    }
}
