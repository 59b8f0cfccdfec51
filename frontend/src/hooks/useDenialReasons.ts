"use client";

import type { DenialContext, DenialKind } from "@careledger/sdk/crypto/denialReason";
import { useQuery } from "@tanstack/react-query";
import { toHex, type Address, type Hex } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { getContract } from "@/contracts/deployments";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCareEvents } from "./useCareEvents";

/** What a reader can tell of one sealed denial reason. */
export type DenialReasonState =
  /** The reader has not unlocked its key in this tab yet. */
  | { status: "locked" }
  | { status: "read"; code: number }
  /** The reason was not sealed to this reader (or its bytes were altered). */
  | { status: "unreadable" };

export interface SealedDenial {
  id: bigint;
  patient: Address;
  /** `sealedReason` of the ClaimDenied / PreAuthDenied event. */
  sealed: Hex;
}

function contextOf(chainId: number, kind: DenialKind, id: bigint, patient: Address): DenialContext | undefined {
  const registry = getContract("CareRegistry", chainId);
  const settlement = getContract("ClaimsSettlement", chainId);
  if (!registry || !settlement) return undefined;
  return { chainId, registry: registry.address, settlement: settlement.address, kind, id, patient };
}

/**
 * Seals an insurer's reason code to the patient, the provider and the insurer (their CareRegistry
 * encryption keys), for `denyClaim` / `denyPreAuth`: the chain never shows which reason.
 */
export function useSealDenial() {
  const config = useConfig();
  const chainId = useChainId();
  const { address: self } = useConnection();
  return async (kind: DenialKind, id: bigint, parties: { patient: Address; provider: Address }, code: number) => {
    const registry = getContract("CareRegistry", chainId);
    const context = contextOf(chainId, kind, id, parties.patient);
    if (!registry || !context || !self) throw new Error("Connect the insurer's wallet on a CareLedger network.");
    const { fromHex } = await import("@careledger/sdk/bytes");
    const recipients = await Promise.all(
      [parties.patient, parties.provider, self].map(async (account) => {
        const [key] = await readContract(config, {
          chainId,
          address: registry.address,
          abi: registry.abi,
          functionName: "encryptionKey",
          args: [account],
        });
        return { account, publicKey: fromHex(key) };
      }),
    );
    const { sealDenialReason } = await import("@careledger/sdk/crypto/denialReason");
    return sealDenialReason(code, recipients, context);
  };
}

/** Opens each sealed denial reason with the connected account's unlocked identity key. */
export function useDenialReasons(kind: DenialKind, denials: readonly SealedDenial[]): Map<string, DenialReasonState> {
  const chainId = useChainId();
  const { address } = useConnection();
  const { identity } = useIdentity();
  const opened = useQuery({
    queryKey: [
      "careledger",
      "denial-reasons",
      chainId,
      kind,
      address,
      identity ? toHex(identity.publicKey) : "locked",
      denials.map((d) => `${d.id}:${d.sealed}`).join(","),
    ],
    enabled: Boolean(identity && address && denials.length),
    staleTime: Infinity,
    queryFn: async () => {
      const { openDenialReason } = await import("@careledger/sdk/crypto/denialReason");
      const out = new Map<string, DenialReasonState>();
      for (const d of denials) {
        const context = contextOf(chainId, kind, d.id, d.patient);
        try {
          if (!context) throw new Error("no deployment");
          const code = await openDenialReason(d.sealed, { account: address!, key: identity! }, context);
          out.set(String(d.id), { status: "read", code });
        } catch {
          out.set(String(d.id), { status: "unreadable" });
        }
      }
      return out;
    },
  });
  if (!identity) return new Map(denials.map((d) => [String(d.id), { status: "locked" }]));
  return opened.data ?? new Map();
}

/**
 * The reasons of these claims' denials (their ClaimDenied events), opened with the reader's key;
 * `locked` when some wait for the key to be unlocked.
 */
export function useClaimDenialReasons(claims: readonly { claimId: bigint; patient: Address }[]) {
  const denied = useCareEvents({ contractName: "ClaimsSettlement", eventName: "ClaimDenied" });
  const patientOf = new Map(claims.map((c) => [String(c.claimId), c.patient]));
  const reasons = useDenialReasons(
    "claim",
    (denied.data ?? [])
      .filter((l) => patientOf.has(String(l.args.claimId)))
      .map((l) => ({
        id: l.args.claimId as bigint,
        patient: patientOf.get(String(l.args.claimId))!,
        sealed: l.args.sealedReason as Hex,
      })),
  );
  return { reasons, locked: [...reasons.values()].some((r) => r.status === "locked") };
}
