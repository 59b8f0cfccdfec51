"use client";

import { useState } from "react";
import type { Address, Hex } from "viem";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";

/** The signed grant a relayer (or any account) submits with grantConsentBySig. */
export type SignedGrant = {
  kind: "careledger-signed-grant";
  chainId: number;
  patient: Address;
  terms: { grantee: Address; scope: number; purpose: number; access: number; notBefore: string; expiresAt: string };
  keyEnvelopes: Hex;
  /** When the patient signed (chain time, seconds). */
  issuedAt: string;
  nonce: string;
  deadline: string;
  /** The patient's signature: 65 bytes from a wallet key, or what a contract wallet (ERC-1271) accepts. */
  signature: Hex;
};

/** Submits a signed consent (grantConsentBySig) from any account: the signer pays nothing. */
export function SubmitSignedGrant() {
  const consent = useCareWrite("ConsentManager");
  const [text, setText] = useState("");
  const [error, setError] = useState<string>();
  async function submit() {
    setError(undefined);
    consent.reset();
    let g: SignedGrant;
    try {
      g = JSON.parse(text) as SignedGrant;
      if (g.kind !== "careledger-signed-grant") throw new Error("kind");
    } catch {
      setError("Paste the whole signed consent payload, as the patient copied it.");
      return;
    }
    await consent.write({
      functionName: "grantConsentBySig",
      args: [
        g.patient,
        { ...g.terms, notBefore: BigInt(g.terms.notBefore), expiresAt: BigInt(g.terms.expiresAt) },
        g.keyEnvelopes,
        BigInt(g.issuedAt),
        BigInt(g.nonce),
        BigInt(g.deadline),
        g.signature,
      ],
    });
  }
  return (
    <section className="card" aria-labelledby="submit-signed-title">
      <h3 id="submit-signed-title">Submit a signed consent</h3>
      <p>Paste a consent a patient signed without paying a fee; your account sends it and pays the fee.</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="Signed consent payload" error={error}>
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} spellCheck={false} />
        </Field>
        <button type="submit" className="button" disabled={consent.busy}>
          Submit signed consent
        </button>
      </form>
      <TransactionStatus state={consent.state} label="Signed consent" />
    </section>
  );
}
