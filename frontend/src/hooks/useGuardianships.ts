"use client";

import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useChainId, usePublicClient } from "wagmi";
import { contractAbis, getContract, getDeployment } from "@/contracts/deployments";

export type Guardianship = {
  patient: Address;
  rights: number;
  validFrom: number;
  validUntil: number;
  /** Within its period at the chain's latest block. */
  active: boolean;
};

/**
 * The patients `guardian` was named for. CareRegistry answers only "is X a guardian of P", so the
 * candidates come from `GuardianSet` events (indexed by guardian) since the deployment block, and
 * each one's current terms from `guardianOf` — a revoked or replaced guardianship reads as empty.
 */
export function useGuardianships(guardian: Address | undefined) {
  const chainId = useChainId();
  const client = usePublicClient({ chainId });
  const registry = getContract("CareRegistry", chainId);
  const fromBlock = BigInt(getDeployment(chainId)?.deploymentBlock ?? 0);

  return useQuery({
    queryKey: ["careledger", "guardianships", chainId, registry?.address, guardian],
    enabled: Boolean(client && registry && guardian),
    queryFn: async (): Promise<Guardianship[]> => {
      if (!client || !registry || !guardian) return [];
      const abi = contractAbis.CareRegistry;
      const events = await client.getContractEvents({
        address: registry.address,
        abi,
        eventName: "GuardianSet",
        args: { guardian },
        fromBlock,
      });
      const patients = [...new Set(events.map((e) => e.args.patient).filter((p): p is Address => Boolean(p)))];
      const [block, terms] = await Promise.all([
        client.getBlock(),
        Promise.all(
          patients.map((patient) =>
            client.readContract({
              address: registry.address,
              abi,
              functionName: "guardianOf",
              args: [patient, guardian],
            }),
          ),
        ),
      ]);
      const now = Number(block.timestamp);
      return patients
        .map((patient, i) => {
          const { rights, validFrom, validUntil } = terms[i];
          return {
            patient,
            rights,
            validFrom: Number(validFrom),
            validUntil: Number(validUntil),
            active: rights !== 0 && Number(validFrom) <= now && now < Number(validUntil),
          };
        })
        .filter((g) => g.rights !== 0);
    },
  });
}
