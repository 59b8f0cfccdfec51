// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

import {ICareRegistry} from "../interfaces/ICareRegistry.sol";
import {IConsentManager} from "../interfaces/IConsentManager.sol";
import {IConsentView} from "../interfaces/IConsentView.sol";
import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {RecordRegistry} from "../records/RecordRegistry.sol";
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
/// pays no gas; EOAs and ERC-1271 wallets alike), their revocation and cancellation (with the key
/// rotation that makes a revocation hold), and time-limited break-glass emergency access with its
/// key release. Tells the RecordRegistry who holds which category keys until when, so that no record
/// is ever written under a key held by someone whose access has ended.
contract ConsentManager is IConsentManager, EIP712, Nonces {
    /// @notice keccak256("ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,
    /// uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,uint256 deadline)")
    /// (one line, no spaces after commas). Mirrored by the SDK's typed-data schema.
    // Typehash preimages are longer than 32 bytes by nature; they are hashed at compile time.
    // solhint-disable gas-small-strings
    bytes32 public constant CONSENT_GRANT_TYPEHASH = keccak256(
        "ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,uint256 deadline)"
    );

    /// @notice keccak256("ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)")
    bytes32 public constant CONSENT_REVOCATION_TYPEHASH = keccak256(
        "ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,uint256 deadline)"
    );
    // solhint-enable gas-small-strings

    /// @notice The longest a break-glass may stay open; a provider needing more must open a new one,
    /// which is evented again.
    uint64 public constant MAX_BREAK_GLASS_DURATION = 24 hours;

    /// @notice How long a provider must wait to reopen a break-glass the patient or a guardian closed:
    /// a closing means something, and the patient sees until when ({breakGlassReopensAt}).
    uint64 public constant BREAK_GLASS_COOLING_PERIOD = 24 hours;

    /// @notice The furthest {invalidateNonces} may move a nonce in one call, so that nonces, which
    /// otherwise only ever grow by one, can never wrap around to replay an old signature.
    uint256 public constant MAX_NONCE_INVALIDATION = type(uint32).max;

    /// @notice The most grantees one rotation may re-wrap the new keys to.
    uint256 public constant MAX_REWRAPS = 32;

    uint256 private constant _REVOKED_BIT = 1 << 24;
    uint256 private constant _GUARDIAN_GRANT_BIT = 1 << 25;
    uint256 private constant _REVOKED_AT_SHIFT = 208;
    /// @dev The nonce word holds the nonce in its low 96 bits and the patient's controller (zero: the
    /// patient itself) above, so a signed operation learns who may sign from the slot it reads anyway.
    uint256 private constant _NONCE_BITS = 96;
    uint256 private constant _NONCE_MASK = (1 << _NONCE_BITS) - 1;
    uint256 private constant _MOVED_AWAY = 1 << 160;

    /// @notice The registry of patients, credentials and guardians.
    ICareRegistry public immutable REGISTRY;

    /// @dev The RecordRegistry whose category keys these grants hand out, created by this contract's
    /// constructor (the two name each other). Immutable, so that a grant, a revocation or a rotation
    /// reaches it without a storage read (2,100 gas each time it was a storage variable).
    IRecordRegistry private immutable _RECORDS;

    /// @dev A {Grant} packed into one word, written with one SSTORE (a struct of packed fields costs one
    /// read-modify-write per field): scope bits 0..15, access 16..23, revoked 24, made by a guardian 25,
    /// notBefore 32..95, expiresAt 96..159, grantedAt 160..207, revokedAt 208..255 (48-bit times last
    /// for millions of years). revokedAt survives later grants: it is what voids older signed grants.
    /// Keyed by `_grantKey(patient, grantee, purpose)`: one hash instead of three nested ones.
    mapping(bytes32 grantKey => uint256 packedGrant) private _grants;
    /// @dev The guardian behind a grant whose guardian bit is set; read only for such grants, so the
    /// patient's own grants keep `hasConsent` at one storage read.
    mapping(bytes32 grantKey => address guardian) private _grantGuardians;
    /// @dev Replaces {Nonces}' private counter so that {invalidateNonces} can move it forward.
    mapping(address patient => uint256) private _signatureNonces;
    mapping(address patient => mapping(address provider => BreakGlass)) private _breakGlasses;
    mapping(address patient => bool) private _breakGlassOptOuts;
    mapping(address patient => address agent) private _releaseAgents;
    /// @dev Mirror of CareRegistry's account-recovery links (see {syncAccount}): zero (acts for itself),
    /// the patient id an address took over, or _MOVED_AWAY | where its identity went.
    mapping(address account => uint256 link) private _links;

    /// @param registry The CareRegistry of this deployment. The constructor also deploys this
    /// deployment's RecordRegistry, bound to `registry` and to this contract ({recordRegistry}).
    constructor(ICareRegistry registry) EIP712("CareLedger ConsentManager", "1") {
        REGISTRY = registry;
        _RECORDS = new RecordRegistry(registry, this);
    }

    /// @inheritdoc IConsentManager
    function recordRegistry() external view returns (IRecordRegistry) {
        return _RECORDS;
    }

    // ----------------------------------------------------------------------------------------
    // Grants
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IConsentManager
    function grantConsent(ConsentTerms calldata terms, bytes calldata keyEnvelopes) external {
        address patient = _actingFor(msg.sender);
        _grant(patient, terms, keyEnvelopes, patient);
    }

    /// @inheritdoc IConsentManager
    function grantConsentFor(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) external {
        _checkGuardian(patient, GUARDIAN_MANAGE_CONSENT);
        if (terms.grantee == msg.sender) revert ConsentGuardianSelfGrant(patient, msg.sender);
        uint64 guardianUntil = REGISTRY.guardianOf(patient, msg.sender).validUntil;
        if (terms.expiresAt > guardianUntil) {
            revert ConsentGuardianGrantOutlivesGuardianship(terms.expiresAt, guardianUntil);
        }
        _grant(patient, terms, keyEnvelopes, msg.sender);
    }

    /// @inheritdoc IConsentManager
    function grantConsentBySig(
        address patient,
        ConsentTerms calldata terms,
        bytes calldata keyEnvelopes,
        uint64 issuedAt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        if (issuedAt > block.timestamp) revert ConsentSignatureFromFuture(issuedAt, uint64(block.timestamp));
        // Reading the slot first costs almost nothing: `_grant` then writes it warm.
        uint64 revokedAt = uint64(_grants[_grantKey(patient, terms.grantee, terms.purpose)] >> _REVOKED_AT_SHIFT);
        if (issuedAt <= revokedAt) {
            revert ConsentSignatureRevoked(patient, terms.grantee, terms.purpose, issuedAt, revokedAt);
        }
        _useCheckedNonce(patient, nonce);
        // `ConsentTerms` is a static struct, so `abi.encode(terms)` is exactly its six fields in
        // typed-data order: grantee, scope, purpose, access, notBefore, expiresAt.
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_GRANT_TYPEHASH, patient, terms, keccak256(keyEnvelopes), issuedAt, nonce, deadline)
        );
        _checkSignature(patient, structHash, signature);
        _grant(patient, terms, keyEnvelopes, patient);
    }

    /// @inheritdoc IConsentManager
    function revokeConsent(address grantee, Purpose purpose) external {
        address patient = _actingFor(msg.sender);
        _requireNewKeys(patient, _revoke(patient, grantee, purpose, patient));
    }

    /// @inheritdoc IConsentManager
    function revokeAndRotate(
        address grantee,
        Purpose purpose,
        IRecordRegistry.KeyRotation[] calldata rotations,
        KeyRewrap[] calldata rewraps
    ) external {
        address patient = _actingFor(msg.sender);
        uint16 exposed = _revoke(patient, grantee, purpose, patient);
        uint16 rotated = _rotate(patient, rotations, rewraps);
        _requireNewKeys(patient, exposed & ~rotated);
    }

    /// @inheritdoc IConsentManager
    function rotateCategoryKeys(
        IRecordRegistry.KeyRotation[] calldata rotations,
        KeyRewrap[] calldata rewraps
    ) external {
        _rotate(_actingFor(msg.sender), rotations, rewraps);
    }

    /// @inheritdoc IConsentManager
    function revokeConsentFor(address patient, address grantee, Purpose purpose) external {
        _checkGuardian(patient, GUARDIAN_MANAGE_CONSENT);
        _requireNewKeys(patient, _revoke(patient, grantee, purpose, msg.sender));
    }

    /// @inheritdoc IConsentManager
    function revokeConsentBySig(
        address patient,
        address grantee,
        Purpose purpose,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external {
        if (block.timestamp > deadline) revert ConsentExpiredSignature(deadline);
        _useCheckedNonce(patient, nonce);
        bytes32 structHash = keccak256(
            abi.encode(CONSENT_REVOCATION_TYPEHASH, patient, grantee, purpose, nonce, deadline)
        );
        _checkSignature(patient, structHash, signature);
        _requireNewKeys(patient, _revoke(patient, grantee, purpose, patient));
    }

    /// @inheritdoc IConsentManager
    function invalidateNonces(uint256 newNonce) external {
        _invalidateNonces(_actingFor(msg.sender), newNonce);
    }

    /// @inheritdoc IConsentManager
    function invalidateNoncesFor(address patient, uint256 newNonce) external {
        _checkGuardian(patient, GUARDIAN_MANAGE_CONSENT);
        _invalidateNonces(patient, newNonce);
    }

    /// @inheritdoc Nonces
    function nonces(address owner) public view override returns (uint256) {
        return _signatureNonces[owner] & _NONCE_MASK;
    }

    /// @inheritdoc IConsentManager
    function syncAccount(address patient) external {
        address to = REGISTRY.controllerOf(patient);
        uint256 word = _signatureNonces[patient];
        address from = _controllerIn(patient, word);
        if (to == from) revert ConsentAccountInSync(patient, to);
        _links[from] = _MOVED_AWAY | uint160(to);
        _links[to] = uint160(patient);
        _signatureNonces[patient] = (uint256(uint160(to)) << _NONCE_BITS) | (word & _NONCE_MASK);
        emit AccountSynced(patient, from, to);
    }

    /// @inheritdoc IConsentManager
    function controllerOf(address patient) external view returns (address) {
        return _controllerIn(patient, _signatureNonces[patient]);
    }

    /// @inheritdoc IConsentManager
    function consentOf(address patient, address grantee, Purpose purpose) external view returns (Grant memory) {
        bytes32 grantKey = _grantKey(patient, grantee, purpose);
        uint256 packedGrant = _grants[grantKey];
        return
            Grant({
                scope: uint16(packedGrant),
                access: uint8(packedGrant >> 16),
                revoked: packedGrant & _REVOKED_BIT != 0,
                notBefore: uint64(packedGrant >> 32),
                expiresAt: uint64(packedGrant >> 96),
                grantedAt: uint64(uint48(packedGrant >> 160)),
                revokedAt: uint64(packedGrant >> _REVOKED_AT_SHIFT),
                guardian: packedGrant & _GUARDIAN_GRANT_BIT != 0 ? _grantGuardians[grantKey] : address(0)
            });
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
        bytes32 grantKey = _grantKey(patient, grantee, purpose);
        uint256 packedGrant = _grants[grantKey];
        if (
            packedGrant & _REVOKED_BIT == 0 &&
            uint64(packedGrant >> 32) <= block.timestamp && // notBefore
            block.timestamp < uint64(packedGrant >> 96) && // expiresAt
            (packedGrant >> category) & 1 == 1 && // scope
            uint8(packedGrant >> 16) & access == access && // access
            _granterStillAuthorised(patient, grantKey, packedGrant)
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
        bytes32 grantKey = _grantKey(patient, grantee, purpose);
        uint256 packedGrant = _grants[grantKey];
        if (
            packedGrant & _REVOKED_BIT == 0 &&
            uint64(packedGrant >> 32) <= block.timestamp && // notBefore
            block.timestamp < uint64(packedGrant >> 96) && // expiresAt
            uint8(packedGrant >> 16) & access == access && // access
            _granterStillAuthorised(patient, grantKey, packedGrant)
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
        if (breakGlass.reopensAt > block.timestamp) {
            revert ConsentBreakGlassCoolingDown(patient, msg.sender, breakGlass.reopensAt);
        }
        uint64 expiresAt = uint64(block.timestamp) + duration;
        _breakGlasses[patient][msg.sender] = BreakGlass({
            openedAt: uint64(block.timestamp),
            expiresAt: expiresAt,
            reasonCode: reasonCode,
            reopensAt: 0,
            keysReleased: false
        });
        emit BreakGlassOpened(patient, msg.sender, reasonCode, expiresAt);
    }

    /// @inheritdoc IConsentManager
    function closeBreakGlass(address patient, address provider) external {
        BreakGlass storage breakGlass = _breakGlasses[patient][provider];
        if (breakGlass.expiresAt <= block.timestamp) revert ConsentBreakGlassNotOpen(patient, provider);
        if (
            msg.sender != provider &&
            msg.sender != _controllerIn(patient, _signatureNonces[patient]) &&
            !REGISTRY.isGuardian(patient, msg.sender, GUARDIAN_EMERGENCY)
        ) {
            revert ConsentUnauthorizedBreakGlassCloser(patient, provider, msg.sender);
        }
        // The provider closing its own break-glass may reopen it when needed; a closing by the patient
        // or a guardian holds for the cooling period.
        uint64 reopensAt =
            msg.sender == provider ? uint64(block.timestamp) : uint64(block.timestamp) + BREAK_GLASS_COOLING_PERIOD;
        breakGlass.expiresAt = uint64(block.timestamp);
        breakGlass.reopensAt = reopensAt;
        emit BreakGlassClosed(patient, provider, msg.sender, reopensAt);
        // The provider keeps the emergency keys it was given: they stop being safe to write to now.
        if (breakGlass.keysReleased) _RECORDS.shareCategoryKeys(patient, EMERGENCY_SCOPE, uint64(block.timestamp));
    }

    /// @inheritdoc IConsentManager
    function releaseEmergencyKeys(address patient, address provider, bytes calldata keyEnvelopes) external {
        if (
            msg.sender != _controllerIn(patient, _signatureNonces[patient]) &&
            msg.sender != _releaseAgents[patient] &&
            !REGISTRY.isGuardian(patient, msg.sender, GUARDIAN_EMERGENCY)
        ) {
            revert ConsentUnauthorizedKeyRelease(patient, provider, msg.sender);
        }
        if (!_isBreakGlassOpen(patient, provider)) revert ConsentBreakGlassNotOpen(patient, provider);
        if (keyEnvelopes.length == 0) revert ConsentEmptyKeyRelease(patient, provider);
        BreakGlass storage breakGlass = _breakGlasses[patient][provider];
        uint64 until = breakGlass.expiresAt;
        breakGlass.keysReleased = true;
        emit EmergencyKeysReleased(patient, provider, msg.sender, until, keyEnvelopes);
        _RECORDS.shareCategoryKeys(patient, EMERGENCY_SCOPE, until);
    }

    /// @inheritdoc IConsentManager
    function setEmergencyReleaseAgent(address agent) external {
        address patient = _actingFor(msg.sender);
        if (agent == msg.sender || agent == patient) revert ConsentInvalidReleaseAgent(patient, agent);
        _releaseAgents[patient] = agent;
        emit EmergencyReleaseAgentSet(patient, agent);
    }

    /// @inheritdoc IConsentManager
    function emergencyReleaseAgentOf(address patient) external view returns (address) {
        return _releaseAgents[patient];
    }

    /// @inheritdoc IConsentManager
    function setBreakGlassOptOut(bool optedOut) external {
        address patient = _actingFor(msg.sender);
        _breakGlassOptOuts[patient] = optedOut;
        emit BreakGlassOptOutUpdated(patient, optedOut, msg.sender);
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
    function breakGlassReopensAt(address patient, address provider) external view returns (uint64) {
        return _breakGlasses[patient][provider].reopensAt;
    }

    /// @inheritdoc IConsentManager
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ----------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------

    /// @dev `grantedBy` is who decided: the patient (directly or by signature) or a guardian.
    function _grant(
        address patient,
        ConsentTerms calldata terms,
        bytes calldata keyEnvelopes,
        address grantedBy
    ) private {
        ConsentTerms memory t = terms; // decode and validate the calldata once
        if (t.grantee == address(0) || t.grantee == patient) revert ConsentInvalidGrantee(patient, t.grantee);
        if (t.scope == 0 || t.scope >> CATEGORY_COUNT != 0) revert ConsentInvalidScope(t.scope);
        if (t.access == 0 || t.access & ~(ACCESS_READ | ACCESS_WRITE) != 0) revert ConsentInvalidAccess(t.access);
        if (t.expiresAt <= t.notBefore || t.expiresAt <= block.timestamp) {
            revert ConsentInvalidPeriod(t.notBefore, t.expiresAt, uint64(block.timestamp));
        }
        {
            bytes32 grantKey = _grantKey(patient, t.grantee, t.purpose);
            // Keep the last revocation time: a later grant must not revive older signatures.
            uint256 packedGrant =
                uint256(t.scope) |
                    (uint256(t.access) << 16) |
                    (uint256(t.notBefore) << 32) |
                    (uint256(t.expiresAt) << 96) |
                    (block.timestamp << 160) |
                    ((_grants[grantKey] >> _REVOKED_AT_SHIFT) << _REVOKED_AT_SHIFT);
            if (grantedBy != patient) {
                packedGrant |= _GUARDIAN_GRANT_BIT;
                _grantGuardians[grantKey] = grantedBy;
            }
            _grants[grantKey] = packedGrant;
        }
        emit ConsentGranted(
            patient,
            t.grantee,
            t.purpose,
            t.scope,
            t.access,
            t.notBefore,
            t.expiresAt,
            grantedBy,
            msg.sender,
            keyEnvelopes
        );
        // The envelopes hand the grantee the categories' current keys: writing to them must stop when
        // this grant ends. A grant that never ends (or carries no key) needs no such note.
        if (t.expiresAt != type(uint64).max && keyEnvelopes.length != 0) {
            _RECORDS.shareCategoryKeys(patient, t.scope, t.expiresAt);
        }
    }

    /// @dev Revokes the grant if there is one, and in any case records now as the triple's last
    /// revocation, which voids every signed grant for it issued until now. Returns the categories
    /// whose current keys the grantee may hold and whose writing was not already bounded by the
    /// grant's end: the scope of a grant that had not ended.
    function _revoke(
        address patient,
        address grantee,
        Purpose purpose,
        address revokedBy
    ) private returns (uint16 exposed) {
        bytes32 grantKey = _grantKey(patient, grantee, purpose);
        uint256 packedGrant = _grants[grantKey];
        // Any grant that has not ended counts, whatever its access: its key envelopes are opaque here.
        if (packedGrant & _REVOKED_BIT == 0 && block.timestamp < uint64(packedGrant >> 96)) {
            exposed = uint16(packedGrant); // expiresAt is 0 when there is no grant
        }
        uint256 kept = packedGrant & ((1 << _REVOKED_AT_SHIFT) - 1);
        _grants[grantKey] = kept | _REVOKED_BIT | (block.timestamp << _REVOKED_AT_SHIFT);
        emit ConsentRevoked(patient, grantee, purpose, revokedBy, msg.sender);
    }

    function _requireNewKeys(address patient, uint16 scope) private {
        if (scope != 0) _RECORDS.requireNewCategoryKeys(patient, scope);
    }

    /// @dev Moves `patient`'s categories of `rotations` to new epochs and publishes the new keys
    /// re-wrapped to the grantees of `rewraps`, each of which must hold a grant that has not ended.
    /// Each new key is safe to write to until the earliest end among the grants it went to.
    /// Returns the rotated categories. The patient's dApp finds the live grantees; leaving one out
    /// only cuts that grantee off from later records, naming one whose grant ended reverts.
    function _rotate(
        address patient,
        IRecordRegistry.KeyRotation[] calldata rotations,
        KeyRewrap[] calldata rewraps
    ) private returns (uint16 rotated) {
        uint256 rotationCount = rotations.length;
        uint256 rewrapCount = rewraps.length;
        if (rewrapCount > MAX_REWRAPS) revert ConsentTooManyRewraps(rewrapCount, MAX_REWRAPS);
        // RecordRegistry bounds the number of rotations (at most CATEGORY_COUNT).
        uint64[] memory writableUntil = new uint64[](rotationCount);
        for (uint256 j = 0; j < rotationCount; ++j) {
            rotated |= uint16(1) << rotations[j].category;
            writableUntil[j] = type(uint64).max;
        }
        for (uint256 i = 0; i < rewrapCount; ++i) {
            KeyRewrap calldata rewrap = rewraps[i];
            bytes32 grantKey = _grantKey(patient, rewrap.grantee, rewrap.purpose);
            uint256 packedGrant = _grants[grantKey];
            uint64 expiresAt = uint64(packedGrant >> 96);
            if (
                packedGrant & _REVOKED_BIT != 0 ||
                block.timestamp >= expiresAt ||
                !_granterStillAuthorised(patient, grantKey, packedGrant)
            ) {
                revert ConsentRewrapToEndedGrant(patient, rewrap.grantee, rewrap.purpose);
            }
            uint16 covered = uint16(packedGrant) & rotated;
            for (uint256 j = 0; j < rotationCount; ++j) {
                if ((covered >> rotations[j].category) & 1 == 1 && expiresAt < writableUntil[j]) {
                    writableUntil[j] = expiresAt;
                }
            }
            emit CategoryKeysRewrapped(patient, rewrap.grantee, rewrap.purpose, covered, rewrap.keyEnvelopes);
        }
        _RECORDS.rotateCategoryKeysFor(patient, rotations, writableUntil);
    }

    function _invalidateNonces(address patient, uint256 newNonce) private {
        uint256 word = _signatureNonces[patient];
        uint256 current = word & _NONCE_MASK;
        if (newNonce <= current || newNonce - current > MAX_NONCE_INVALIDATION || newNonce > _NONCE_MASK) {
            revert ConsentInvalidNonceInvalidation(patient, current, newNonce);
        }
        _signatureNonces[patient] = (word & ~_NONCE_MASK) | newNonce;
        emit NoncesInvalidated(patient, current, newNonce, msg.sender);
    }

    /// @dev Same as {Nonces-_useNonce}, on the counter {invalidateNonces} can move.
    function _useNonce(address owner) internal override returns (uint256) {
        unchecked {
            // x++, not ++x: the current value is the one used. It grows by one per signature and
            // stays below 2^96 (invalidateNonces refuses more), so it never reaches the controller bits.
            // solhint-disable-next-line gas-increment-by-one
            return _signatureNonces[owner]++ & _NONCE_MASK;
        }
    }

    function _checkGuardian(address patient, uint8 rights) private view {
        if (!REGISTRY.isGuardian(patient, msg.sender, rights)) {
            revert ConsentUnauthorizedGuardian(patient, msg.sender, rights);
        }
    }

    /// @dev `SignatureChecker.isValidSignatureNowCalldata` looks up the signer's code first, which costs
    /// an EOA patient 2,600 gas (a cold EXTCODESIZE) and put the signed grant over its 85,000 budget
    /// (87,372 measured). An ECDSA signature that recovers to the patient is proof by itself (no one
    /// holds a key to a deployed contract's address), so it is tried first and only a signature that
    /// does not is put to the patient's ERC-1271 `isValidSignature` through SignatureChecker (an EOA
    /// answers nothing there, so it fails).
    function _checkSignature(address patient, bytes32 structHash, bytes calldata signature) private view {
        bytes32 digest = _hashTypedDataV4(structHash);
        // After an account recovery the patient's new address signs; the old one no longer may. The
        // nonce word was just read by `_useCheckedNonce`, so this is a warm read.
        address signer = _controllerIn(patient, _signatureNonces[patient]);
        (address recovered, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(digest, signature);
        if (err == ECDSA.RecoverError.NoError && recovered == signer) return;
        if (!SignatureChecker.isValidERC1271SignatureNowCalldata(signer, digest, signature)) {
            revert ConsentInvalidSignature(patient, signature);
        }
    }

    /// @dev A guardian's grant is in force only while that guardian may still manage consent.
    function _granterStillAuthorised(
        address patient,
        bytes32 grantKey,
        uint256 packedGrant
    ) private view returns (bool) {
        return
            packedGrant & _GUARDIAN_GRANT_BIT == 0 ||
            REGISTRY.isGuardian(patient, _grantGuardians[grantKey], GUARDIAN_MANAGE_CONSENT);
    }

    /// @dev The patient id `account` acts for here; reverts for an address whose identity moved away.
    function _actingFor(address account) private view returns (address) {
        uint256 link = _links[account];
        if (link == 0) return account;
        if (link & _MOVED_AWAY != 0) revert ConsentAccountMoved(account, address(uint160(link)));
        return address(uint160(link));
    }

    function _controllerIn(address patient, uint256 nonceWord) private pure returns (address) {
        address controller = address(uint160(nonceWord >> _NONCE_BITS));
        return controller == address(0) ? patient : controller;
    }

    function _grantKey(address patient, address grantee, Purpose purpose) private pure returns (bytes32) {
        return keccak256(abi.encode(patient, grantee, purpose));
    }

    function _isBreakGlassOpen(address patient, address provider) private view returns (bool) {
        return
            block.timestamp < _breakGlasses[patient][provider].expiresAt &&
            REGISTRY.isCredentialed(PROVIDER_ROLE, provider);
    }
}
