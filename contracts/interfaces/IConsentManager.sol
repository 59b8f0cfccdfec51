// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Purpose} from "../libraries/CareTypes.sol";
import {IConsentView} from "./IConsentView.sol";

// Only the fields a client filters on (who, for whom) are indexed; the rest stays readable data.
// solhint-disable gas-indexed-events

/// @title IConsentManager
/// @notice Consent grants from patients to grantees, signed (gasless) grants and revocations,
/// and break-glass emergency access.
///
/// One grant is in force per (patient, grantee, purpose): a new grant for the same triple replaces
/// the earlier one. That keeps `hasConsent` a single storage read and a grant a single new storage
/// slot (the gas budget). A patient's grants are enumerated from the `ConsentGranted` /
/// `ConsentRevoked` events (patient is an indexed topic) and checked with `consentOf`.
///
/// Granting does not require the patient to be registered in the CareRegistry: a grant only ever
/// concerns the signer's own records, and records exist only for registered patients (writing one
/// needs a category key, which only a registered patient can publish). Skipping that cross-contract
/// read keeps a signed grant within its gas budget.
interface IConsentManager is IConsentView {
    /// @notice What a patient consents to: who, which categories (bit i = category i), why,
    /// which access bits (ACCESS_READ | ACCESS_WRITE) and when ([notBefore, expiresAt)).
    struct ConsentTerms {
        address grantee;
        uint16 scope;
        Purpose purpose;
        uint8 access;
        uint64 notBefore;
        uint64 expiresAt;
    }

    /// @notice A stored grant (one slot). `grantedAt == 0` means there never was one.
    struct Grant {
        uint16 scope;
        uint8 access;
        bool revoked;
        uint64 notBefore;
        uint64 expiresAt;
        uint64 grantedAt;
    }

    /// @notice A break-glass opened by a provider for a patient (one slot).
    struct BreakGlass {
        uint64 openedAt;
        uint64 expiresAt;
        uint16 reasonCode;
    }

    /// @notice Thrown when a break-glass names a `patient` not registered in the CareRegistry.
    error ConsentPatientNotRegistered(address patient);

    /// @notice Thrown when `account` acts for `patient` without holding guardian `rights` right now.
    error ConsentUnauthorizedGuardian(address patient, address account, uint8 rights);

    /// @notice Thrown when `grantee` is the zero address or the patient itself.
    error ConsentInvalidGrantee(address patient, address grantee);

    /// @notice Thrown when `scope` is empty or names a category that does not exist.
    error ConsentInvalidScope(uint16 scope);

    /// @notice Thrown when `access` is empty or holds bits other than ACCESS_READ | ACCESS_WRITE.
    error ConsentInvalidAccess(uint8 access);

    /// @notice Thrown when [notBefore, expiresAt) is empty or already over at `currentTime`.
    error ConsentInvalidPeriod(uint64 notBefore, uint64 expiresAt, uint64 currentTime);

    /// @notice Thrown when a signed grant or revocation is submitted after its `deadline`.
    error ConsentExpiredSignature(uint256 deadline);

    /// @notice Thrown when a signature was made by `signer` instead of `patient` (wrong key,
    /// wrong chain or contract, or altered terms).
    error ConsentInvalidSigner(address signer, address patient);

    /// @notice Thrown when there is no grant for (`patient`, `grantee`, `purpose`) to revoke.
    error ConsentGrantNotFound(address patient, address grantee, Purpose purpose);

    /// @notice Thrown when the grant for (`patient`, `grantee`, `purpose`) was already revoked.
    error ConsentAlreadyRevoked(address patient, address grantee, Purpose purpose);

    /// @notice Thrown when `provider` opening a break-glass holds no active PROVIDER credential.
    error ConsentProviderNotCredentialed(address provider);

    /// @notice Thrown when `patient` opted out of break-glass access.
    error ConsentBreakGlassOptedOut(address patient);

    /// @notice Thrown when a break-glass is opened without a reason code (0).
    error ConsentBreakGlassReasonRequired();

    /// @notice Thrown when a break-glass duration is zero or longer than `maxDuration`.
    error ConsentBreakGlassInvalidDuration(uint64 duration, uint64 maxDuration);

    /// @notice Thrown when `provider` already holds an open break-glass for `patient` until `expiresAt`.
    error ConsentBreakGlassAlreadyOpen(address patient, address provider, uint64 expiresAt);

    /// @notice Thrown when `provider` holds no open break-glass for `patient`.
    error ConsentBreakGlassNotOpen(address patient, address provider);

    /// @notice Thrown when `account` may not close `provider`'s break-glass for `patient`.
    error ConsentUnauthorizedBreakGlassCloser(address patient, address provider, address account);

    /// @notice Emitted when `grantedBy` (the patient, a guardian, or a relayer carrying the patient's
    /// signature) grants `grantee` consent. `keyEnvelopes` are the category keys wrapped to the
    /// grantee's identity key by the SDK; they are published here only, never stored.
    event ConsentGranted(
        address indexed patient,
        address indexed grantee,
        Purpose purpose,
        uint16 scope,
        uint8 access,
        uint64 notBefore,
        uint64 expiresAt,
        address grantedBy,
        bytes keyEnvelopes
    );

    /// @notice Emitted when `revokedBy` (the patient, a guardian, or a relayer carrying the patient's
    /// signature) revokes the grant for (`patient`, `grantee`, `purpose`).
    event ConsentRevoked(address indexed patient, address indexed grantee, Purpose purpose, address revokedBy);

    /// @notice Emitted when `provider` opens emergency read access to `patient`'s EMERGENCY_SCOPE
    /// for `reasonCode` until `expiresAt`.
    event BreakGlassOpened(address indexed patient, address indexed provider, uint16 reasonCode, uint64 expiresAt);

    /// @notice Emitted when `closedBy` closes `provider`'s break-glass for `patient` before it expired.
    event BreakGlassClosed(address indexed patient, address indexed provider, address indexed closedBy);

    /// @notice Emitted when `patient` (or `updatedBy`, a guardian) opts out of or back into break-glass.
    event BreakGlassOptOutUpdated(address indexed patient, bool optedOut, address indexed updatedBy);

    /// @notice Grants `terms` as the caller (the patient), replacing any grant for the same grantee
    /// and purpose.
    /// @dev The caller is the patient. Emits {ConsentGranted}. Reverts with {ConsentInvalidGrantee}, {ConsentInvalidScope},
    /// {ConsentInvalidAccess} or {ConsentInvalidPeriod}.
    function grantConsent(ConsentTerms calldata terms, bytes calldata keyEnvelopes) external;

    /// @notice Grants `terms` for `patient` as its guardian.
    /// @dev The caller must hold GUARDIAN_MANAGE_CONSENT for `patient` right now. Emits {ConsentGranted}.
    /// Reverts with {ConsentUnauthorizedGuardian} and the validation errors of {grantConsent}.
    function grantConsentFor(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) external;

    /// @notice Grants `terms` with `patient`'s EIP-712 `ConsentGrant` signature; anyone may submit it.
    /// @dev Typed data: `ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,
    /// uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint256 nonce,uint256 deadline)`
    /// under the domain {name: "CareLedger ConsentManager", version: "1", chainId, verifyingContract}.
    /// Uses `nonce` (must equal `nonces(patient)`). The signature is in ERC-2098 compact form (`r`, `vs` =
    /// yParity << 255 | s; ethers: `Signature.from(sig).yParityAndS`), one calldata word less. Emits {ConsentGranted}. Reverts with
    /// {ConsentExpiredSignature}, {InvalidAccountNonce}, {ConsentInvalidSigner}, {ECDSAInvalidSignature...}
    /// and the validation errors of {grantConsent}.
    function grantConsentBySig(
        address patient,
        ConsentTerms calldata terms,
        bytes calldata keyEnvelopes,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external;

    /// @notice Revokes the caller's grant to `grantee` for `purpose` at once.
    /// @dev Emits {ConsentRevoked}. Reverts with {ConsentGrantNotFound} or {ConsentAlreadyRevoked}.
    function revokeConsent(address grantee, Purpose purpose) external;

    /// @notice Revokes `patient`'s grant to `grantee` for `purpose` as its guardian.
    /// @dev The caller must hold GUARDIAN_MANAGE_CONSENT for `patient` right now. Emits {ConsentRevoked}.
    /// Reverts with {ConsentUnauthorizedGuardian}, {ConsentGrantNotFound} or {ConsentAlreadyRevoked}.
    function revokeConsentFor(address patient, address grantee, Purpose purpose) external;

    /// @notice Revokes with `patient`'s EIP-712 signature; anyone may submit it.
    /// @dev Typed data: `ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,
    /// uint256 deadline)`, same domain, nonces and signature form as {grantConsentBySig}. Emits {ConsentRevoked}.
    /// Reverts with {ConsentExpiredSignature}, {InvalidAccountNonce}, {ConsentInvalidSigner},
    /// {ConsentGrantNotFound} or {ConsentAlreadyRevoked}.
    function revokeConsentBySig(
        address patient,
        address grantee,
        Purpose purpose,
        uint256 nonce,
        uint256 deadline,
        bytes32 r,
        bytes32 vs
    ) external;

    /// @notice The grant in force (or last in force) for (`patient`, `grantee`, `purpose`).
    function consentOf(address patient, address grantee, Purpose purpose) external view returns (Grant memory);

    /// @notice Opens emergency read access to `patient`'s EMERGENCY_SCOPE for `duration` seconds
    /// (at most MAX_BREAK_GLASS_DURATION), stating `reasonCode` (non-zero, defined by the SDK).
    /// @dev Only a credentialed provider, for a registered patient who did not opt out, with no
    /// break-glass of its own still open. Emits {BreakGlassOpened}. Reverts with
    /// {ConsentProviderNotCredentialed}, {ConsentPatientNotRegistered}, {ConsentBreakGlassOptedOut},
    /// {ConsentBreakGlassReasonRequired}, {ConsentBreakGlassInvalidDuration} or {ConsentBreakGlassAlreadyOpen}.
    function openBreakGlass(address patient, uint16 reasonCode, uint64 duration) external;

    /// @notice Closes `provider`'s open break-glass for `patient` before it expires.
    /// @dev The provider itself, the patient, or a guardian holding GUARDIAN_EMERGENCY. Emits
    /// {BreakGlassClosed}. Reverts with {ConsentBreakGlassNotOpen} or {ConsentUnauthorizedBreakGlassCloser}.
    function closeBreakGlass(address patient, address provider) external;

    /// @notice Opts the caller (a patient) out of, or back into, break-glass access.
    /// @dev Emits {BreakGlassOptOutUpdated}. Opting out stops new break-glasses; one already open
    /// stays open until it expires or is closed with {closeBreakGlass}.
    function setBreakGlassOptOut(bool optedOut) external;

    /// @notice Opts `patient` out of, or back into, break-glass access as its guardian.
    /// @dev The caller must hold GUARDIAN_EMERGENCY for `patient` right now. Emits
    /// {BreakGlassOptOutUpdated}. Reverts with {ConsentUnauthorizedGuardian}.
    function setBreakGlassOptOutFor(address patient, bool optedOut) external;

    /// @notice The last break-glass `provider` opened for `patient` (open while `expiresAt` > now).
    function breakGlassOf(address patient, address provider) external view returns (BreakGlass memory);

    /// @notice Whether `provider` holds an open break-glass for `patient` and is still credentialed.
    function isBreakGlassOpen(address patient, address provider) external view returns (bool);

    /// @notice Whether `patient` opted out of break-glass access.
    function breakGlassOptedOut(address patient) external view returns (bool);

    /// @notice The EIP-712 domain separator of this contract on this chain.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);
}
