// First: on a machine that cannot run Hardhat 3, say so and what to do, before any plugin loads.
import "./scripts/lib/preflight.js";

import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { careLedgerTasks } from "./tasks/index.js";

// Hardhat cannot download solc on an offline machine, so the compiler is the npm `solc`
// package's WASM build, pinned in package.json to exactly this version.
const SOLC_VERSION = "0.8.30";
const solcPath = createRequire(import.meta.url).resolve("solc/soljson.js");

const compiler = {
  version: SOLC_VERSION,
  path: solcPath,
  settings: {
    optimizer: { enabled: true, runs: 10_000 },
    evmVersion: "cancun",
  },
};

// ClaimsSettlement carries the whole claims lifecycle (consent, reserves, caps, appeals) and at 10,000
// runs its code would pass EIP-170's 24,576-byte limit; fewer runs keep it deployable (the gas bench
// holds its hot paths to their budgets either way).
// The ConsentManager and the RecordRegistry sit on every user's hot paths (grants, revocations,
// rotations, record writes) and are well below the limit (ConsentManager's init code also carries the
// RecordRegistry it deploys: far below EIP-3860's 49,152 bytes), so they are optimized for runtime.
const hotPathSettings = { ...compiler.settings, optimizer: { enabled: true, runs: 1_000_000 } };
const claimsOverride = {
  "contracts/claims/ClaimsSettlement.sol": {
    ...compiler,
    settings: { ...compiler.settings, optimizer: { enabled: true, runs: 1_000 } },
  },
  "contracts/consent/ConsentManager.sol": { ...compiler, settings: hotPathSettings },
  "contracts/records/RecordRegistry.sol": { ...compiler, settings: hotPathSettings },
};

// Secrets (RPC URLs with API keys, private keys, explorer keys) come only from configuration
// variables: Hardhat's encrypted keystore (`npx hardhat keystore set SEPOLIA_PRIVATE_KEY`) or the
// environment. A variable is read when a network actually needs it, never at startup.
export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  tasks: careLedgerTasks,
  solidity: {
    profiles: {
      default: { compilers: [compiler], overrides: claimsOverride },
      production: { compilers: [compiler], overrides: claimsOverride },
    },
  },
  paths: {
    tests: {
      mocha: "test",
      solidity: "test",
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256 },
    },
  },
  networks: {
    localhost: {
      type: "http",
      chainType: "l1",
      url: "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
    // Any other EVM chain by RPC URL: an L2, a consortium chain, a second local node.
    custom: {
      type: "http",
      chainType: "generic",
      url: configVariable("CARELEDGER_RPC_URL"),
      accounts: [configVariable("CARELEDGER_PRIVATE_KEY")],
    },
  },
  // Source verification after `npm run deploy` when an explorer key is configured
  // (`npx hardhat keystore set ETHERSCAN_API_KEY`); the deploy script skips it otherwise.
  verify: {
    etherscan: {
      apiKey: configVariable("ETHERSCAN_API_KEY"),
    },
  },
});
