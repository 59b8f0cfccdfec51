/**
 * Realistic demo records for the seed script and tests: coded with SNOMED CT, LOINC, RxNorm and
 * CVX, quantities in UCUM. Every builder's output passes `validateResource`.
 */
import type {
  AllergyIntolerance,
  Bundle,
  Claim,
  ClaimResponse,
  CodeableConcept,
  Condition,
  Coverage,
  DiagnosticReport,
  DocumentReference,
  Encounter,
  Immunization,
  MedicationStatement,
  Money,
  Observation,
  Organization,
  Patient,
  Practitioner,
  Reference,
  Resource,
} from "@medplum/fhirtypes";
import { toBase64 } from "../bytes.js";
import { categoryForResourceType, type Category } from "../protocol/constants.js";
import { SYSTEM } from "./codes.js";

export interface DemoContext {
  /** Reference to the patient, e.g. { reference: 'Patient/p1' } or an identifier reference. */
  patient: Reference<Patient>;
  /** The author (a practitioner). */
  performer?: Reference<Practitioner>;
  /** ISO date-time the record is about; defaults to now. */
  when?: string;
}

const cc = (system: string, code: string, display: string, text = display): CodeableConcept => ({
  coding: [{ system, code, display }],
  text,
});
const iso = (ctx: DemoContext) => ctx.when ?? new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const day = (ctx: DemoContext) => iso(ctx).slice(0, 10);

export const ALLERGIES = {
  peanut: {
    code: cc(SYSTEM.SNOMED, "91935009", "Allergy to peanut"),
    category: "food",
    substance: cc(SYSTEM.SNOMED, "256349002", "Peanut"),
    manifestation: cc(SYSTEM.SNOMED, "39579001", "Anaphylaxis"),
    severity: "severe",
    criticality: "high",
  },
  penicillin: {
    code: cc(SYSTEM.SNOMED, "91936005", "Allergy to penicillin"),
    category: "medication",
    substance: cc(SYSTEM.SNOMED, "764146007", "Penicillin"),
    manifestation: cc(SYSTEM.SNOMED, "247472004", "Hives"),
    severity: "moderate",
    criticality: "low",
  },
} as const;

export function buildAllergyIntolerance(ctx: DemoContext, kind: keyof typeof ALLERGIES = "peanut"): AllergyIntolerance {
  const a = ALLERGIES[kind];
  return {
    resourceType: "AllergyIntolerance",
    clinicalStatus: cc(SYSTEM.ALLERGY_CLINICAL, "active", "Active"),
    verificationStatus: cc(SYSTEM.ALLERGY_VERIFICATION, "confirmed", "Confirmed"),
    type: "allergy",
    category: [a.category],
    criticality: a.criticality,
    code: a.code,
    patient: ctx.patient,
    recordedDate: iso(ctx),
    ...(ctx.performer ? { recorder: ctx.performer } : {}),
    reaction: [{ substance: a.substance, manifestation: [a.manifestation], severity: a.severity }],
  };
}

export const MEDICATIONS = {
  amlodipine: {
    code: cc(SYSTEM.RXNORM, "197361", "amlodipine 5 MG Oral Tablet"),
    dosage: "Take 1 tablet by mouth once daily",
  },
  lisinopril: {
    code: cc(SYSTEM.RXNORM, "314076", "lisinopril 10 MG Oral Tablet"),
    dosage: "Take 1 tablet by mouth once daily",
  },
  metformin: {
    code: cc(SYSTEM.RXNORM, "860975", "24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"),
    dosage: "Take 1 tablet by mouth with the evening meal",
  },
  albuterol: {
    code: cc(SYSTEM.RXNORM, "745679", "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler"),
    dosage: "Inhale 2 puffs every 4 to 6 hours as needed for wheezing",
  },
} as const;

export function buildMedicationStatement(
  ctx: DemoContext,
  kind: keyof typeof MEDICATIONS = "amlodipine",
): MedicationStatement {
  const m = MEDICATIONS[kind];
  return {
    resourceType: "MedicationStatement",
    status: "active",
    medicationCodeableConcept: m.code,
    subject: ctx.patient,
    effectiveDateTime: iso(ctx),
    dateAsserted: iso(ctx),
    ...(ctx.performer ? { informationSource: ctx.performer } : {}),
    dosage: [{ sequence: 1, text: m.dosage }],
  };
}

export const CONDITIONS = {
  hypertension: { code: cc(SYSTEM.SNOMED, "38341003", "Hypertensive disorder, systemic arterial"), icd10: "I10" },
  diabetes: { code: cc(SYSTEM.SNOMED, "44054006", "Diabetes mellitus type 2"), icd10: "E11.9" },
  asthma: { code: cc(SYSTEM.SNOMED, "195967001", "Asthma"), icd10: "J45.909" },
} as const;

export function buildCondition(ctx: DemoContext, kind: keyof typeof CONDITIONS = "hypertension"): Condition {
  return {
    resourceType: "Condition",
    clinicalStatus: cc(SYSTEM.CONDITION_CLINICAL, "active", "Active"),
    verificationStatus: cc(SYSTEM.CONDITION_VERIFICATION, "confirmed", "Confirmed"),
    category: [cc(SYSTEM.CONDITION_CATEGORY, "problem-list-item", "Problem List Item")],
    code: CONDITIONS[kind].code,
    subject: ctx.patient,
    onsetDateTime: iso(ctx),
    recordedDate: iso(ctx),
    ...(ctx.performer ? { recorder: ctx.performer } : {}),
  };
}

/** LOINC-coded single-value observations with UCUM units. */
export const OBSERVATIONS = {
  hba1c: {
    code: cc(SYSTEM.LOINC, "4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood"),
    value: 6.8,
    unit: "%",
    ucum: "%",
    category: "laboratory",
    low: 4,
    high: 5.6,
  },
  glucose: {
    code: cc(SYSTEM.LOINC, "2339-0", "Glucose [Mass/volume] in Blood"),
    value: 112,
    unit: "mg/dL",
    ucum: "mg/dL",
    category: "laboratory",
    low: 70,
    high: 99,
  },
  cholesterol: {
    code: cc(SYSTEM.LOINC, "2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
    value: 212,
    unit: "mg/dL",
    ucum: "mg/dL",
    category: "laboratory",
    low: 0,
    high: 200,
  },
  heartRate: {
    code: cc(SYSTEM.LOINC, "8867-4", "Heart rate"),
    value: 72,
    unit: "beats/minute",
    ucum: "/min",
    category: "vital-signs",
    low: 60,
    high: 100,
  },
  bodyWeight: {
    code: cc(SYSTEM.LOINC, "29463-7", "Body weight"),
    value: 78.5,
    unit: "kg",
    ucum: "kg",
    category: "vital-signs",
    low: undefined,
    high: undefined,
  },
} as const;

const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: SYSTEM.UCUM, code });

export function buildObservation(
  ctx: DemoContext,
  kind: keyof typeof OBSERVATIONS = "hba1c",
  value?: number,
): Observation {
  const o = OBSERVATIONS[kind];
  const v = value ?? o.value;
  return {
    resourceType: "Observation",
    status: "final",
    category: [cc(SYSTEM.OBSERVATION_CATEGORY, o.category, o.category === "laboratory" ? "Laboratory" : "Vital Signs")],
    code: o.code,
    subject: ctx.patient,
    effectiveDateTime: iso(ctx),
    issued: iso(ctx),
    ...(ctx.performer ? { performer: [ctx.performer] } : {}),
    valueQuantity: quantity(v, o.unit, o.ucum),
    ...(o.low !== undefined && o.high !== undefined
      ? { referenceRange: [{ low: quantity(o.low, o.unit, o.ucum), high: quantity(o.high, o.unit, o.ucum) }] }
      : {}),
  };
}

/** Blood pressure panel (LOINC 85354-9) with systolic and diastolic components in mm[Hg]. */
export function buildBloodPressure(ctx: DemoContext, systolic = 138, diastolic = 88): Observation {
  return {
    resourceType: "Observation",
    status: "final",
    category: [cc(SYSTEM.OBSERVATION_CATEGORY, "vital-signs", "Vital Signs")],
    code: cc(SYSTEM.LOINC, "85354-9", "Blood pressure panel with all children optional"),
    subject: ctx.patient,
    effectiveDateTime: iso(ctx),
    component: [
      {
        code: cc(SYSTEM.LOINC, "8480-6", "Systolic blood pressure"),
        valueQuantity: quantity(systolic, "mmHg", "mm[Hg]"),
      },
      {
        code: cc(SYSTEM.LOINC, "8462-4", "Diastolic blood pressure"),
        valueQuantity: quantity(diastolic, "mmHg", "mm[Hg]"),
      },
    ],
  };
}

export const VACCINES = {
  influenza: {
    code: cc(SYSTEM.CVX, "140", "Influenza, seasonal, injectable, preservative free"),
    lot: "FLU-2026-0412",
  },
  covid19: {
    code: cc(
      SYSTEM.CVX,
      "208",
      "SARS-COV-2 (COVID-19) vaccine, mRNA, spike protein, LNP, preservative free, 30 mcg/0.3mL dose",
    ),
    lot: "EW0182",
  },
  tdap: { code: cc(SYSTEM.CVX, "115", "Tdap"), lot: "TD-88731" },
} as const;

export function buildImmunization(ctx: DemoContext, kind: keyof typeof VACCINES = "influenza"): Immunization {
  const v = VACCINES[kind];
  return {
    resourceType: "Immunization",
    status: "completed",
    vaccineCode: v.code,
    patient: ctx.patient,
    occurrenceDateTime: iso(ctx),
    recorded: iso(ctx),
    primarySource: true,
    lotNumber: v.lot,
    doseQuantity: quantity(0.5, "mL", "mL"),
  };
}

export function buildDiagnosticReport(
  ctx: DemoContext,
  results: Reference<Observation>[] = [],
  conclusion = "HbA1c above target; glucose mildly elevated.",
): DiagnosticReport {
  return {
    resourceType: "DiagnosticReport",
    status: "final",
    category: [cc(SYSTEM.DIAGNOSTIC_SERVICE, "LAB", "Laboratory")],
    code: cc(SYSTEM.LOINC, "24323-8", "Comprehensive metabolic 2000 panel - Serum or Plasma"),
    subject: ctx.patient,
    effectiveDateTime: iso(ctx),
    issued: iso(ctx),
    ...(ctx.performer ? { performer: [ctx.performer] } : {}),
    ...(results.length ? { result: results } : {}),
    conclusion,
  };
}

/** A minimal, valid one-page PDF, so demo documents open in a viewer. */
export function demoPdf(text = "CareLedger demo document"): Uint8Array {
  const safe = text.replace(/[()\\]/g, "");
  const content = `BT /F1 18 Tf 72 720 Td (${safe}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let pdf = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

export function buildDocumentReference(
  ctx: DemoContext,
  file: { contentType: string; data: Uint8Array; title: string } = {
    contentType: "application/pdf",
    data: demoPdf(),
    title: "Discharge summary",
  },
): DocumentReference {
  return {
    resourceType: "DocumentReference",
    status: "current",
    docStatus: "final",
    type: cc(SYSTEM.LOINC, "18842-5", "Discharge summary"),
    category: [cc(SYSTEM.DOCUMENT_CATEGORY, "clinical-note", "Clinical Note")],
    subject: ctx.patient,
    date: iso(ctx),
    ...(ctx.performer ? { author: [ctx.performer] } : {}),
    description: file.title,
    content: [
      {
        attachment: {
          contentType: file.contentType,
          data: toBase64(file.data),
          size: file.data.length,
          title: file.title,
          creation: iso(ctx),
        },
      },
    ],
  };
}

/** Who the patient is, in the patient's own record (encrypted like any other, never on chain). */
export interface PatientDetails {
  /** The patient's wallet, as an identifier (`walletIdentifier`). */
  identifier: { system: string; value: string };
  given: string[];
  family: string;
  birthDate?: string;
  gender?: "male" | "female" | "other" | "unknown";
}

/**
 * The patient's FHIR Patient resource: the only place a patient's name lives. It is a record of
 * the Encounters category (FHIR's administration module), so only those the patient granted that
 * category read it.
 */
export function buildPatient(details: PatientDetails): Patient {
  return {
    resourceType: "Patient",
    identifier: [details.identifier],
    active: true,
    name: [{ use: "official", given: details.given, family: details.family }],
    ...(details.gender ? { gender: details.gender } : {}),
    ...(details.birthDate ? { birthDate: details.birthDate } : {}),
  };
}

/** "Ben Carter" from a Patient resource's first name (its text, else given and family names). */
export function patientDisplayName(patient: Patient): string | undefined {
  const name = patient.name?.find((n) => n.use === "official") ?? patient.name?.[0];
  if (!name) return undefined;
  const text = name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(" ");
  return text.trim() || undefined;
}

export function buildEncounter(ctx: DemoContext, reason: keyof typeof CONDITIONS = "hypertension"): Encounter {
  const start = iso(ctx);
  const end = new Date(Date.parse(start) + 30 * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  return {
    resourceType: "Encounter",
    status: "finished",
    class: { system: SYSTEM.ACT_CODE, code: "AMB", display: "ambulatory" },
    type: [cc(SYSTEM.SNOMED, "185349003", "Encounter for check up")],
    subject: ctx.patient,
    ...(ctx.performer ? { participant: [{ individual: ctx.performer }] } : {}),
    period: { start, end },
    reasonCode: [CONDITIONS[reason].code],
  };
}

export function buildCoverage(
  ctx: DemoContext & { payor: Reference<Organization>; memberId: string; plan: string; periodEnd?: string },
): Coverage {
  return {
    resourceType: "Coverage",
    status: "active",
    type: cc(SYSTEM.ACT_CODE, "EHCPOL", "extended healthcare"),
    subscriber: ctx.patient,
    subscriberId: ctx.memberId,
    beneficiary: ctx.patient,
    relationship: cc(SYSTEM.SUBSCRIBER_RELATIONSHIP, "self", "Self"),
    period: { start: day(ctx), ...(ctx.periodEnd ? { end: ctx.periodEnd } : {}) },
    payor: [ctx.payor],
    class: [{ type: cc(SYSTEM.COVERAGE_CLASS, "plan", "Plan"), value: ctx.plan, name: ctx.plan }],
  };
}

export function buildClaimResponse(
  ctx: DemoContext & {
    claim: Reference<Claim>;
    insurer: Reference<Organization>;
    submitted: number;
    benefit: number;
    currency?: Money["currency"];
  },
): ClaimResponse {
  const currency = ctx.currency ?? "USD";
  return {
    resourceType: "ClaimResponse",
    status: "active",
    type: cc(SYSTEM.CLAIM_TYPE, "professional", "Professional"),
    use: "claim",
    patient: ctx.patient,
    created: iso(ctx),
    insurer: ctx.insurer,
    request: ctx.claim,
    outcome: "complete",
    disposition: "Claim settled as per contract.",
    item: [
      {
        itemSequence: 1,
        adjudication: [
          {
            category: cc(SYSTEM.ADJUDICATION, "submitted", "Submitted Amount"),
            amount: { value: ctx.submitted, currency },
          },
          { category: cc(SYSTEM.ADJUDICATION, "benefit", "Benefit Amount"), amount: { value: ctx.benefit, currency } },
        ],
      },
    ],
    total: [
      {
        category: cc(SYSTEM.ADJUDICATION, "submitted", "Submitted Amount"),
        amount: { value: ctx.submitted, currency },
      },
      { category: cc(SYSTEM.ADJUDICATION, "benefit", "Benefit Amount"), amount: { value: ctx.benefit, currency } },
    ],
    payment: {
      type: cc(SYSTEM.PAYMENT_TYPE, "complete", "Complete"),
      date: day(ctx),
      amount: { value: ctx.benefit, currency },
    },
  };
}

export function buildBundle(resources: Resource[], type: Bundle["type"] = "collection"): Bundle {
  return {
    resourceType: "Bundle",
    type,
    timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
    entry: resources.map((resource, i) => ({
      fullUrl: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
      resource,
    })),
  };
}

export interface DemoRecord {
  category: Category;
  resource: Resource;
}

/** A plausible patient history across every clinical category, for the seed script. */
export function demoPatientHistory(ctx: DemoContext): DemoRecord[] {
  const at = (daysAgo: number): DemoContext => ({
    ...ctx,
    when: new Date(Date.parse(ctx.when ?? new Date().toISOString()) - daysAgo * 86_400_000)
      .toISOString()
      .replace(/\.\d{3}Z$/, "Z"),
  });
  const resources: Resource[] = [
    buildAllergyIntolerance(at(900), "peanut"),
    buildAllergyIntolerance(at(400), "penicillin"),
    buildCondition(at(700), "hypertension"),
    buildCondition(at(365), "diabetes"),
    buildMedicationStatement(at(690), "amlodipine"),
    buildMedicationStatement(at(360), "metformin"),
    buildImmunization(at(200), "influenza"),
    buildImmunization(at(500), "covid19"),
    buildBloodPressure(at(30)),
    buildObservation(at(30), "hba1c"),
    buildObservation(at(30), "glucose"),
    buildDiagnosticReport(at(29)),
    buildDocumentReference(at(28)),
    buildEncounter(at(30)),
  ];
  return resources.map((resource) => ({ category: categoryForResourceType(resource.resourceType)!, resource }));
}

export type { Claim };
