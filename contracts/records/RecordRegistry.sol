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
        recordIds_ = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            RecordInput calldata input = records[i];
            uint8 category = input.category;
            bool seen = (seenCategories >> category) & 1 == 1;
            if (!seen) {
                if (!byPatient) _checkWriteConsent(patient, category);
                seenCategories |= uint256(1) << category;
            }
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
        for (uint256 i = 0; i < size; ++i) {
            _publishCategoryKey(patient, categories[i], publicKeys[i]);
        }
    }

    /// @inheritdoc IRecordRegistry
    function rotateCategoryKey(uint8 category, bytes32 publicKey) external {
        _publishCategoryKey(_callerPatient(), category, publicKey);
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

    function _publishCategoryKey(address patient, uint8 category, bytes32 publicKey) private {
        if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
        if (publicKey == bytes32(0)) revert RecordInvalidCategoryKey(category);
        CategoryState storage state = _categories[patient][category];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        _categoryKeys[patient][category] = publicKey;
        emit CategoryKeyPublished(patient, category, epoch, publicKey);
    }

    /// @dev The patient the caller speaks for (its own id, or the one it took over by account recovery).
    function _callerPatient() private view returns (address patient) {
        patient = REGISTRY.actingFor(msg.sender);
        if (!REGISTRY.isPatient(patient)) revert RecordNotPatient(msg.sender);
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
