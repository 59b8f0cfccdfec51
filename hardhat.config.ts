import { createRequire } from "node:module";

import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

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

export default defineConfig({
  plugins: [hardhatToolboxMochaEthersPlugin],
  solidity: {
    profiles: {
      default: compiler,
      production: compiler,
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
  },
});
