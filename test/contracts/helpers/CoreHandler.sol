// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Test} from "../../utils/Test.sol";
import {CareRegistry} from "../../../contracts/registry/CareRegistry.sol";
import {ConsentManager} from "../../../contracts/consent/ConsentManager.sol";
import {RecordRegistry} from "../../../contracts/records/RecordRegistry.sol";
import {IConsentManager} from "../../../contracts/interfaces/IConsentManager.sol";
import {IRecordRegistry} from "../../../contracts/interfaces/IRecordRegistry.sol";
import {
    ACCESS_READ,
    ACCESS_WRITE,
    CATEGORY_COUNT,
    EMERGENCY_SCOPE,
    GUARDIAN_MANAGE_CONSENT,
    PROVIDER_ROLE,
    Purpose
} from "../../../contracts/libraries/CareTypes.sol";

/// @notice Drives the core with random grants (direct and signed), revocations, break-glass,
/// credential changes, key rotations (with and without re-wraps, stale ones), emergency key releases,
/// record writes and time, and keeps a plain model of what consent should allow and of who holds
/// which category key epoch.
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

    /// @dev Holders of category keys: grant triples (grantee index * 4 + purpose, 0..11) and
    /// break-glass providers (12 + provider index), per patient, category and epoch.
    uint256 internal constant _HOLDERS = 14;
    mapping(address patient => mapping(uint8 category => uint32 epoch)) public epochOf;
    /// @dev Until when a holder may use the key it holds of a category's epoch (0: it holds none): the
    /// earliest end of the grants (or break-glass) it was delivered with, or the revocation time.
    mapping(address patient => mapping(uint256 holder => mapping(uint8 category => mapping(uint32 epoch => uint64))))
        internal _heldUntil;

    /// @notice Writes that succeeded under a key held by someone whose access had ended (must stay 0).
    uint256 public leakedWrites;
    /// @notice Writes the model allowed, refused although nobody holding the key's epoch had ended or
    /// was within a minute of ending (must stay 0).
    uint256 public overBlockedWrites;
    uint256 public rotations;
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
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            epochOf[patients_[0]][c] = 1;
            epochOf[patients_[1]][c] = 1;
        }
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
        _modelGrant(patient, terms, false);
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
            _modelGrant(patient, terms, true);
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
        if (succeeded) {
            modelled.revoked = true;
            _endHoldings(patient, (granteeSeed % 3) * 4 + uint256(purpose));
        }
    }

    /// @dev The guardian revokes: it holds no keys, so the categories need new keys until renewed.
    function guardianRevoke(uint256 patientSeed, uint256 granteeSeed, uint256 purposeSeed) external {
        address patient = patients[patientSeed % 2];
        address grantee = grantees[granteeSeed % 3];
        Purpose purpose = Purpose(purposeSeed % 4);
        bool allowed = block.timestamp < guardianUntil[patient];
        vm.prank(guardian);
        try _consents.revokeConsentFor(patient, grantee, purpose) {
            if (!allowed) unexpectedSuccesses++;
            _model[_key(patient, grantee, purpose)].revoked = true;
            _endHoldings(patient, (granteeSeed % 3) * 4 + uint256(purpose));
        } catch {
            if (allowed) unexpectedSuccesses++;
        }
    }

    /// @dev The patient rotates the categories of `categorySeed` (optionally revoking a grant in the
    /// same transaction), re-wrapping to the live grants `rewrapSeed` picks; with `stale`, it states an
    /// old epoch and must be refused.
    function rotate(
        uint256 patientSeed,
        uint16 categorySeed,
        uint16 rewrapSeed,
        bool withRevoke,
        uint256 revokeSeed,
        bool stale
    ) external {
        address patient = patients[patientSeed % 2];
        uint16 mask = uint16(bound(categorySeed, 1, (1 << CATEGORY_COUNT) - 1));
        IRecordRegistry.KeyRotation[] memory rotationList = new IRecordRegistry.KeyRotation[](_popcount(mask));
        uint256 n;
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            if ((mask >> c) & 1 == 0) continue;
            uint32 expected = epochOf[patient][c];
            if (stale && n == 0) expected -= 1;
            rotationList[n++] = IRecordRegistry.KeyRotation({
                category: c,
                expectedEpoch: expected,
                publicKey: keccak256(abi.encode(patient, c, expected, block.timestamp))
            });
        }
        uint256 revokedHolder = type(uint256).max;
        if (withRevoke) revokedHolder = revokeSeed % 12;
        // Live grants (other than the one being revoked) that rewrapSeed picks.
        uint256 count;
        bool[12] memory picked;
        for (uint256 h = 0; h < 12; ++h) {
            if (h == revokedHolder || (rewrapSeed >> h) & 1 == 0) continue;
            if (!_holderLive(patient, h)) continue;
            picked[h] = true;
            ++count;
        }
        IConsentManager.KeyRewrap[] memory rewraps = new IConsentManager.KeyRewrap[](count);
        n = 0;
        for (uint256 h = 0; h < 12; ++h) {
            if (!picked[h]) continue;
            rewraps[n++] = IConsentManager.KeyRewrap({
                grantee: grantees[h / 4],
                purpose: Purpose(h % 4),
                keyEnvelopes: hex"ef01"
            });
        }
        vm.prank(patient);
        bool ok;
        if (withRevoke) {
            try
                _consents.revokeAndRotate(
                    grantees[revokedHolder / 4],
                    Purpose(revokedHolder % 4),
                    rotationList,
                    rewraps
                )
            {
                ok = true;
            } catch {}
        } else {
            try _consents.rotateCategoryKeys(rotationList, rewraps) {
                ok = true;
            } catch {}
        }
        if (ok == stale) unexpectedSuccesses++;
        if (!ok) return;
        rotations++;
        if (withRevoke) {
            _model[_holderKey(patient, revokedHolder)].revoked = true;
            _endHoldings(patient, revokedHolder);
        }
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            if ((mask >> c) & 1 == 0) continue;
            uint32 epoch = ++epochOf[patient][c];
            for (uint256 h = 0; h < 12; ++h) {
                ModelGrant storage modelled = _model[_holderKey(patient, h)];
                if (picked[h] && (modelled.scope >> c) & 1 == 1) {
                    _heldUntil[patient][h][c][epoch] = modelled.expiresAt;
                }
            }
        }
    }

    /// @dev The patient releases its emergency keys to a provider holding an open break-glass.
    function releaseKeys(uint256 patientSeed, uint256 providerSeed) external {
        address patient = patients[patientSeed % 2];
        uint256 p = providerSeed % 2;
        address provider = providers[p];
        bool allowed = block.timestamp < _breakGlass[patient][provider] && credentialActive[provider];
        vm.prank(patient);
        try _consents.releaseEmergencyKeys(patient, provider, hex"0e") {
            if (!allowed) unexpectedSuccesses++;
            _deliver(patient, 12 + p, EMERGENCY_SCOPE, _breakGlass[patient][provider]);
        } catch {
            if (allowed) unexpectedSuccesses++;
        }
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
            _endHoldings(patient, 12 + (providerSeed % 2));
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
        uint32 epoch = epochOf[patient][category];
        (bool ended, bool endingSoon) = _epochExposure(patient, category, epoch);
        vm.prank(writer);
        try _records.addRecord(patient, category, hex"01551220aa", keccak256(abi.encode(block.timestamp)), epoch) {
            successfulWrites++;
            if (!allowed) unauthorizedWrites++;
            if (ended) leakedWrites++;
        } catch {
            // A permitted writer is refused only because the key must be renewed first.
            if (allowed && !ended && !endingSoon) {
                if (_records.categoryKeyState(patient, category).needsNewKeys) overBlockedWrites++;
                else rejectedAuthorizedWrites++;
            }
        }
    }

    /// @dev Short steps too, so that writes land just before and after a grant's end.
    function warpMinutes(uint16 minutes_) external {
        vm.warp(block.timestamp + uint256(minutes_ % 120) * 60 + (minutes_ % 7));
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

    /// @dev Whether a holder of `patient`'s `category` key of `epoch` has no access any more (revoked,
    /// expired, break-glass over), and whether one will within a minute (the chain rounds down to it).
    function _epochExposure(
        address patient,
        uint8 category,
        uint32 epoch
    ) internal view returns (bool ended, bool endingSoon) {
        for (uint256 h = 0; h < _HOLDERS; ++h) {
            uint64 end = _heldUntil[patient][h][category][epoch];
            if (end == 0) continue;
            if (block.timestamp >= end) return (true, true);
            if (block.timestamp + 60 >= end) endingSoon = true;
        }
    }

    function _holderLive(address patient, uint256 h) internal view returns (bool) {
        ModelGrant storage modelled = _model[_holderKey(patient, h)];
        return
            modelled.exists &&
            !modelled.revoked &&
            block.timestamp < modelled.expiresAt &&
            (!modelled.byGuardian || _guardianLive(patient));
    }

    function _modelGrant(address patient, IConsentManager.ConsentTerms memory terms, bool byGuardian) internal {
        _model[_key(patient, terms.grantee, terms.purpose)] = ModelGrant({
            exists: true,
            revoked: false,
            scope: terms.scope,
            access: terms.access,
            notBefore: terms.notBefore,
            expiresAt: terms.expiresAt,
            byGuardian: byGuardian
        });
        uint256 g =
            terms.grantee == grantees[0]
                ? 0
                : terms.grantee == grantees[1]
                    ? 1
                    : 2;
        _deliver(patient, g * 4 + uint256(terms.purpose), terms.scope, terms.expiresAt);
    }

    /// @dev `holder` receives the current keys of `scope`, usable until `until` (the earliest counts).
    function _deliver(address patient, uint256 holder, uint16 scope, uint64 until) internal {
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            if ((scope >> c) & 1 == 0) continue;
            uint32 epoch = epochOf[patient][c];
            uint64 held = _heldUntil[patient][holder][c][epoch];
            if (held == 0 || until < held) _heldUntil[patient][holder][c][epoch] = until;
        }
    }

    /// @dev `holder`'s access ended now (revoked, break-glass closed): the current keys it holds end too.
    function _endHoldings(address patient, uint256 holder) internal {
        for (uint8 c = 0; c < CATEGORY_COUNT; ++c) {
            uint32 epoch = epochOf[patient][c];
            uint64 held = _heldUntil[patient][holder][c][epoch];
            if (held > block.timestamp) _heldUntil[patient][holder][c][epoch] = uint64(block.timestamp);
        }
    }

    function _holderKey(address patient, uint256 h) internal view returns (bytes32) {
        return _key(patient, grantees[h / 4], Purpose(h % 4));
    }

    function _popcount(uint16 mask) internal pure returns (uint256 count) {
        for (; mask != 0; mask &= mask - 1) ++count;
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
