/**
 * The dApp's only door to addresses and ABIs. Everything else imports from here, never from
 * `deployments/` directly. The source is the generated deployments/index.ts (ABIs `as const` and
 * the address book of every deployments/<chainId>.json), written by the deploy step.
 */
import type { KeyDomain } from "@careledger/sdk/crypto/envelope";
import type { Abi, Address } from "viem";
import {
  careRegistryAbi,
  claimsSettlementAbi,
  consentManagerAbi,
  recordRegistryAbi,
  stablecoinAbi,
  deployments as sourceDeployments,
} from "../../../deployments/index";

export const contractAbis = {
  CareRegistry: careRegistryAbi,
  ConsentManager: consentManagerAbi,
  RecordRegistry: recordRegistryAbi,
  Stablecoin: stablecoinAbi,
  ClaimsSettlement: claimsSettlementAbi,
} as const;

export type ContractName = keyof typeof contractAbis;

/** One chain's entry of the address book (`deployments` of the generated deployments/index.ts). */
export type Deployment = {
  chainId: number;
  network: string;
  rpcUrl: string;
  deploymentBlock: number;
  contracts: Partial<Record<ContractName, Address>>;
};

export const deployments: readonly Deployment[] = (Object.values(sourceDeployments) as Deployment[]).sort(
  (a, b) => a.chainId - b.chainId,
);

export function getDeployment(chainId: number | undefined): Deployment | undefined {
  return deployments.find((d) => d.chainId === chainId);
}

export function getContract<name extends ContractName>(
  name: name,
  chainId: number | undefined,
): { address: Address; abi: (typeof contractAbis)[name] } | undefined {
  const address = getDeployment(chainId)?.contracts[name];
  return address ? { address, abi: contractAbis[name] } : undefined;
}

/** The chain and CareRegistry every key envelope and record of this network is bound to. */
export function getKeyDomain(chainId: number | undefined): KeyDomain | undefined {
  const registry = getDeployment(chainId)?.contracts.CareRegistry;
  return chainId && registry ? { chainId, registry } : undefined;
}

/** Every error any CareLedger contract can revert with: used to decode a revert from any call. */
export const allErrorsAbi: Abi = Object.values(contractAbis).flatMap((abi) =>
  (abi as Abi).filter((item) => item.type === "error"),
);
