// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

import {IClaimsSettlement} from "../../../contracts/interfaces/IClaimsSettlement.sol";

/// @notice A malicious stablecoin double: on every transfer out of the settlement contract it calls back
/// into `withdraw` (or `withdrawPool`) to try to be paid twice. It records whether the re-entry succeeded
/// and swallows its revert, so the outer call finishes and the test can check that nothing was paid twice.
/// The token can also act as a provider or insurer itself ({execute}), so the re-entering call comes from
/// the very account that is owed the payout: the strongest form of the attack.
contract ReentrantToken is ERC20 {
    enum Attack {
        None,
        Withdraw,
        WithdrawPool
    }

    IClaimsSettlement public target;
    Attack public attack;
    address public insurer;
    bool public reentryAttempted;
    bool public reentrySucceeded;
    bytes public reentryError;

    constructor() ERC20("Reentrant USD", "rUSD") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function arm(IClaimsSettlement target_, Attack attack_, address insurer_) external {
        target = target_;
        attack = attack_;
        insurer = insurer_;
    }

    /// @dev Lets the test make this contract act as a provider or insurer.
    function execute(address to, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(target) && attack != Attack.None && !reentryAttempted) {
            reentryAttempted = true;
            bytes memory data =
                attack == Attack.Withdraw
                    ? abi.encodeCall(IClaimsSettlement.withdraw, (insurer))
                    : abi.encodeCall(IClaimsSettlement.withdrawPool, (value, address(this)));
            (bool ok, bytes memory ret) = address(target).call(data);
            reentrySucceeded = ok;
            reentryError = ret;
        }
    }
}
