"use client";

import { useState } from "react";
import { toHex } from "viem";
import { useConnection } from "wagmi";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "./IdentityProvider";
import { PasskeyLabel, PasskeyStatus, usePasskeyStep } from "./PasskeyStatus";
import { usePasskeyKey } from "./usePasskeyKey";
import { WALLET_KEY_PHISHING_WARNING, useWalletKey, walletKeyProblem } from "./walletKey";

/**
 * Patient registration. By default a passkey holds the key: a random X25519 identity key is made in
 * this browser, wrapped under the passkey, the wrapped copy stored on IPFS and its digest registered
 * with the public key in one transaction. The fallback, for browsers without passkey PRF support,
 * derives the key from two wallet signatures and says plainly that it can be phished.
 */
export function RegisterPatient() {
  const { address } = useConnection();
  const walletKey = useWalletKey();
  const passkey = usePasskeyKey();
  const { setIdentity } = useIdentity();
  const registry = useCareWrite("CareRegistry");
  const [label, setLabel] = useState("This device");
  const passkeyStep = usePasskeyStep();
  const [step, setStep] = useState<KeySigning>({ status: "idle" });
  const busy = step.status === "signing" || passkeyStep.busy || registry.busy || passkey.registry.busy;

  async function registerWithPasskey() {
    if (!address) return;
    passkey.registry.reset();
    await passkeyStep.run(async () => {
      const identity = await passkey.createKey({ patient: true, name: "CareLedger patient", label });
      if (identity) setIdentity(identity);
    });
  }

  async function registerWithWallet() {
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
        A <strong>passkey</strong> on this device will hold your personal encryption key. The key is made in this
        browser and only its public half goes on chain, so providers can encrypt records for you. A copy locked by the
        passkey is stored so that your other devices can open it with a passkey you add later. No other website can use
        your passkey.
      </p>
      <PasskeyLabel id="register-passkey-label" value={label} onChange={setLabel} />
      <p className="field-hint">
        Registering takes two transactions (this one, then publishing your record keys). Signing costs nothing.
      </p>
      <button type="button" className="button" disabled={busy || !label.trim()} onClick={registerWithPasskey}>
        Create my key with a passkey and register
      </button>
      <PasskeyStatus state={passkeyStep.step} failedTitle="Registration stopped." />
      <TransactionStatus state={passkey.registry.state} label="Registration" />
      <div className="fallback" role="group" aria-labelledby="register-fallback-title">
        <h3 id="register-fallback-title">No passkey support? Use a wallet signature instead</h3>
        <p>
          Your wallet will ask you to sign the same CareLedger message <strong>twice</strong>. From that signature this
          browser derives your encryption key; signing again recreates it, so nothing is stored.
        </p>
        <p className="field-hint" data-testid="wallet-key-warning">
          {WALLET_KEY_PHISHING_WARNING}
        </p>
        <button type="button" className="button button--quiet" disabled={busy} onClick={registerWithWallet}>
          Register with a wallet signature
        </button>
        <KeySigningStatus state={step} failedTitle="Registration stopped." />
        <TransactionStatus state={registry.state} label="Registration" />
      </div>
    </section>
  );
}
