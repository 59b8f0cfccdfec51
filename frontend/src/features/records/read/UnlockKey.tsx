"use client";

import { useState } from "react";
import { toHex } from "viem";
import { useConnection } from "wagmi";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { WALLET_KEY_PHISHING_WARNING, useWalletKey, walletKeyProblem } from "@/features/identity/walletKey";

/**
 * Unlocks this browser session: the wallet signs CareLedger's fixed key message (twice, to check it
 * signs deterministically) and the identity key is re-derived in memory. It is the same key every
 * time, so nothing is stored. A reader who has never published its key (a provider, a guardian)
 * can publish the public half here so patients can share keys with it.
 */
export function UnlockKey({ purpose }: { purpose: string }) {
  const { address } = useConnection();
  const walletKey = useWalletKey();
  const { identity, setIdentity } = useIdentity();
  const registered = useCareRead({
    contractName: "CareRegistry",
    functionName: "encryptionKey",
    args: address ? [address] : undefined,
  });
  const registry = useCareWrite("CareRegistry");
  const [state, setState] = useState<KeySigning>({
    status: "idle",
  });
  const registeredKey = registered.data?.[0];
  const published = registeredKey !== undefined && BigInt(registeredKey) !== 0n;
  const matches = identity && registeredKey && toHex(identity.publicKey) === registeredKey.toLowerCase();

  async function unlock() {
    if (!address) return;
    setState({ status: "signing" });
    try {
      setIdentity(await walletKey());
      setState({ status: "idle" });
    } catch (error) {
      setState({ status: "failed", message: walletKeyProblem(error) });
    }
  }

  if (identity && matches) return null;
  return (
    <section className="card" aria-labelledby="unlock-title">
      <h2 id="unlock-title">{identity ? "Publish your encryption key" : "Unlock your records"}</h2>
      {identity ? (
        <>
          <p>
            {published
              ? "The encryption key registered for this account is not the one this wallet derives. Publish the current one so that keys shared with you can be opened."
              : "Patients share their record keys by encrypting them to your public key. Publish it once (one transaction); only its public half goes on chain."}
          </p>
          <button
            type="button"
            className="button"
            disabled={registry.busy}
            onClick={() => registry.write({ functionName: "setEncryptionKey", args: [toHex(identity.publicKey)] })}
          >
            Publish my encryption key
          </button>
          <TransactionStatus state={registry.state} label="Key publication" />
        </>
      ) : (
        <>
          <p>
            {purpose} Your records are encrypted; the key that opens them is recreated in this browser from a signature
            of your wallet over a fixed CareLedger message. It is held in memory for this tab only and never sent
            anywhere. Signing costs nothing and sends no transaction.
          </p>
          <p className="field-hint" data-testid="wallet-key-warning">
            {WALLET_KEY_PHISHING_WARNING}
          </p>
          <button type="button" className="button" disabled={state.status === "signing"} onClick={unlock}>
            Unlock with my wallet
          </button>
          <KeySigningStatus state={state} failedTitle="Not unlocked." />
        </>
      )}
    </section>
  );
}
