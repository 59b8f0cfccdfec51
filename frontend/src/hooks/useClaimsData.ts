"use client";

import type { Address } from "viem";
import { useChainId, useReadContracts } from "wagmi";
import { contractAbis, getContract } from "@/contracts/deployments";

export type ClaimView = {
  claimId: bigint;
  provider: Address;
  coverageId: bigint;
  status: number;
  serviceClass: number;
  updatedAt: number;
  billed: bigint;
  allowed: bigint;
  payerAmount: bigint;
  planYear: number;
};
export type CoverageView = {
  coverageId: bigint;
  patient: Address;
  start: number;
  end: number;
  status: number;
  planId: bigint;
};
export type PlanView = {
  planId: bigint;
  insurer: Address;
  coverageBps: number;
  preAuthClasses: number;
  /** 0 while active; else when deactivated (services from then on are not covered). */
  deactivatedAt: number;
  deductible: bigint;
  annualLimit: bigint;
  autoApproveThreshold: bigint;
  reviewWindow: number;
  appealWindow: number;
  filingWindow: number;
  autoApproveAnnualCap: bigint;
};
export type PreAuthView = {
  preAuthId: bigint;
  provider: Address;
  coverageId: bigint;
  serviceClass: number;
  status: number;
  expiresAt: number;
  estimate: bigint;
  approvedAmount: bigint;
};

/** Batched ClaimsSettlement views (getClaim / getCoverage / getPlan / getPreAuth) for a list of ids. */
function useStructs<T>(
  functionName: "getClaim" | "getCoverage" | "getPlan" | "getPreAuth",
  ids: readonly bigint[],
  idKey: string,
) {
  const chainId = useChainId();
  const claims = getContract("ClaimsSettlement", chainId);
  const unique = [...new Set(ids.map(String))].map(BigInt);
  const query = useReadContracts({
    allowFailure: false,
    contracts: unique.map(
      (id) =>
        ({ chainId, address: claims?.address, abi: contractAbis.ClaimsSettlement, functionName, args: [id] }) as const,
    ) as never,
    query: { enabled: Boolean(claims) && unique.length > 0 },
  });
  const map = new Map<string, T>();
  (query.data as unknown[] | undefined)?.forEach((value, i) => {
    const v = value as Record<string, unknown>;
    const normal: Record<string, unknown> = { [idKey]: unique[i] };
    for (const [k, x] of Object.entries(v)) normal[k] = typeof x === "bigint" || typeof x !== "number" ? x : x;
    for (const k of ["coverageId", "planId"] as const) if (k in v && k !== idKey) normal[k] = BigInt(v[k] as number);
    map.set(unique[i].toString(), normal as T);
  });
  return { map, ready: unique.length === 0 || Boolean(query.data), isError: query.isError };
}

export const useClaims = (ids: readonly bigint[]) => useStructs<ClaimView>("getClaim", ids, "claimId");
export const useCoverages = (ids: readonly bigint[]) => useStructs<CoverageView>("getCoverage", ids, "coverageId");
export const usePlans = (ids: readonly bigint[]) => useStructs<PlanView>("getPlan", ids, "planId");
export const usePreAuths = (ids: readonly bigint[]) => useStructs<PreAuthView>("getPreAuth", ids, "preAuthId");
