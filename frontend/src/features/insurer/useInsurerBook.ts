"use client";

import type { Address } from "viem";
import { useConnection } from "wagmi";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useClaims, useCoverages, usePlans, usePreAuths } from "@/hooks/useClaimsData";

type Args = Record<string, unknown>;

/**
 * Everything an insurer's workspace lists, from ClaimsSettlement events and views: its plans, the
 * coverages offered under them, the claims and pre-authorisations against those coverages.
 */
export function useInsurerBook() {
  const { address: self } = useConnection();
  const created = useCareEvents({
    contractName: "ClaimsSettlement",
    eventName: "PlanCreated",
    args: self ? { insurer: self } : undefined,
    enabled: Boolean(self),
  });
  const planIds = (created.data ?? []).map((l) => l.args.planId as bigint);
  const own = new Set(planIds.map(String));
  const offered = useCareEvents({ contractName: "ClaimsSettlement", eventName: "CoverageOffered" });
  const coverageLogs = (offered.data ?? []).filter((l) => own.has(String(l.args.planId)));
  const coverageIds = coverageLogs.map((l) => l.args.coverageId as bigint);
  const ownCoverage = new Set(coverageIds.map(String));
  const submitted = useCareEvents({ contractName: "ClaimsSettlement", eventName: "ClaimSubmitted" });
  const claimLogs = (submitted.data ?? []).filter((l) => ownCoverage.has(String(l.args.coverageId)));
  const requested = useCareEvents({ contractName: "ClaimsSettlement", eventName: "PreAuthRequested" });
  const preAuthLogs = (requested.data ?? []).filter((l) => ownCoverage.has(String(l.args.coverageId)));
  const withdrawn = useCareEvents({
    contractName: "ClaimsSettlement",
    eventName: "PayoutWithdrawn",
    args: self ? { insurer: self } : undefined,
    enabled: Boolean(self),
  });

  const plans = usePlans(planIds);
  const coverages = useCoverages(coverageIds);
  const claims = useClaims(claimLogs.map((l) => l.args.claimId as bigint));
  const preAuths = usePreAuths(preAuthLogs.map((l) => l.args.preAuthId as bigint));

  return {
    self: self as Address | undefined,
    plans: planIds.map((id) => plans.map.get(id.toString())).filter((p) => p !== undefined),
    coverages: coverageIds.map((id) => coverages.map.get(id.toString())).filter((c) => c !== undefined),
    claims: claimLogs
      .map((l) => ({ submitted: l.args as Args, claim: claims.map.get(String(l.args.claimId)) }))
      .filter((c) => c.claim !== undefined)
      .map((c) => ({
        ...c.claim!,
        patient: c.submitted.patient as Address,
        serviceDate: Number(c.submitted.serviceDate),
        evidence: (c.submitted.evidence as bigint[]) ?? [],
      })),
    preAuths: preAuthLogs
      .map((l) => ({ args: l.args as Args, p: preAuths.map.get(String(l.args.preAuthId)) }))
      .filter((x) => x.p !== undefined && coverages.map.has(String(x.p.coverageId)))
      .map((x) => ({
        ...x.p!,
        patient: coverages.map.get(String(x.p!.coverageId))!.patient as Address,
        evidence: (x.args.evidence as bigint[]) ?? [],
      })),
    paidOut: (withdrawn.data ?? []).reduce((sum, l) => sum + (l.args.amount as bigint), 0n),
    loading: created.isLoading || offered.isLoading || submitted.isLoading,
  };
}

export type InsurerBook = ReturnType<typeof useInsurerBook>;
