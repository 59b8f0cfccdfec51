"use client";

import { Category } from "@careledger/sdk/protocol/constants";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { useChainId } from "wagmi";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { explainError } from "@/errors/explain";
import { usePatientName } from "@/features/records/read/PatientName";
import { useRecordWriter } from "@/features/records/write/useRecordWriter";
import { useCareWrite } from "@/hooks/useCareWrite";
import { checkText } from "@/lib/validation";

/**
 * The patient's own name, kept in the patient's own FHIR Patient record: encrypted in this browser
 * to the Encounters key (so those granted that category read it), never on chain. A change amends
 * the record, so earlier versions stay in the history.
 */
export function YourName({ patient }: { patient: Address }) {
  const chainId = useChainId();
  const current = usePatientName(patient);
  const writer = useRecordWriter(patient);
  const registry = useCareWrite("RecordRegistry");
  const [given, setGiven] = useState("");
  const [family, setFamily] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sealing, setSealing] = useState(false);
  const [editing, setEditing] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const g = checkText(given, "Your given name", { max: 80 });
    const f = checkText(family, "Your family name", { max: 80 });
    setErrors({ ...(g.ok ? {} : { given: g.error }), ...(f.ok ? {} : { family: f.error }) });
    if (!g.ok || !f.ok) return;
    const [{ buildPatient }, { walletIdentifier }] = await Promise.all([
      import("@careledger/sdk/fhir/builders"),
      import("@careledger/sdk/fhir/codes"),
    ]);
    const resource = buildPatient({
      identifier: walletIdentifier(patient, chainId),
      given: g.value.split(/\s+/),
      family: f.value,
    });
    setSealing(true);
    try {
      const sealed = await writer.sealFhir(resource, Category.Encounters);
      setSealing(false);
      const receipt =
        current.status === "named"
          ? await registry.write({
              functionName: "amendRecord",
              args: [current.recordId, sealed.cid, sealed.commitment, sealed.keyEpoch],
            })
          : await registry.write({
              functionName: "addRecord",
              args: [patient, sealed.category, sealed.cid, sealed.commitment, sealed.keyEpoch],
            });
      if (receipt) {
        setGiven("");
        setFamily("");
        setEditing(false);
      }
    } catch (error) {
      setSealing(false);
      setErrors({ form: explainError(error).message });
    }
  }

  return (
    <section className="card" aria-labelledby="your-name-title">
      <h2 id="your-name-title">Your name</h2>
      <p data-testid="your-name">
        {current.status === "named" ? (
          <>
            Those you grant <em>Encounters, procedures and name</em> see you as <strong>{current.name}</strong>.
          </>
        ) : current.status === "none" ? (
          "You have not written your name yet: providers see only your address."
        ) : current.status === "locked" ? (
          "Unlock above to see the name in your records."
        ) : (
          "Reading your name…"
        )}{" "}
        It is kept in your own encrypted record, never on the chain.
      </p>
      {editing ? (
        <form onSubmit={save} noValidate aria-label="Your name" className="inline-form">
          <Field label="Given name" error={errors.given}>
            <input value={given} onChange={(e) => setGiven(e.target.value)} autoComplete="given-name" />
          </Field>
          <Field label="Family name" error={errors.family}>
            <input value={family} onChange={(e) => setFamily(e.target.value)} autoComplete="family-name" />
          </Field>
          <button type="submit" className="button" disabled={sealing || registry.busy}>
            Save my name
          </button>
        </form>
      ) : (
        <button type="button" className="button button--quiet" aria-expanded={false} onClick={() => setEditing(true)}>
          {current.status === "named" ? "Change my name" : "Write my name"}
        </button>
      )}
      {sealing ? <p role="status">Encrypting your name in this browser…</p> : null}
      {errors.form ? (
        <p role="alert" className="tx tx--failed">
          {errors.form}
        </p>
      ) : null}
      <TransactionStatus state={registry.state} label="Your name" />
    </section>
  );
}
