// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title MockStablecoin
/// @notice "Care USD" (cUSD), a 6-decimal stand-in for a USD stablecoin on local and test networks.
/// NOT FOR PRODUCTION: anyone can mint from the faucet. On real networks `ClaimsSettlement` is deployed
/// against an existing stablecoin instead (the token is a deployment parameter).
/// @dev The faucet is rate-limited per account (FAUCET_AMOUNT once per FAUCET_COOLDOWN) so a public
/// testnet deployment cannot be drained into absurd balances by one script.
contract MockStablecoin is ERC20, ERC20Permit {
    /// @notice What one faucet call mints: 10,000 cUSD.
    uint256 public constant FAUCET_AMOUNT = 10_000e6;
    /// @notice How long an account waits between faucet calls.
    uint256 public constant FAUCET_COOLDOWN = 1 days;

    mapping(address account => uint256 timestamp) private _nextFaucetAt;

    /// @notice Emitted when `account` draws FAUCET_AMOUNT from the faucet.
    // solhint-disable-next-line gas-indexed-events
    event FaucetDrawn(address indexed account, uint256 amount);

    /// @notice Thrown when `account` calls the faucet again before `availableAt`.
    error FaucetCooldown(address account, uint256 availableAt);

    constructor() ERC20("Care USD", "cUSD") ERC20Permit("Care USD") {}

    /// @notice Mints FAUCET_AMOUNT to the caller, at most once per FAUCET_COOLDOWN.
    /// @dev Emits {FaucetDrawn} and {Transfer}. Reverts with {FaucetCooldown}.
    function faucet() external {
        uint256 availableAt = _nextFaucetAt[msg.sender];
        if (block.timestamp < availableAt) revert FaucetCooldown(msg.sender, availableAt);
        _nextFaucetAt[msg.sender] = block.timestamp + FAUCET_COOLDOWN;
        _mint(msg.sender, FAUCET_AMOUNT);
        emit FaucetDrawn(msg.sender, FAUCET_AMOUNT);
    }

    /// @notice When `account` may call the faucet next (0: now).
    function nextFaucetAt(address account) external view returns (uint256) {
        return _nextFaucetAt[account];
    }

    /// @inheritdoc ERC20
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
