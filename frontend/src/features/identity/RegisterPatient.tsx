"use client";

import { useState } from "react";
import { toHex } from "viem";
import { useConfig, useConnection } from "wagmi";
import { signTypedData } from "wagmi/actions";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { explainError } from "@/errors/explain";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "./IdentityProvider";

/**
 * Patient registration: the wallet signs CareLedger's fixed identity message twice (a wallet whose
 * two signatures differ is refused: it could never re-derive the same key), the X25519 identity key
 * is derived in this browser, and only its public half is registered on chain.
 */
export function RegisterPatient() {
  const config = useConfig();
  const { address } = useConnection();
  const { setIdentity } = useIdentity();
  const registry = useCareWrite("CareRegistry");
  const [step, setStep] = useState<KeySigning>({ status: "idle" });
  const busy = step.status === "signing" || registry.busy;

  async function register() {
    if (!address) return;
    registry.reset();
    setStep({ status: "signing" });
    try {
      // Loaded on demand: the key derivation code is not needed by anyone who is not registering.
      const { deriveIdentityKey } = await import("@careledger/sdk/crypto/identity");
      const identity = await deriveIdentityKey((typedData) =>
        signTypedData(config, { account: address, ...typedData }),
      );
      setStep({ status: "idle" });
      const receipt = await registry.write({ functionName: "registerPatient", args: [toHex(identity.publicKey)] });
      if (receipt) setIdentity(identity);
    } catch (error) {
      const code = (error as { code?: string }).code;
      setStep({
        status: "failed",
        message:
          code === "NON_DETERMINISTIC_WALLET"
            ? "This wallet signs the CareLedger key message differently each time, so it cannot keep a stable key: records encrypted today could not be opened tomorrow. Use a wallet with deterministic signatures, such as MetaMask or a hardware wallet."
            : explainError(error).message,
      });
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
      <p className="field-hint">
        Sign this message only on CareLedger. Signing costs nothing; registering takes two transactions (this one, then
        publishing your record keys).
      </p>
      <button type="button" className="button" disabled={busy} onClick={register}>
        Create my key and register
      </button>
      <KeySigningStatus state={step} failedTitle="Registration stopped." />
      <TransactionStatus state={registry.state} label="Registration" />
    </section>
  );
}
