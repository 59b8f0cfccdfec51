"use client";

import { claimIdOf, evidenceOrder } from "@careledger/sdk/protocol/claimIds";
import { Category } from "@careledger/sdk/protocol/constants";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { useChainId, useConnection } from "wagmi";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { explainError } from "@/errors/explain";
import { useRecordWriter } from "@/features/records/write/useRecordWriter";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useMoney } from "@/hooks/useMoney";
import { useCoverages, usePlans, usePreAuths } from "@/hooks/useClaimsData";
import { dayToSeconds, formatDay, TOKEN_DECIMALS } from "@/lib/money";
import { recordLabel } from "@/lib/recordLabel";
import { SERVICE_CLASSES, serviceClassName } from "@/lib/serviceClasses";
import { checkAmount, checkText } from "@/lib/validation";
import { usePatientRecords } from "./usePatientRecords";

const today = () => new Date().toISOString().slice(0, 10);

/** A patient's accepted coverages (with their plan's insurer), for claims and pre-authorisations. */
function usePatientCoverages(patient: Address) {
  const offered = useCareEvents({ contractName: "ClaimsSettlement", eventName: "CoverageOffered", args: { patient } });
  const ids = (offered.data ?? []).map((l) => l.args.coverageId as bigint);
  const coverages = useCoverages(ids);
  const plans = usePlans([...coverages.map.values()].map((c) => c.planId));
  const list = [...coverages.map.values()].map((c) => ({ ...c, plan: plans.map.get(c.planId.toString()) }));
  return { list, accepted: list.filter((c) => c.status === 2), ready: Boolean(offered.data) && coverages.ready };
}

/** Evidence picker: the patient's current records as checkboxes. */
function EvidencePicker({
  patient,
  value,
  onChange,
  error,
}: {
  patient: Address;
  value: bigint[];
  onChange: (ids: bigint[]) => void;
  error?: string;
}) {
  const { records } = usePatientRecords(patient);
  const current = (records ?? []).filter((r) => r.supersededBy === 0n);
  return (
    <fieldset className="checkbox-list" aria-describedby={error ? "evidence-error" : undefined}>
      <legend>Evidence records</legend>
      {current.length === 0 ? <p className="field-hint">This patient has no records to attach.</p> : null}
      {current.map((r) => {
        const checked = value.includes(r.recordId);
        return (
          <label key={r.recordId.toString()}>
            <input
              type="checkbox"
              checked={checked}
              onChange={() => onChange(checked ? value.filter((v) => v !== r.recordId) : [...value, r.recordId])}
            />
            {r.categoryLabel} {recordLabel(r.recordId)} ({formatDay(r.createdAt)})
          </label>
        );
      })}
      {error ? (
        <p id="evidence-error" className="field-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

function CoverageSelect({
  coverages,
  value,
  onChange,
  error,
}: {
  coverages: ReturnType<typeof usePatientCoverages>["accepted"];
  value: string;
  onChange: (v: string) => void;
  error?: string;
}) {
  return (
    <Field label="Coverage" hint="The patient's accepted coverage the service is claimed under." error={error}>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Choose…</option>
        {coverages.map((c) => (
          <option key={c.coverageId.toString()} value={c.coverageId.toString()}>
            Coverage {c.coverageId.toString()} · plan {c.planId.toString()}
            {c.plan ? ` · insurer ${c.plan.insurer.slice(0, 6)}…${c.plan.insurer.slice(-4)}` : ""}
          </option>
        ))}
      </select>
    </Field>
  );
}

function ServiceClassSelect({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  return (
    <Field label="Service class">
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {SERVICE_CLASSES.map((name, i) => (
          <option key={name} value={i}>
            {name}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Requests pre-authorisation for a service class and estimate. */
const PRE_AUTH_EVIDENCE_NEEDED =
  "Attach at least one record as evidence: the insurer cannot decide a pre-authorisation without it.";

function PreAuthForm({
  patient,
  coverages,
}: {
  patient: Address;
  coverages: ReturnType<typeof usePatientCoverages>["accepted"];
}) {
  const { symbol } = useMoney();
  const [coverage, setCoverage] = useState("");
  const [serviceClass, setServiceClass] = useState("0");
  const [estimate, setEstimate] = useState("");
  const [evidence, setEvidence] = useState<bigint[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const claims = useCareWrite("ClaimsSettlement");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const amount = checkAmount(estimate, TOKEN_DECIMALS);
    const found: Record<string, string> = {};
    if (!coverage) found.coverage = "Choose the patient's coverage.";
    if (!amount.ok) found.estimate = amount.error;
    if (evidence.length === 0) found.evidence = PRE_AUTH_EVIDENCE_NEEDED;
    setErrors(found);
    if (Object.keys(found).length || !amount.ok) return;
    await claims.write({
      functionName: "requestPreAuth",
      args: [BigInt(coverage), Number(serviceClass), amount.value, evidenceOrder(evidence)],
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Request pre-authorisation">
      <CoverageSelect coverages={coverages} value={coverage} onChange={setCoverage} error={errors.coverage} />
      <ServiceClassSelect value={serviceClass} onChange={setServiceClass} />
      <Field label={`Estimated cost (${symbol})`} error={errors.estimate}>
        <input inputMode="decimal" value={estimate} onChange={(e) => setEstimate(e.target.value)} autoComplete="off" />
      </Field>
      <p className="field-hint">
        The insurer decides on the evidence: attach at least one record that shows why the service is needed.
      </p>
      <EvidencePicker patient={patient} value={evidence} onChange={setEvidence} error={errors.evidence} />
      <button type="submit" className="button" disabled={claims.busy}>
        Request pre-authorisation
      </button>
      <TransactionStatus state={claims.state} label="Pre-authorisation request" />
    </form>
  );
}

/**
 * Submits a claim: the FHIR Claim (claimToFhirClaim) is encrypted to the patient's claims category
 * and stored; its commitment and an encounter commitment go on chain with the amounts. The encounter
 * commitment is the claim's id on chain, so the FHIR Claim names its on-chain claim before it exists.
 */
function ClaimForm({
  patient,
  coverages,
}: {
  patient: Address;
  coverages: ReturnType<typeof usePatientCoverages>["accepted"];
}) {
  const { money, symbol } = useMoney();
  const chainId = useChainId();
  const { address: self } = useConnection();
  const [coverage, setCoverage] = useState("");
  const [serviceClass, setServiceClass] = useState("0");
  const [serviceDate, setServiceDate] = useState(today());
  const [billed, setBilled] = useState("");
  const [diagnosis, setDiagnosis] = useState("");
  const [service, setService] = useState("");
  const [preAuth, setPreAuth] = useState("0");
  const [evidence, setEvidence] = useState<bigint[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sealing, setSealing] = useState<string>();
  const claims = useCareWrite("ClaimsSettlement");
  const writer = useRecordWriter(patient);
  const requested = useCareEvents({
    contractName: "ClaimsSettlement",
    eventName: "PreAuthRequested",
    args: self ? { provider: self } : undefined,
    enabled: Boolean(self),
  });
  const preAuths = usePreAuths((requested.data ?? []).map((l) => l.args.preAuthId as bigint));
  const usable = [...preAuths.map.values()].filter((p) => p.status === 2 && p.coverageId.toString() === coverage);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    claims.reset();
    const amount = checkAmount(billed, TOKEN_DECIMALS);
    const dx = checkText(diagnosis, "Diagnosis", { max: 120 });
    const px = checkText(service, "Service", { max: 120 });
    const found: Record<string, string> = {};
    if (!coverage) found.coverage = "Choose the patient's coverage.";
    if (!amount.ok) found.billed = amount.error;
    if (!serviceDate) found.serviceDate = "Choose the date of service.";
    else if (serviceDate > today()) found.serviceDate = "The date of service cannot be in the future.";
    if (!dx.ok) found.diagnosis = dx.error;
    if (!px.ok) found.service = px.error;
    if (evidence.length === 0) found.evidence = "Attach at least one record as evidence.";
    setErrors(found);
    if (Object.keys(found).length || !amount.ok) return;
    const settlement = getContract("ClaimsSettlement", chainId);
    const cover = coverages.find((c) => c.coverageId.toString() === coverage);
    if (!settlement || !self || !cover?.plan) return;
    const { saltedCommitment } = await import("@careledger/sdk/protocol/commitments");
    const encounterRef = `${patient}:${self}:${serviceDate}:${evidence.map(String).join(",")}`;
    const { commitment: encounterCommitment, salt } = saltedCommitment(
      { purpose: "encounter", chainId, contract: settlement.address },
      encounterRef,
    );
    let claimCommitment: `0x${string}`;
    try {
      setSealing("Encrypting the claim for the patient and uploading it…");
      const { claimToFhirClaim } = await import("@careledger/sdk/fhir/export");
      const [dxCode, ...dxText] = diagnosis.trim().split(/\s+/);
      const [pxCode, ...pxText] = service.trim().split(/\s+/);
      const fhirClaim = claimToFhirClaim(
        {
          claimId: claimIdOf(self, encounterCommitment),
          patient,
          provider: self,
          insurer: cover.plan.insurer,
          coverageId: cover.coverageId,
          created: new Date(),
          diagnoses: [{ code: dxCode, display: dxText.join(" ") || dxCode }],
          items: [
            { code: pxCode, display: pxText.join(" ") || pxCode, amount: amount.value, servicedDate: serviceDate },
          ],
          evidenceRecordIds: evidence,
          tokenDecimals: TOKEN_DECIMALS,
        },
        { chainId, claimsSettlement: settlement.address },
      );
      fhirClaim.identifier = [
        ...(fhirClaim.identifier ?? []),
        { system: "urn:ietf:rfc:3986", value: `urn:careledger:encounter:${encounterCommitment}:salt:${salt}` },
      ];
      const sealed = await writer.sealFhir(fhirClaim, Category.Financial);
      claimCommitment = sealed.commitment;
    } catch (error) {
      setSealing(undefined);
      setErrors({ form: explainError(error).message });
      return;
    }
    setSealing(undefined);
    const receipt = await claims.write({
      functionName: "submitClaim",
      args: [
        {
          coverageId: cover.coverageId,
          serviceClass: Number(serviceClass),
          serviceDate:
            dayToSeconds(serviceDate) > Date.now() / 1000
              ? Math.floor(Date.now() / 1000) - 60
              : dayToSeconds(serviceDate),
          billed: amount.value,
          encounterCommitment,
          claimCommitment,
          evidence: evidenceOrder(evidence),
          preAuthId: BigInt(preAuth),
        },
      ],
    });
    if (receipt) {
      setBilled("");
      setEvidence([]);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Submit a claim">
      <CoverageSelect coverages={coverages} value={coverage} onChange={setCoverage} error={errors.coverage} />
      <ServiceClassSelect value={serviceClass} onChange={setServiceClass} />
      <Field label="Date of service" error={errors.serviceDate}>
        <input type="date" value={serviceDate} max={today()} onChange={(e) => setServiceDate(e.target.value)} />
      </Field>
      <Field label={`Billed amount (${symbol})`} error={errors.billed}>
        <input inputMode="decimal" value={billed} onChange={(e) => setBilled(e.target.value)} autoComplete="off" />
      </Field>
      <Field
        label="Diagnosis (ICD-10-CM)"
        hint="Code then description, e.g. I10 Essential hypertension. Encrypted, never on chain."
        error={errors.diagnosis}
      >
        <input value={diagnosis} onChange={(e) => setDiagnosis(e.target.value)} autoComplete="off" />
      </Field>
      <Field
        label="Service (CPT)"
        hint="Code then description, e.g. 99213 Office visit. Encrypted, never on chain."
        error={errors.service}
      >
        <input value={service} onChange={(e) => setService(e.target.value)} autoComplete="off" />
      </Field>
      <Field label="Pre-authorisation" hint="Only for service classes the plan needs one for.">
        <select value={preAuth} onChange={(e) => setPreAuth(e.target.value)}>
          <option value="0">None</option>
          {usable.map((p) => (
            <option key={p.preAuthId.toString()} value={p.preAuthId.toString()}>
              #{p.preAuthId.toString()} · {serviceClassName(p.serviceClass)} · up to {money(p.approvedAmount)}
            </option>
          ))}
        </select>
      </Field>
      <EvidencePicker patient={patient} value={evidence} onChange={setEvidence} error={errors.evidence} />
      <button type="submit" className="button" disabled={claims.busy || Boolean(sealing)}>
        Submit claim
      </button>
      {sealing ? <p role="status">{sealing}</p> : null}
      {errors.form ? (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      ) : null}
      <TransactionStatus state={claims.state} label="Claim" />
    </form>
  );
}

/** Claims and pre-authorisations for the selected patient. */
export function PatientClaims({ patient }: { patient: Address }) {
  const coverages = usePatientCoverages(patient);
  const [tab, setTab] = useState<"claim" | "preauth">("claim");
  return (
    <section className="card" aria-labelledby="claim-title">
      <h2 id="claim-title">Claims for this patient</h2>
      {!coverages.ready ? (
        <p role="status">Reading the patient&apos;s coverage…</p>
      ) : coverages.accepted.length === 0 ? (
        <p>
          <strong>No accepted coverage.</strong> The patient has no insurance coverage they have accepted on CareLedger.
        </p>
      ) : (
        <>
          <div className="button-row" role="group" aria-label="Claim or pre-authorisation">
            <button
              type="button"
              className={tab === "claim" ? "button" : "button button--quiet"}
              aria-pressed={tab === "claim"}
              onClick={() => setTab("claim")}
            >
              Claim
            </button>
            <button
              type="button"
              className={tab === "preauth" ? "button" : "button button--quiet"}
              aria-pressed={tab === "preauth"}
              onClick={() => setTab("preauth")}
            >
              Pre-authorisation
            </button>
          </div>
          {tab === "claim" ? (
            <ClaimForm patient={patient} coverages={coverages.accepted} />
          ) : (
            <PreAuthForm patient={patient} coverages={coverages.accepted} />
          )}
        </>
      )}
    </section>
  );
}
