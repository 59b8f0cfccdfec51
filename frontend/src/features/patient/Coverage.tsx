"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { Address as AddressType } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { ClaimId } from "@/components/ClaimId";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { sealedReasonText } from "@/errors/reasonCodes";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useDenialReasons } from "@/hooks/useDenialReasons";
import { useMoney } from "@/hooks/useMoney";
import { formatDay as day } from "@/lib/money";

const CLAIM_STATUS = ["None", "Pending review", "Approved", "Denied", "Under appeal", "Closed"];
const DENIED = 3;

/** Coverage offers to accept, and the patient's claims with what the insurer pays and what the patient owes. */
export function Coverage({ patient }: { patient: AddressType }) {
  const config = useConfig();
  const chainId = useChainId();
  const claims = useCareWrite("ClaimsSettlement");
  const data = useQuery({
    queryKey: ["careledger", "coverage-claims", chainId, patient],
    queryFn: async () => {
      const c = getContract("ClaimsSettlement", chainId);
      if (!c) return { coverages: [], claims: [], denials: [] };
      const base = { chainId, address: c.address, abi: c.abi } as const;
      const [offered, submitted] = await Promise.all([
        readContractEvents(config, { ...base, eventName: "CoverageOffered", args: { patient } }),
        readContractEvents(config, { ...base, eventName: "ClaimSubmitted", args: { patient } }),
      ]);
      const coverages = await Promise.all(
        offered.map(async (l) => ({
          id: l.args.coverageId!,
          ...(await readContract(config, {
            chainId,
            address: c.address,
            abi: c.abi,
            functionName: "getCoverage",
            args: [l.args.coverageId!],
          })),
        })),
      );
      const list = await Promise.all(
        submitted.map(async (l) => ({
          id: l.args.claimId!,
          serviceDate: l.args.serviceDate!,
          ...(await readContract(config, {
            chainId,
            address: c.address,
            abi: c.abi,
            functionName: "getClaim",
            args: [l.args.claimId!],
          })),
        })),
      );
      // The insurer's reason for each denied claim, sealed to the patient (opened below with her key).
      const deniedIds = list.filter((claim) => claim.status === DENIED).map((claim) => claim.id);
      const denials = deniedIds.length
        ? (await readContractEvents(config, { ...base, eventName: "ClaimDenied", args: { claimId: deniedIds } })).map(
            (l) => ({ id: l.args.claimId!, patient, sealed: l.args.sealedReason! }),
          )
        : [];
      return { coverages, claims: list.reverse(), denials };
    },
  });
  const { money } = useMoney();
  // Sealed to the patient: read once her key is unlocked (the workspace's "Unlock your records").
  const reasons = useDenialReasons("claim", data.data?.denials ?? []);
  return (
    <section className="card" aria-labelledby="coverage-title">
      <h2 id="coverage-title">Coverage and claims</h2>
      {data.isPending ? <p className="loading">Loading coverage…</p> : null}
      {data.data?.coverages.length === 0 ? <p>No coverage offered to you yet.</p> : null}
      <ul className="grant-list">
        {data.data?.coverages.map((c) => (
          <li key={String(c.id)} className="grant">
            <p>
              Coverage #{String(c.id)} (plan {c.planId}), {day(c.start)} – {day(c.end)}:{" "}
              <strong>{c.status === 1 ? "offered to you" : c.status === 2 ? "accepted" : "unknown"}</strong>
            </p>
            {c.status === 1 ? (
              <button
                type="button"
                className="button"
                disabled={claims.busy}
                onClick={() => claims.write({ functionName: "acceptCoverage", args: [c.id] })}
              >
                Accept coverage #{String(c.id)}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <TransactionStatus state={claims.state} label="Coverage" />
      <h3>Claims</h3>
      {data.data?.claims.length === 0 ? <p>No claims about your care.</p> : null}
      {data.data?.claims.length ? (
        <table className="consent-table stack-table" data-testid="patient-claims">
          <caption className="visually-hidden">Your claims</caption>
          <thead>
            <tr>
              <th scope="col">Claim</th>
              <th scope="col">Status</th>
              <th scope="col">Billed</th>
              <th scope="col">Insurer pays</th>
              <th scope="col">You owe</th>
            </tr>
          </thead>
          <tbody>
            {data.data.claims.map((c) => {
              const decided = c.status === 2 || c.status === 5;
              const reason = c.status === DENIED ? reasons.get(String(c.id)) : undefined;
              return (
                <tr key={String(c.id)} data-testid="patient-claim">
                  <th scope="row">
                    <ClaimId claimId={c.id} /> · {day(c.serviceDate)}
                  </th>
                  <td data-label="Status">
                    <span>
                      {CLAIM_STATUS[c.status] ?? c.status}
                      {reason !== undefined ? (
                        <span className="field-hint" data-testid="denial-reason">
                          {" "}
                          — {sealedReasonText(reason)}
                        </span>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="Billed">{money(c.billed)}</td>
                  <td data-label="Insurer pays">{decided ? money(c.payerAmount) : "—"}</td>
                  <td data-label="You owe">{decided ? money(c.allowed - c.payerAmount) : "—"}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
