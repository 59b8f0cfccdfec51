// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRecordView} from "./IRecordView.sol";

// Only the fields a client filters on (who, for whom) are indexed; the rest stays readable data.
// solhint-disable gas-indexed-events

/// @title IRecordRegistry
/// @notice Pointers to encrypted records: who wrote what (category, CID, sha-256 commitment of the
/// ciphertext) for whom and when, with amendments that supersede but never delete, and the
/// per-patient, per-category public keys writers encrypt to.
///
/// A record id encodes its subject: `uint256(uint160(patient)) << 96 | uint256(category) << 88 | index`,
/// where `index` counts the patient's records of that category from 0. So paging a patient's
/// records needs no id list in storage, and readers page only the categories consent lets them read.
/// The CID is published in {RecordAdded} only; the commitment is stored and readable on chain.
interface IRecordRegistry is IRecordView {
    /// @notice A record to add in a batch.
    struct RecordInput {
        uint8 category;
        uint32 keyEpoch;
        bytes32 commitment;
        bytes cid;
    }

    /// @notice A record as the views return it. `supersedes` / `supersededBy` are record ids, 0 when none.
    struct Record {
        address patient;
        uint8 category;
        address author;
        uint32 keyEpoch;
        uint40 createdAt;
        bytes32 commitment;
        uint256 supersedes;
        uint256 supersededBy;
    }

    /// @notice Thrown when `account` must be a registered patient and is not.
    error RecordNotPatient(address account);

    /// @notice Thrown when `category` is not one of the CATEGORY_COUNT record categories.
    error RecordInvalidCategory(uint8 category);

    /// @notice Thrown when a category public key is zero.
    error RecordInvalidCategoryKey(uint8 category);

    /// @notice Thrown when two arrays that must pair up have lengths `left` and `right`.
    error RecordLengthMismatch(uint256 left, uint256 right);

    /// @notice Thrown when a record's CID is empty.
    error RecordEmptyCid();

    /// @notice Thrown when a record's commitment is zero.
    error RecordEmptyCommitment();

    /// @notice Thrown when `writer` is neither the patient nor a credentialed provider.
    error RecordWriterNotCredentialed(address writer);

    /// @notice Thrown when `writer` holds no live Treatment-purpose ACCESS_WRITE consent for `patient`'s `category`.
    error RecordWriteNotConsented(address patient, address writer, uint8 category);

    /// @notice Thrown when `patient` has not published a public key for `category` yet.
    error RecordCategoryKeyMissing(address patient, uint8 category);

    /// @notice Thrown when a record was encrypted to `keyEpoch` while `patient`'s `category` key is at `currentEpoch`.
    error RecordStaleKeyEpoch(address patient, uint8 category, uint32 keyEpoch, uint32 currentEpoch);

    /// @notice Thrown when a batch holds `size` items: empty, or more than `maxSize`.
    error RecordInvalidBatchSize(uint256 size, uint256 maxSize);

    /// @notice Thrown when no record has id `recordId`.
    error RecordNotFound(uint256 recordId);

    /// @notice Thrown when record `recordId` was already superseded by `supersededBy`.
    error RecordAlreadySuperseded(uint256 recordId, uint256 supersededBy);

    /// @notice Thrown when `account` is neither the patient nor the author of record `recordId`.
    error RecordUnauthorizedAmender(uint256 recordId, address account);

    /// @notice Emitted when `author` adds record `recordId` for `patient`, stored at `cid`. The category
    /// is part of the id (see above); the key epoch and the sha-256 commitment of the ciphertext are
    /// read with {record}, so this log stays small enough for the per-record gas budget.
    event RecordAdded(address indexed patient, address indexed author, uint256 recordId, bytes cid);

    /// @notice Emitted when `author` supersedes record `previousId` with the new version `recordId`.
    event RecordAmended(uint256 indexed previousId, uint256 indexed recordId, address indexed author);

    /// @notice Emitted when `patient` publishes the public key of `category` for `epoch` (1 = first).
    event CategoryKeyPublished(address indexed patient, uint8 indexed category, uint32 epoch, bytes32 publicKey);

    /// @notice Adds a record pointer for `patient` and returns its id.
    /// @dev The patient itself (the address speaking for it: after an account recovery, the new one;
    /// the old one is refused with CareRegistry's `RegistryAccountMoved`), or a credentialed provider
    /// holding live Treatment-purpose ACCESS_WRITE consent for `category`. `keyEpoch` must be the category key's current epoch. Emits {RecordAdded}.
    /// Reverts with {RecordInvalidCategory}, {RecordEmptyCid}, {RecordEmptyCommitment},
    /// {RecordWriterNotCredentialed}, {RecordWriteNotConsented}, {RecordCategoryKeyMissing} or {RecordStaleKeyEpoch}.
    function addRecord(
        address patient,
        uint8 category,
        bytes calldata cid,
        bytes32 commitment,
        uint32 keyEpoch
    ) external returns (uint256 recordId);

    /// @notice Adds up to MAX_BATCH records for `patient` at once and returns their ids.
    /// @dev Same rules as {addRecord} for every item. Emits one {RecordAdded} per record. Reverts with
    /// {RecordInvalidBatchSize} and the errors of {addRecord}.
    function addRecords(address patient, RecordInput[] calldata records) external returns (uint256[] memory recordIds);

    /// @notice Adds a new version of record `previousId` (same patient and category) that supersedes it.
    /// @dev The patient, or the previous version's author while it may still write (see {addRecord}).
    /// A record is superseded at most once, so versions form a single chain. Emits {RecordAdded}
    /// then {RecordAmended}. Reverts with {RecordNotFound}, {RecordAlreadySuperseded},
    /// {RecordUnauthorizedAmender} and the errors of {addRecord}.
    function amendRecord(
        uint256 previousId,
        bytes calldata cid,
        bytes32 commitment,
        uint32 keyEpoch
    ) external returns (uint256 recordId);

    /// @notice Publishes the caller's public keys of `categories`; each category's epoch goes up by one.
    /// @dev Only registered patients (or the address a patient moved to, for that patient); at most
    /// CATEGORY_COUNT items. Emits one {CategoryKeyPublished} each.
    /// Reverts with {RecordNotPatient}, {RecordLengthMismatch}, {RecordInvalidBatchSize},
    /// {RecordInvalidCategory} or {RecordInvalidCategoryKey}.
    function publishCategoryKeys(uint8[] calldata categories, bytes32[] calldata publicKeys) external;

    /// @notice Rotates the caller's public key of `category` (e.g. after revoking a reader); the epoch
    /// goes up by one and records must then be encrypted to the new key.
    /// @dev Only registered patients (or the address a patient moved to, for that patient).
    /// Emits {CategoryKeyPublished}. Reverts with {RecordNotPatient},
    /// {RecordInvalidCategory} or {RecordInvalidCategoryKey}.
    function rotateCategoryKey(uint8 category, bytes32 publicKey) external;

    /// @notice `patient`'s current public key of `category` and its epoch (0 when never published).
    function categoryKey(address patient, uint8 category) external view returns (bytes32 publicKey, uint32 epoch);

    /// @notice The record `recordId`. Reverts with {RecordNotFound}.
    function record(uint256 recordId) external view returns (Record memory);

    /// @notice How many records of `category` `patient` has (including superseded versions).
    function recordCount(address patient, uint8 category) external view returns (uint256);

    /// @notice Up to `limit` ids of `patient`'s records of `category`, from the `offset`-th on, oldest first.
    function recordIds(
        address patient,
        uint8 category,
        uint256 offset,
        uint256 limit
    ) external view returns (uint256[] memory);

    /// @notice The id of `patient`'s `index`-th record of `category` (whether or not it exists yet).
    function computeRecordId(address patient, uint8 category, uint256 index) external pure returns (uint256);
}
