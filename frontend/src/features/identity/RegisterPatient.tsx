"use client";

import { useState } from "react";
import { toHex } from "viem";
import { useConnection } from "wagmi";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "./IdentityProvider";
import { WALLET_KEY_PHISHING_WARNING, useWalletKey, walletKeyProblem } from "./walletKey";

/**
 * Patient registration: the wallet signs CareLedger's fixed identity message twice (a wallet whose
 * two signatures differ is refused: it could never re-derive the same key), the X25519 identity key
 * is derived in this browser, and only its public half is registered on chain.
 */
export function RegisterPatient() {
  const { address } = useConnection();
  const walletKey = useWalletKey();
  const { setIdentity } = useIdentity();
  const registry = useCareWrite("CareRegistry");
  const [step, setStep] = useState<KeySigning>({ status: "idle" });
  const busy = step.status === "signing" || registry.busy;

  async function register() {
    if (!address) return;
    registry.reset();
    setStep({ status: "signing" });
    try {
      const identity = await walletKey();
      setStep({ status: "idle" });
      const receipt = await registry.write({ functionName: "registerPatient", args: [toHex(identity.publicKey)] });
      if (receipt) setIdentity(identity);
    } catch (error) {
      setStep({ status: "failed", message: walletKeyProblem(error) });
    }
  }

  return (
    <section className="card" aria-labelledby="register-title">
      <h2 id="register-title">Register as a patient</h2>
      <p>
        Your wallet will ask you to sign the same CareLedger message <strong>twice</strong>. From that signature this
        browser derives your personal encryption key. The key never leaves this browser and is never stored: signing
        again recreates it. Only its public half goes on chain, so providers can encrypt records for you.
      </p>
      <p className="field-hint" data-testid="wallet-key-warning">
        {WALLET_KEY_PHISHING_WARNING}
      </p>
      <p className="field-hint">
        {" "}
        Signing costs nothing; registering takes two transactions (this one, then publishing your record keys).
      </p>
      <button type="button" className="button" disabled={busy} onClick={register}>
        Create my key and register
      </button>
      <KeySigningStatus state={step} failedTitle="Registration stopped." />
      <TransactionStatus state={registry.state} label="Registration" />
    </section>
  );
}
