// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IConsentView} from "./IConsentView.sol";
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

    /// @notice A move of one category to its next key epoch: `expectedEpoch` is the epoch the caller
    /// saw (so a stale or doubled rotation reverts instead of publishing an old key), `publicKey`
    /// the new epoch's public key.
    struct KeyRotation {
        uint8 category;
        uint32 expectedEpoch;
        bytes32 publicKey;
    }

    /// @notice A category's current key and whether it may be written to. `needsNewKeys` is true when
    /// its key reached a grantee whose grant was revoked without a rotation, or when `writableUntil`
    /// (the earliest end among the grants holding the key, rounded down to the minute; 0 = none)
    /// has passed: writes then revert until the patient renews the category's key.
    struct CategoryKeyState {
        bytes32 publicKey;
        uint32 epoch;
        bool needsNewKeys;
        uint64 writableUntil;
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

    /// @notice Thrown when `account` calls a function only the ConsentManager may call.
    error RecordNotConsentManager(address account);

    /// @notice Thrown when {publishCategoryKeys} names `category`, which `patient` published already
    /// (it is at `epoch`): a published key changes only by a rotation through the ConsentManager.
    error RecordCategoryKeyAlreadyPublished(address patient, uint8 category, uint32 epoch);

    /// @notice Thrown when a rotation of `patient`'s `category` expects epoch `expectedEpoch` while it
    /// is at `currentEpoch` (a stale page, or the same rotation sent twice): reload and rotate again.
    error RecordRotationEpochMismatch(address patient, uint8 category, uint32 expectedEpoch, uint32 currentEpoch);

    /// @notice Thrown when a record would be written under `patient`'s `category` key of `epoch`, which
    /// reached a grantee whose grant was revoked: the patient must renew the category's keys first.
    error RecordCategoryNeedsNewKeys(address patient, uint8 category, uint32 epoch);

    /// @notice Thrown when a record would be written under `patient`'s `category` key of `epoch` at or
    /// after `writableUntil`, when a grant (or break-glass) holding that key ended: the patient must
    /// renew the category's keys first.
    error RecordCategoryKeyEnded(address patient, uint8 category, uint32 epoch, uint64 writableUntil);

    /// @notice Emitted when `author` adds record `recordId` for `patient`, stored at `cid`. The category
    /// is part of the id (see above); the key epoch and the sha-256 commitment of the ciphertext are
    /// read with {record}, so this log stays small enough for the per-record gas budget.
    event RecordAdded(address indexed patient, address indexed author, uint256 recordId, bytes cid);

    /// @notice Emitted when `author` supersedes record `previousId` with the new version `recordId`.
    event RecordAmended(uint256 indexed previousId, uint256 indexed recordId, address indexed author);

    /// @notice Emitted when `patient` publishes the public key of `category` for `epoch` (1 = first).
    event CategoryKeyPublished(address indexed patient, uint8 indexed category, uint32 epoch, bytes32 publicKey);

    /// @notice Emitted when the categories of `scope` (bit c = category c) of `patient` came to need
    /// new keys: a grantee holding their current keys was revoked by someone who could not rotate
    /// them (a guardian, a signed revocation, or the patient without the keys unlocked).
    event CategoryKeysNeeded(address indexed patient, uint16 scope);

    /// @notice Adds a record pointer for `patient` and returns its id.
    /// @dev The patient itself (the address speaking for it: after an account recovery, the new one;
    /// the old one is refused with CareRegistry's `RegistryAccountMoved`), or a credentialed provider
    /// holding live Treatment-purpose ACCESS_WRITE consent for `category`. `keyEpoch` must be the category key's current epoch. Emits {RecordAdded}.
    /// Reverts with {RecordInvalidCategory}, {RecordEmptyCid}, {RecordEmptyCommitment},
    /// {RecordWriterNotCredentialed}, {RecordWriteNotConsented}, {RecordCategoryKeyMissing},
    /// {RecordStaleKeyEpoch}, {RecordCategoryNeedsNewKeys} or {RecordCategoryKeyEnded}: no record is
    /// ever written under a key that reached a grantee whose grant has ended.
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

    /// @notice Publishes the caller's first public keys of `categories` (epoch 1 each).
    /// @dev Only registered patients (or the address a patient moved to, for that patient); at most
    /// CATEGORY_COUNT items, none published before (later keys
    /// come with a rotation through the ConsentManager, which re-wraps them to the live grantees).
    /// Emits one {CategoryKeyPublished} each. Reverts with {RecordNotPatient}, {RecordLengthMismatch},
    /// {RecordInvalidBatchSize}, {RecordInvalidCategory}, {RecordCategoryKeyAlreadyPublished} or
    /// {RecordInvalidCategoryKey}.
    function publishCategoryKeys(uint8[] calldata categories, bytes32[] calldata publicKeys) external;

    /// @notice Moves `patient`'s categories of `rotations` to their next epochs; the new key of
    /// `rotations[i]` is safe to write to until `writableUntil[i]` (the earliest end among the grants it
    /// was re-wrapped to; type(uint64).max for none) and no longer needs new keys.
    /// @dev Only the ConsentManager (which checked the patient and the grants). Emits one
    /// {CategoryKeyPublished} each. Reverts with {RecordNotConsentManager}, {RecordLengthMismatch},
    /// {RecordInvalidBatchSize}, {RecordInvalidCategory}, {RecordCategoryKeyMissing},
    /// {RecordRotationEpochMismatch} or {RecordInvalidCategoryKey}.
    function rotateCategoryKeysFor(
        address patient,
        KeyRotation[] calldata rotations,
        uint64[] calldata writableUntil
    ) external;

    /// @notice Notes that the current keys of `patient`'s categories in `scope` reached someone whose
    /// access ends at `until`: from then on they may not be written to until renewed.
    /// @dev Only the ConsentManager (a grant, a break-glass key release or its early closing). Keeps
    /// the earliest end per category. Reverts with {RecordNotConsentManager}.
    function shareCategoryKeys(address patient, uint16 scope, uint64 until) external;

    /// @notice Marks `patient`'s categories in `scope` as needing new keys (their keys reached a grantee
    /// whose grant was revoked without a rotation); writes to them revert until renewed.
    /// @dev Only the ConsentManager. Emits {CategoryKeysNeeded} when anything changed. Reverts with
    /// {RecordNotConsentManager}.
    function requireNewCategoryKeys(address patient, uint16 scope) external;

    /// @notice `patient`'s `category` key, its epoch and whether it may be written to now.
    /// Reverts with {RecordInvalidCategory}.
    function categoryKeyState(address patient, uint8 category) external view returns (CategoryKeyState memory);

    /// @notice The published categories of `patient` (bit c = category c) whose keys need renewing
    /// before anyone may write to them.
    function categoriesNeedingKeys(address patient) external view returns (uint16 mask);

    /// @notice The ConsentManager that says who may write and that alone rotates category keys.
    // solhint-disable-next-line func-name-mixedcase
    function CONSENTS() external view returns (IConsentView);

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
