// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Vm} from "./Vm.sol";

/// @notice A small forge-std-style base for Solidity tests run by Hardhat 3 (EDR).
/// Tests are `test_*`, fuzz tests take arguments, invariant tests are `invariant_*` and
/// name their handler contracts through `targetContracts()`.
abstract contract Test {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    address[] private _targetContracts;

    /// @dev Used by the invariant fuzzer to know which contracts to call.
    function targetContracts() public view returns (address[] memory) {
        return _targetContracts;
    }

    function targetContract(address target) internal {
        _targetContracts.push(target);
    }

    /// @dev Maps `x` into [min, max] without discarding fuzz runs.
    function bound(uint256 x, uint256 min, uint256 max) internal pure returns (uint256) {
        require(min <= max, "bound: min > max");
        uint256 size = max - min + 1;
        if (size == 0) return x; // full uint256 range
        return min + (x % size);
    }

    function makeAddr(string memory name) internal pure returns (address) {
        return vm.addr(uint256(keccak256(bytes(name))));
    }
}
