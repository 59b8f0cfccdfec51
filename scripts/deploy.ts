/**
 * Deploys CareLedger to the network given with --network, through the same Ignition modules the
 * local stack and the tests use:
 *
 *   npm run deploy -- --network sepolia      (= hardhat run scripts/deploy.ts --network sepolia)
 *
 * - Parameters: ignition/parameters/<network>.json (authority, stablecoin, public RPC URL, plan windows).
 * - Module: CareLedgerWithStablecoin when the parameters name a stablecoin, else CareLedger with the
 *   mock stablecoin, which is allowed on local and test chains only.
 * - Writes deployments/<chainId>.json and deployments/index.ts (the dApp reads only these).
 * - Verifies the sources on the chain's explorer when ETHERSCAN_API_KEY is configured (keystore or env).
 * Re-running resumes the Ignition journal in ignition/deployments/chain-<id>/: nothing is deployed twice.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";

import hre from "hardhat";
import { getAddress, isAddress } from "ethers";

import CareLedgerModule from "../ignition/modules/CareLedger.js";
import CareLedgerWithStablecoinModule, { ERC20_ARTIFACT } from "../ignition/modules/CareLedgerWithStablecoin.js";
import { deployCareLedger } from "./lib/deploy.js";
import { readDeploymentFile, writeDeploymentFile, type DeploymentFile } from "./lib/deployments.js";
import { Progress } from "./lib/progress.js";

/** Chains where a faucet token is acceptable: local nodes and public testnets. */
const TEST_CHAIN_IDS = new Set([31337, 31338, 1337, 11155111, 17000, 560048, 84532, 421614, 11155420, 80002]);
const LOCAL_CHAIN_IDS = new Set([31337, 31338, 1337]);

interface NetworkParameters {
  CareLedgerCore?: { admin?: string };
  CareLedgerWithStablecoin?: { stablecoin?: string };
  /** Not Ignition's: what the deployments file records for the dApp. */
  CareLedgerDeployment?: { publicRpcUrl?: string };
  [module: string]: Record<string, unknown> | undefined;
}

class DeployError extends Error {}

async function main(): Promise<DeploymentFile> {
  const networkName = hre.globalOptions.network ?? "default";
  if (!(networkName in hre.config.networks)) {
    throw new DeployError(
      `Unknown network "${networkName}". Configured: ${Object.keys(hre.config.networks).join(", ")}. ` +
        "Add it to hardhat.config.ts, or use --network custom with CARELEDGER_RPC_URL and CARELEDGER_PRIVATE_KEY.",
    );
  }
  const parameters = await readParameters(networkName);
  const progress = new Progress(4);

  const connection = await hre.network.create();
  try {
    const { ethers } = connection as unknown as {
      ethers: {
        provider: {
          getNetwork(): Promise<{ chainId: bigint }>;
          getBalance(a: string): Promise<bigint>;
          getCode(a: string): Promise<string>;
        };
        getSigners(): Promise<{ getAddress(): Promise<string> }[]>;
        formatEther(v: bigint): string;
      };
    };
    const { chainId, deployer } = await progress.step(`Connecting to ${networkName}`, async (note) => {
      let id: number;
      try {
        id = Number((await ethers.provider.getNetwork()).chainId);
      } catch (error) {
        throw new DeployError(`Network "${networkName}" does not answer: ${(error as Error).message.split("\n")[0]}`);
      }
      const signers = await ethers.getSigners();
      if (signers.length === 0) {
        throw new DeployError(
          `No deployer key for "${networkName}": \`npx hardhat keystore set SEPOLIA_PRIVATE_KEY\` (or CARELEDGER_PRIVATE_KEY).`,
        );
      }
      const address = await signers[0]!.getAddress();
      const balance = await ethers.provider.getBalance(address);
      note(`chain ${id}, deployer ${address} (${ethers.formatEther(balance)} ETH)`);
      if (balance === 0n)
        throw new DeployError(`The deployer ${address} has no ETH for gas on chain ${id}; fund it first.`);
      return { chainId: id, deployer: address };
    });

    const stablecoin = parameters.CareLedgerWithStablecoin?.stablecoin;
    if (!stablecoin && !TEST_CHAIN_IDS.has(chainId)) {
      throw new DeployError(
        `Chain ${chainId} is not a known test chain, so the faucet stablecoin is not deployed there. ` +
          `Name the ERC-20 in ignition/parameters/${networkName}.json: { "CareLedgerWithStablecoin": { "stablecoin": "0x…" } }.`,
      );
    }
    const local = LOCAL_CHAIN_IDS.has(chainId);
    const rpcUrl = await publicRpcUrl(networkName, parameters, local);

    const deployment = await progress.step(
      `Deploying through ${stablecoin ? "CareLedgerWithStablecoin" : "CareLedger (mock stablecoin)"}`,
      async (note) => {
        const ignitionParameters = Object.fromEntries(
          Object.entries(parameters).filter(
            ([name]) => name.startsWith("CareLedger") && !["CareLedgerDeployment", "CareLedgerPlans"].includes(name),
          ),
        ) as Record<string, Record<string, unknown>>;
        note(
          `authority (admin): ${parameters.CareLedgerCore?.admin ?? `${deployer} (the deployer; hand it over with careledger:handover-admin)`}`,
        );
        const result = await deployCareLedger(connection as never, hre, {
          networkName,
          rpcUrl,
          parameters: ignitionParameters,
          module: stablecoin ? CareLedgerWithStablecoinModule : CareLedgerModule,
          displayUi: !local,
          fresh: local && (await localJournalIsStale(chainId, ethers.provider)),
        });
        if (stablecoin) {
          // The deployments file describes an external token with the ERC-20 ABI, not the mock's.
          result.contracts.Stablecoin.abi = ERC20_ARTIFACT.abi as never;
          await writeDeploymentFile(result);
        }
        for (const [name, { address }] of Object.entries(result.contracts)) note(`${name.padEnd(17)} ${address}`);
        return result;
      },
    );

    await progress.step(`Recording deployments/${chainId}.json`, async (note) => {
      note(`deployment block ${deployment.deploymentBlock}; the dApp lists chain ${chainId} after its next build`);
    });

    await progress.step("Verifying the sources on the explorer", async (note) => {
      if (local) return note("skipped: local chain");
      if (!(await explorerKeyConfigured())) {
        return note("skipped: no ETHERSCAN_API_KEY (`npx hardhat keystore set ETHERSCAN_API_KEY`, then run again)");
      }
      await verifyAll(deployment, parameters.CareLedgerCore?.admin ?? deployer, Boolean(stablecoin), note);
    });
    return deployment;
  } finally {
    await connection.close();
  }
}

/**
 * A local node forgets everything when it stops, but Ignition's journal stays: when the recorded
 * CareRegistry has no code any more, the journal describes a chain that is gone.
 */
async function localJournalIsStale(
  chainId: number,
  provider: { getCode(a: string): Promise<string> },
): Promise<boolean> {
  const journal = path.join(hre.config.paths.root, "ignition", "deployments", `chain-${chainId}`);
  if (!existsSync(journal)) return false;
  try {
    const previous = await readDeploymentFile(chainId);
    return (await provider.getCode(previous.contracts.CareRegistry.address)) === "0x";
  } catch {
    return true;
  }
}

async function readParameters(networkName: string): Promise<NetworkParameters> {
  const file = path.join(hre.config.paths.root, "ignition", "parameters", `${networkName}.json`);
  if (!existsSync(file)) return {};
  let parameters: NetworkParameters;
  try {
    parameters = JSON.parse(await readFile(file, "utf8")) as NetworkParameters;
  } catch (error) {
    throw new DeployError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  for (const [where, value] of [
    ["CareLedgerCore.admin", parameters.CareLedgerCore?.admin],
    ["CareLedgerWithStablecoin.stablecoin", parameters.CareLedgerWithStablecoin?.stablecoin],
  ] as const) {
    if (value !== undefined && (!isAddress(value) || BigInt(value) === 0n)) {
      throw new DeployError(`${where} in ${file} is "${value}", not an address. Fix it or remove the entry.`);
    }
  }
  if (parameters.CareLedgerCore?.admin) parameters.CareLedgerCore.admin = getAddress(parameters.CareLedgerCore.admin);
  return parameters;
}

/** The RPC URL recorded for the dApp: never the configured one on real networks (it may carry an API key). */
async function publicRpcUrl(networkName: string, parameters: NetworkParameters, local: boolean): Promise<string> {
  const configured = parameters.CareLedgerDeployment?.publicRpcUrl;
  if (configured) return configured;
  const network = hre.config.networks[networkName] as { type: string; url?: { get(): Promise<string> } };
  if (local && network.type === "http" && network.url) return network.url.get();
  if (local) return "http://127.0.0.1:8545";
  throw new DeployError(
    `Set the RPC URL the dApp should use in ignition/parameters/${networkName}.json: ` +
      '{ "CareLedgerDeployment": { "publicRpcUrl": "https://…" } } (a public endpoint, no API key).',
  );
}

async function explorerKeyConfigured(): Promise<boolean> {
  const key = (hre.config as unknown as { verify?: { etherscan?: { apiKey?: { get(): Promise<string> } } } }).verify
    ?.etherscan?.apiKey;
  if (!key) return false;
  try {
    return (await key.get()).length > 0;
  } catch {
    return false;
  }
}

async function verifyAll(
  deployment: DeploymentFile,
  admin: string,
  externalStablecoin: boolean,
  note: (line: string) => void,
): Promise<void> {
  const { verifyContract } = await import("@nomicfoundation/hardhat-verify/verify");
  const c = deployment.contracts;
  const targets: [string, string, unknown[]][] = [
    ["contracts/registry/CareRegistry.sol:CareRegistry", c.CareRegistry.address, [admin]],
    ["contracts/consent/ConsentManager.sol:ConsentManager", c.ConsentManager.address, [c.CareRegistry.address]],
    [
      "contracts/records/RecordRegistry.sol:RecordRegistry",
      c.RecordRegistry.address,
      [c.CareRegistry.address, c.ConsentManager.address],
    ],
    [
      "contracts/claims/ClaimsSettlement.sol:ClaimsSettlement",
      c.ClaimsSettlement.address,
      [c.CareRegistry.address, c.ConsentManager.address, c.RecordRegistry.address, c.Stablecoin.address],
    ],
  ];
  if (!externalStablecoin)
    targets.push(["contracts/mocks/MockStablecoin.sol:MockStablecoin", c.Stablecoin.address, []]);
  for (const [contract, address, constructorArgs] of targets) {
    try {
      await verifyContract({ contract, address, constructorArgs }, hre);
      note(`verified ${contract.split(":")[1]} at ${address}`);
    } catch (error) {
      note(
        `could not verify ${contract.split(":")[1]}: ${(error as Error).message.split("\n")[0]} (run the deploy again to retry)`,
      );
    }
  }
}

try {
  const deployment = await main();
  process.stdout.write(`\nCareLedger is deployed on ${deployment.network} (chain ${deployment.chainId}).\n`);
} catch (error) {
  process.stderr.write(`\nDeploy failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
}
