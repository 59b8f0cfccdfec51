// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {IConsentView} from "../interfaces/IConsentView.sol";
import {IRecordRegistry} from "../interfaces/IRecordRegistry.sol";
import {IRecordView} from "../interfaces/IRecordView.sol";
import {ACCESS_WRITE, CATEGORY_COUNT, PROVIDER_ROLE, Purpose} from "../libraries/CareTypes.sol";

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

    /// @dev Two slots per record; patient and category are encoded in the id.
    struct StoredRecord {
        address author;
        uint32 keyEpoch;
        uint40 createdAt;
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
        bool byPatient = msg.sender == patient;
        if (!byPatient) _checkProvider();
        return _addRecord(patient, category, cid, commitment, keyEpoch, byPatient);
    }

    /// @inheritdoc IRecordRegistry
    function addRecords(address patient, RecordInput[] calldata records) external returns (uint256[] memory recordIds_) {
        uint256 size = records.length;
        if (size == 0 || size > MAX_BATCH) revert RecordInvalidBatchSize(size, MAX_BATCH);
        bool byPatient = msg.sender == patient;
        if (!byPatient) _checkProvider();
        recordIds_ = new uint256[](size);
        for (uint256 i = 0; i < size; ++i) {
            RecordInput calldata input = records[i];
            recordIds_[i] = _addRecord(patient, input.category, input.cid, input.commitment, input.keyEpoch, byPatient);
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
        bool byPatient = msg.sender == patient;
        if (!byPatient) {
            if (msg.sender != _records[previousId].author) revert RecordUnauthorizedAmender(previousId, msg.sender);
            _checkProvider();
        }
        recordId = _addRecord(patient, category, cid, commitment, keyEpoch, byPatient);
        uint256 index = recordId & _INDEX_MASK;
        previousVersions.supersededBy = uint64(index + 1);
        _versions[recordId].supersedes = uint64(previousIndex + 1);
        emit RecordAmended(previousId, recordId, msg.sender);
    }

    /// @inheritdoc IRecordRegistry
    function record(uint256 recordId) external view returns (Record memory result) {
        (address patient, uint8 category, ) = _decode(recordId);
        StoredRecord storage stored = _records[recordId];
        Versions storage versions = _versions[recordId];
        result = Record({
            patient: patient,
            category: category,
            author: stored.author,
            keyEpoch: stored.keyEpoch,
            createdAt: stored.createdAt,
            commitment: stored.commitment,
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
        if (!REGISTRY.isPatient(msg.sender)) revert RecordNotPatient(msg.sender);
        uint256 size = categories.length;
        if (size != publicKeys.length) revert RecordLengthMismatch(size, publicKeys.length);
        if (size == 0 || size > CATEGORY_COUNT) revert RecordInvalidBatchSize(size, CATEGORY_COUNT);
        for (uint256 i = 0; i < size; ++i) {
            _publishCategoryKey(categories[i], publicKeys[i]);
        }
    }

    /// @inheritdoc IRecordRegistry
    function rotateCategoryKey(uint8 category, bytes32 publicKey) external {
        if (!REGISTRY.isPatient(msg.sender)) revert RecordNotPatient(msg.sender);
        _publishCategoryKey(category, publicKey);
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
        bool byPatient
    ) private returns (uint256 recordId) {
        if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
        if (cid.length == 0) revert RecordEmptyCid();
        if (commitment == bytes32(0)) revert RecordEmptyCommitment();
        if (!byPatient && !CONSENTS.hasConsent(patient, msg.sender, category, Purpose.Treatment, ACCESS_WRITE)) {
            revert RecordWriteNotConsented(patient, msg.sender, category);
        }
        // A category key is only ever published by a registered patient, so a current epoch also
        // proves that `patient` is registered.
        CategoryState storage state = _categories[patient][category];
        uint32 epoch = state.epoch;
        if (epoch == 0) revert RecordCategoryKeyMissing(patient, category);
        if (keyEpoch != epoch) revert RecordStaleKeyEpoch(patient, category, keyEpoch, epoch);
        uint64 index = state.recordCount;
        state.recordCount = index + 1;
        recordId = _encode(patient, category, index);
        _records[recordId] = StoredRecord({
            author: msg.sender,
            keyEpoch: keyEpoch,
            createdAt: uint40(block.timestamp),
            commitment: commitment
        });
        emit RecordAdded(recordId, patient, msg.sender, category, keyEpoch, commitment, cid);
    }

    function _publishCategoryKey(uint8 category, bytes32 publicKey) private {
        if (category >= CATEGORY_COUNT) revert RecordInvalidCategory(category);
        if (publicKey == bytes32(0)) revert RecordInvalidCategoryKey(category);
        CategoryState storage state = _categories[msg.sender][category];
        uint32 epoch = state.epoch + 1;
        state.epoch = epoch;
        _categoryKeys[msg.sender][category] = publicKey;
        emit CategoryKeyPublished(msg.sender, category, epoch, publicKey);
    }

    function _checkProvider() private view {
        if (!REGISTRY.isCredentialed(PROVIDER_ROLE, msg.sender)) revert RecordWriterNotCredentialed(msg.sender);
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

    function _encode(address patient, uint8 category, uint256 index) private pure returns (uint256) {
        return (uint256(uint160(patient)) << 96) | (uint256(category) << _INDEX_BITS) | index;
    }
}
