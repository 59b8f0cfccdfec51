"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { ContractEventArgs, ContractEventName, Log } from "viem";
import { useChainId, useConfig } from "wagmi";
import { contractAbis, getContract, type ContractName } from "@/contracts/deployments";

type CareAbi<name extends ContractName> = (typeof contractAbis)[name];

/**
 * Thin typed read of a CareLedger contract's events on the connected chain, from the deployment
 * block in bounded windows (lib/logs; see ARCHITECTURE.md "Growth path" for when an indexer is needed).
 * `scope` names the ScanProgress indicator its scan counts toward.
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
  scope?: string;
}) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract(parameters.contractName, chainId);
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
      const logs = await readContractEvents(
        config,
        {
          chainId,
          address: contract!.address,
          abi: contract!.abi,
          eventName: parameters.eventName,
          args: parameters.args,
        } as never,
        parameters.scope,
      );
      return logs as unknown as (Log<bigint, number, false> & {
        eventName: string;
        args: Record<string, unknown>;
      })[];
    },
  });
}
