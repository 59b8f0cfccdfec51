import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { buildCareLedgerSystem } from "./CareLedger.js";

/** The ERC-20 surface CareLedger uses from an existing stablecoin (and what deployments/<chainId>.json records). */
export const ERC20_ARTIFACT = {
  _format: "hh3-artifact-1",
  contractName: "IERC20Metadata",
  sourceName: "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol",
  bytecode: "0x",
  deployedBytecode: "0x",
  linkReferences: {},
  deployedLinkReferences: {},
  abi: [
    { type: "function", name: "name", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
    { type: "function", name: "symbol", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "string" }] },
    { type: "function", name: "decimals", stateMutability: "view", inputs: [], outputs: [{ name: "", type: "uint8" }] },
    {
      type: "function",
      name: "totalSupply",
      stateMutability: "view",
      inputs: [],
      outputs: [{ name: "", type: "uint256" }],
    },
    {
      type: "function",
      name: "balanceOf",
      stateMutability: "view",
      inputs: [{ name: "account", type: "address" }],
      outputs: [{ name: "", type: "uint256" }],
    },
    {
      type: "function",
      name: "allowance",
      stateMutability: "view",
      inputs: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
      ],
      outputs: [{ name: "", type: "uint256" }],
    },
    {
      type: "function",
      name: "approve",
      stateMutability: "nonpayable",
      inputs: [
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
      ],
      outputs: [{ name: "", type: "bool" }],
    },
    {
      type: "function",
      name: "transfer",
      stateMutability: "nonpayable",
      inputs: [
        { name: "to", type: "address" },
        { name: "value", type: "uint256" },
      ],
      outputs: [{ name: "", type: "bool" }],
    },
    {
      type: "function",
      name: "transferFrom",
      stateMutability: "nonpayable",
      inputs: [
        { name: "from", type: "address" },
        { name: "to", type: "address" },
        { name: "value", type: "uint256" },
      ],
      outputs: [{ name: "", type: "bool" }],
    },
    {
      type: "event",
      name: "Transfer",
      anonymous: false,
      inputs: [
        { name: "from", type: "address", indexed: true },
        { name: "to", type: "address", indexed: true },
        { name: "value", type: "uint256", indexed: false },
      ],
    },
    {
      type: "event",
      name: "Approval",
      anonymous: false,
      inputs: [
        { name: "owner", type: "address", indexed: true },
        { name: "spender", type: "address", indexed: true },
        { name: "value", type: "uint256", indexed: false },
      ],
    },
  ],
} as const;

/**
 * The same system as `CareLedger`, with the claims pools in an existing ERC-20 stablecoin (e.g.
 * USDC on a public network) instead of the mock. Used by `npm run deploy` when
 * ignition/parameters/<network>.json names one:
 *
 *   { "CareLedgerCore": { "admin": "0x…" }, "CareLedgerWithStablecoin": { "stablecoin": "0x…" } }
 */
export default buildModule("CareLedgerWithStablecoin", (m) => {
  const stablecoin = m.contractAt("Stablecoin", ERC20_ARTIFACT, m.getParameter<string>("stablecoin"));
  return buildCareLedgerSystem(m, stablecoin);
});
