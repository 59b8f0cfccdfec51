"use client";

import { useState } from "react";
import type { Address } from "viem";
import { useChainId, useConnection, useReadContracts } from "wagmi";
import { claimIdHex, claimLabel } from "@careledger/sdk/protocol/claimIds";
import { ClaimId } from "@/components/ClaimId";
import { TransactionStatus } from "@/components/TransactionStatus";
import { contractAbis, getContract } from "@/contracts/deployments";
import { sealedReasonText } from "@/errors/reasonCodes";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useMoney } from "@/hooks/useMoney";
import { useClaims, useCoverages, usePlans } from "@/hooks/useClaimsData";
import { useClaimDenialReasons } from "@/hooks/useDenialReasons";
import { SealedReasonUnlock } from "@/features/records/read/SealedReasonUnlock";
import { CLAIM_STATUS, formatDay } from "@/lib/money";
import { serviceClassName } from "@/lib/serviceClasses";

/** The provider's own claims with their status, the payouts credited per insurer, and withdrawal. */
export function ProviderPayouts() {
  const { money, symbol } = useMoney();
  const chainId = useChainId();
  const { address: self } = useConnection();
  const submitted = useCareEvents({
    contractName: "ClaimsSettlement",
    eventName: "ClaimSubmitted",
    args: self ? { provider: self } : undefined,
    enabled: Boolean(self),
  });
  const logs = submitted.data ?? [];
  const claims = useClaims(logs.map((l) => l.args.claimId as bigint));
  const coverages = useCoverages([...claims.map.values()].map((c) => c.coverageId));
  const plans = usePlans([...coverages.map.values()].map((c) => c.planId));
  const insurers = [...new Set([...plans.map.values()].map((p) => p.insurer))] as Address[];
  const settlement = getContract("ClaimsSettlement", chainId);
  const credits = useReadContracts({
    allowFailure: false,
    contracts: insurers.map(
      (insurer) =>
        ({
          chainId,
          address: settlement?.address,
          abi: contractAbis.ClaimsSettlement,
          functionName: "creditOf",
          args: [self!, insurer],
        }) as const,
    ),
    query: { enabled: Boolean(settlement && self) && insurers.length > 0 },
  });
  const balance = useCareRead({
    contractName: "Stablecoin",
    functionName: "balanceOf",
    args: self ? [self] : undefined,
  });
  const withdraw = useCareWrite("ClaimsSettlement");
  const appeal = useCareWrite("ClaimsSettlement");
  const [appealing, setAppealing] = useState<bigint>();
  const [note, setNote] = useState("");
  // Each denial's reason is sealed to the patient, this provider and the insurer: opened with our key.
  const { reasons: denial, locked } = useClaimDenialReasons(
    logs.map((l) => ({ claimId: l.args.claimId as bigint, patient: l.args.patient as Address })),
  );

  return (
    <>
      <section className="card" aria-labelledby="payouts-title">
        <h2 id="payouts-title">Payouts</h2>
        <dl className="stat-grid">
          <div>
            <dt>Your {symbol} balance</dt>
            <dd data-testid="provider-balance">{money(balance.data as bigint | undefined)}</dd>
          </div>
        </dl>
        {insurers.length === 0 ? (
          <p>No payouts yet. Approved claims are credited here per insurer.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Credits per insurer">
              <thead>
                <tr>
                  <th scope="col">Insurer</th>
                  <th scope="col">Credited, not withdrawn</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {insurers.map((insurer, i) => {
                  const credit = (credits.data?.[i] as bigint | undefined) ?? undefined;
                  return (
                    <tr key={insurer}>
                      <th scope="row">
                        <code>{`${insurer.slice(0, 6)}…${insurer.slice(-4)}`}</code>
                      </th>
                      <td data-testid="credit">{money(credit)}</td>
                      <td>
                        <button
                          type="button"
                          className="button"
                          disabled={!credit || withdraw.busy}
                          onClick={() => withdraw.write({ functionName: "withdraw", args: [insurer] })}
                        >
                          Withdraw
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <TransactionStatus state={withdraw.state} label="Withdrawal" />
      </section>

      <section className="card" aria-labelledby="my-claims-title">
        <h2 id="my-claims-title">Your claims</h2>
        {logs.length === 0 ? (
          <p>No claims submitted yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Your claims">
              <thead>
                <tr>
                  <th scope="col">Claim</th>
                  <th scope="col">Service</th>
                  <th scope="col">Billed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Insurer pays</th>
                  <th scope="col">Patient share</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {[...logs].reverse().map((log) => {
                  const id = log.args.claimId as bigint;
                  const c = claims.map.get(id.toString());
                  const reason = denial.get(id.toString());
                  const appealable = c && (c.status === 3 || (c.status === 2 && c.allowed < c.billed));
                  return (
                    <tr key={id.toString()} data-testid="claim-row">
                      <th scope="row">
                        <ClaimId claimId={id} />
                      </th>
                      <td>
                        {serviceClassName(Number(log.args.serviceClass))}, {formatDay(Number(log.args.serviceDate))}
                      </td>
                      <td>{money(log.args.billed as bigint)}</td>
                      <td>
                        {c ? CLAIM_STATUS[c.status] : "…"}
                        {c?.status === 3 && reason !== undefined ? (
                          <span className="field-hint" data-testid="denial-reason">
                            {" "}
                            — {sealedReasonText(reason)}
                          </span>
                        ) : null}
                      </td>
                      <td>{c && c.status !== 1 && c.status !== 3 ? money(c.payerAmount) : "—"}</td>
                      <td>{c && c.status !== 1 && c.status !== 3 ? money(c.allowed - c.payerAmount) : "—"}</td>
                      <td>
                        {appealable ? (
                          <button type="button" className="button button--quiet" onClick={() => setAppealing(id)}>
                            Appeal<span className="visually-hidden"> claim {claimLabel(id)}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <SealedReasonUnlock locked={locked} />
        {appealing !== undefined ? (
          <form
            aria-label={`Appeal claim ${claimLabel(appealing)}`}
            onSubmit={async (e) => {
              e.preventDefault();
              if (!settlement) return;
              // The note is guessable text: only its salted commitment goes on chain.
              const { saltedCommitment } = await import("@careledger/sdk/protocol/commitments");
              const { commitment } = saltedCommitment(
                { purpose: "appeal", chainId, contract: settlement.address },
                note.trim() || `appeal of claim ${claimIdHex(appealing)}`,
              );
              const receipt = await appeal.write({ functionName: "appealClaim", args: [appealing, commitment] });
              if (receipt) {
                setAppealing(undefined);
                setNote("");
              }
            }}
          >
            <div className="field">
              <label htmlFor="appeal-note">Why the decision should change (claim {claimLabel(appealing)})</label>
              <textarea id="appeal-note" rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
              <p className="field-hint">
                Only a commitment to this text goes on chain; share the documents with the insurer.
              </p>
            </div>
            <div className="button-row">
              <button type="submit" className="button" disabled={appeal.busy}>
                Send appeal
              </button>
              <button type="button" className="button button--quiet" onClick={() => setAppealing(undefined)}>
                Cancel
              </button>
            </div>
          </form>
        ) : null}
        <TransactionStatus state={appeal.state} label="Appeal" />
      </section>
    </>
  );
}
