// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {ICareRegistry} from "../interfaces/ICareRegistry.sol";
import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {
    CREDENTIAL_ADMIN_ROLE,
    DISTRIBUTOR_ROLE,
    ETHICS_BOARD_ROLE,
    GUARDIAN_EMERGENCY,
    GUARDIAN_MANAGE_CONSENT,
    GUARDIAN_RECOVERY,
    INSURER_ROLE,
    MANUFACTURER_ROLE,
    PHARMACY_ROLE,
    PROVIDER_ROLE,
    REGULATOR_ROLE,
    RESEARCHER_ROLE,
    SPONSOR_ROLE
} from "../libraries/CareTypes.sol";

// Periods are half-open [from, until): `from <= now < until` reads clearer than its strict rewrite.
// solhint-disable gas-strict-inequalities

/// @title CareRegistry
/// @notice Who is who in CareLedger: patients and their identity keys, credentialed providers,
/// insurers and researchers with their public directory profiles, and the guardians patients name.
///
/// The credentialing authority is the default admin (`AccessControlDefaultAdminRules`): handing it
/// over to a multisig or timelock is a two-step, delayed transfer (`beginDefaultAdminTransfer`,
/// then `acceptDefaultAdminTransfer` by the new admin after `defaultAdminDelay()`), so a typo can
/// be cancelled and a stolen key cannot take over instantly. The new admin then grants itself
/// `CREDENTIAL_ADMIN_ROLE` and revokes it from the old one.
/// `multicall` lets the authority credential a party and list its profile in one transaction.
///
/// Account recovery: a patient's identity (its id is the address it registered with) can move to a
/// new address when `threshold` of its GUARDIAN_RECOVERY guardians approve the same one and
/// RECOVERY_DELAY passes without the address speaking for the patient cancelling. Nothing is copied:
/// every contract keys patients by id and resolves the caller with {actingFor} (one storage read).
contract CareRegistry is ICareRegistry, AccessControlDefaultAdminRules, Multicall {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice How long a default-admin handover waits before the new admin may accept it.
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    /// @notice The longest display name or registry identifier a profile may hold, in bytes.
    uint256 public constant MAX_PROFILE_TEXT = 64;

    /// @notice The most guardians one {guardians} page returns, whatever `limit` asks.
    uint256 public constant MAX_GUARDIAN_PAGE = 100;

    /// @notice How long a move approved by enough guardians waits, so the old address can cancel it.
    uint64 public constant RECOVERY_DELAY = 48 hours;

    /// @notice The smallest non-zero recovery threshold: one guardian alone never moves an identity.
    uint8 public constant MIN_RECOVERY_THRESHOLD = 2;

    /// @dev Marks, in `_links`, an address whose identity moved away (the rest holds where it went).
    uint256 private constant _MOVED_AWAY = 1 << 160;

    /// @dev Two slots: the key, then version + patient flag + registration time + the address that
    /// speaks for the patient after a recovery (zero: the patient's own address).
    struct Account {
        bytes32 encryptionKey;
        uint32 keyVersion;
        bool patient;
        uint40 registeredAt;
        address controller;
    }

    mapping(address account => Account) private _accounts;
    mapping(bytes32 role => mapping(address account => CredentialStatus)) private _credentials;
    mapping(address patient => mapping(address guardian => Guardian)) private _guardians;
    mapping(address patient => EnumerableSet.AddressSet) private _guardianSets;
    mapping(address account => Profile) private _profiles;
    /// @dev Per address: zero (acts for itself), the patient id it took over, or _MOVED_AWAY | where
    /// its identity went. One word, so {actingFor} is one read.
    mapping(address account => uint256 link) private _links;
    mapping(address patient => Recovery) private _recoveries;
    /// @dev round + 1 of the guardian's last approval, so zero means never.
    mapping(address patient => mapping(address guardian => uint256 roundPlusOne)) private _approvedRounds;
    mapping(bytes32 patientRoundAccount => uint256 approvals) private _approvals;
    mapping(address account => bytes32 digest) private _keyCustody;

    modifier onlyCredentialRole(bytes32 role) {
        if (
            role != PROVIDER_ROLE &&
            role != INSURER_ROLE &&
            role != RESEARCHER_ROLE &&
            role != SPONSOR_ROLE &&
            role != ETHICS_BOARD_ROLE &&
            role != REGULATOR_ROLE &&
            role != MANUFACTURER_ROLE &&
            role != DISTRIBUTOR_ROLE &&
            role != PHARMACY_ROLE
        ) {
            revert RegistryUnknownCredentialRole(role);
        }
        _;
    }

    /// @param admin The credentialing authority: gets DEFAULT_ADMIN_ROLE and CREDENTIAL_ADMIN_ROLE.
    constructor(address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        _grantRole(CREDENTIAL_ADMIN_ROLE, admin);
    }

    // ----------------------------------------------------------------------------------------
    // Patients and encryption keys
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ICareRegistry
    function registerPatient(bytes32 encryptionKey_) external {
        Account storage account = _accounts[msg.sender];
        if (account.patient || _links[msg.sender] != 0) revert RegistryPatientAlreadyRegistered(msg.sender);
        if (encryptionKey_ == bytes32(0)) revert RegistryInvalidEncryptionKey();
        uint32 version = account.keyVersion + 1;
        account.encryptionKey = encryptionKey_;
        account.keyVersion = version;
        account.patient = true;
        account.registeredAt = uint40(block.timestamp);
        emit PatientRegistered(msg.sender, encryptionKey_, version);
    }

    /// @inheritdoc ICareRegistry
    function setEncryptionKey(bytes32 encryptionKey_) external {
        if (encryptionKey_ == bytes32(0)) revert RegistryInvalidEncryptionKey();
        address owner = _actingFor(msg.sender);
        Account storage account = _accounts[owner];
        uint32 version = account.keyVersion + 1;
        account.encryptionKey = encryptionKey_;
        account.keyVersion = version;
        emit EncryptionKeyUpdated(owner, encryptionKey_, version);
    }

    /// @inheritdoc ICareRegistry
    function encryptionKey(address account) external view returns (bytes32 key, uint32 version) {
        Account storage stored = _accounts[account];
        return (stored.encryptionKey, stored.keyVersion);
    }

    /// @inheritdoc ICareRegistry
    function setKeyCustody(bytes32 custody) external {
        Account storage account = _accounts[msg.sender];
        uint32 keyVersion = account.keyVersion;
        if (account.encryptionKey == bytes32(0)) {
            // An address that took over a patient keeps its own document of the patient's key; only
            // this path pays for the link read.
            address patient = _actingFor(msg.sender);
            if (patient == msg.sender) revert RegistryNoEncryptionKey(msg.sender);
            keyVersion = _accounts[patient].keyVersion;
        }
        _keyCustody[msg.sender] = custody;
        emit KeyCustodyUpdated(msg.sender, custody, keyVersion);
    }

    /// @inheritdoc ICareRegistry
    function keyCustody(address account) external view returns (bytes32) {
        return _keyCustody[account];
    }

    /// @inheritdoc ICareRegistryView
    function isPatient(address account) external view returns (bool) {
        return _accounts[account].patient;
    }

    /// @inheritdoc ICareRegistryView
    function actingFor(address account) external view returns (address) {
        return _actingFor(account);
    }

    /// @inheritdoc ICareRegistryView
    function controllerOf(address patient) external view returns (address) {
        address controller = _accounts[patient].controller;
        return controller == address(0) ? patient : controller;
    }

    // ----------------------------------------------------------------------------------------
    // Credentials
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ICareRegistry
    function grantCredential(
        bytes32 role,
        address account
    ) external onlyRole(CREDENTIAL_ADMIN_ROLE) onlyCredentialRole(role) {
        if (account == address(0)) revert RegistryInvalidAccount(account);
        _transition(role, account, CredentialStatus.None, CredentialStatus.Active);
        emit CredentialGranted(role, account, msg.sender);
    }

    /// @inheritdoc ICareRegistry
    function suspendCredential(
        bytes32 role,
        address account
    ) external onlyRole(CREDENTIAL_ADMIN_ROLE) onlyCredentialRole(role) {
        _transition(role, account, CredentialStatus.Active, CredentialStatus.Suspended);
        emit CredentialSuspended(role, account, msg.sender);
    }

    /// @inheritdoc ICareRegistry
    function reinstateCredential(
        bytes32 role,
        address account
    ) external onlyRole(CREDENTIAL_ADMIN_ROLE) onlyCredentialRole(role) {
        _transition(role, account, CredentialStatus.Suspended, CredentialStatus.Active);
        emit CredentialReinstated(role, account, msg.sender);
    }

    /// @inheritdoc ICareRegistry
    function revokeCredential(
        bytes32 role,
        address account
    ) external onlyRole(CREDENTIAL_ADMIN_ROLE) onlyCredentialRole(role) {
        CredentialStatus status = _credentials[role][account];
        if (status != CredentialStatus.Active && status != CredentialStatus.Suspended) {
            revert RegistryInvalidCredentialTransition(role, account, status);
        }
        _credentials[role][account] = CredentialStatus.Revoked;
        emit CredentialRevoked(role, account, msg.sender);
    }

    /// @inheritdoc ICareRegistry
    function credentialStatus(bytes32 role, address account) external view returns (CredentialStatus) {
        return _credentials[role][account];
    }

    /// @inheritdoc ICareRegistryView
    function isCredentialed(bytes32 role, address account) external view returns (bool) {
        return _credentials[role][account] == CredentialStatus.Active;
    }

    // ----------------------------------------------------------------------------------------
    // Directory
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ICareRegistry
    function setProfile(address account, Profile calldata profile) external onlyRole(CREDENTIAL_ADMIN_ROLE) {
        if (account == address(0)) revert RegistryInvalidAccount(account);
        uint256 nameLength = bytes(profile.displayName).length;
        uint256 idLength = bytes(profile.registryId).length;
        if (nameLength == 0 || nameLength > MAX_PROFILE_TEXT || idLength > MAX_PROFILE_TEXT) {
            revert RegistryInvalidProfile(nameLength, idLength, MAX_PROFILE_TEXT);
        }
        _profiles[account] = profile;
        emit ProfileUpdated(account, profile.displayName, profile.kind, profile.registryId, msg.sender);
    }

    /// @inheritdoc ICareRegistry
    function profileOf(address account) external view returns (Profile memory) {
        return _profiles[account];
    }

    // ----------------------------------------------------------------------------------------
    // Guardians
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ICareRegistry
    function setGuardian(address guardian, uint8 rights, uint64 validFrom, uint64 validUntil) external {
        address patient = _patientFor(msg.sender);
        if (guardian == address(0) || guardian == patient || guardian == msg.sender) {
            revert RegistryInvalidGuardian(patient, guardian);
        }
        if (rights == 0 || rights & ~(GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY | GUARDIAN_RECOVERY) != 0) {
            revert RegistryInvalidGuardianRights(rights);
        }
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert RegistryInvalidGuardianPeriod(validFrom, validUntil, uint64(block.timestamp));
        }
        _guardians[patient][guardian] = Guardian({rights: rights, validFrom: validFrom, validUntil: validUntil});
        _guardianSets[patient].add(guardian);
        emit GuardianSet(patient, guardian, rights, validFrom, validUntil);
    }

    /// @inheritdoc ICareRegistry
    function revokeGuardian(address guardian) external {
        address patient = _actingFor(msg.sender);
        if (!_guardianSets[patient].remove(guardian)) revert RegistryGuardianNotFound(patient, guardian);
        delete _guardians[patient][guardian];
        emit GuardianRevoked(patient, guardian);
    }

    /// @inheritdoc ICareRegistry
    function guardianOf(address patient, address guardian) external view returns (Guardian memory) {
        return _guardians[patient][guardian];
    }

    /// @inheritdoc ICareRegistry
    function guardianCount(address patient) external view returns (uint256) {
        return _guardianSets[patient].length();
    }

    /// @inheritdoc ICareRegistry
    function guardians(address patient, uint256 offset, uint256 limit) external view returns (address[] memory) {
        EnumerableSet.AddressSet storage set = _guardianSets[patient];
        if (offset >= set.length()) return new address[](0);
        // `offset` is below the length, so this cannot overflow; `values` clamps the end to the length.
        return set.values(offset, offset + (limit < MAX_GUARDIAN_PAGE ? limit : MAX_GUARDIAN_PAGE));
    }

    /// @inheritdoc ICareRegistryView
    function isGuardian(address patient, address guardian, uint8 rights) external view returns (bool) {
        return _isGuardian(patient, guardian, rights);
    }

    // ----------------------------------------------------------------------------------------
    // Account recovery
    // ----------------------------------------------------------------------------------------

    /// @inheritdoc ICareRegistry
    function setRecovery(uint8 threshold, bytes calldata shareEnvelopes) external {
        address patient = _patientFor(msg.sender);
        if (threshold != 0 && threshold < MIN_RECOVERY_THRESHOLD) {
            revert RegistryInvalidRecoveryThreshold(threshold, MIN_RECOVERY_THRESHOLD);
        }
        Recovery storage recovery = _recoveries[patient];
        uint32 round = recovery.round + 1;
        _recoveries[patient] = Recovery({threshold: threshold, round: round, scheduledTo: address(0), readyAt: 0});
        emit RecoveryConfigured(patient, threshold, round, shareEnvelopes);
    }

    /// @inheritdoc ICareRegistry
    function requestRecovery(address patient, bytes32 recoveryKey) external {
        Recovery storage recovery = _recoveries[patient];
        if (recovery.threshold == 0) revert RegistryRecoveryNotEnabled(patient);
        if (recoveryKey == bytes32(0)) revert RegistryInvalidEncryptionKey();
        _checkNewAccount(patient, msg.sender);
        emit RecoveryRequested(patient, msg.sender, recoveryKey, recovery.round);
    }

    /// @inheritdoc ICareRegistry
    function approveRecovery(address patient, address newAccount, bytes calldata releasedShare) external {
        Recovery storage recovery = _recoveries[patient];
        uint8 threshold = recovery.threshold;
        if (threshold == 0) revert RegistryRecoveryNotEnabled(patient);
        if (!_isGuardian(patient, msg.sender, GUARDIAN_RECOVERY))
            revert RegistryNotRecoveryGuardian(patient, msg.sender);
        if (recovery.scheduledTo != address(0)) {
            revert RegistryRecoveryAlreadyScheduled(patient, recovery.scheduledTo, recovery.readyAt);
        }
        _checkNewAccount(patient, newAccount);
        uint32 round = recovery.round;
        mapping(address => uint256) storage approvedRounds = _approvedRounds[patient];
        if (approvedRounds[msg.sender] == uint256(round) + 1) {
            revert RegistryRecoveryAlreadyApproved(patient, msg.sender, round);
        }
        approvedRounds[msg.sender] = uint256(round) + 1;
        bytes32 key = _approvalKey(patient, round, newAccount);
        // At most one approval per guardian and round, and the round resets them, so this never
        // passes the threshold (a uint8).
        uint8 approvals = uint8(_approvals[key] + 1);
        _approvals[key] = approvals;
        emit RecoveryApproved(patient, msg.sender, newAccount, round, approvals, releasedShare);
        if (approvals >= threshold) {
            uint40 readyAt = uint40(block.timestamp + RECOVERY_DELAY);
            recovery.scheduledTo = newAccount;
            recovery.readyAt = readyAt;
            emit RecoveryScheduled(patient, newAccount, readyAt);
        }
    }

    /// @inheritdoc ICareRegistry
    function cancelRecovery() external {
        address patient = _patientFor(msg.sender);
        Recovery storage recovery = _recoveries[patient];
        uint32 round = recovery.round;
        recovery.round = round + 1;
        recovery.scheduledTo = address(0);
        recovery.readyAt = 0;
        emit RecoveryCancelled(patient, msg.sender, round);
    }

    /// @inheritdoc ICareRegistry
    function completeRecovery(address patient) external {
        Recovery storage recovery = _recoveries[patient];
        address to = recovery.scheduledTo;
        if (to == address(0)) revert RegistryNoRecoveryScheduled(patient);
        if (block.timestamp < recovery.readyAt) {
            revert RegistryRecoveryNotReady(patient, recovery.readyAt, uint64(block.timestamp));
        }
        // `to` may have registered or been linked since the approvals.
        _checkNewAccount(patient, to);
        Account storage account = _accounts[patient];
        address from = account.controller == address(0) ? patient : account.controller;
        ++recovery.round;
        recovery.scheduledTo = address(0);
        recovery.readyAt = 0;
        account.controller = to;
        _links[from] = _MOVED_AWAY | uint160(to);
        _links[to] = uint160(patient);
        emit AccountMoved(patient, from, to);
    }

    /// @inheritdoc ICareRegistry
    function recoveryOf(address patient) external view returns (Recovery memory) {
        return _recoveries[patient];
    }

    /// @inheritdoc ICareRegistry
    function recoveryApprovals(address patient, address newAccount) external view returns (uint256) {
        return _approvals[_approvalKey(patient, _recoveries[patient].round, newAccount)];
    }

    /// @inheritdoc ICareRegistry
    function hasApprovedRecovery(address patient, address guardian) external view returns (bool) {
        return _approvedRounds[patient][guardian] == uint256(_recoveries[patient].round) + 1;
    }

    function _isGuardian(address patient, address guardian, uint8 rights) private view returns (bool) {
        Guardian storage g = _guardians[patient][guardian];
        return
            rights != 0 &&
            g.rights & rights == rights &&
            g.validFrom <= block.timestamp &&
            block.timestamp < g.validUntil;
    }

    /// @dev The id `account` acts for; reverts for an address whose identity moved away.
    function _actingFor(address account) private view returns (address) {
        uint256 link = _links[account];
        if (link == 0) return account;
        if (link & _MOVED_AWAY != 0) revert RegistryAccountMoved(account, address(uint160(link)));
        return address(uint160(link));
    }

    /// @dev Like {_actingFor}, and the result must be a registered patient.
    function _patientFor(address account) private view returns (address patient) {
        patient = _actingFor(account);
        if (!_accounts[patient].patient) revert RegistryNotPatient(account);
    }

    function _checkNewAccount(address patient, address newAccount) private view {
        Account storage account = _accounts[newAccount];
        if (newAccount == address(0) || account.patient || account.keyVersion != 0 || _links[newAccount] != 0) {
            revert RegistryInvalidRecoveryAccount(patient, newAccount);
        }
    }

    function _approvalKey(address patient, uint32 round, address newAccount) private pure returns (bytes32) {
        return keccak256(abi.encode(patient, round, newAccount));
    }

    function _transition(bytes32 role, address account, CredentialStatus from, CredentialStatus to) private {
        CredentialStatus status = _credentials[role][account];
        if (status != from) revert RegistryInvalidCredentialTransition(role, account, status);
        _credentials[role][account] = to;
    }
}
