// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockERC1271Wallet
/// @notice Test double of a contract wallet (a hospital multisig, a smart account): it approves a hash
/// when its owner signed it, and acts on chain through {execute}. For tests only.
contract MockERC1271Wallet is IERC1271 {
    /// @notice Thrown when someone other than the owner asks the wallet to act.
    error MockWalletUnauthorized(address caller);

    /// @notice The EOA whose ECDSA signatures this wallet accepts.
    address public immutable OWNER;

    /// @param owner The EOA whose signatures the wallet accepts.
    constructor(address owner) {
        OWNER = owner;
    }

    /// @notice Calls `target` with `data` as the wallet (e.g. to register it as a patient).
    /// @dev Only the owner. Bubbles a revert up unchanged.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != OWNER) revert MockWalletUnauthorized(msg.sender);
        return Address.functionCall(target, data);
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == OWNER ? this.isValidSignature.selector : bytes4(0);
    }
}
