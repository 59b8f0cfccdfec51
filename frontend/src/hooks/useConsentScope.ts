"use client";

import { ACCESS_READ, ACCESS_WRITE, CATEGORIES, type Purpose } from "@careledger/sdk/protocol/constants";
import type { Address } from "viem";
import { useChainId, useReadContracts } from "wagmi";
import { contractAbis, getContract } from "@/contracts/deployments";

export type CategoryAccess = { category: number; label: string; read: boolean; write: boolean };

/**
 * What `grantee` may do with each of `patient`'s record categories for `purpose` right now:
 * ConsentManager.hasConsent for read and for write, per category (a live grant or an open
 * break-glass both count).
 */
export function useConsentScope(patient: Address | undefined, grantee: Address | undefined, purpose: Purpose) {
  const chainId = useChainId();
  const consent = getContract("ConsentManager", chainId);
  const abi = contractAbis.ConsentManager;
  const query = useReadContracts({
    allowFailure: false,
    contracts: CATEGORIES.flatMap(({ id }) =>
      [ACCESS_READ, ACCESS_WRITE].map(
        (access) =>
          ({
            chainId,
            address: consent?.address,
            abi,
            functionName: "hasConsent",
            args: [patient!, grantee!, id, purpose, access],
          }) as const,
      ),
    ),
    query: { enabled: Boolean(consent && patient && grantee) },
  });
  const scope: CategoryAccess[] | undefined = query.data
    ? CATEGORIES.map(({ id, label }, i) => ({
        category: id,
        label,
        read: query.data[2 * i] as boolean,
        write: query.data[2 * i + 1] as boolean,
      }))
    : undefined;
  return { scope, isError: query.isError, isLoading: query.isLoading, deployed: Boolean(consent) };
}
