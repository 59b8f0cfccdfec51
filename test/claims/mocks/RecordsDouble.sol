// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IRecordView} from "../../../contracts/interfaces/IRecordView.sol";

/// @notice Unit-test double of `RecordRegistry`'s subject lookup. Like the real one, it reverts for an
/// unknown record id. Not production code.
contract RecordsDouble is IRecordView {
    struct Subject {
        address patient;
        uint8 category;
    }

    mapping(uint256 recordId => Subject) private _subjects;

    error RecordsDoubleUnknownRecord(uint256 recordId);

    function setRecord(uint256 recordId, address patient, uint8 category) external {
        _subjects[recordId] = Subject(patient, category);
    }

    function recordSubject(uint256 recordId) external view returns (address patient, uint8 category) {
        Subject memory subject = _subjects[recordId];
        if (subject.patient == address(0)) revert RecordsDoubleUnknownRecord(recordId);
        return (subject.patient, subject.category);
    }
}
