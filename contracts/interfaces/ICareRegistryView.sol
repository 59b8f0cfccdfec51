// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title ICareRegistryView
/// @notice The read-only part of `CareRegistry` that the other CareLedger contracts rely on.
interface ICareRegistryView {
    /// @notice Whether `account` registered itself as a patient.
    function isPatient(address account) external view returns (bool);

    /// @notice Whether `account` holds `role` with an active (neither suspended nor revoked) credential.
    function isCredentialed(bytes32 role, address account) external view returns (bool);

    /// @notice Whether `guardian` may act for `patient` right now with every bit of `rights`.
    function isGuardian(address patient, address guardian, uint8 rights) external view returns (bool);

    /// @notice Whom `account` acts for: the patient whose identity it took over by account recovery,
    /// else `account` itself (a patient who never moved, a provider, anyone). Callers use the result,
    /// never `msg.sender`, as the patient key.
    /// @dev One storage read. Reverts with `RegistryAccountMoved` for an address whose identity was
    /// moved away: the lost wallet no longer speaks for the patient.
    function actingFor(address account) external view returns (address patient);

    /// @notice The address that speaks for `patient` now: `patient` itself until a recovery moved it.
    function controllerOf(address patient) external view returns (address);
}
