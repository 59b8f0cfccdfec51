"use client";

import type { Address } from "viem";
import { useChainId, useConnection, useReadContracts } from "wagmi";
import { contractAbis, getContract } from "@/contracts/deployments";
import { roleIds, type Role } from "@/lib/roles";
import { useGuardianships } from "./useGuardianships";
import { useSelf } from "./useSelf";

export type RolesState =
  | { status: "disconnected" }
  | { status: "not-deployed"; chainId: number }
  | { status: "loading" }
  | { status: "error"; message: string; retry: () => void }
  | { status: "ready"; account: Address; roles: Role[]; has: (role: Role) => boolean };

/**
 * What the connected account is, read from CareRegistry views: patient (`isPatient`), provider and
 * insurer (`isCredentialed` — active credentials only), authority (`hasRole(CREDENTIAL_ADMIN_ROLE)`)
 * and guardian (an active guardianship found by `useGuardianships`). An empty `roles` means
 * unregistered.
 */
export function useRoles(): RolesState {
  const { address, isConnected } = useConnection();
  const chainId = useChainId();
  const registry = getContract("CareRegistry", chainId);
  const abi = contractAbis.CareRegistry;
  const account = address ?? "0x0000000000000000000000000000000000000000";
  // An address that took over a patient by account recovery is that patient.
  const { self } = useSelf();

  const query = useReadContracts({
    allowFailure: false,
    contracts: [
      { address: registry?.address, abi, chainId, functionName: "isPatient", args: [self ?? account] },
      {
        address: registry?.address,
        abi,
        chainId,
        functionName: "isCredentialed",
        args: [roleIds.PROVIDER_ROLE, account],
      },
      {
        address: registry?.address,
        abi,
        chainId,
        functionName: "isCredentialed",
        args: [roleIds.INSURER_ROLE, account],
      },
      {
        address: registry?.address,
        abi,
        chainId,
        functionName: "hasRole",
        args: [roleIds.CREDENTIAL_ADMIN_ROLE, account],
      },
    ],
    query: { enabled: Boolean(isConnected && address && registry) },
  });
  const guardianships = useGuardianships(isConnected ? address : undefined);

  if (!isConnected || !address) return { status: "disconnected" };
  if (!registry) return { status: "not-deployed", chainId };
  if (query.isError || guardianships.isError) {
    return {
      status: "error",
      message:
        "Your roles could not be read from the registry. Its deployment on this network may be missing or out of date (restart the local stack with npm start), or the network is unreachable.",
      retry: () => {
        void query.refetch();
        void guardianships.refetch();
      },
    };
  }
  if (!query.data || !guardianships.data) return { status: "loading" };

  const [isPatient, isProvider, isInsurer, isAuthority] = query.data;
  const roles: Role[] = [];
  if (isPatient) roles.push("patient");
  if (isProvider) roles.push("provider");
  if (isInsurer) roles.push("insurer");
  if (isAuthority) roles.push("authority");
  if (guardianships.data.some((g) => g.active)) roles.push("guardian");
  return { status: "ready", account: address, roles, has: (role) => roles.includes(role) };
}
