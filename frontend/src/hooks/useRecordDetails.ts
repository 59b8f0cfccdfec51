"use client";

import { useChainId, useReadContracts } from "wagmi";
import { contractAbis, getContract } from "@/contracts/deployments";

/** RecordRegistry.record(id) for each id, in one multicall (patient, category, author, versions…). */
export function useRecordDetails(ids: readonly bigint[]) {
  const chainId = useChainId();
  const registry = getContract("RecordRegistry", chainId);
  return useReadContracts({
    allowFailure: false,
    contracts: ids.map(
      (id) =>
        ({
          chainId,
          address: registry?.address,
          abi: contractAbis.RecordRegistry,
          functionName: "record",
          args: [id],
        }) as const,
    ),
    query: { enabled: Boolean(registry) && ids.length > 0 },
  });
}
