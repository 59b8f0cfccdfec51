"use client";

import { useState } from "react";
import { toHex } from "viem";
import { useConfig, useConnection } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { explainError } from "@/errors/explain";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";

/**
 * Unlocks this browser session: the wallet signs CareLedger's fixed key message (twice, to check it
 * signs deterministically) and the identity key is re-derived in memory. It is the same key every
 * time, so nothing is stored. A reader who has never published its key (a provider, a guardian)
 * can publish the public half here so patients can share keys with it.
 */
export function UnlockKey({ purpose }: { purpose: string }) {
  const config = useConfig();
  const { address } = useConnection();
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
      const { deriveIdentityKey } = await import("@careledger/sdk/crypto/identity");
      const key = await deriveIdentityKey((typedData) => signTypedData(config, { account: address, ...typedData }));
      setIdentity(key);
      setState({ status: "idle" });
    } catch (error) {
      const code = (error as { code?: string }).code;
      setState({
        status: "failed",
        message:
          code === "NON_DETERMINISTIC_WALLET"
            ? "This wallet signs the CareLedger key message differently each time, so it cannot recreate your key."
            : explainError(error).message,
      });
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
          <button type="button" className="button" disabled={state.status === "signing"} onClick={unlock}>
            Unlock with my wallet
          </button>
          <KeySigningStatus state={state} failedTitle="Not unlocked." />
        </>
      )}
    </section>
  );
}
