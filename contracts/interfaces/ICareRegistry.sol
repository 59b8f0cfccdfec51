// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICareRegistryView} from "./ICareRegistryView.sol";

// Only the fields a client filters on (who, for whom) are indexed; the rest stays readable data.
// solhint-disable gas-indexed-events

/// @title ICareRegistry
/// @notice Identities, credentials, encryption public keys and guardians of CareLedger.
///
/// Credential roles (`PROVIDER_ROLE`, `INSURER_ROLE`, `RESEARCHER_ROLE`, `SPONSOR_ROLE`,
/// `ETHICS_BOARD_ROLE`, `REGULATOR_ROLE`, `MANUFACTURER_ROLE`, `DISTRIBUTOR_ROLE`, `PHARMACY_ROLE`) carry a lifecycle
/// (active, suspended, revoked) and are therefore kept apart from the AccessControl roles, which
/// only say who the credentialing authority is (`CREDENTIAL_ADMIN_ROLE`, `DEFAULT_ADMIN_ROLE`).
interface ICareRegistry is ICareRegistryView {
    /// @notice The lifecycle of a credential. `Revoked` is final.
    enum CredentialStatus {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @notice An account's published X25519 public key and how many times it was set.
    struct EncryptionKey {
        bytes32 key;
        uint32 version;
    }

    /// @notice What kind of party a directory profile describes.
    enum PartyKind {
        Other,
        Clinician,
        Practice,
        Hospital,
        Laboratory,
        Pharmacy,
        Insurer,
        ResearchInstitution,
        Sponsor,
        EthicsBoard,
        Regulator,
        Manufacturer,
        Distributor
    }

    /// @notice A credentialed party's public listing in the directory, recorded by the authority: how
    /// patients find and recognise it. Public by design: nothing about any patient belongs here.
    /// @param displayName The name people know, e.g. "Northside Labs" (1..MAX_PROFILE_TEXT bytes, UTF-8).
    /// @param kind What kind of party it is.
    /// @param registryId A professional registry identifier a patient can check, e.g. "NPI 1234567893"
    /// (0..MAX_PROFILE_TEXT bytes).
    struct Profile {
        string displayName;
        PartyKind kind;
        string registryId;
    }

    /// @notice A guardian named by a patient: what it may do (GUARDIAN_* bits) and when.
    struct Guardian {
        uint8 rights;
        uint64 validFrom;
        uint64 validUntil;
    }

    /// @notice A patient's account-recovery settings and the move under way, if any.
    /// @param threshold How many recovery guardians must approve the same new address (0: recovery off).
    /// @param round Bumped by every cancellation, completion and settings change; approvals of an older
    /// round no longer count.
    /// @param scheduledTo The new address that reached the threshold (zero while none has).
    /// @param readyAt When {completeRecovery} may move the identity to `scheduledTo`.
    struct Recovery {
        uint8 threshold;
        uint32 round;
        address scheduledTo;
        uint40 readyAt;
    }

    /// @notice Thrown when `account` registers as a patient a second time.
    error RegistryPatientAlreadyRegistered(address account);

    /// @notice Thrown when `account` must be a registered patient and is not.
    error RegistryNotPatient(address account);

    /// @notice Thrown when a published encryption key is zero (the SDK never derives one).
    error RegistryInvalidEncryptionKey();

    /// @notice Thrown when `account` publishes a key custody while it has no encryption key for it to hold.
    error RegistryNoEncryptionKey(address account);

    /// @notice Thrown when `role` is not one of the credential roles of CareTypes.sol.
    error RegistryUnknownCredentialRole(bytes32 role);

    /// @notice Thrown when `account`'s credential for `role` is in `status`, from which the
    /// requested transition is not allowed (e.g. reinstating a revoked credential).
    error RegistryInvalidCredentialTransition(bytes32 role, address account, CredentialStatus status);

    /// @notice Thrown when the credentialed account is the zero address.
    error RegistryInvalidAccount(address account);

    /// @notice Thrown when `guardian` cannot be a guardian of `patient` (zero address or the patient).
    error RegistryInvalidGuardian(address patient, address guardian);

    /// @notice Thrown when `rights` is zero or holds bits other than GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY | GUARDIAN_RECOVERY.
    error RegistryInvalidGuardianRights(uint8 rights);

    /// @notice Thrown when a guardianship period is empty or already over at `currentTime`.
    error RegistryInvalidGuardianPeriod(uint64 validFrom, uint64 validUntil, uint64 currentTime);

    /// @notice Thrown when `patient` has no guardian `guardian` to revoke.
    error RegistryGuardianNotFound(address patient, address guardian);

    /// @notice Thrown when a profile's display name is empty or longer than `max` bytes, or its registry
    /// identifier is longer than `max` bytes.
    error RegistryInvalidProfile(uint256 displayNameLength, uint256 registryIdLength, uint256 max);

    /// @notice Thrown when `account` acts for a patient whose identity was moved to `movedTo` by recovery.
    error RegistryAccountMoved(address account, address movedTo);

    /// @notice Thrown when a recovery threshold is neither 0 (off) nor at least `min`.
    error RegistryInvalidRecoveryThreshold(uint8 threshold, uint8 min);

    /// @notice Thrown when `patient` has not turned account recovery on (threshold 0).
    error RegistryRecoveryNotEnabled(address patient);

    /// @notice Thrown when `guardian` does not hold a live GUARDIAN_RECOVERY right for `patient`.
    error RegistryNotRecoveryGuardian(address patient, address guardian);

    /// @notice Thrown when `guardian` already approved a new address for `patient` in `round`.
    error RegistryRecoveryAlreadyApproved(address patient, address guardian, uint32 round);

    /// @notice Thrown when `newAccount` cannot receive `patient`'s identity: zero, a registered
    /// patient, linked to another patient, or an address that already published a key of its own.
    error RegistryInvalidRecoveryAccount(address patient, address newAccount);

    /// @notice Thrown when approving while a move of `patient` to `scheduledTo` is already scheduled.
    error RegistryRecoveryAlreadyScheduled(address patient, address scheduledTo, uint64 readyAt);

    /// @notice Thrown when completing a recovery of `patient` that no threshold of guardians approved.
    error RegistryNoRecoveryScheduled(address patient);

    /// @notice Thrown when completing before the delay is over (`readyAt`, now `currentTime`).
    error RegistryRecoveryNotReady(address patient, uint64 readyAt, uint64 currentTime);

    /// @notice Emitted when `patient` registers with its X25519 identity public key (version 1 or later).
    event PatientRegistered(address indexed patient, bytes32 encryptionKey, uint32 keyVersion);

    /// @notice Emitted when `account` publishes or rotates its X25519 public key.
    event EncryptionKeyUpdated(address indexed account, bytes32 encryptionKey, uint32 keyVersion);

    /// @notice Emitted when `account` published where its identity key is kept wrapped: `custody` is the
    /// sha-256 digest of its key-custody document (the document's IPFS CIDv1 is raw + sha2-256 of it),
    /// recorded while the account's key was at `keyVersion`; zero means the wallet fallback again.
    event KeyCustodyUpdated(address indexed account, bytes32 custody, uint32 keyVersion);

    /// @notice Emitted when `authority` credentials `account` for `role`.
    event CredentialGranted(bytes32 indexed role, address indexed account, address indexed authority);

    /// @notice Emitted when `authority` suspends `account`'s credential for `role`.
    event CredentialSuspended(bytes32 indexed role, address indexed account, address indexed authority);

    /// @notice Emitted when `authority` reinstates `account`'s suspended credential for `role`.
    event CredentialReinstated(bytes32 indexed role, address indexed account, address indexed authority);

    /// @notice Emitted when `authority` revokes `account`'s credential for `role`, for good.
    event CredentialRevoked(bytes32 indexed role, address indexed account, address indexed authority);

    /// @notice Emitted when `patient` names (or updates) `guardian` with `rights` for [validFrom, validUntil).
    event GuardianSet(
        address indexed patient,
        address indexed guardian,
        uint8 rights,
        uint64 validFrom,
        uint64 validUntil
    );

    /// @notice Emitted when `patient` revokes `guardian`.
    event GuardianRevoked(address indexed patient, address indexed guardian);

    /// @notice Emitted when `authority` records or changes `account`'s directory profile.
    event ProfileUpdated(
        address indexed account,
        string displayName,
        PartyKind kind,
        string registryId,
        address indexed authority
    );

    /// @notice Emitted when `patient` set its recovery threshold and published its guardians' key
    /// shares (SDK-encoded envelopes, each share wrapped to one guardian's public key).
    event RecoveryConfigured(address indexed patient, uint8 threshold, uint32 round, bytes shareEnvelopes);

    /// @notice Emitted when `newAccount` asked `patient`'s recovery guardians to move the identity to
    /// it and to re-wrap their key shares to `recoveryKey` (an X25519 public key held by the new device).
    /// Anyone may ask: a guardian approves only a request the patient confirmed to them in person.
    event RecoveryRequested(address indexed patient, address indexed newAccount, bytes32 recoveryKey, uint32 round);

    /// @notice Emitted when `guardian` approved moving `patient` to `newAccount`, with its key share
    /// re-wrapped to the recovering patient's new key (`releasedShare`, may be empty).
    event RecoveryApproved(
        address indexed patient,
        address indexed guardian,
        address indexed newAccount,
        uint32 round,
        uint8 approvals,
        bytes releasedShare
    );

    /// @notice Emitted when enough guardians approved: the move can complete at `readyAt`.
    event RecoveryScheduled(address indexed patient, address indexed newAccount, uint64 readyAt);

    /// @notice Emitted when `by` (the address speaking for `patient`) cancelled round `round`.
    event RecoveryCancelled(address indexed patient, address indexed by, uint32 round);

    /// @notice Emitted when `patient`'s identity moved from address `from` to `to`.
    event AccountMoved(address indexed patient, address indexed from, address indexed to);

    /// @notice Registers the caller as a patient with its X25519 identity public key.
    /// @dev Anyone may call once. Emits {PatientRegistered}.
    /// Reverts with {RegistryPatientAlreadyRegistered} or {RegistryInvalidEncryptionKey}.
    function registerPatient(bytes32 encryptionKey) external;

    /// @notice Publishes or rotates the caller's X25519 public key; the version goes up by one.
    /// @dev Any account (patient, provider, insurer, researcher, guardian) may call; an address that
    /// took over a patient by account recovery sets that patient's key. Emits {EncryptionKeyUpdated}.
    /// Reverts with {RegistryInvalidEncryptionKey} or {RegistryAccountMoved}.
    function setEncryptionKey(bytes32 encryptionKey) external;

    /// @notice The current X25519 public key of `account` and its version (0 when none).
    function encryptionKey(address account) external view returns (bytes32 key, uint32 version);

    /// @notice Publishes the sha-256 digest of the caller's key-custody document: its identity key
    /// wrapped under each of its passkeys, stored on IPFS, so any of its devices can find and check it.
    /// @dev Any account with an encryption key may call (usually through `multicall`, with
    /// {registerPatient} or {setEncryptionKey}), and an address that took over a patient by account
    /// recovery (its own document, of the patient's key); zero clears it. The digest only points at ciphertext:
    /// without one of the passkeys it opens nothing. Emits {KeyCustodyUpdated}.
    /// Reverts with {RegistryNoEncryptionKey} or {RegistryAccountMoved}.
    function setKeyCustody(bytes32 custody) external;

    /// @notice The sha-256 digest of `account`'s key-custody document (zero when it has none).
    function keyCustody(address account) external view returns (bytes32);

    /// @notice Credentials `account` for `role` (one of the credential roles of CareTypes.sol).
    /// @dev Only CREDENTIAL_ADMIN_ROLE. The credential must not exist yet. Emits {CredentialGranted}.
    /// Reverts with {AccessControlUnauthorizedAccount}, {RegistryUnknownCredentialRole},
    /// {RegistryInvalidAccount} or {RegistryInvalidCredentialTransition}.
    function grantCredential(bytes32 role, address account) external;

    /// @notice Suspends an active credential; `isCredentialed` turns false until reinstated.
    /// @dev Only CREDENTIAL_ADMIN_ROLE. Emits {CredentialSuspended}.
    /// Reverts with {AccessControlUnauthorizedAccount}, {RegistryUnknownCredentialRole} or
    /// {RegistryInvalidCredentialTransition}.
    function suspendCredential(bytes32 role, address account) external;

    /// @notice Reinstates a suspended credential.
    /// @dev Only CREDENTIAL_ADMIN_ROLE. Emits {CredentialReinstated}.
    /// Reverts with {AccessControlUnauthorizedAccount}, {RegistryUnknownCredentialRole} or
    /// {RegistryInvalidCredentialTransition}.
    function reinstateCredential(bytes32 role, address account) external;

    /// @notice Revokes an active or suspended credential for good.
    /// @dev Only CREDENTIAL_ADMIN_ROLE. Emits {CredentialRevoked}.
    /// Reverts with {AccessControlUnauthorizedAccount}, {RegistryUnknownCredentialRole} or
    /// {RegistryInvalidCredentialTransition}.
    function revokeCredential(bytes32 role, address account) external;

    /// @notice The lifecycle status of `account`'s credential for `role`.
    function credentialStatus(bytes32 role, address account) external view returns (CredentialStatus);

    /// @notice Records `account`'s public directory profile (or replaces it: a party renamed).
    /// @dev Only CREDENTIAL_ADMIN_ROLE; usually batched with {grantCredential} through `multicall`, so
    /// credentialing and listing are one transaction. Emits {ProfileUpdated}. Reverts with
    /// {AccessControlUnauthorizedAccount}, {RegistryInvalidAccount} or {RegistryInvalidProfile}.
    function setProfile(address account, Profile calldata profile) external;

    /// @notice `account`'s directory profile (an empty display name when it has none).
    function profileOf(address account) external view returns (Profile memory);

    /// @notice Names `guardian` to act for the caller with `rights` from `validFrom` until `validUntil`
    /// (exclusive); naming an existing guardian again replaces its rights and period.
    /// @dev Only registered patients (or the address a patient moved to). Emits {GuardianSet}. Reverts
    /// with {RegistryNotPatient}, {RegistryAccountMoved}, {RegistryInvalidGuardian},
    /// {RegistryInvalidGuardianRights} or {RegistryInvalidGuardianPeriod}.
    function setGuardian(address guardian, uint8 rights, uint64 validFrom, uint64 validUntil) external;

    /// @notice Revokes the caller's guardian `guardian` at once.
    /// @dev Emits {GuardianRevoked}. Reverts with {RegistryGuardianNotFound} or {RegistryAccountMoved}.
    function revokeGuardian(address guardian) external;

    /// @notice The rights and period of `guardian` for `patient` (all zero when none).
    function guardianOf(address patient, address guardian) external view returns (Guardian memory);

    /// @notice How many guardians `patient` currently names, live or not yet / no longer valid.
    function guardianCount(address patient) external view returns (uint256);

    /// @notice Up to `limit` (at most MAX_GUARDIAN_PAGE) of the guardians `patient` currently names,
    /// from position `offset` of an unordered list (revoking one moves the last into its place);
    /// empty past the end. Page through with {guardianCount}.
    function guardians(address patient, uint256 offset, uint256 limit) external view returns (address[] memory);

    /// @notice Sets how many recovery guardians (GUARDIAN_RECOVERY) must approve moving the caller's
    /// identity to a new address (0 turns recovery off, else at least MIN_RECOVERY_THRESHOLD), and
    /// publishes their key shares in the event. Starts a new round: pending approvals stop counting.
    /// @dev Only a patient (or the address it moved to). Emits {RecoveryConfigured}. Reverts with
    /// {RegistryNotPatient}, {RegistryAccountMoved} or {RegistryInvalidRecoveryThreshold}.
    function setRecovery(uint8 threshold, bytes calldata shareEnvelopes) external;

    /// @notice The caller, a fresh address, asks `patient`'s recovery guardians to move the identity to
    /// it, announcing the public key their released shares are to be wrapped to. Changes no state.
    /// @dev Emits {RecoveryRequested}. Reverts with {RegistryRecoveryNotEnabled},
    /// {RegistryInvalidEncryptionKey} or {RegistryInvalidRecoveryAccount}.
    function requestRecovery(address patient, bytes32 recoveryKey) external;

    /// @notice A recovery guardian approves moving `patient`'s identity to `newAccount` and releases its
    /// key share re-wrapped to the patient's new key. The approval that reaches the threshold schedules
    /// the move for RECOVERY_DELAY later.
    /// @dev Emits {RecoveryApproved}, and {RecoveryScheduled} at the threshold. Reverts with
    /// {RegistryRecoveryNotEnabled}, {RegistryNotRecoveryGuardian}, {RegistryRecoveryAlreadyScheduled},
    /// {RegistryInvalidRecoveryAccount} or {RegistryRecoveryAlreadyApproved}.
    function approveRecovery(address patient, address newAccount, bytes calldata releasedShare) external;

    /// @notice The address speaking for the caller's identity cancels every pending approval and any
    /// scheduled move (the lost wallet was found, or the request is not the patient's).
    /// @dev Emits {RecoveryCancelled}. Reverts with {RegistryNotPatient} or {RegistryAccountMoved}.
    function cancelRecovery() external;

    /// @notice Moves `patient`'s identity to the scheduled address once the delay is over; anyone may
    /// send it. Records, grants, category keys, guardians, coverage and claims stay keyed by `patient`
    /// and answer to the new address through {actingFor} / {controllerOf}; the old address is refused.
    /// @dev Emits {AccountMoved}. Reverts with {RegistryNoRecoveryScheduled},
    /// {RegistryRecoveryNotReady} or {RegistryInvalidRecoveryAccount}.
    function completeRecovery(address patient) external;

    /// @notice `patient`'s recovery settings and the move under way.
    function recoveryOf(address patient) external view returns (Recovery memory);

    /// @notice How many guardians approved moving `patient` to `newAccount` in the current round.
    function recoveryApprovals(address patient, address newAccount) external view returns (uint256);

    /// @notice Whether `guardian` approved a new address for `patient` in the current round.
    function hasApprovedRecovery(address patient, address guardian) external view returns (bool);
}
