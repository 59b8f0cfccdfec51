"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { Address, Hex } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { getContract } from "@/contracts/deployments";

export type GrantStatus = "active" | "expiring" | "not-yet" | "revoked" | "expired";

export type GrantRow = {
  grantee: Address;
  purpose: number;
  scope: number;
  access: number;
  notBefore: bigint;
  expiresAt: bigint;
  grantedAt: bigint;
  revoked: boolean;
  /** The last revocation or cancellation of (patient, grantee, purpose) (0: none). */
  revokedAt: bigint;
  status: GrantStatus;
  grantedBy: Address;
  keyEnvelopes: Hex;
};

const SOON = 7 * 24 * 3600;
const NO_EXPIRY = 2n ** 64n - 1n;

export function grantStatus(
  g: { revoked: boolean; notBefore: bigint; expiresAt: bigint },
  now = Date.now() / 1000,
): GrantStatus {
  if (g.revoked) return "revoked";
  const expires = g.expiresAt === 0n || g.expiresAt === NO_EXPIRY ? Infinity : Number(g.expiresAt);
  if (expires <= now) return "expired";
  if (Number(g.notBefore) > now) return "not-yet";
  return expires - now <= SOON ? "expiring" : "active";
}

/**
 * The patient's grants, one per (grantee, purpose) as the contract keeps them: listed from
 * ConsentGranted / ConsentRevoked events, each checked with consentOf.
 */
export function useGrants(patient: Address | undefined) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract("ConsentManager", chainId);
  return useQuery({
    queryKey: ["careledger", "grants", chainId, contract?.address, patient],
    enabled: Boolean(contract && patient),
    queryFn: async (): Promise<GrantRow[]> => {
      const logs = await readContractEvents(config, {
        chainId,
        address: contract!.address,
        abi: contract!.abi,
        eventName: "ConsentGranted",
        args: { patient: patient! },
      });
      const latest = new Map<string, (typeof logs)[number]>();
      for (const log of logs) latest.set(`${log.args.grantee}:${log.args.purpose}`, log);
      const rows = await Promise.all(
        [...latest.values()].map(async (log) => {
          const grant = await readContract(config, {
            chainId,
            address: contract!.address,
            abi: contract!.abi,
            functionName: "consentOf",
            args: [patient!, log.args.grantee!, log.args.purpose!],
          });
          const row = {
            grantee: log.args.grantee!,
            purpose: Number(log.args.purpose),
            scope: Number(grant.scope),
            access: Number(grant.access),
            notBefore: grant.notBefore,
            expiresAt: grant.expiresAt,
            grantedAt: grant.grantedAt,
            revoked: grant.revoked,
            revokedAt: grant.revokedAt,
            grantedBy: log.args.grantedBy!,
            keyEnvelopes: log.args.keyEnvelopes!,
          };
          return { ...row, status: grantStatus(row) };
        }),
      );
      return rows.sort((a, b) => Number(b.grantedAt - a.grantedAt));
    },
  });
}
