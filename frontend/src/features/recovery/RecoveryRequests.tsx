"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import { toHex, type Address, type Hex } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useState } from "react";
import { recoveryCode } from "./code";

type Request = {
  patient: Address;
  newAccount: Address;
  recoveryKey: Hex;
  threshold: number;
  approvals: number;
  scheduledTo?: Address;
  readyAt: number;
  approvedByMe: boolean;
};

const when = (seconds: number) =>
  new Date(seconds * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * A recovery guardian's inbox: requests (CareRegistry RecoveryRequested of the current round) to
 * move a patient they guard to a new address. One click unwraps the guardian's share (from the
 * patient's latest RecoveryConfigured), re-wraps it in this browser to the key the request
 * announced, and approves with it; the share never leaves the browser in the clear.
 */
export function RecoveryRequests({ patients }: { patients: readonly Address[] }) {
  const config = useConfig();
  const chainId = useChainId();
  const { address: me } = useConnection();
  const { identity } = useIdentity();
  const registry = useCareWrite("CareRegistry");
  const [error, setError] = useState<string>();
  const contract = getContract("CareRegistry", chainId);

  const requests = useQuery({
    queryKey: ["careledger", "recovery-requests", chainId, me, patients],
    enabled: Boolean(contract && me && patients.length > 0),
    queryFn: async (): Promise<Request[]> => {
      const read = { chainId, address: contract!.address, abi: contract!.abi } as const;
      const all = await Promise.all(
        patients.map(async (patient) => {
          const [recovery, approvedByMe, events] = await Promise.all([
            readContract(config, { ...read, functionName: "recoveryOf", args: [patient] }),
            readContract(config, { ...read, functionName: "hasApprovedRecovery", args: [patient, me!] }),
            readContractEvents(config, { ...read, eventName: "RecoveryRequested", args: { patient } }),
          ]);
          if (recovery.threshold === 0) return [];
          const current = new Map<Address, Hex>();
          for (const e of events)
            if (e.args.round === recovery.round) current.set(e.args.newAccount!, e.args.recoveryKey!);
          return Promise.all(
            [...current].map(async ([newAccount, recoveryKey]) => ({
              patient,
              newAccount,
              recoveryKey,
              threshold: recovery.threshold,
              approvals: Number(
                await readContract(config, { ...read, functionName: "recoveryApprovals", args: [patient, newAccount] }),
              ),
              scheduledTo: /^0x0{40}$/.test(recovery.scheduledTo) ? undefined : recovery.scheduledTo,
              readyAt: Number(recovery.readyAt),
              approvedByMe,
            })),
          );
        }),
      );
      return all.flat();
    },
  });

  async function approve(request: Request) {
    setError(undefined);
    const domain = getKeyDomain(chainId);
    if (!identity || !domain || !me) return setError("Unlock your key first: your share is sealed to it.");
    try {
      const [{ decodeRecoveryShares, rewrapGuardianShare }, { fromHex }] = await Promise.all([
        import("@careledger/sdk/crypto/recovery"),
        import("@careledger/sdk/bytes"),
      ]);
      const configured = await readContractEvents(config, {
        chainId,
        address: contract!.address,
        abi: contract!.abi,
        eventName: "RecoveryConfigured",
        args: { patient: request.patient },
      });
      const latest = configured.at(-1)?.args.shareEnvelopes;
      const mine = latest
        ? decodeRecoveryShares(fromHex(latest)).find((s) => s.guardianId.toLowerCase() === me.toLowerCase())
        : undefined;
      if (!mine) {
        return setError(
          "The patient's current recovery setting holds no share for you, so you cannot approve. Ask them to publish their recovery shares again with you among the guardians.",
        );
      }
      const released = await rewrapGuardianShare(mine, identity, fromHex(request.recoveryKey), {
        ...domain,
        patient: request.patient,
        holder: me,
      });
      await registry.write({
        functionName: "approveRecovery",
        args: [request.patient, request.newAccount, toHex(released)],
      });
    } catch (e) {
      setError(`Your share could not be released: ${(e as Error).message}`);
    }
  }

  const list = requests.data ?? [];
  if (list.length === 0) return null;
  return (
    <section className="card" aria-labelledby="recovery-requests-title" data-testid="recovery-requests">
      <h2 id="recovery-requests-title">Recovery requests</h2>
      <p>
        A patient who lost their wallet asks you to help move their account to a new one. Approve only if the patient
        told you themselves, and the code they read out to you is the one shown here: anyone can send a request.
      </p>
      <ul className="grant-list">
        {list.map((r) => (
          <li key={`${r.patient}-${r.newAccount}`} className="grant" data-testid="recovery-request">
            <p>
              Patient <Party address={r.patient} /> asks to move to <Party address={r.newAccount} />. Code{" "}
              <strong data-testid="recovery-code">{recoveryCode(r.newAccount, r.recoveryKey)}</strong>.
            </p>
            <p>
              {r.approvals} of {r.threshold} guardians approved.
              {r.scheduledTo === r.newAccount
                ? ` The move is scheduled: it can complete from ${when(r.readyAt)} unless the patient's old address cancels it.`
                : null}
            </p>
            {r.approvedByMe ? (
              <p data-testid="recovery-approved">You approved this round.</p>
            ) : r.scheduledTo ? null : (
              <button
                type="button"
                className="button"
                disabled={registry.busy || !identity}
                onClick={() => void approve(r)}
              >
                Release my share and approve
              </button>
            )}
          </li>
        ))}
      </ul>
      {!identity ? <p>Unlock your key above to release your share.</p> : null}
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <TransactionStatus state={registry.state} label="Recovery approval" />
    </section>
  );
}
