import { patientDisplayName } from "@careledger/sdk/fhir/builders";
import type {
  AllergyIntolerance,
  Attachment,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Period,
  Quantity,
  Range,
  Resource,
} from "@medplum/fhirtypes";
import type { ReactNode } from "react";
import { DocumentPreview } from "./DocumentPreview";

const text = (c: CodeableConcept | undefined) => c?.text ?? c?.coding?.[0]?.display ?? c?.coding?.[0]?.code ?? "—";
const texts = (cs: CodeableConcept[] | undefined) => (cs?.length ? cs.map(text).join(", ") : undefined);
const statusOf = (c: CodeableConcept | undefined) => c?.coding?.[0]?.code ?? c?.text;
const date = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" }) : undefined;
const quantity = (q: Quantity | undefined) =>
  q?.value === undefined ? undefined : `${q.comparator ?? ""}${q.value} ${q.unit ?? q.code ?? ""}`.trim();
const range = (r: Range | undefined) =>
  r && (r.low || r.high)
    ? `${r.low ? quantity(r.low) : ""}${r.low && r.high ? " – " : ""}${r.high ? quantity(r.high) : ""}`
    : undefined;
const period = (p: Period | undefined) =>
  p ? [date(p.start), date(p.end)].filter(Boolean).join(" – ") || undefined : undefined;

/** A definition list of the fields that are present. */
function Facts({ rows }: { rows: [string, ReactNode | undefined][] }) {
  const present = rows.filter(([, v]) => v !== undefined && v !== null && v !== "");
  return (
    <dl className="facts">
      {present.map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function ObservationValue({ o }: { o: Observation }) {
  if (o.valueQuantity) return <>{quantity(o.valueQuantity)}</>;
  if (o.valueCodeableConcept) return <>{text(o.valueCodeableConcept)}</>;
  if (o.valueString !== undefined) return <>{o.valueString}</>;
  if (o.component?.length)
    return (
      <>
        {o.component
          .map((c) => `${text(c.code)} ${c.valueQuantity ? quantity(c.valueQuantity) : (c.valueString ?? "")}`)
          .join("; ")}
      </>
    );
  return <>—</>;
}

/** Title (what a person scans for) of a FHIR resource. */
export function resourceTitle(r: Resource): string {
  switch (r.resourceType) {
    case "AllergyIntolerance":
      return `Allergy: ${text(r.code)}`;
    case "MedicationStatement":
      return `Medication: ${text(r.medicationCodeableConcept)}`;
    case "MedicationRequest":
      return `Prescription: ${text(r.medicationCodeableConcept)}`;
    case "Condition":
      return `Condition: ${text(r.code)}`;
    case "Observation":
      return `${text(r.code)}`;
    case "Immunization":
      return `Immunisation: ${text(r.vaccineCode)}`;
    case "Encounter":
      return `Encounter: ${texts(r.type) ?? r.class?.display ?? "visit"}`;
    case "DiagnosticReport":
      return `Report: ${text(r.code)}`;
    case "DocumentReference":
      return `Document: ${r.description ?? text(r.type)}`;
    case "Bundle":
      return `Bundle of ${r.entry?.length ?? 0} resources`;
    case "Patient":
      return `Patient: ${patientDisplayName(r) ?? "no name"}`;
    default:
      return r.resourceType;
  }
}

/** Readable clinical content of one FHIR resource (the common clinical types; others as JSON). */
export function FhirView({ resource }: { resource: Resource }) {
  const r = resource;
  switch (r.resourceType) {
    case "AllergyIntolerance": {
      const a = r as AllergyIntolerance;
      return (
        <Facts
          rows={[
            ["Substance", a.reaction?.[0]?.substance ? text(a.reaction[0].substance) : text(a.code)],
            ["Reaction", a.reaction?.flatMap((x) => x.manifestation.map(text)).join(", ")],
            ["Severity", a.reaction?.[0]?.severity],
            ["Criticality", a.criticality],
            ["Category", a.category?.join(", ")],
            ["Status", statusOf(a.clinicalStatus)],
            ["Recorded", date(a.recordedDate ?? a.onsetDateTime)],
          ]}
        />
      );
    }
    case "MedicationStatement":
    case "MedicationRequest": {
      const m = r as Omit<MedicationStatement, "resourceType" | "status"> &
        Omit<MedicationRequest, "resourceType" | "status" | "subject"> & { status?: string };
      const dosage = (m.dosage ?? m.dosageInstruction)?.[0];
      const dose = dosage?.doseAndRate?.[0]?.doseQuantity;
      return (
        <Facts
          rows={[
            ["Medication", text(m.medicationCodeableConcept)],
            ["Dose", quantity(dose)],
            ["Instructions", dosage?.text],
            ["Status", m.status],
            ["Since", date(m.effectivePeriod?.start ?? m.effectiveDateTime ?? m.authoredOn)],
          ]}
        />
      );
    }
    case "Condition": {
      const c = r as Condition;
      return (
        <Facts
          rows={[
            ["Condition", text(c.code)],
            ["Status", statusOf(c.clinicalStatus)],
            ["Verification", statusOf(c.verificationStatus)],
            ["Onset", date(c.onsetDateTime ?? c.onsetPeriod?.start)],
            ["Severity", c.severity ? text(c.severity) : undefined],
          ]}
        />
      );
    }
    case "Observation": {
      const o = r as Observation;
      return (
        <Facts
          rows={[
            ["Test", text(o.code)],
            ["Value", <ObservationValue key="v" o={o} />],
            ["Reference range", o.referenceRange?.map((rr) => rr.text ?? range(rr as Range)).join("; ")],
            ["Interpretation", texts(o.interpretation)],
            ["Status", o.status],
            ["Taken", date(o.effectiveDateTime ?? o.issued)],
          ]}
        />
      );
    }
    case "Immunization": {
      const i = r as Immunization;
      return (
        <Facts
          rows={[
            ["Vaccine", text(i.vaccineCode)],
            ["Given", date(i.occurrenceDateTime)],
            ["Dose", quantity(i.doseQuantity)],
            ["Lot", i.lotNumber],
            ["Status", i.status],
          ]}
        />
      );
    }
    case "Encounter": {
      const e = r as Encounter;
      return (
        <Facts
          rows={[
            ["Type", texts(e.type)],
            ["Class", e.class?.display ?? e.class?.code],
            ["Reason", texts(e.reasonCode)],
            ["When", period(e.period)],
            ["Status", e.status],
          ]}
        />
      );
    }
    case "DiagnosticReport": {
      const d = r as DiagnosticReport;
      return (
        <Facts
          rows={[
            ["Report", text(d.code)],
            ["Conclusion", d.conclusion],
            ["Results", d.result?.length ? `${d.result.length} linked result(s)` : undefined],
            ["Issued", date(d.issued ?? d.effectiveDateTime)],
            ["Status", d.status],
          ]}
        />
      );
    }
    case "DocumentReference": {
      const d = r as DocumentReference;
      const attachment: Attachment | undefined = d.content?.[0]?.attachment;
      const bytes = attachment?.data ? Uint8Array.from(atob(attachment.data), (ch) => ch.charCodeAt(0)) : undefined;
      return (
        <>
          <Facts
            rows={[
              ["Type", text(d.type)],
              ["Title", attachment?.title ?? d.description],
              ["Date", date(d.date)],
              ["Status", d.docStatus ?? d.status],
            ]}
          />
          {bytes && attachment?.contentType ? (
            <DocumentPreview
              bytes={bytes}
              contentType={attachment.contentType}
              title={attachment.title ?? "Document"}
            />
          ) : null}
        </>
      );
    }
    case "Bundle":
      return (
        <ul className="bundle">
          {(r.entry ?? []).map((e, i) =>
            e.resource ? (
              <li key={i}>
                <strong>{resourceTitle(e.resource)}</strong>
                <FhirView resource={e.resource} />
              </li>
            ) : null,
          )}
        </ul>
      );
    default:
      return (
        <details>
          <summary>{r.resourceType} (FHIR JSON)</summary>
          <pre className="fhir-json">{JSON.stringify(r, null, 2)}</pre>
        </details>
      );
  }
}
