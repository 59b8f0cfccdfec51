"use client";

import { useSelf } from "@/hooks/useSelf";
import { useState } from "react";
import { toHex } from "viem";
import { useConnection } from "wagmi";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useDirectory } from "@/hooks/useDirectory";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { PasskeyLabel, PasskeyStatus, usePasskeyStep } from "@/features/identity/PasskeyStatus";
import { usePasskeyKey } from "@/features/identity/usePasskeyKey";
import { WALLET_KEY_PHISHING_WARNING, useWalletKey, walletKeyProblem } from "@/features/identity/walletKey";

/**
 * Unlocks this browser session. Where a passkey holds the account's key (a key-custody document on
 * chain), one passkey prompt opens it. Where the key was derived from the wallet, the wallet signs
 * the key message again (twice, to check it signs deterministically). A reader who has never
 * published a key (a provider, an insurer, a guardian) creates one with a passkey here, or derives
 * one from the wallet and publishes it, so patients can share keys with it. The key is held in
 * memory for this tab only.
 */
export function UnlockKey({ purpose }: { purpose: string }) {
  const { address } = useConnection();
  const { self } = useSelf();
  const { identity, setIdentity } = useIdentity();
  const { listingOf } = useDirectory();
  const walletKey = useWalletKey();
  const passkey = usePasskeyKey();
  const registered = useCareRead({
    contractName: "CareRegistry",
    functionName: "encryptionKey",
    args: self ? [self] : undefined,
  });
  const registry = useCareWrite("CareRegistry");
  const [state, setState] = useState<KeySigning>({ status: "idle" });
  const { step: passkeyStep, run: withPasskey, busy: prompting } = usePasskeyStep();
  const [label, setLabel] = useState("This device");
  const registeredKey = registered.data?.[0];
  const published = registeredKey !== undefined && BigInt(registeredKey) !== 0n;
  const matches = identity && registeredKey && toHex(identity.publicKey) === registeredKey.toLowerCase();

  async function unlockWithWallet() {
    if (!address) return;
    setState({ status: "signing" });
    try {
      setIdentity(await walletKey());
      setState({ status: "idle" });
    } catch (error) {
      setState({ status: "failed", message: walletKeyProblem(error) });
    }
  }

  const unlockWithPasskey = () => withPasskey(async () => setIdentity(await passkey.unlock()));
  const createWithPasskey = () =>
    withPasskey(async () => {
      const name = (address && listingOf(address)?.displayName) || "CareLedger";
      const key = await passkey.createKey({ patient: false, name, label });
      if (key) setIdentity(key);
    });

  if (identity && matches) return null;
  const walletFallback = (
    <>
      <p className="field-hint" data-testid="wallet-key-warning">
        {WALLET_KEY_PHISHING_WARNING}
      </p>
      <button
        type="button"
        className={published ? "button" : "button button--quiet"}
        disabled={state.status === "signing"}
        onClick={unlockWithWallet}
      >
        Unlock with my wallet
      </button>
      <KeySigningStatus state={state} failedTitle="Not unlocked." />
    </>
  );
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
      ) : passkey.hasCustody ? (
        <>
          <p>
            {purpose} A passkey holds your key: confirm with it once and the key is opened in this browser, in memory
            for this tab only. No other website can use your passkey.
          </p>
          <button type="button" className="button" disabled={prompting} onClick={unlockWithPasskey}>
            Unlock with my passkey
          </button>
          <PasskeyStatus state={passkeyStep} failedTitle="Not unlocked." />
        </>
      ) : published ? (
        <>
          <p>
            {purpose} Your records are encrypted; the key that opens them is recreated in this browser from a signature
            of your wallet over a CareLedger message. It is held in memory for this tab only and never sent anywhere.
            Signing costs nothing and sends no transaction. Once unlocked, you can keep the key with a passkey instead.
          </p>
          {walletFallback}
        </>
      ) : (
        <>
          <p>
            {purpose} You have no encryption key yet. Create one with a <strong>passkey</strong>: the key is made in
            this browser, a copy locked by the passkey is stored for your other devices, and its public half is
            published in one transaction.
          </p>
          <PasskeyLabel id="unlock-passkey-label" value={label} onChange={setLabel} />
          <button
            type="button"
            className="button"
            disabled={prompting || passkey.registry.busy || !label.trim()}
            onClick={createWithPasskey}
          >
            Create my key with a passkey
          </button>
          <PasskeyStatus state={passkeyStep} failedTitle="No key created." />
          <TransactionStatus state={passkey.registry.state} label="Key publication" />
          <div className="fallback" role="group" aria-labelledby="unlock-fallback-title">
            <h3 id="unlock-fallback-title">No passkey support? Use a wallet signature instead</h3>
            {walletFallback}
          </div>
        </>
      )}
    </section>
  );
}
