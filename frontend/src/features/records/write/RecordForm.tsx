"use client";

import { walletIdentifier } from "@careledger/sdk/fhir/codes";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { useChainId, useConnection } from "wagmi";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { explainError } from "@/errors/explain";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useFormDraft } from "@/hooks/useFormDraft";
import { usePreloadFhirValidator } from "../usePreloadFhirValidator";
import { buildResource, checkFormValues, fieldOfIssue, RECORD_KINDS, type RecordKind } from "./resources";
import { ChartOf } from "./ChartOf";
import { UploadBar } from "./UploadBar";
import { useRecordWriter } from "./useRecordWriter";
import type { UploadProgress } from "./apiBlobStore";

type Phase =
  { status: "idle" } | { status: "sealing"; progress?: UploadProgress } | { status: "failed"; message: string };

/**
 * Adds a FHIR record through a form (or, with `amends`, a new version superseding a record):
 * fields checked, the resource validated by the SDK (issues shown next to the field they are
 * about), sealed in the browser, uploaded as ciphertext, then RecordRegistry.addRecord.
 */
export function RecordForm({
  patient,
  amends,
  initialKind = "allergy",
  initialValues,
  onDone,
}: {
  patient: Address;
  amends?: { recordId: bigint; kind?: RecordKind };
  initialKind?: RecordKind;
  /** What the form starts from (an amendment: the values of the version it supersedes). */
  initialValues?: Record<string, string>;
  onDone?: () => void;
}) {
  const chainId = useChainId();
  const { address: self } = useConnection();
  const [kind, setKind] = useState<RecordKind>(amends?.kind ?? initialKind);
  // The draft is keyed by the patient (and what it amends or adds): it never follows the form to another chart.
  const draft = useFormDraft(`${patient}:${amends ? `amends:${amends.recordId}` : kind}`, initialValues);
  const { values, setValues } = draft;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [phase, setPhase] = useState<Phase>({ status: "idle" });
  const registry = useCareWrite("RecordRegistry");
  const writer = useRecordWriter(patient);
  const spec = RECORD_KINDS[kind];
  const busy = phase.status === "sealing" || registry.busy;
  usePreloadFhirValidator(true);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    registry.reset();
    const found = checkFormValues(kind, values);
    setErrors(found);
    if (Object.keys(found).length) return;
    const resource = buildResource(kind, values, {
      patient: { identifier: walletIdentifier(patient, chainId) },
      author: { identifier: walletIdentifier(self ?? "0x", chainId) },
    });
    const { validateResource } = await import("@careledger/sdk/fhir/validate");
    const issues = await validateResource(resource);
    if (issues.length) {
      const mapped: Record<string, string> = {};
      for (const issue of issues) {
        const field = fieldOfIssue(kind, issue.path) ?? spec.fields[0].name;
        mapped[field] ??= `${issue.message} (${issue.path}).`;
      }
      setErrors(mapped);
      return;
    }
    setPhase({ status: "sealing" });
    try {
      const sealed = await writer.sealFhir(resource, spec.category, (progress) =>
        setPhase({ status: "sealing", progress }),
      );
      setPhase({ status: "idle" });
      const receipt = amends
        ? await registry.write({
            functionName: "amendRecord",
            args: [amends.recordId, sealed.cid, sealed.commitment, sealed.keyEpoch],
          })
        : await registry.write({
            functionName: "addRecord",
            args: [patient, sealed.category, sealed.cid, sealed.commitment, sealed.keyEpoch],
          });
      if (receipt) {
        draft.clear();
        onDone?.();
      }
    } catch (error) {
      setPhase({ status: "failed", message: explainError(error).message });
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label={amends ? "Amend record" : "Add a record"}>
      <ChartOf patient={patient} />
      {amends ? null : (
        <Field label="Record type">
          <select
            name="kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as RecordKind);
              setErrors({});
            }}
          >
            {(Object.keys(RECORD_KINDS) as RecordKind[]).map((k) => (
              <option key={k} value={k}>
                {RECORD_KINDS[k].label}
              </option>
            ))}
          </select>
        </Field>
      )}
      {spec.fields.map((field) => (
        <Field
          key={`${kind}-${field.name}`}
          label={field.optional ? `${field.label} (optional)` : field.label}
          hint={field.hint}
          error={errors[field.name]}
        >
          {field.type === "select" ? (
            <select
              name={field.name}
              value={values[field.name] ?? ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            >
              <option value="">Choose…</option>
              {field.options?.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          ) : field.type === "textarea" ? (
            <textarea
              name={field.name}
              rows={3}
              value={values[field.name] ?? ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          ) : (
            <input
              name={field.name}
              type={field.type === "number" ? "text" : (field.type ?? "text")}
              inputMode={field.type === "number" ? "decimal" : undefined}
              autoComplete="off"
              value={values[field.name] ?? ""}
              onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
            />
          )}
        </Field>
      ))}
      <p className="field-hint">
        The record is encrypted in this browser for the patient (and for you) before it is uploaded.
      </p>
      <button type="submit" className="button" disabled={busy}>
        {amends ? "Save new version" : "Encrypt and add record"}
      </button>
      {phase.status === "sealing" ? <UploadBar progress={phase.progress} label="Encrypting and uploading" /> : null}
      {phase.status === "failed" ? (
        <p className="field-error" role="alert">
          {phase.message}
        </p>
      ) : null}
      <TransactionStatus state={registry.state} label={amends ? "Amendment" : "Record"} />
    </form>
  );
}
