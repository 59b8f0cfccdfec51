// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {IConsentView} from "../interfaces/IConsentView.sol";
import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {IRecordView} from "../interfaces/IRecordView.sol";
import {ACCESS_WRITE, CATEGORY_COUNT, PROVIDER_ROLE, Purpose} from "../libraries/CareTypes.sol";

// Bounds checks (`index >= count`, `category >= CATEGORY_COUNT`) read clearest non-strict.
// solhint-disable gas-strict-inequalities

/// @title RecordRegistry
/// @notice Where encrypted records are pointed to, versioned and bound to their ciphertext.
contract RecordRegistry is IRecordRegistry {
    /// @notice The most records one {addRecords} call may add.
    uint256 public constant MAX_BATCH = 20;

    uint256 private constant _INDEX_BITS = 88;
    uint256 private constant _INDEX_MASK = (1 << _INDEX_BITS) - 1;

    /// @dev Bits per category in a patient's key-state word (see {_keyStates}).
    uint256 private constant _KEY_STATE_BITS = 28;
    /// @dev The low 27 bits of a category's key state: the minute from which its current key may no
    /// longer be written to (0 = no end), i.e. floor(earliest end of any grant that received it / 60).
    uint256 private constant _UNTIL_MASK = (1 << 27) - 1;
    /// @dev Bit 27 of a category's key state: its current key reached a grantee whose grant was revoked
    /// without a rotation, so it needs new keys.
    uint256 private constant _NEEDS_KEYS_BIT = 1 << 27;
    uint256 private constant _CATEGORY_STATE_MASK = (1 << _KEY_STATE_BITS) - 1;
    /// @dev Set in the key-state word from a patient's first published key on (bits 252..255 belong to
    /// no category), so that a grant's note about its keys rewrites a non-zero slot (5,000 gas less
    /// than filling an empty one).
    uint256 private constant _KEY_STATE_IN_USE_BIT = 1 << 255;

    /// @notice The registry of patients and credentials.
    ICareRegistryView public immutable REGISTRY;

    /// @notice The consent manager that says who may write.
    IConsentView public immutable CONSENTS;

    /// @dev One slot per (patient, category): the key epoch and how many records there are.
    struct CategoryState {
        uint32 epoch;
        uint64 recordCount;
    }

    /// @dev Two slots per record; patient and category are encoded in the id. `meta` packs
    /// author (bits 0..159), key epoch (160..191) and creation time (192..231), written in one
    /// SSTORE (a struct of packed fields costs one read-modify-write per field).
    /// Within one {addRecords} batch, the records of a category after its first share that
    /// first record's author, epoch and time, so their `meta` stays 0 and is read from the
    /// nearest earlier record of the category that has one (at most MAX_BATCH - 1 steps back).
    /// That saves a fresh storage slot per batched record.
    struct StoredRecord {
        uint256 meta;
        bytes32 commitment;
    }

    /// @dev Only for amended records: 1 + index of the neighbouring versions (0 = none).
    struct Versions {
        uint64 supersedes;
        uint64 supersededBy;
    }

    mapping(address patient => mapping(uint8 category => CategoryState)) private _categories;
    mapping(address patient => mapping(uint8 category => bytes32 publicKey)) private _categoryKeys;
    mapping(uint256 recordId => StoredRecord) private _records;
    mapping(uint256 recordId => Versions) private _versions;
    /// @dev Whether each category's current key is still safe to write to, for all nine categories
    /// in one word (one storage read per write, one write per grant): category c owns bits
    /// [28c, 28c + 28): the low 27 the minute its key stops being safe (0 = never, rounded down so
    /// it is never late), bit 27 "needs new keys". Reset for a category when it moves to a new epoch.
    mapping(address patient => uint256 keyState) private _keyStates;

    /// @param registry The CareRegistry of this deployment.
    /// @param consents The ConsentManager of this deployment.
    constructor(ICareRegistryView registry, IConsentView consents) {
        REGISTRY = registry;
        CONSENTS = consents;
    }

    // ----------------------------------------------------------------------------------------
    // Records
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IRecordRegistry
    function addRecord(
        address patient,
        uint8 category,
        bytes calldata cid,
        bytes32 commitment,
        uint32 keyEpoch
    ) external returns (uint256 recordId) {
        if (!_writesAsPatient(patient)) _checkWriteConsent(patient, category);
        _checkKeyState(_keyStates[patient], patient, category, keyEpoch);
        return _addRecord(patient, category, cid, commitment, keyEpoch, false);
    }

    /// @inheritdoc IRecordRegistry
    function addRecords(
        address patient,
        RecordInput[] calldata records
    ) external returns (uint256[] memory recordIds_) {
        uint256 size = records.length;
        if (size == 0 || size > MAX_BATCH) revert RecordInvalidBatchSize(size, MAX_BATCH);
        bool byPatient = _writesAsPatient(patient);
        // Bit c set = category c already met in this batch: its write consent is checked and its
        // first record holds the batch's metadata.
        uint256 seenCategories;
        uint256 keyState = _keyStates[patient];
        recordIds_ = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            RecordInput calldata input = records[i];
            uint8 category = input.category;
            bool seen = (seenCategories >> category) & 1 == 1;
            if (!seen) {
                if (!byPatient) _checkWriteConsent(patient, category);
                seenCategories |= uint256(1) << category;
            }
            _checkKeyState(keyState, patient, category, input.keyEpoch);
            recordIds_[i] = _addRecord(patient, category, input.cid, input.commitment, input.keyEpoch, seen);
        }
    }

    /// @inheritdoc IRecordRegistry
    function amendRecord(
        uint256 previousId,
        bytes calldata cid,
        bytes32 commitment,
        uint32 keyEpoch
    ) external returns (uint256 recordId) {
        (address patient, uint8 category, uint256 previousIndex) = _decode(previousId);
        Versions storage previousVersions = _versions[previousId];
        if (previousVersions.supersededBy != 0) {
            revert RecordAlreadySuperseded(previousId, _encode(patient, category, previousVersions.supersededBy - 1));
        }
        if (msg.sender != patient && msg.sender != _author(_meta(patient, category, previousIndex))) {
            // Only the patient (through the address speaking for it) or the record's author amends.
            if (REGISTRY.actingFor(msg.sender) != patient) revert RecordUnauthorizedAmender(previousId, msg.sender);
        }
        if (!_writesAsPatient(patient)) _checkWriteConsent(patient, category);
        _checkKeyState(_keyStates[patient], patient, category, keyEpoch);
        recordId = _addRecord(patient, category, cid, commitment, keyEpoch, false);
        uint256 index = recordId & _INDEX_MASK;
        previousVersions.supersededBy = uint64(index + 1);
        _versions[recordId].supersedes = uint64(previousIndex + 1);
        emit RecordAmended(previousId, recordId, msg.sender);
    }

    /// @inheritdoc IRecordRegistry
    function record(uint256 recordId) external view returns (Record memory result) {
        (address patient, uint8 category, uint256 index) = _decode(recordId);
        uint256 meta = _meta(patient, category, index);
        Versions storage versions = _versions[recordId];
        result = Record({
            patient: patient,
            category: category,
            author: _author(meta),
            keyEpoch: uint32(meta >> 160),
            createdAt: uint40(meta >> 192),
            commitment: _records[recordId].commitment,
            supersedes: versions.supersedes == 0 ? 0 : _encode(patient, category, versions.supersedes - 1),
            supersededBy: versions.supersededBy == 0 ? 0 : _encode(patient, category, versions.supersededBy - 1)
        });
    }

    /// @inheritdoc IRecordView
    function recordSubject(uint256 recordId) external view returns (address patient, uint8 category) {
        (patient, category, ) = _decode(recordId);
    }

    /// @inheritdoc IRecordRegistry
    function recordCount(address patient, uint8 category) external view returns (uint256) {
        return _categories[patient][category].recordCount;
    }

    /// @inheritdoc IRecordRegistry
    function recordIds(
        address patient,
        uint8 category,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory ids) {
        uint256 count = _categories[patient][category].recordCount;
        if (offset >= count) return new uint256[](0);
        uint256 size = count - offset < limit ? count - offset : limit;
        ids = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            ids[i] = _encode(patient, category, offset + i);
        }
    }

    /// @inheritdoc IRecordRegistry
    function computeRecordId(address patient, uint8 category, uint256 index) external pure returns (uint256) {
        return _encode(patient, category, index);
    }

    // ----------------------------------------------------------------------------------------
    // Category keys
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc IRecordRegistry
    function publishCategoryKeys(uint8[] calldata categories, bytes32[] calldata publicKeys) external {
        address patient = _callerPatient();
        uint256 size = categories.length;
        if (size != publicKeys.length) revert RecordLengthMismatch(size, publicKeys.length);
        if (size == 0 || size > CATEGORY_COUNT) revert RecordInvalidBatchSize(size, CATEGORY_COUNT);
        uint256 keyState = _keyStates[patient];
        for (uint256 i = 0; i < size; ++i) {
            uint8 category = categories[i];
            if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
            uint32 epoch = _categories[patient][category].epoch;
            if (epoch != 0) revert RecordCategoryKeyAlreadyPublished(patient, category, epoch);
            keyState = _publishCategoryKey(patient, category, publicKeys[i], keyState, 0);
        }
        _keyStates[patient] = keyState | _KEY_STATE_IN_USE_BIT;
    }

    /// @inheritdoc IRecordRegistry
    function rotateCategoryKeysFor(
        address patient,
        KeyRotation[] calldata rotations,
        uint64[] calldata writableUntil
    ) external {
        _checkConsents();
        uint256 size = rotations.length;
        if (size != writableUntil.length) revert RecordLengthMismatch(size, writableUntil.length);
        if (size == 0 || size > CATEGORY_COUNT) revert RecordInvalidBatchSize(size, CATEGORY_COUNT);
        uint256 keyState = _keyStates[patient];
        for (uint256 i = 0; i < size; ++i) {
            KeyRotation calldata rotation = rotations[i];
            uint8 category = rotation.category;
            if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
            uint32 epoch = _categories[patient][category].epoch;
            if (epoch == 0) revert RecordCategoryKeyMissing(patient, category);
            if (rotation.expectedEpoch != epoch) {
                revert RecordRotationEpochMismatch(patient, category, rotation.expectedEpoch, epoch);
            }
            keyState = _publishCategoryKey(patient, category, rotation.publicKey, keyState, writableUntil[i]);
        }
        _keyStates[patient] = keyState;
    }

    /// @inheritdoc IRecordRegistry
    function shareCategoryKeys(address patient, uint16 scope, uint64 until) external {
        _checkConsents();
        uint256 keyState = _keyStates[patient];
        // A patient who never published a key has no key to share: its first publication starts every
        // category it publishes on a fresh state anyway, so a note now would be a dead write (and the
        // costliest kind, filling an empty slot).
        if (keyState & _KEY_STATE_IN_USE_BIT == 0) return;
        uint256 untilMinute = _minuteOf(until);
        uint256 updated = keyState;
        for (uint256 c = 0; c < CATEGORY_COUNT; ++c) {
            if ((scope >> c) & 1 == 0) continue;
            uint256 shift = c * _KEY_STATE_BITS;
            uint256 current = (updated >> shift) & _UNTIL_MASK;
            if (current == 0 || untilMinute < current) {
                updated = (updated & ~(_UNTIL_MASK << shift)) | (untilMinute << shift);
            }
        }
        if (updated != keyState) _keyStates[patient] = updated;
    }

    /// @inheritdoc IRecordRegistry
    function requireNewCategoryKeys(address patient, uint16 scope) external {
        _checkConsents();
        uint256 keyState = _keyStates[patient];
        // No key published yet: nothing can need a new one (see {shareCategoryKeys}).
        if (keyState & _KEY_STATE_IN_USE_BIT == 0) return;
        uint256 updated = keyState;
        for (uint256 c = 0; c < CATEGORY_COUNT; ++c) {
            if ((scope >> c) & 1 == 1) updated |= _NEEDS_KEYS_BIT << (c * _KEY_STATE_BITS);
        }
        if (updated != keyState) {
            _keyStates[patient] = updated;
            emit CategoryKeysNeeded(patient, scope);
        }
    }

    /// @inheritdoc IRecordRegistry
    function categoryKeyState(address patient, uint8 category) external view returns (CategoryKeyState memory) {
        if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
        uint256 state = (_keyStates[patient] >> (category * _KEY_STATE_BITS)) & _CATEGORY_STATE_MASK;
        uint64 until = uint64((state & _UNTIL_MASK) * 60);
        uint32 epoch = _categories[patient][category].epoch;
        return
            CategoryKeyState({
                publicKey: _categoryKeys[patient][category],
                epoch: epoch,
                needsNewKeys: epoch != 0 && (state & _NEEDS_KEYS_BIT != 0 || (until != 0 && block.timestamp >= until)),
                writableUntil: until
            });
    }

    /// @inheritdoc IRecordRegistry
    function categoriesNeedingKeys(address patient) external view returns (uint16 mask) {
        uint256 keyState = _keyStates[patient];
        for (uint256 c = 0; c < CATEGORY_COUNT; ++c) {
            uint256 state = keyState >> (c * _KEY_STATE_BITS);
            uint256 until = (state & _UNTIL_MASK) * 60;
            if (
                _categories[patient][uint8(c)].epoch != 0 &&
                (state & _NEEDS_KEYS_BIT != 0 || (until != 0 && block.timestamp >= until))
            ) {
                mask |= uint16(1 << c);
            }
        }
    }

    /// @inheritdoc IRecordRegistry
    function categoryKey(address patient, uint8 category) external view returns (bytes32 publicKey, uint32 epoch) {
        return (_categoryKeys[patient][category], _categories[patient][category].epoch);
    }

    // ----------------------------------------------------------------------------------------
    // Internals
    // ----------------------------------------------------------------------------------------

    function _addRecord(
        address patient,
        uint8 category,
        bytes calldata cid,
        bytes32 commitment,
        uint32 keyEpoch,
        bool sharesPreviousMeta
    ) private returns (uint256 recordId) {
        if (cid.length == 0) revert RecordEmptyCid();
        if (commitment == bytes32(0)) revert RecordEmptyCommitment();
        // A category key is only ever published by a registered patient, so a current epoch also
        // proves that `patient` is registered.
        if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
        CategoryState storage state = _categories[patient][category];
        CategoryState memory current = state;
        if (current.epoch == 0) revert RecordCategoryKeyMissing(patient, category);
        if (keyEpoch != current.epoch) revert RecordStaleKeyEpoch(patient, category, keyEpoch, current.epoch);
        state.recordCount = current.recordCount + 1;
        recordId = _encode(patient, category, current.recordCount);
        StoredRecord storage stored = _records[recordId];
        if (!sharesPreviousMeta) {
            stored.meta =
                uint256(uint160(msg.sender)) |
                (uint256(keyEpoch) << 160) |
                (uint256(uint40(block.timestamp)) << 192);
        }
        stored.commitment = commitment;
        emit RecordAdded(patient, msg.sender, recordId, cid);
    }

    /// @dev Moves `patient`'s `category` to its next epoch under `publicKey`, with a fresh key state:
    /// safe to write to until `until` (the earliest end among the grants it was wrapped to in the same
    /// transaction; type(uint64).max for none). Returns the updated key-state word.
    function _publishCategoryKey(
        address patient,
        uint8 category,
        bytes32 publicKey,
        uint256 keyState,
        uint64 until
    ) private returns (uint256) {
        if (publicKey == bytes32(0)) revert RecordInvalidCategoryKey(category);
        CategoryState storage state = _categories[patient][category];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        _categoryKeys[patient][category] = publicKey;
        emit CategoryKeyPublished(patient, category, epoch, publicKey);
        uint256 shift = uint256(category) * _KEY_STATE_BITS;
        uint256 untilBits = until == type(uint64).max || until == 0 ? 0 : _minuteOf(until);
        return (keyState & ~(_CATEGORY_STATE_MASK << shift)) | (untilBits << shift);
    }

    /// @dev `time` in whole minutes, rounded down (so a key is never written to after a grant that
    /// holds it ended), at least 1 (0 means "no end") and at most the 27-bit maximum (year 2225):
    /// a later end counts as that one, so such a category needs new keys from 2225 on.
    function _minuteOf(uint64 time) private pure returns (uint256 minute) {
        minute = time / 60;
        if (minute == 0) minute = 1;
        if (minute > _UNTIL_MASK) minute = _UNTIL_MASK;
    }

    /// @dev The invariant: no record under a key that reached someone whose access has ended.
    /// `keyState` is `patient`'s key-state word (read once per transaction).
    function _checkKeyState(uint256 keyState, address patient, uint8 category, uint32 keyEpoch) private view {
        if (category >= CATEGORY_COUNT) return; // {_addRecord} rejects it
        uint256 keyBits = keyState >> (uint256(category) * _KEY_STATE_BITS);
        if (keyBits & _NEEDS_KEYS_BIT != 0) revert RecordCategoryNeedsNewKeys(patient, category, keyEpoch);
        uint256 untilMinute = keyBits & _UNTIL_MASK;
        if (untilMinute != 0 && block.timestamp >= untilMinute * 60) {
            revert RecordCategoryKeyEnded(patient, category, keyEpoch, uint64(untilMinute * 60));
        }
    }

    function _checkConsents() private view {
        if (msg.sender != address(CONSENTS)) revert RecordNotConsentManager(msg.sender);
    }

    /// @dev Also rejects an unknown category: hasConsent is false for it.
    function _checkWriteConsent(address patient, uint8 category) private view {
        if (!CONSENTS.hasConsent(patient, msg.sender, category, Purpose.Treatment, ACCESS_WRITE)) {
            revert RecordWriteNotConsented(patient, msg.sender, category);
        }
    }

    /// @dev True when the caller writes as `patient` (the address speaking for it), false for a
    /// credentialed provider (whose write consent the caller then checks). A credentialed provider is
    /// tried before the account-recovery link so provider writes cost what they did; the patient's
    /// own address is still asked of the registry, which refuses it once the identity moved away.
    function _writesAsPatient(address patient) private view returns (bool) {
        if (msg.sender == patient) {
            REGISTRY.actingFor(msg.sender);
            return true;
        }
        if (REGISTRY.isCredentialed(PROVIDER_ROLE, msg.sender)) return false;
        if (REGISTRY.actingFor(msg.sender) != patient) revert RecordWriterNotCredentialed(msg.sender);
        return true;
    }

    /// @dev The patient the caller speaks for (its own id, or the one it took over by account recovery).
    function _callerPatient() private view returns (address patient) {
        patient = REGISTRY.actingFor(msg.sender);
        if (!REGISTRY.isPatient(patient)) revert RecordNotPatient(msg.sender);
    }

    /// @dev Splits `recordId` into its parts; reverts with {RecordNotFound} unless the record exists.
    function _decode(uint256 recordId) private view returns (address patient, uint8 category, uint256 index) {
        patient = address(uint160(recordId >> 96));
        category = uint8(recordId >> _INDEX_BITS);
        index = recordId & _INDEX_MASK;
        if (category >= CATEGORY_COUNT || index >= _categories[patient][category].recordCount) {
            revert RecordNotFound(recordId);
        }
    }

    /// @dev The packed metadata of an existing record, inherited within a batch (see {StoredRecord}).
    /// Index 0 of a category is always the first of its batch, so the walk ends there at the latest.
    function _meta(address patient, uint8 category, uint256 index) private view returns (uint256 meta) {
        while (true) {
            meta = _records[_encode(patient, category, index)].meta;
            if (meta != 0) return meta;
            --index;
        }
    }

    function _author(uint256 meta) private pure returns (address) {
        return address(uint160(meta));
    }

    function _encode(address patient, uint8 category, uint256 index) private pure returns (uint256) {
        return (uint256(uint160(patient)) << 96) | (uint256(category) << _INDEX_BITS) | index;
    }
}
