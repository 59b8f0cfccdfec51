"use client";

import { useQuery } from "@tanstack/react-query";
import type { ContractEventArgs, ContractEventName, Log } from "viem";
import { useChainId, useConfig } from "wagmi";
import { getContractEvents } from "wagmi/actions";
import { contractAbis, getContract, getDeployment, type ContractName } from "@/contracts/deployments";

type CareAbi<name extends ContractName> = (typeof contractAbis)[name];

/**
 * Thin typed read of a CareLedger contract's events on the connected chain, from the deployment
 * block (client-side indexing; see ARCHITECTURE.md "Growth path" for when an indexer is needed).
 * Omit `eventName` for every event of the contract. Refreshed by every confirmed write.
 */
export function useCareEvents<
  name extends ContractName,
  eventName extends ContractEventName<CareAbi<name>>,
>(parameters: {
  contractName: name;
  eventName?: eventName;
  args?: ContractEventArgs<CareAbi<name>, eventName>;
  enabled?: boolean;
}) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract(parameters.contractName, chainId);
  const fromBlock = BigInt(getDeployment(chainId)?.deploymentBlock ?? 0);
  return useQuery({
    queryKey: [
      "careledger",
      "events",
      chainId,
      contract?.address,
      parameters.eventName ?? "*",
      JSON.stringify(parameters.args ?? {}, (_, v) => (typeof v === "bigint" ? v.toString() : v)),
    ],
    enabled: Boolean(contract) && (parameters.enabled ?? true),
    queryFn: async () => {
      const logs = await getContractEvents(config, {
        chainId,
        address: contract!.address,
        abi: contract!.abi,
        eventName: parameters.eventName,
        args: parameters.args,
        fromBlock,
      } as never);
      return logs as unknown as (Log<bigint, number, false> & {
        eventName: string;
        args: Record<string, unknown>;
      })[];
    },
  });
}
