import { Category } from "@careledger/sdk/protocol/constants";

/** The record kinds a provider can write through a form, with their fields and category. */
export type FieldSpec = {
  name: string;
  label: string;
  hint?: string;
  type?: "text" | "number" | "date" | "select" | "textarea";
  options?: readonly { value: string; label: string }[];
  optional?: boolean;
};

export type RecordKind = "allergy" | "medication" | "condition" | "lab" | "immunization" | "encounter";

export const RECORD_KINDS: Record<RecordKind, { label: string; category: number; fields: readonly FieldSpec[] }> = {
  allergy: {
    label: "Allergy",
    category: Category.Allergies,
    fields: [
      { name: "substance", label: "Substance", hint: "What the patient is allergic to, e.g. Penicillin." },
      { name: "reaction", label: "Reaction", hint: "e.g. Hives, Anaphylaxis.", optional: true },
      {
        name: "criticality",
        label: "Criticality",
        type: "select",
        options: [
          { value: "low", label: "Low" },
          { value: "high", label: "High" },
          { value: "unable-to-assess", label: "Unable to assess" },
        ],
      },
    ],
  },
  medication: {
    label: "Medication",
    category: Category.Medications,
    fields: [
      { name: "medication", label: "Medication", hint: "Name and strength, e.g. Amlodipine 5 mg tablet." },
      { name: "dosage", label: "Dosage instructions", hint: "e.g. 1 tablet by mouth once daily." },
    ],
  },
  condition: {
    label: "Condition",
    category: Category.Conditions,
    fields: [
      { name: "condition", label: "Condition", hint: "e.g. Essential hypertension." },
      { name: "onset", label: "Onset date", type: "date", optional: true },
    ],
  },
  lab: {
    label: "Lab result",
    category: Category.Observations,
    fields: [
      { name: "test", label: "Test", hint: "e.g. Hemoglobin A1c." },
      { name: "loinc", label: "LOINC code", hint: "Optional, e.g. 4548-4.", optional: true },
      { name: "value", label: "Value", type: "number", hint: "A number, e.g. 6.8." },
      { name: "unit", label: "Unit (UCUM)", hint: "A UCUM unit code, e.g. %, mg/dL, mmol/L." },
      { name: "date", label: "Date taken", type: "date" },
    ],
  },
  immunization: {
    label: "Immunisation",
    category: Category.Immunizations,
    fields: [
      { name: "vaccine", label: "Vaccine", hint: "e.g. Influenza, seasonal." },
      { name: "date", label: "Date given", type: "date" },
      { name: "lot", label: "Lot number", optional: true },
    ],
  },
  encounter: {
    label: "Encounter note",
    category: Category.Encounters,
    fields: [
      { name: "reason", label: "Reason for visit" },
      { name: "date", label: "Date of visit", type: "date" },
      { name: "note", label: "Note", type: "textarea", hint: "What happened at the visit." },
    ],
  },
};

const dayTime = (day: string | undefined) =>
  day ? `${day}T12:00:00Z` : new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
const text = (value: string | undefined) => ({ text: (value ?? "").trim() });
const UCUM = "http://unitsofmeasure.org";

/** Builds the FHIR R4 resource for a form's values (validated afterwards by the SDK). */
export function buildResource(
  kind: RecordKind,
  values: Record<string, string>,
  refs: { patient: object; author: object },
): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  switch (kind) {
    case "allergy":
      return {
        resourceType: "AllergyIntolerance",
        clinicalStatus: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", code: "active" }],
        },
        verificationStatus: {
          coding: [
            { system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", code: "confirmed" },
          ],
        },
        criticality: values.criticality || undefined,
        code: text(values.substance),
        patient: refs.patient,
        recordedDate: now,
        recorder: refs.author,
        ...(values.reaction?.trim() ? { reaction: [{ manifestation: [text(values.reaction)] }] } : {}),
      };
    case "medication":
      return {
        resourceType: "MedicationStatement",
        status: "active",
        medicationCodeableConcept: text(values.medication),
        subject: refs.patient,
        dateAsserted: now,
        informationSource: refs.author,
        dosage: [{ text: values.dosage?.trim() }],
      };
    case "condition":
      return {
        resourceType: "Condition",
        clinicalStatus: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "active" }],
        },
        code: text(values.condition),
        subject: refs.patient,
        ...(values.onset ? { onsetDateTime: dayTime(values.onset) } : {}),
        recordedDate: now,
        recorder: refs.author,
      };
    case "lab": {
      const value = values.value?.trim() ? Number(values.value) : undefined;
      return {
        resourceType: "Observation",
        status: "final",
        category: [
          {
            coding: [
              {
                system: "http://terminology.hl7.org/CodeSystem/observation-category",
                code: "laboratory",
                display: "Laboratory",
              },
            ],
          },
        ],
        code: values.loinc?.trim()
          ? { coding: [{ system: "http://loinc.org", code: values.loinc.trim() }], text: values.test?.trim() }
          : text(values.test),
        subject: refs.patient,
        effectiveDateTime: dayTime(values.date),
        issued: now,
        performer: [refs.author],
        valueQuantity: {
          value: Number.isFinite(value) ? value : undefined,
          unit: values.unit?.trim() || undefined,
          system: UCUM,
          code: values.unit?.trim() || undefined,
        },
      };
    }
    case "immunization":
      return {
        resourceType: "Immunization",
        status: "completed",
        vaccineCode: text(values.vaccine),
        patient: refs.patient,
        occurrenceDateTime: dayTime(values.date),
        recorded: now,
        primarySource: true,
        ...(values.lot?.trim() ? { lotNumber: values.lot.trim() } : {}),
      };
    case "encounter":
      return {
        resourceType: "Encounter",
        status: "finished",
        class: { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "AMB", display: "ambulatory" },
        type: [text(values.note)],
        subject: refs.patient,
        participant: [{ individual: refs.author }],
        period: { start: dayTime(values.date) },
        reasonCode: [text(values.reason)],
      };
  }
}

/**
 * The form values a resource was built from: the inverse of {@link buildResource}, so that an
 * amendment starts from the current version. Fields the resource lacks stay empty.
 */
export function formValuesOf(kind: RecordKind, resource: Record<string, unknown>): Record<string, string> {
  type Concept = { text?: string; coding?: { code?: string; display?: string }[] };
  const conceptText = (c: unknown) => {
    const concept = c as Concept | undefined;
    return concept?.text ?? concept?.coding?.[0]?.display ?? concept?.coding?.[0]?.code ?? "";
  };
  const day = (value: unknown) => (typeof value === "string" ? value.slice(0, 10) : "");
  const r = resource as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const values: Record<string, string | undefined> = (() => {
    switch (kind) {
      case "allergy":
        return {
          substance: conceptText(r.code),
          reaction: conceptText(r.reaction?.[0]?.manifestation?.[0]),
          criticality: r.criticality,
        };
      case "medication":
        return { medication: conceptText(r.medicationCodeableConcept), dosage: r.dosage?.[0]?.text };
      case "condition":
        return { condition: conceptText(r.code), onset: day(r.onsetDateTime) };
      case "lab": {
        const loinc = (r.code?.coding as Concept["coding"])?.find((c) => c.code)?.code;
        return {
          test: r.code?.text ?? "",
          loinc,
          value: r.valueQuantity?.value === undefined ? "" : String(r.valueQuantity.value),
          unit: r.valueQuantity?.code ?? r.valueQuantity?.unit,
          date: day(r.effectiveDateTime),
        };
      }
      case "immunization":
        return { vaccine: conceptText(r.vaccineCode), date: day(r.occurrenceDateTime), lot: r.lotNumber };
      case "encounter":
        return { reason: conceptText(r.reasonCode?.[0]), date: day(r.period?.start), note: conceptText(r.type?.[0]) };
    }
  })();
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => Boolean(e[1])));
}

/** Checks the form's own fields (required, numbers, dates) before the resource is built. */
export function checkFormValues(kind: RecordKind, values: Record<string, string>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of RECORD_KINDS[kind].fields) {
    const value = values[field.name]?.trim() ?? "";
    if (!value && !field.optional) errors[field.name] = `${field.label} is required.`;
    else if (value && field.type === "number" && !Number.isFinite(Number(value)))
      errors[field.name] = `${field.label} must be a number.`;
    else if (value && field.type === "date" && value > new Date().toISOString().slice(0, 10))
      errors[field.name] = `${field.label} cannot be in the future.`;
  }
  if (kind === "lab" && values.unit?.trim() && !/^[^\s]+$/.test(values.unit.trim()))
    errors.unit = "Use a UCUM unit code without spaces, e.g. mg/dL.";
  return errors;
}

/** Which form field a FHIR validation issue path is about (so the error shows next to it). */
export function fieldOfIssue(kind: RecordKind, path: string): string | undefined {
  const map: Record<RecordKind, [RegExp, string][]> = {
    allergy: [
      [/\.code/, "substance"],
      [/reaction/, "reaction"],
      [/criticality/, "criticality"],
    ],
    medication: [
      [/medication/, "medication"],
      [/dosage/, "dosage"],
    ],
    condition: [
      [/\.code/, "condition"],
      [/onset/, "onset"],
    ],
    lab: [
      [/valueQuantity\.(code|unit|system)/, "unit"],
      [/valueQuantity/, "value"],
      [/\.code/, "test"],
      [/effective/, "date"],
    ],
    immunization: [
      [/vaccineCode/, "vaccine"],
      [/occurrence/, "date"],
      [/lot/, "lot"],
    ],
    encounter: [
      [/reasonCode/, "reason"],
      [/period/, "date"],
      [/type/, "note"],
    ],
  };
  return map[kind].find(([re]) => re.test(path))?.[1];
}
