// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Purpose} from "../libraries/CareTypes.sol";

/// @title IConsentView
/// @notice The consent check any contract or client can call.
interface IConsentView {
    /// @notice Whether `grantee` may access `patient`'s records of `category` for `purpose` with
    /// every bit of `access` (ACCESS_READ, ACCESS_WRITE), through a live grant or an open break-glass.
    function hasConsent(
        address patient,
        address grantee,
        uint8 category,
        Purpose purpose,
        uint8 access
    ) external view returns (bool);

    /// @notice The categories (bit c = category c) of `patient`'s records that `grantee` may access for
    /// `purpose` with every bit of `access` right now: bit c is set exactly when
    /// `hasConsent(patient, grantee, c, purpose, access)`. One call answers for any number of
    /// categories (a claim's evidence, a consent screen).
    function consentScope(
        address patient,
        address grantee,
        Purpose purpose,
        uint8 access
    ) external view returns (uint16 scope);
}
