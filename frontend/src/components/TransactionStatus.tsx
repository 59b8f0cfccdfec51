"use client";

import { useChains, useConnection } from "wagmi";
import type { TransactionState } from "@/hooks/useCareWrite";

/** The life of one transaction, announced to screen readers as it changes. */
export function TransactionStatus({ state, label = "Transaction" }: { state: TransactionState; label?: string }) {
  const { chainId } = useConnection();
  const explorer = useChains().find((c) => c.id === chainId)?.blockExplorers?.default.url;
  if (state.status === "idle") return null;

  const hash =
    "hash" in state && state.hash ? (
      explorer ? (
        <a href={`${explorer}/tx/${state.hash}`} target="_blank" rel="noreferrer">
          <code className="hash">{state.hash}</code>
        </a>
      ) : (
        <code className="hash">{state.hash}</code>
      )
    ) : null;

  return (
    <div
      className={`tx tx--${state.status}`}
      role={state.status === "failed" ? "alert" : "status"}
      data-testid="tx-status"
      data-status={state.status}
    >
      {state.status === "wallet" ? (
        <p>
          <span className="spinner" aria-hidden="true" /> {label}: confirm in your wallet…
        </p>
      ) : state.status === "pending" ? (
        <p>
          <span className="spinner" aria-hidden="true" /> {label} sent, waiting for confirmation. Transaction {hash}
        </p>
      ) : state.status === "confirmed" ? (
        <p>
          ✓ {label} confirmed in block {state.receipt.blockNumber.toString()}. {hash}
        </p>
      ) : (
        <>
          <p>
            <strong>{label} failed.</strong> {state.error.message}
          </p>
          {hash ? <p>Transaction {hash}</p> : null}
        </>
      )}
    </div>
  );
}
