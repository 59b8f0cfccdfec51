"use client";

import type { Address } from "viem";
import { useChainId, useConnection, useReadContracts } from "wagmi";
import { contractAbis, getContract } from "@/contracts/deployments";
import { roleIds, type Role } from "@/lib/roles";

export type RolesState =
  | { status: "disconnected" }
  | { status: "not-deployed"; chainId: number }
  | { status: "loading" }
  | { status: "error"; message: string; retry: () => void }
  | { status: "ready"; account: Address; roles: Role[]; has: (role: Role) => boolean };

/**
 * What the connected account is, read from CareRegistry views: patient (`isPatient`), provider and
 * insurer (`isCredentialed` — active credentials only), authority (`hasRole(CREDENTIAL_ADMIN_ROLE)`).
 * An empty `roles` means unregistered.
 *
 * Guardian: CareRegistry only answers `isGuardian(patient, guardian, rights)` for a known patient.
 * Detecting "guardian of someone" needs the guardian events (or a view listing a guardian's
 * patients); plug it in here once the contract exposes it.
 */
export function useRoles(): RolesState {
  const { address, isConnected } = useConnection();
  const chainId = useChainId();
  const registry = getContract("CareRegistry", chainId);
  const abi = contractAbis.CareRegistry;
  const account = address ?? "0x0000000000000000000000000000000000000000";

  const query = useReadContracts({
    allowFailure: false,
    contracts: [
      { address: registry?.address, abi, chainId, functionName: "isPatient", args: [account] },
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

  if (!isConnected || !address) return { status: "disconnected" };
  if (!registry) return { status: "not-deployed", chainId };
  if (query.isError) {
    return {
      status: "error",
      message:
        "Your roles could not be read from the registry. Its deployment on this network may be missing or out of date (restart the local stack with npm start), or the network is unreachable.",
      retry: () => void query.refetch(),
    };
  }
  if (!query.data) return { status: "loading" };

  const [isPatient, isProvider, isInsurer, isAuthority] = query.data;
  const roles: Role[] = [];
  if (isPatient) roles.push("patient");
  if (isProvider) roles.push("provider");
  if (isInsurer) roles.push("insurer");
  if (isAuthority) roles.push("authority");
  return { status: "ready", account: address, roles, has: (role) => roles.includes(role) };
}
