// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ICareRegistry} from "../../../contracts/interfaces/ICareRegistry.sol";
import {ICareRegistryView} from "../../../contracts/interfaces/ICareRegistryView.sol";

/// @notice Unit-test double of `CareRegistry`'s view: answers exactly what the test set. Not production code.
contract CareRegistryDouble is ICareRegistryView {
    mapping(address account => bool) private _patients;
    mapping(bytes32 role => mapping(address account => bool)) private _credentialed;
    mapping(address patient => mapping(address guardian => uint8 rights)) private _guardianRights;
    mapping(address account => address patient) private _actsFor;
    mapping(address patient => address controller) private _controllers;

    /// @notice Says the identity `patient` moved to `to` (as `CareRegistry.completeRecovery` does).
    function setMoved(address patient, address to) external {
        _actsFor[to] = patient;
        _controllers[patient] = to;
    }

    function setPatient(address account, bool registered) external {
        _patients[account] = registered;
    }

    function setCredentialed(bytes32 role, address account, bool active) external {
        _credentialed[role][account] = active;
    }

    function setGuardian(address patient, address guardian, uint8 rights) external {
        _guardianRights[patient][guardian] = rights;
    }

    function isPatient(address account) external view returns (bool) {
        return _patients[account];
    }

    function isCredentialed(bytes32 role, address account) external view returns (bool) {
        return _credentialed[role][account];
    }

    function isGuardian(address patient, address guardian, uint8 rights) external view returns (bool) {
        return rights != 0 && _guardianRights[patient][guardian] & rights == rights;
    }

    function actingFor(address account) external view returns (address) {
        address patient = _actsFor[account];
        if (_controllers[account] != address(0))
            revert ICareRegistry.RegistryAccountMoved(account, _controllers[account]);
        return patient == address(0) ? account : patient;
    }

    function controllerOf(address patient) external view returns (address) {
        address controller = _controllers[patient];
        return controller == address(0) ? patient : controller;
    }
}
