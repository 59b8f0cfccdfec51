"use client";

import { useEffect, useState } from "react";
import { useConnect, useConnection, useConnectors, type Connector } from "wagmi";
import { explainError } from "@/errors/explain";

/**
 * Lists every wallet announced through EIP-6963 (MetaMask and others), plus the generic
 * injected wallet when a browser exposes only `window.ethereum`.
 */
export function WalletPicker() {
  const connectors = useConnectors();
  const connect = useConnect();
  const { isConnected } = useConnection();
  const [hasWindowEthereum, setHasWindowEthereum] = useState(false);
  useEffect(() => setHasWindowEthereum(typeof window !== "undefined" && "ethereum" in window), []);

  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  const wallets: readonly Connector[] =
    announced.length > 0 ? announced : connectors.filter((c) => c.id === "injected" && hasWindowEthereum);

  if (isConnected) return null;

  return (
    <section className="card" aria-labelledby="wallets-title">
      <h2 id="wallets-title">Connect a wallet</h2>
      {wallets.length === 0 ? (
        <div className="notice">
          <p>
            <strong>No wallet found in this browser.</strong>
          </p>
          <p>
            Install MetaMask (or another Ethereum wallet), then reload this page. For the local demo, add the network
            with RPC URL <code>http://127.0.0.1:8545</code> and chain id <code>31337</code>, and import a demo account
            printed by <code>npm start</code>.
          </p>
        </div>
      ) : (
        <ul className="wallet-list">
          {wallets.map((connector) => (
            <li key={connector.uid}>
              <button
                type="button"
                className="wallet-button"
                disabled={connect.isPending}
                onClick={() => connect.mutate({ connector })}
              >
                {connector.icon ? (
                  // Wallet icons are data URIs announced by the wallet itself; next/image adds nothing here.
                  <img src={connector.icon} alt="" width={28} height={28} />
                ) : (
                  <span className="wallet-button__placeholder" aria-hidden="true" />
                )}
                <span>Connect {connector.name === "Injected" ? "browser wallet" : connector.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {connect.isPending ? <p role="status">Approve the connection in your wallet…</p> : null}
      {connect.error ? (
        <p className="field-error" role="alert">
          {explainError(connect.error).message}
        </p>
      ) : null}
    </section>
  );
}
