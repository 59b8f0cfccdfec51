// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Purpose} from "../libraries/CareTypes.sol";
import {IConsentView} from "./IConsentView.sol";
import {IRecordRegistry} from "./IRecordRegistry.sol";

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

    /// @notice A stored grant. `grantedAt == 0` means there never was one. `revokedAt` is the last
    /// revocation or cancellation for (patient, grantee, purpose), kept across later grants: a signed
    /// grant issued at or before it never applies. `guardian` is the guardian that made the grant
    /// (zero for the patient's own or signed grants): such a grant is in force only while that
    /// guardian still holds GUARDIAN_MANAGE_CONSENT.
    struct Grant {
        uint16 scope;
        uint8 access;
        bool revoked;
        uint64 notBefore;
        uint64 expiresAt;
        uint64 grantedAt;
        uint64 revokedAt;
        address guardian;
    }

    /// @notice A break-glass opened by a provider for a patient (one slot). `reopensAt` is set when the
    /// patient or a guardian closes it: the provider may not open another one before then.
    struct BreakGlass {
        uint64 openedAt;
        uint64 expiresAt;
        uint16 reasonCode;
        uint64 reopensAt;
        bool keysReleased;
    }

    /// @notice New category keys wrapped to a grantee that keeps its grant (`purpose`) through a
    /// rotation: `keyEnvelopes` are published in {CategoryKeysRewrapped} only, never stored.
    struct KeyRewrap {
        address grantee;
        Purpose purpose;
        bytes keyEnvelopes;
    }

    /// @notice Thrown when a rotation would re-wrap new keys to `grantee` of `patient` for `purpose`,
    /// whose grant was revoked or has ended (or whose guardian may no longer grant).
    error ConsentRewrapToEndedGrant(address patient, address grantee, Purpose purpose);

    /// @notice Thrown when a rotation re-wraps to `count` grantees, more than `max`.
    error ConsentTooManyRewraps(uint256 count, uint256 max);

    /// @notice Thrown when `account` (neither the patient, a guardian with GUARDIAN_EMERGENCY, nor the
    /// patient's release agent) releases emergency keys of `patient` to `provider`.
    error ConsentUnauthorizedKeyRelease(address patient, address provider, address account);

    /// @notice Thrown when an emergency key release to `provider` for `patient` carries no envelope.
    error ConsentEmptyKeyRelease(address patient, address provider);

    /// @notice Thrown when `patient` names itself as its own emergency release agent.
    error ConsentInvalidReleaseAgent(address patient, address agent);

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

    /// @notice Thrown when `signature` is not `patient`'s (an EOA's ECDSA signature or an ERC-1271
    /// wallet's approval) over the typed data: wrong key, wrong chain or contract, or altered terms.
    error ConsentInvalidSignature(address patient, bytes signature);

    /// @notice Thrown when a signed grant claims to be issued at `issuedAt`, later than `currentTime`.
    error ConsentSignatureFromFuture(uint64 issuedAt, uint64 currentTime);

    /// @notice Thrown when a signed grant issued at `issuedAt` predates (or shares the second of) the
    /// revocation or cancellation at `revokedAt` of (`patient`, `grantee`, `purpose`).
    error ConsentSignatureRevoked(address patient, address grantee, Purpose purpose, uint64 issuedAt, uint64 revokedAt);

    /// @notice Thrown when `patient`'s nonce cannot move from `currentNonce` to `newNonce` (not higher,
    /// or more than MAX_NONCE_INVALIDATION ahead).
    error ConsentInvalidNonceInvalidation(address patient, uint256 currentNonce, uint256 newNonce);

    /// @notice Thrown when guardian `guardian` names itself as the grantee of `patient`'s consent.
    error ConsentGuardianSelfGrant(address patient, address guardian);

    /// @notice Thrown when a guardian's grant would end at `expiresAt`, after its guardianship ends at
    /// `guardianUntil`.
    error ConsentGuardianGrantOutlivesGuardianship(uint64 expiresAt, uint64 guardianUntil);

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

    /// @notice Thrown when `account` acts for a patient whose identity moved to `movedTo` (account recovery).
    error ConsentAccountMoved(address account, address movedTo);

    /// @notice Thrown when syncing `patient` whose CareRegistry controller `controller` is already mirrored here.
    error ConsentAccountInSync(address patient, address controller);

    /// @notice Thrown when `provider` reopens a break-glass for `patient` that the patient or a guardian
    /// closed, before the cooling period ends at `reopensAt`.
    error ConsentBreakGlassCoolingDown(address patient, address provider, uint64 reopensAt);

    /// @notice Emitted when `grantedBy` (the patient, whether it sent the grant or signed it, or a
    /// guardian) grants `grantee` consent; `submittedBy` sent the transaction (a relayer for a signed
    /// grant). `keyEnvelopes` are the category keys wrapped to the grantee's identity key by the SDK;
    /// they are published here only, never stored.
    event ConsentGranted(
        address indexed patient,
        address indexed grantee,
        Purpose purpose,
        uint16 scope,
        uint8 access,
        uint64 notBefore,
        uint64 expiresAt,
        address grantedBy,
        address submittedBy,
        bytes keyEnvelopes
    );

    /// @notice Emitted when `revokedBy` (the patient, whether it sent the revocation or signed it, or a
    /// guardian) revokes the grant for (`patient`, `grantee`, `purpose`), or cancels it in advance
    /// when there is none yet: every signed grant for the triple issued until now is void.
    /// `submittedBy` sent the transaction (a relayer for a signed revocation).
    event ConsentRevoked(
        address indexed patient,
        address indexed grantee,
        Purpose purpose,
        address revokedBy,
        address submittedBy
    );

    /// @notice Emitted when `patient`'s new keys of `categories` (bit c = category c) were wrapped to
    /// `grantee`, which keeps its grant for `purpose`, in a rotation.
    event CategoryKeysRewrapped(
        address indexed patient,
        address indexed grantee,
        Purpose purpose,
        uint16 categories,
        bytes keyEnvelopes
    );

    /// @notice Emitted when `releasedBy` (a guardian, the patient, or its release agent) hands `provider`,
    /// holding an open break-glass for `patient` until `until`, the emergency summary's keys.
    event EmergencyKeysReleased(
        address indexed patient,
        address indexed provider,
        address indexed releasedBy,
        uint64 until,
        bytes keyEnvelopes
    );

    /// @notice Emitted when `patient` chooses `agent` (zero: none) to release its emergency keys to any
    /// provider that opens a break-glass, without waiting for a guardian.
    event EmergencyReleaseAgentSet(address indexed patient, address agent);

    /// @notice Emitted when `invalidatedBy` (the patient or a guardian) moves `patient`'s signature nonce
    /// from `fromNonce` to `toNonce`: every signature with a nonce in [fromNonce, toNonce) is void.
    event NoncesInvalidated(address indexed patient, uint256 fromNonce, uint256 toNonce, address invalidatedBy);

    /// @notice Emitted when `provider` opens emergency read access to `patient`'s EMERGENCY_SCOPE
    /// for `reasonCode` until `expiresAt`.
    event BreakGlassOpened(address indexed patient, address indexed provider, uint16 reasonCode, uint64 expiresAt);

    /// @notice Emitted when `closedBy` closes `provider`'s break-glass for `patient` before it expired;
    /// `provider` may open another one from `reopensAt` (now when the provider closed it itself).
    event BreakGlassClosed(
        address indexed patient,
        address indexed provider,
        address indexed closedBy,
        uint64 reopensAt
    );

    /// @notice Emitted when this contract took over an account move of `patient` from `from` to `to`.
    event AccountSynced(address indexed patient, address indexed from, address indexed to);

    /// @notice Emitted when `patient` (or `updatedBy`, a guardian) opts out of or back into break-glass.
    event BreakGlassOptOutUpdated(address indexed patient, bool optedOut, address indexed updatedBy);

    /// @notice Grants `terms` as the caller (the patient), replacing any grant for the same grantee
    /// and purpose.
    /// @dev The caller is the patient, or the address a patient moved to by account recovery (once
    /// {syncAccount} mirrored the move; this and every other patient action then refuse the old
    /// address with {ConsentAccountMoved}). Emits {ConsentGranted}. Reverts with {ConsentInvalidGrantee},
    /// {ConsentInvalidScope}, {ConsentInvalidAccess}, {ConsentInvalidPeriod} or {ConsentAccountMoved}.
    function grantConsent(ConsentTerms calldata terms, bytes calldata keyEnvelopes) external;

    /// @notice Grants `terms` for `patient` as its guardian. The grant is in force only while the caller
    /// stays `patient`'s guardian with GUARDIAN_MANAGE_CONSENT, and never beyond the guardianship's end.
    /// @dev The caller must hold GUARDIAN_MANAGE_CONSENT for `patient` right now, may not name itself,
    /// and `terms.expiresAt` must not exceed its `validUntil`. Emits {ConsentGranted}.
    /// Reverts with {ConsentUnauthorizedGuardian}, {ConsentGuardianSelfGrant},
    /// {ConsentGuardianGrantOutlivesGuardianship} and the validation errors of {grantConsent}.
    function grantConsentFor(address patient, ConsentTerms calldata terms, bytes calldata keyEnvelopes) external;

    /// @notice Grants `terms` with `patient`'s EIP-712 `ConsentGrant` signature; anyone may submit it.
    /// @dev Typed data: `ConsentGrant(address patient,address grantee,uint16 scope,uint8 purpose,
    /// uint8 access,uint64 notBefore,uint64 expiresAt,bytes keyEnvelopes,uint64 issuedAt,uint256 nonce,
    /// uint256 deadline)` under the domain {name: "CareLedger ConsentManager", version: "1", chainId,
    /// verifyingContract}. Uses `nonce` (must equal `nonces(patient)`). `signature` is checked with
    /// OpenZeppelin's SignatureChecker: a 65-byte ECDSA signature of an EOA patient, or whatever an
    /// ERC-1271 wallet patient accepts. `issuedAt` (when the patient signed) must not be in the future
    /// and must be later than the last revocation of (patient, grantee, purpose): a revocation voids
    /// every signed grant issued before it. Emits {ConsentGranted}. Reverts with
    /// {ConsentExpiredSignature}, {ConsentSignatureFromFuture}, {ConsentSignatureRevoked},
    /// {InvalidAccountNonce}, {ConsentInvalidSignature} and the validation errors of {grantConsent}.
    function grantConsentBySig(
        address patient,
        ConsentTerms calldata terms,
        bytes calldata keyEnvelopes,
        uint64 issuedAt,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice The RecordRegistry whose category keys grants hand out; deployed by this contract's
    /// constructor and naming it back (its CONSENTS), so the two are bound from the start.
    function recordRegistry() external view returns (IRecordRegistry);

    /// @notice Revokes the caller's grant to `grantee` for `purpose` at once, and voids every signed
    /// grant for that triple issued until now. With no grant (yet, or any more) it is a cancellation:
    /// a signed grant a relayer holds back can no longer be submitted. Without a rotation, the
    /// categories the grantee could read need new keys: nobody may write to them until the patient
    /// renews them ({rotateCategoryKeys}); {revokeAndRotate} does both at once.
    /// @dev Emits {ConsentRevoked} (and RecordRegistry's {CategoryKeysNeeded} when a live read grant
    /// was revoked).
    function revokeConsent(address grantee, Purpose purpose) external;

    /// @notice Revokes like {revokeConsent} and, in the same transaction, moves the categories of
    /// `rotations` to new keys, re-wrapped to the grantees of `rewraps` that keep their grants.
    /// @dev The caller is the patient. Categories the revoked grant could read that are not rotated
    /// need new keys. Emits {ConsentRevoked}, one {CategoryKeysRewrapped} per rewrap and RecordRegistry's
    /// {CategoryKeyPublished} per rotation. Reverts with the errors of {rotateCategoryKeys}.
    function revokeAndRotate(
        address grantee,
        Purpose purpose,
        IRecordRegistry.KeyRotation[] calldata rotations,
        KeyRewrap[] calldata rewraps
    ) external;

    /// @notice Moves the caller's categories of `rotations` to new keys re-wrapped to the grantees of
    /// `rewraps` (renewal of categories that need new keys, or a voluntary rotation). Each new key may
    /// be written to until the earliest end among the grants it went to.
    /// @dev Each rotation states the epoch it expects. Emits one {CategoryKeysRewrapped} per rewrap and
    /// RecordRegistry's {CategoryKeyPublished} per rotation. Reverts with {ConsentTooManyRewraps},
    /// {ConsentRewrapToEndedGrant} and the errors of RecordRegistry's `rotateCategoryKeysFor`
    /// ({RecordRotationEpochMismatch} for a stale or doubled rotation).
    function rotateCategoryKeys(
        IRecordRegistry.KeyRotation[] calldata rotations,
        KeyRewrap[] calldata rewraps
    ) external;

    /// @notice Revokes (or cancels in advance) `patient`'s grant to `grantee` for `purpose` as its guardian.
    /// A guardian holds no category keys, so the categories the grantee could read need new keys
    /// until the patient renews them.
    /// @dev The caller must hold GUARDIAN_MANAGE_CONSENT for `patient` right now. Emits {ConsentRevoked}.
    /// Reverts with {ConsentUnauthorizedGuardian}.
    function revokeConsentFor(address patient, address grantee, Purpose purpose) external;

    /// @notice Revokes (or cancels in advance) with `patient`'s EIP-712 signature; anyone may submit it.
    /// The categories the grantee could read need new keys until the patient renews them.
    /// @dev Typed data: `ConsentRevocation(address patient,address grantee,uint8 purpose,uint256 nonce,
    /// uint256 deadline)`, same domain, nonces and signature checks as {grantConsentBySig}. Emits
    /// {ConsentRevoked}. Reverts with {ConsentExpiredSignature}, {InvalidAccountNonce} or
    /// {ConsentInvalidSignature}.
    function revokeConsentBySig(
        address patient,
        address grantee,
        Purpose purpose,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external;

    /// @notice Voids every outstanding signature of the caller (a patient) with a nonce below `newNonce`
    /// by moving its nonce there; a relayer holding them back can submit none.
    /// @dev `newNonce` must be above `nonces(caller)` by at most MAX_NONCE_INVALIDATION. Emits
    /// {NoncesInvalidated}. Reverts with {ConsentInvalidNonceInvalidation}.
    function invalidateNonces(uint256 newNonce) external;

    /// @notice {invalidateNonces} for `patient`, as its guardian.
    /// @dev The caller must hold GUARDIAN_MANAGE_CONSENT for `patient` right now. Emits
    /// {NoncesInvalidated}. Reverts with {ConsentUnauthorizedGuardian} or {ConsentInvalidNonceInvalidation}.
    function invalidateNoncesFor(address patient, uint256 newNonce) external;

    /// @notice The grant in force (or last in force) for (`patient`, `grantee`, `purpose`).
    function consentOf(address patient, address grantee, Purpose purpose) external view returns (Grant memory);

    /// @notice Opens emergency read access to `patient`'s EMERGENCY_SCOPE for `duration` seconds
    /// (at most MAX_BREAK_GLASS_DURATION), stating `reasonCode` (non-zero, defined by the SDK).
    /// @dev Only a credentialed provider, for a registered patient who did not opt out, with no
    /// break-glass of its own still open nor cooling down after the patient or a guardian closed it.
    /// Emits {BreakGlassOpened}. Reverts with {ConsentProviderNotCredentialed},
    /// {ConsentPatientNotRegistered}, {ConsentBreakGlassOptedOut}, {ConsentBreakGlassReasonRequired},
    /// {ConsentBreakGlassInvalidDuration}, {ConsentBreakGlassAlreadyOpen} or {ConsentBreakGlassCoolingDown}.
    function openBreakGlass(address patient, uint16 reasonCode, uint64 duration) external;

    /// @notice Closes `provider`'s open break-glass for `patient` before it expires.
    /// @dev The provider itself, the patient, or a guardian holding GUARDIAN_EMERGENCY. When the patient
    /// or a guardian closes it, the provider may not reopen one for BREAK_GLASS_COOLING_PERIOD
    /// ({breakGlassReopensAt}). Emits {BreakGlassClosed}. Reverts with {ConsentBreakGlassNotOpen} or
    /// {ConsentUnauthorizedBreakGlassCloser}.
    function closeBreakGlass(address patient, address provider) external;

    /// @notice Opts the caller (a patient) out of, or back into, break-glass access.
    /// @dev Emits {BreakGlassOptOutUpdated}. Opting out stops new break-glasses; one already open
    /// stays open until it expires or is closed with {closeBreakGlass}.
    function setBreakGlassOptOut(bool optedOut) external;

    /// @notice Opts `patient` out of, or back into, break-glass access as its guardian.
    /// @dev The caller must hold GUARDIAN_EMERGENCY for `patient` right now. Emits
    /// {BreakGlassOptOutUpdated}. Reverts with {ConsentUnauthorizedGuardian}.
    function setBreakGlassOptOutFor(address patient, bool optedOut) external;

    /// @notice Hands `provider`, holding an open break-glass for `patient`, the emergency summary's keys
    /// (`keyEnvelopes`, wrapped to the provider's identity key). The keys then stop being safe to
    /// write to when the break-glass ends (or at once when it is closed early).
    /// @dev The patient, a guardian holding GUARDIAN_EMERGENCY (a trusted contact), or the patient's
    /// release agent. Emits {EmergencyKeysReleased}. Reverts with {ConsentUnauthorizedKeyRelease},
    /// {ConsentBreakGlassNotOpen} or {ConsentEmptyKeyRelease}.
    function releaseEmergencyKeys(address patient, address provider, bytes calldata keyEnvelopes) external;

    /// @notice Chooses `agent` (zero: none) as the caller's pre-arranged emergency release agent: it may
    /// release the emergency keys to any provider holding an open break-glass, with no human in the
    /// loop. It needs those keys itself (an Emergency grant to it), so it can read the emergency
    /// summary, and it releases to whichever credentialed provider opens a break-glass: choose one
    /// you trust as you would a guardian.
    /// @dev Emits {EmergencyReleaseAgentSet}. Reverts with {ConsentInvalidReleaseAgent}.
    function setEmergencyReleaseAgent(address agent) external;

    /// @notice `patient`'s emergency release agent (zero: none).
    function emergencyReleaseAgentOf(address patient) external view returns (address);

    /// @notice The last break-glass `provider` opened for `patient` (open while `expiresAt` > now).
    function breakGlassOf(address patient, address provider) external view returns (BreakGlass memory);

    /// @notice Whether `provider` holds an open break-glass for `patient` and is still credentialed.
    function isBreakGlassOpen(address patient, address provider) external view returns (bool);

    /// @notice Whether `patient` opted out of break-glass access.
    function breakGlassOptedOut(address patient) external view returns (bool);

    /// @notice When `provider` may open a break-glass for `patient` again after the patient or a guardian
    /// closed one (0 or a past time: it may now, subject to {openBreakGlass}'s other checks).
    function breakGlassReopensAt(address patient, address provider) external view returns (uint64);

    /// @notice The EIP-712 domain separator of this contract on this chain.
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32);

    /// @notice Mirrors an account recovery completed in CareRegistry: `patient`'s grants, nonces and
    /// break-glass settings answer to its new address, and the old address is refused. Anyone may send
    /// it (the dApp sends it right after `completeRecovery`); until then the old address still speaks
    /// for the patient here, as it did during the recovery delay.
    /// @dev A local mirror keeps every consent operation at one extra storage read (the caller's link,
    /// or none at all for signed operations, whose controller sits in the nonce word). Emits
    /// {AccountSynced}. Reverts with {ConsentAccountInSync}.
    function syncAccount(address patient) external;

    /// @notice The address that speaks for `patient` in this contract (itself until a synced move).
    function controllerOf(address patient) external view returns (address);
}
