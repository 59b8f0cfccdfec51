"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { Field } from "@/components/Field";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { checkAddress } from "@/lib/validation";
import { UnlockKey } from "./UnlockKey";

const RecordTimeline = dynamic(() => import("./RecordTimeline").then((m) => m.RecordTimeline), { ssr: false });

/**
 * Any account reads what a patient shared with it: unlock the reader's key, name the patient,
 * and the timeline opens the records the grants' key envelopes allow (others are listed as locked).
 */
export function ReadPatientRecords() {
  const { address } = useConnection();
  const { identity } = useIdentity();
  const [input, setInput] = useState("");
  const [error, setError] = useState<string>();
  const [patient, setPatient] = useState<Address>();
  if (!address) return <p>Connect a wallet to read records shared with you.</p>;
  return (
    <>
      <UnlockKey purpose="Records are shared with you by encrypting their keys to your key." />
      <section className="card" aria-labelledby="read-patient-title">
        <h2 id="read-patient-title">Read a patient&apos;s records</h2>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const checked = checkAddress(input);
            setError(checked.ok ? undefined : checked.error);
            setPatient(checked.ok ? checked.value : undefined);
          }}
        >
          <Field label="Patient address" error={error}>
            <input value={input} onChange={(e) => setInput(e.target.value)} autoComplete="off" spellCheck={false} />
          </Field>
          <button type="submit" className="button">
            Open records
          </button>
        </form>
      </section>
      {patient && identity ? <RecordTimeline key={patient} patient={patient} /> : null}
      {patient && !identity ? <p>Unlock above to decrypt the records shared with you.</p> : null}
    </>
  );
}
