// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Multicall} from "@openzeppelin/contracts/utils/Multicall.sol";
import {EnumerableSet} from "@openzeppelin/contracts/utils/structs/EnumerableSet.sol";

import {ICareRegistry} from "../interfaces/ICareRegistry.sol";
import {ICareRegistryView} from "../interfaces/ICareRegistryView.sol";
import {
    CREDENTIAL_ADMIN_ROLE,
    GUARDIAN_EMERGENCY,
    GUARDIAN_MANAGE_CONSENT,
    INSURER_ROLE,
    PROVIDER_ROLE,
    RESEARCHER_ROLE
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
contract CareRegistry is ICareRegistry, AccessControlDefaultAdminRules, Multicall {
    using EnumerableSet for EnumerableSet.AddressSet;

    /// @notice How long a default-admin handover waits before the new admin may accept it.
    uint48 public constant ADMIN_TRANSFER_DELAY = 1 days;

    /// @notice The longest display name or registry identifier a profile may hold, in bytes.
    uint256 public constant MAX_PROFILE_TEXT = 64;

    /// @notice The most guardians one {guardians} page returns, whatever `limit` asks.
    uint256 public constant MAX_GUARDIAN_PAGE = 100;

    /// @dev Two slots: the key, then version + patient flag + registration time.
    struct Account {
        bytes32 encryptionKey;
        uint32 keyVersion;
        bool patient;
        uint40 registeredAt;
    }

    mapping(address account => Account) private _accounts;
    mapping(bytes32 role => mapping(address account => CredentialStatus)) private _credentials;
    mapping(address patient => mapping(address guardian => Guardian)) private _guardians;
    mapping(address patient => EnumerableSet.AddressSet) private _guardianSets;
    mapping(address account => Profile) private _profiles;
    mapping(address account => bytes32 digest) private _keyCustody;

    modifier onlyCredentialRole(bytes32 role) {
        if (role != PROVIDER_ROLE && role != INSURER_ROLE && role != RESEARCHER_ROLE) {
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
        if (account.patient) revert RegistryPatientAlreadyRegistered(msg.sender);
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
        Account storage account = _accounts[msg.sender];
        uint32 version = account.keyVersion + 1;
        account.encryptionKey = encryptionKey_;
        account.keyVersion = version;
        emit EncryptionKeyUpdated(msg.sender, encryptionKey_, version);
    }

    /// @inheritdoc ICareRegistry
    function encryptionKey(address account) external view returns (bytes32 key, uint32 version) {
        Account storage stored = _accounts[account];
        return (stored.encryptionKey, stored.keyVersion);
    }

    /// @inheritdoc ICareRegistry
    function setKeyCustody(bytes32 custody) external {
        Account storage account = _accounts[msg.sender];
        if (account.encryptionKey == bytes32(0)) revert RegistryNoEncryptionKey(msg.sender);
        _keyCustody[msg.sender] = custody;
        emit KeyCustodyUpdated(msg.sender, custody, account.keyVersion);
    }

    /// @inheritdoc ICareRegistry
    function keyCustody(address account) external view returns (bytes32) {
        return _keyCustody[account];
    }

    /// @inheritdoc ICareRegistryView
    function isPatient(address account) external view returns (bool) {
        return _accounts[account].patient;
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
        if (!_accounts[msg.sender].patient) revert RegistryNotPatient(msg.sender);
        if (guardian == address(0) || guardian == msg.sender) revert RegistryInvalidGuardian(msg.sender, guardian);
        if (rights == 0 || rights & ~(GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY) != 0) {
            revert RegistryInvalidGuardianRights(rights);
        }
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert RegistryInvalidGuardianPeriod(validFrom, validUntil, uint64(block.timestamp));
        }
        _guardians[msg.sender][guardian] = Guardian({rights: rights, validFrom: validFrom, validUntil: validUntil});
        _guardianSets[msg.sender].add(guardian);
        emit GuardianSet(msg.sender, guardian, rights, validFrom, validUntil);
    }

    /// @inheritdoc ICareRegistry
    function revokeGuardian(address guardian) external {
        if (!_guardianSets[msg.sender].remove(guardian)) revert RegistryGuardianNotFound(msg.sender, guardian);
        delete _guardians[msg.sender][guardian];
        emit GuardianRevoked(msg.sender, guardian);
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
        Guardian storage g = _guardians[patient][guardian];
        return
            rights != 0 &&
            g.rights & rights == rights &&
            g.validFrom <= block.timestamp &&
            block.timestamp < g.validUntil;
    }

    function _transition(bytes32 role, address account, CredentialStatus from, CredentialStatus to) private {
        CredentialStatus status = _credentials[role][account];
        if (status != from) revert RegistryInvalidCredentialTransition(role, account, status);
        _credentials[role][account] = to;
    }
}
