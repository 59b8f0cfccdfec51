"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useChainId, useConfig } from "wagmi";
import { getBlock, readContract } from "wagmi/actions";
import { contractAbis, getContract } from "@/contracts/deployments";

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
  const config = useConfig();
  const registry = getContract("CareRegistry", chainId);

  return useQuery({
    queryKey: ["careledger", "guardianships", chainId, registry?.address, guardian],
    enabled: Boolean(registry && guardian),
    queryFn: async (): Promise<Guardianship[]> => {
      if (!registry || !guardian) return [];
      const abi = contractAbis.CareRegistry;
      const events = await readContractEvents(config, {
        chainId,
        address: registry.address,
        abi,
        eventName: "GuardianSet",
        args: { guardian },
      });
      const patients = [...new Set(events.map((e) => e.args.patient).filter((p): p is Address => Boolean(p)))];
      const [block, terms] = await Promise.all([
        getBlock(config, { chainId }),
        Promise.all(
          patients.map((patient) =>
            readContract(config, {
              chainId,
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
