import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import type { NetworkConnection } from "hardhat/types/network";
import type { Abi } from "viem";

import CareLedgerModule from "../../ignition/modules/CareLedger.js";
import {
  DEPLOYED_CONTRACTS,
  type DeployedContractName,
  type DeploymentFile,
  writeDeploymentFile,
} from "./deployments.js";

export interface DeployOptions {
  /** Network name as in hardhat.config.ts (written into the deployments file). */
  networkName: string;
  /** The RPC URL the dApp and scripts should use for this chain. */
  rpcUrl: string;
  /** Ignition parameters, per module, e.g. { CareLedgerCore: { admin: "0x..." } }. */
  parameters?: Record<string, Record<string, unknown>>;
  /**
   * Forget any earlier Ignition journal for this chain first. Right for an ephemeral chain that was
   * just started (its state is gone, so the journal would be stale); never for a real network.
   */
  fresh?: boolean;
  /** Show Ignition's progress UI. */
  displayUi?: boolean;
  /**
   * The Ignition module (default: CareLedger, with the mock stablecoin). Any module returning the
   * same futures fits, e.g. CareLedgerWithStablecoin against an existing ERC-20.
   */
  module?: unknown;
}

/**
 * Deploys the whole system through the Ignition module on `connection`, then writes
 * deployments/<chainId>.json and regenerates deployments/index.ts.
 */
export async function deployCareLedger(
  connection: NetworkConnection<"l1">,
  hre: { config: { paths: { root: string } }; artifacts: { readArtifact(name: string): Promise<{ abi: unknown }> } },
  options: DeployOptions,
): Promise<DeploymentFile> {
  const { ethers, ignition } = connection as unknown as {
    ethers: {
      provider: {
        getNetwork(): Promise<{ chainId: bigint }>;
        getTransactionReceipt(h: string): Promise<{ blockNumber: number } | null>;
      };
    };
    ignition: { deploy(m: unknown, o: unknown): Promise<Record<string, { getAddress(): Promise<string> }>> };
  };
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const journalDir = path.join(hre.config.paths.root, "ignition", "deployments", `chain-${chainId}`);
  if (options.fresh) await rm(journalDir, { recursive: true, force: true });

  const deployed = await ignition.deploy(options.module ?? CareLedgerModule, {
    parameters: options.parameters ?? {},
    displayUi: options.displayUi ?? false,
  });

  const contracts = {} as DeploymentFile["contracts"];
  const futureToResult: Record<string, string> = {
    CareRegistry: "careRegistry",
    ConsentManager: "consentManager",
    RecordRegistry: "recordRegistry",
    Stablecoin: "stablecoin",
    ClaimsSettlement: "claimsSettlement",
  };
  for (const name of Object.keys(DEPLOYED_CONTRACTS) as DeployedContractName[]) {
    const artifact = await hre.artifacts.readArtifact(DEPLOYED_CONTRACTS[name].artifact);
    const address = (await deployed[futureToResult[name]].getAddress()) as `0x${string}`;
    contracts[name] = { address, abi: artifact.abi as Abi };
  }

  const deployment: DeploymentFile = {
    chainId,
    network: options.networkName,
    rpcUrl: options.rpcUrl,
    deploymentBlock: await firstDeploymentBlock(journalDir, ethers.provider),
    contracts,
  };
  await writeDeploymentFile(deployment);
  return deployment;
}

/** The block of the earliest deployment transaction in the Ignition journal: where event indexing starts. */
async function firstDeploymentBlock(
  journalDir: string,
  provider: { getTransactionReceipt(h: string): Promise<{ blockNumber: number } | null> },
): Promise<number> {
  const journal = await readFile(path.join(journalDir, "journal.jsonl"), "utf8");
  let first = Number.MAX_SAFE_INTEGER;
  for (const line of journal.split("\n")) {
    if (!line.includes('"TRANSACTION_SEND"')) continue;
    const hash = (JSON.parse(line) as { transaction?: { hash?: string } }).transaction?.hash;
    if (!hash) continue;
    const receipt = await provider.getTransactionReceipt(hash);
    if (receipt) first = Math.min(first, receipt.blockNumber);
  }
  if (first === Number.MAX_SAFE_INTEGER)
    throw new Error(`No deployment transaction found in ${journalDir}/journal.jsonl`);
  return first;
}
