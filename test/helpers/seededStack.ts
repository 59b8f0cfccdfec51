/**
 * A seeded stack (Hardhat node, Ignition deployment, embedded IPFS store, the demo world) on free
 * ports and its own chain id, for tests that look at the seeded world; `stop` also removes the
 * deployment files the run wrote and regenerates deployments/index.ts from the local chain's file
 * (not from a copy taken before, which a concurrent deploy may have outdated).
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { readDeploymentFile, writeDeploymentsModule } from "../../scripts/lib/deployments.js";
import { freePort } from "../../scripts/lib/processes.js";
import { ROOT, startStack, type Stack } from "../../scripts/lib/stack.js";

const DEPLOYMENTS = path.join(ROOT, "deployments");

/** `chainId` must not be 31337: the deploy step writes deployments/<chainId>.json, and the committed one must stay put. */
export async function startSeededStack(
  chainId: number,
): Promise<{ stack: Stack; dataDir: string; stop: () => Promise<void> }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), `careledger-seeded-${chainId}-`));
  const stack = await startStack({
    web: false,
    chainId,
    chainPort: await freePort(),
    storagePort: await freePort(),
    dataDir,
    out: { write: () => true } as unknown as NodeJS.WritableStream,
  });
  return {
    stack,
    dataDir,
    async stop() {
      await stack.stop();
      await rm(path.join(DEPLOYMENTS, `${chainId}.json`), { force: true });
      await rm(path.join(ROOT, "ignition", "deployments", `chain-${chainId}`), { recursive: true, force: true });
      if (existsSync(path.join(DEPLOYMENTS, "31337.json")))
        await writeDeploymentsModule(await readDeploymentFile(31337));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
