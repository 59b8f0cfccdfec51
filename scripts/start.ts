/**
 * `npm start`: the local CareLedger stack in one command. Starts the chain, deploys, seeds the
 * demo world, starts the embedded IPFS store and the dApp, prints what a person needs, and stops
 * everything it started on Ctrl-C.
 */
import "./lib/preflight.js";

import { DEMO_ACCOUNTS, demoWallet } from "./seed/accounts.js";
import { startStack } from "./lib/stack.js";

const port = (name: string, fallback: number) => {
  const value = process.env[name];
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > 65535) {
    throw new Error(`${name}=${value} is not a port number (1-65535).`);
  }
  return parsed;
};

async function main() {
  const started = performance.now();
  const stack = await startStack({
    chainPort: port("CARELEDGER_CHAIN_PORT", 8545),
    webPort: port("CARELEDGER_WEB_PORT", 3000),
    storagePort: port("CARELEDGER_IPFS_PORT", 5001),
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the dApp, the store and the chain …\n`);
    await stack.stop();
    process.stdout.write("Stopped. The local chain is ephemeral: the next `npm start` redeploys and reseeds.\n");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("Ctrl-C"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const line = "─".repeat(78);
  const rows = DEMO_ACCOUNTS.map((a) => {
    const w = demoWallet(a.index);
    return `  ${a.role.padEnd(9)} ${a.name.padEnd(22)} ${w.address}\n            key ${w.privateKey}`;
  }).join("\n");
  process.stdout.write(`
${line}
CareLedger is running (ready in ${seconds} s)

  dApp          ${stack.webUrl}
  Chain RPC     ${stack.rpcUrl}   chain id ${stack.chainId} (0x${stack.chainId.toString(16)})
  IPFS store    ${stack.ipfsApiUrl}   (Kubo-compatible RPC, embedded Helia node)
  Deployments   deployments/${stack.chainId}.json
  Logs          ${stack.dataDir}/logs

Add the chain to MetaMask: Settings → Networks → Add a network manually →
  Network name "CareLedger Local", RPC URL ${stack.rpcUrl}, Chain ID ${stack.chainId}, Currency symbol ETH.
Then Import account → paste a private key below. These are public development keys:
never use them on a real network.

${rows}

Ctrl-C stops everything.
${line}
`);
}

main().catch((error) => {
  process.stderr.write(`\nnpm start failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
