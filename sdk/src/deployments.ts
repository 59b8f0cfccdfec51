/**
 * Types and lookup for `deployments/<chainId>.json`, the one source of deployed addresses and
 * ABIs (written by the deploy step). Browser-safe: callers hand in the parsed JSON (a bundler
 * import, a fetch); Node scripts can use `loadDeployment` from `sdk/src/node/deployments.ts`.
 */
import { isAddress, type Abi, type Address } from "viem";
import type { KeyDomain } from "./crypto/envelope.js";
import { DeploymentNotFoundError, MalformedInputError } from "./errors.js";

export const CONTRACT_NAMES = [
  "CareRegistry",
  "ConsentManager",
  "RecordRegistry",
  "Stablecoin",
  "ClaimsSettlement",
] as const;
export type ContractName = (typeof CONTRACT_NAMES)[number];

export interface ContractDeployment<TAbi extends Abi = Abi> {
  address: Address;
  abi: TAbi;
}

export interface Deployment {
  chainId: number;
  network: string;
  rpcUrl: string;
  /** First block to index events from. */
  deploymentBlock: number;
  contracts: Record<ContractName, ContractDeployment>;
}

/** Checks the shape of a parsed deployments/<chainId>.json; errors name the file and field. */
export function parseDeployment(json: unknown, source = "deployment"): Deployment {
  const fail = (field: string, problem: string): never => {
    throw new MalformedInputError(`${source}: ${field} ${problem}`);
  };
  if (typeof json !== "object" || json === null) return fail("(root)", "is not a JSON object");
  const d = json as Record<string, unknown>;
  if (!Number.isSafeInteger(d.chainId) || (d.chainId as number) <= 0) fail("chainId", "must be a positive integer");
  if (typeof d.network !== "string" || !d.network) fail("network", "must be a non-empty string");
  if (typeof d.rpcUrl !== "string" || !/^(https?|wss?):\/\//.test(d.rpcUrl))
    fail("rpcUrl", "must be an http(s) or ws(s) URL");
  if (!Number.isSafeInteger(d.deploymentBlock) || (d.deploymentBlock as number) < 0)
    fail("deploymentBlock", "must be a block number");
  if (typeof d.contracts !== "object" || d.contracts === null) fail("contracts", "is missing");
  const contracts = d.contracts as Record<string, { address?: unknown; abi?: unknown }>;
  for (const name of CONTRACT_NAMES) {
    const c = contracts[name];
    if (!c) fail(`contracts.${name}`, "is missing");
    if (typeof c!.address !== "string" || !isAddress(c!.address))
      fail(`contracts.${name}.address`, "is not an address");
    if (!Array.isArray(c!.abi)) fail(`contracts.${name}.abi`, "is not an ABI array");
  }
  return d as unknown as Deployment;
}

export type DeploymentSet = Readonly<Record<number, Deployment>> | readonly Deployment[];

/** The deployment for `chainId`. @throws DeploymentNotFoundError naming the chain id. */
export function getDeployment(deployments: DeploymentSet, chainId: number | bigint): Deployment {
  const id = Number(chainId);
  const list: Deployment[] = Array.isArray(deployments) ? [...deployments] : Object.values(deployments);
  const found = list.find((d) => d.chainId === id);
  if (!found)
    throw new DeploymentNotFoundError(
      id,
      list.map((d) => d.chainId).sort((a, b) => a - b),
    );
  return found;
}

/** Address and ABI of one contract, ready for viem's getContract / readContract. */
export function contractOf(deployment: Deployment, name: ContractName): ContractDeployment {
  const contract = deployment.contracts[name];
  if (!contract) throw new MalformedInputError(`deployment for chain ${deployment.chainId} has no ${name}`);
  return contract;
}

/** The chain and CareRegistry every key envelope and record of this deployment is bound to. */
export function keyDomainOf(deployment: {
  chainId: number;
  contracts: { CareRegistry: { address: string } };
}): KeyDomain {
  return { chainId: deployment.chainId, registry: deployment.contracts.CareRegistry.address };
}
