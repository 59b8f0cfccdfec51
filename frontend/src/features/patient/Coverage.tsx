"use client";

import { useQuery } from "@tanstack/react-query";
import { formatUnits, type Address as AddressType } from "viem";
import { useChainId, useConfig } from "wagmi";
import { getContractEvents, readContract } from "wagmi/actions";
import { ClaimId } from "@/components/ClaimId";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract, getDeployment } from "@/contracts/deployments";
import { useCareWrite } from "@/hooks/useCareWrite";

const CLAIM_STATUS = ["None", "Pending review", "Approved", "Denied", "Under appeal", "Closed"];
const day = (s: number | bigint) =>
  new Date(Number(s) * 1000).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/** Coverage offers to accept, and the patient's claims with what the insurer pays and what the patient owes. */
export function Coverage({ patient }: { patient: AddressType }) {
  const config = useConfig();
  const chainId = useChainId();
  const claims = useCareWrite("ClaimsSettlement");
  const data = useQuery({
    queryKey: ["careledger", "coverage-claims", chainId, patient],
    queryFn: async () => {
      const c = getContract("ClaimsSettlement", chainId);
      const token = getContract("Stablecoin", chainId);
      if (!c) return { coverages: [], claims: [], decimals: 6, symbol: "" };
      const fromBlock = BigInt(getDeployment(chainId)?.deploymentBlock ?? 0);
      const base = { chainId, address: c.address, abi: c.abi, fromBlock } as const;
      const [offered, submitted, decimals, symbol] = await Promise.all([
        getContractEvents(config, { ...base, eventName: "CoverageOffered", args: { patient } }),
        getContractEvents(config, { ...base, eventName: "ClaimSubmitted", args: { patient } }),
        token
          ? readContract(config, { chainId, address: token.address, abi: token.abi, functionName: "decimals" })
          : Promise.resolve(6),
        // Amounts are labelled with the token's own symbol, as everywhere else.
        token
          ? readContract(config, { chainId, address: token.address, abi: token.abi, functionName: "symbol" })
          : Promise.resolve(""),
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
      return { coverages, claims: list.reverse(), decimals: Number(decimals), symbol: String(symbol) };
    },
  });
  const money = (v: bigint) => `${formatUnits(v, data.data?.decimals ?? 6)} ${data.data?.symbol ?? ""}`.trim();
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
        <div className="table-scroll">
          <table className="consent-table">
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
              {data.data.claims.map((c) => (
                <tr key={String(c.id)}>
                  <th scope="row">
                    <ClaimId claimId={c.id} /> · {day(c.serviceDate)}
                  </th>
                  <td>{CLAIM_STATUS[c.status] ?? c.status}</td>
                  <td>{money(c.billed)}</td>
                  <td>{c.status === 2 || c.status === 5 ? money(c.payerAmount) : "—"}</td>
                  <td>{c.status === 2 || c.status === 5 ? money(c.allowed - c.payerAmount) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
