/**
 * The stack the browser tests run against: the real local chain with CareLedger deployed and
 * `next start`, started through scripts/lib/stack.ts (the same code as `npm start`).
 * `e2e/run.ts` starts it once for all spec files and hands it over through the environment;
 * a spec run on its own starts (and stops) its own.
 */
import path from "node:path";
import { ROOT, startStack } from "../scripts/lib/stack.js";

export interface E2EStack {
  webUrl: string;
  rpcUrl: string;
  chainId: number;
  stop(): Promise<void>;
}

export const STACK_ENV = {
  webUrl: "CARELEDGER_E2E_WEB_URL",
  rpcUrl: "CARELEDGER_E2E_RPC_URL",
  chainId: "CARELEDGER_E2E_CHAIN_ID",
} as const;

export async function startE2EStack(): Promise<E2EStack> {
  // The same ports as `npm start`, so the deployments file the run writes is the committed one
  // (a stack on random ports would rewrite deployments/31337.json with its RPC URL).
  const port = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const stack = await startStack({
    chainPort: port("CARELEDGER_E2E_CHAIN_PORT", 8545),
    webPort: port("CARELEDGER_E2E_WEB_PORT", 3000),
    storagePort: port("CARELEDGER_E2E_IPFS_PORT", 5001),
    dataDir: path.join(ROOT, ".careledger", "e2e"),
    out: process.stderr,
  });
  if (!stack.webUrl) {
    await stack.stop();
    throw new Error("The stack started without the dApp.");
  }
  return { webUrl: stack.webUrl, rpcUrl: stack.rpcUrl, chainId: stack.chainId, stop: stack.stop };
}

/** The shared stack when e2e/run.ts started one, else a fresh one for this spec file. */
export async function useStack(): Promise<E2EStack> {
  const webUrl = process.env[STACK_ENV.webUrl];
  const rpcUrl = process.env[STACK_ENV.rpcUrl];
  const chainId = process.env[STACK_ENV.chainId];
  if (webUrl && rpcUrl && chainId) return { webUrl, rpcUrl, chainId: Number(chainId), stop: async () => {} };
  return startE2EStack();
}
