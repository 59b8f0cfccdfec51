"use client";

import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { getContract } from "@/contracts/deployments";

const GUARDIAN_PAGE = 100n;

export type PatientGuardian = { guardian: Address; rights: number; validFrom: bigint; validUntil: bigint };

/**
 * The guardians `patient` named, with their current terms. The registry pages its list (at most
 * MAX_GUARDIAN_PAGE per call); a patient names few. Shared by the Guardians and Recovery cards.
 */
export function usePatientGuardians(patient: Address) {
  const config = useConfig();
  const chainId = useChainId();
  return useQuery({
    queryKey: ["careledger", "guardians-of", chainId, patient],
    queryFn: async (): Promise<PatientGuardian[]> => {
      const c = getContract("CareRegistry", chainId)!;
      const read = { chainId, address: c.address, abi: c.abi } as const;
      const count = await readContract(config, { ...read, functionName: "guardianCount", args: [patient] });
      const addresses: Address[] = [];
      while (BigInt(addresses.length) < count) {
        const page = await readContract(config, {
          ...read,
          functionName: "guardians",
          args: [patient, BigInt(addresses.length), GUARDIAN_PAGE],
        });
        if (page.length === 0) break; // the list shrank meanwhile
        addresses.push(...page);
      }
      return Promise.all(
        addresses.map(async (g) => ({
          guardian: g,
          ...(await readContract(config, { ...read, functionName: "guardianOf", args: [patient, g] })),
        })),
      );
    },
  });
}
