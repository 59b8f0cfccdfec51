"use client";

import { useConnection, useSwitchChain } from "wagmi";
import { explainError } from "@/errors/explain";
import { chainName, isSupportedChain, supportedChains } from "@/lib/networks";

/**
 * Shown on every page while the wallet is on a network without a CareLedger deployment.
 * One click switches; a wallet that does not know the chain is asked to add it
 * (wagmi's injected connector falls back to wallet_addEthereumChain with the chain's RPC URL).
 */
export function NetworkGuard() {
  const { isConnected, chainId } = useConnection();
  const switchChain = useSwitchChain();
  if (!isConnected || chainId === undefined || isSupportedChain(chainId)) return null;

  return (
    <section className="banner banner--warning" role="alert" aria-labelledby="wrong-network-title">
      <h2 id="wrong-network-title">Wrong network</h2>
      <p>
        Your wallet is on <strong>{chainName(chainId)}</strong>, where CareLedger is not available. Switch to a
        CareLedger network to continue.
      </p>
      <div className="button-row">
        {supportedChains.map((chain) => (
          <button
            key={chain.id}
            type="button"
            className="button"
            disabled={switchChain.isPending}
            onClick={() => switchChain.mutate({ chainId: chain.id })}
          >
            Switch to {chain.name}
          </button>
        ))}
      </div>
      {switchChain.isPending ? <p role="status">Confirm the network switch in your wallet…</p> : null}
      {switchChain.error ? <p className="field-error">{explainError(switchChain.error).message}</p> : null}
    </section>
  );
}
