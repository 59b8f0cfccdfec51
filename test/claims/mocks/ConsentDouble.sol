// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IConsentView} from "../../../contracts/interfaces/IConsentView.sol";
import {Purpose} from "../../../contracts/libraries/CareTypes.sol";

/// @notice Unit-test double of `ConsentManager`'s check: a grant is (patient, grantee, category, purpose)
/// → access bits, set by the test. Not production code.
contract ConsentDouble is IConsentView {
    mapping(bytes32 key => uint8 access) private _access;

    function setConsent(address patient, address grantee, uint8 category, Purpose purpose, uint8 access) external {
        _access[keccak256(abi.encode(patient, grantee, category, purpose))] = access;
    }

    function hasConsent(
        address patient,
        address grantee,
        uint8 category,
        Purpose purpose,
        uint8 access
    ) external view returns (bool) {
        uint8 granted = _access[keccak256(abi.encode(patient, grantee, category, purpose))];
        return access != 0 && granted & access == access;
    }

    function consentScope(
        address patient,
        address grantee,
        Purpose purpose,
        uint8 access
    ) external view returns (uint16 scope) {
        if (access == 0) return 0;
        for (uint8 category = 0; category < 16; ++category) {
            uint8 granted = _access[keccak256(abi.encode(patient, grantee, category, purpose))];
            if (granted & access == access) scope |= uint16(1) << category;
        }
    }
}
