"use client";

import { useSelf } from "@/hooks/useSelf";
import type { KeyCustody } from "@careledger/sdk/crypto/passkey";
import { useEffect, useState } from "react";
import { toHex } from "viem";
import { useConnection } from "wagmi";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useDirectory } from "@/hooks/useDirectory";
import { formatMoment } from "@/lib/money";
import { useIdentity } from "./IdentityProvider";
import { PasskeyLabel, PasskeyStatus, usePasskeyStep } from "./PasskeyStatus";
import { usePasskeyKey } from "./usePasskeyKey";

/**
 * The passkeys that hold this account's key, once it is unlocked: add one for another device,
 * remove a lost one (never the last). A key still derived from the wallet can be kept with a
 * passkey from here too.
 */
export function Passkeys() {
  const { address } = useConnection();
  const { self } = useSelf();
  const { identity } = useIdentity();
  const { listingOf } = useDirectory();
  const passkey = usePasskeyKey();
  const { loadCustody, hasCustody, custodyDigest } = passkey;
  const registered = useCareRead({
    contractName: "CareRegistry",
    functionName: "encryptionKey",
    args: self ? [self] : undefined,
  });
  const [custody, setCustody] = useState<KeyCustody | { error: string }>();
  const [typed, setLabel] = useState<string>();
  const passkeyStep = usePasskeyStep();
  const matches = identity && registered.data && toHex(identity.publicKey) === registered.data[0].toLowerCase();

  useEffect(() => {
    if (!hasCustody || !matches) return;
    let live = true;
    loadCustody().then(
      (loaded) => live && setCustody(loaded),
      (error: Error) => live && setCustody({ error: error.message }),
    );
    return () => {
      live = false;
    };
  }, [custodyDigest, hasCustody, loadCustody, matches]);

  if (!identity || !matches) return null;
  const name = (address && listingOf(address)?.displayName) || "CareLedger";

  const run = (action: () => Promise<unknown>) => {
    passkey.registry.reset();
    return passkeyStep.run(action);
  };

  // The first passkey is usually this device; the next ones are others.
  const label = typed ?? (hasCustody ? "Another device" : "This device");
  const newPasskey = (id: string, text: string, action: () => Promise<unknown>) => (
    <>
      <PasskeyLabel id={id} value={label} onChange={setLabel} />
      <button type="button" className="button" disabled={busy || !label.trim()} onClick={() => run(action)}>
        {text}
      </button>
    </>
  );

  const held = hasCustody && custody && "passkeys" in custody ? custody.passkeys : [];
  const busy = passkeyStep.busy || passkey.registry.busy;
  return (
    <section className="card" aria-labelledby="passkeys-title" data-testid="passkeys">
      <h2 id="passkeys-title">Your passkeys</h2>
      {!hasCustody ? (
        <>
          <p>
            Your key is derived from a wallet signature, which a phishing site could ask for. Keep it with a passkey
            too: this device, and any you add, then unlock it with one prompt. The wallet signature still recreates this
            same key, so for full protection register a new passkey-held key later (records shared until then stay under
            the old one).
          </p>
          {newPasskey("protect-passkey-label", "Keep my key with a passkey", () =>
            passkey.createKey({ patient: false, name, label, identity }),
          )}
        </>
      ) : custody && "error" in custody ? (
        <p role="alert" className="tx tx--failed">
          <strong>Your passkeys could not be listed.</strong> {custody.error}
        </p>
      ) : (
        <>
          <p>
            Each passkey below opens your key on its own. Add one on every device you use; remove one you lost. Removing
            stops it opening your key from now on.
          </p>
          <ul className="list" aria-label="Passkeys holding your key">
            {held.map((p) => (
              <li key={p.credentialId} data-testid="passkey">
                <strong>{p.label}</strong>{" "}
                <span className="field-hint">added {formatMoment(Date.parse(p.addedAt) / 1000)}</span>{" "}
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={busy || held.length < 2}
                  title={held.length < 2 ? "Add another passkey before removing this one" : undefined}
                  onClick={() => run(() => passkey.removePasskey(p.credentialId))}
                >
                  Remove {p.label}
                </button>
              </li>
            ))}
          </ul>
          {newPasskey("add-passkey-label", "Add another passkey", () => passkey.addPasskey(identity, { name, label }))}
        </>
      )}
      <PasskeyStatus state={passkeyStep.step} failedTitle="Passkeys unchanged." />
      <TransactionStatus state={passkey.registry.state} label="Passkey change" />
    </section>
  );
}
