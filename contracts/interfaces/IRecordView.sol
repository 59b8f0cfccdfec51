// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title IRecordView
/// @notice The read-only part of `RecordRegistry` that `ClaimsSettlement` relies on.
interface IRecordView {
    /// @notice The patient and category of record `recordId`; reverts when no such record exists.
    function recordSubject(uint256 recordId) external view returns (address patient, uint8 category);
}
