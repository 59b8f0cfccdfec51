/**
 * A validator for the FHIR R4 resources CareLedger reads and writes. It checks required elements,
 * cardinality, primitive formats, data types and the required-binding codes, and names the
 * offending path in every issue (`Observation.valueQuantity.unit`, `Claim.item[0].sequence`).
 * It is deliberately a profile: a few elements R4 leaves optional are required where the dApp
 * depends on them (UCUM units on quantities, an attachment on every DocumentReference).
 */
import type { Resource } from "@medplum/fhirtypes";
import { CareLedgerError } from "../errors.js";

export interface ValidationIssue {
  path: string;
  message: string;
}

export class FhirValidationError extends CareLedgerError {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      "FHIR_INVALID",
      `invalid FHIR resource: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ""}`,
    );
  }
}

export const UCUM = "http://unitsofmeasure.org";

type Primitive =
  | "string"
  | "code"
  | "uri"
  | "url"
  | "canonical"
  | "id"
  | "markdown"
  | "boolean"
  | "decimal"
  | "integer"
  | "positiveInt"
  | "unsignedInt"
  | "date"
  | "dateTime"
  | "instant"
  | "base64Binary";
type Complex =
  | "Coding"
  | "CodeableConcept"
  | "Reference"
  | "Quantity"
  | "Period"
  | "Attachment"
  | "Identifier"
  | "Money"
  | "Annotation"
  | "HumanName"
  | "Dosage"
  | "Meta"
  | "Narrative"
  | "Resource";
type Field = {
  type: Primitive | Complex | Schema;
  min?: number;
  /** 1 = single value (not an array), '*' = array. */
  max?: 1 | "*";
  codes?: readonly string[];
  /** For CodeableConcepts bound to a required value set: system + allowed codes. */
  binding?: { system: string; codes: readonly string[] };
};
interface Schema {
  [name: string]: Field;
}
interface ResourceSchema {
  fields: Schema;
  /** Choice groups such as value[x]: at most one present; `required` = exactly one. */
  choices?: { name: string; options: readonly string[]; required?: boolean }[];
  invariants?: ((resource: Record<string, unknown>, issue: (path: string, message: string) => void) => void)[];
}

const PATTERNS: Partial<Record<Primitive, RegExp>> = {
  code: /^[^\s]+( [^\s]+)*$/,
  id: /^[A-Za-z0-9\-.]{1,64}$/,
  uri: /^\S+$/,
  url: /^\S+$/,
  canonical: /^\S+$/,
  date: /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?$/,
  dateTime:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1])(T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)))?)?)?$/,
  instant:
    /^([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)-(0[1-9]|1[0-2])-(0[1-9]|[1-2][0-9]|3[0-1])T([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]{1,9})?(Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00))$/,
  base64Binary: /^(\s*([0-9a-zA-Z+/=]){4}\s*)+$/,
};

const one = (type: Field["type"], extra: Partial<Field> = {}): Field => ({ type, max: 1, ...extra });
const req = (type: Field["type"], extra: Partial<Field> = {}): Field => ({ type, min: 1, max: 1, ...extra });
const many = (type: Field["type"], extra: Partial<Field> = {}): Field => ({ type, max: "*", ...extra });

const COMPLEX: Record<Exclude<Complex, "Resource">, Schema> = {
  Coding: {
    system: one("uri"),
    version: one("string"),
    code: one("code"),
    display: one("string"),
    userSelected: one("boolean"),
  },
  CodeableConcept: { coding: many("Coding"), text: one("string") },
  Reference: { reference: one("string"), type: one("uri"), identifier: one("Identifier"), display: one("string") },
  Quantity: {
    value: one("decimal"),
    comparator: one("code", { codes: ["<", "<=", ">=", ">"] }),
    unit: one("string"),
    system: one("uri"),
    code: one("code"),
  },
  Period: { start: one("dateTime"), end: one("dateTime") },
  Attachment: {
    contentType: one("code"),
    language: one("code"),
    data: one("base64Binary"),
    url: one("url"),
    size: one("unsignedInt"),
    hash: one("base64Binary"),
    title: one("string"),
    creation: one("dateTime"),
  },
  Identifier: {
    use: one("code", { codes: ["usual", "official", "temp", "secondary", "old"] }),
    system: one("uri"),
    value: one("string"),
  },
  Money: { value: one("decimal"), currency: one("code") },
  Annotation: { text: req("markdown"), time: one("dateTime"), authorString: one("string") },
  HumanName: {
    use: one("code"),
    text: one("string"),
    family: one("string"),
    given: many("string"),
    prefix: many("string"),
  },
  Dosage: {
    sequence: one("integer"),
    text: one("string"),
    asNeededBoolean: one("boolean"),
    route: one("CodeableConcept"),
  },
  Meta: { versionId: one("id"), lastUpdated: one("instant"), source: one("uri"), profile: many("canonical") },
  Narrative: { status: req("code", { codes: ["generated", "extensions", "additional", "empty"] }), div: req("string") },
};

/** Checks a complex datatype's own rules beyond its element list. */
function checkComplexRules(
  type: Complex,
  value: Record<string, unknown>,
  path: string,
  issue: (p: string, m: string) => void,
) {
  switch (type) {
    case "CodeableConcept":
      if (!value.coding && !value.text) issue(path, "a CodeableConcept needs at least one coding or a text");
      break;
    case "Coding":
      if (value.code !== undefined && value.system === undefined)
        issue(`${path}.system`, "a coded value needs its code system");
      break;
    case "Reference":
      if (!value.reference && !value.identifier && !value.display)
        issue(path, "a Reference needs a reference, identifier or display");
      break;
    case "Period":
      if (typeof value.start === "string" && typeof value.end === "string" && value.start > value.end) {
        issue(`${path}.end`, "period ends before it starts");
      }
      break;
    case "Attachment":
      if (value.data !== undefined && value.contentType === undefined)
        issue(`${path}.contentType`, "attachment data needs a contentType");
      if (value.data === undefined && value.url === undefined) issue(path, "an attachment needs data or a url");
      break;
    case "Money":
      if (value.value === undefined) issue(`${path}.value`, "an amount is required");
      if (typeof value.currency === "string" && !/^[A-Z]{3}$/.test(value.currency))
        issue(`${path}.currency`, "not an ISO 4217 currency code");
      break;
    case "Quantity":
      if (value.value === undefined) issue(`${path}.value`, "a quantity needs a value");
      if (value.unit === undefined) issue(`${path}.unit`, "a quantity needs a human-readable unit");
      if (value.system !== UCUM) issue(`${path}.system`, `quantities must be coded in UCUM (${UCUM})`);
      if (value.code === undefined) issue(`${path}.code`, "a quantity needs its UCUM unit code");
      break;
    default:
  }
}

const CLINICAL_STATUS = {
  system: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  codes: ["active", "recurrence", "relapse", "inactive", "remission", "resolved"],
};
const ALLERGY_CLINICAL = {
  system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
  codes: ["active", "inactive", "resolved"],
};
const ALLERGY_VERIFICATION = {
  system: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
  codes: ["unconfirmed", "confirmed", "refuted", "entered-in-error"],
};
const CONDITION_VERIFICATION = {
  system: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  codes: ["unconfirmed", "provisional", "differential", "confirmed", "refuted", "entered-in-error"],
};
const FINANCIAL_STATUS = ["active", "cancelled", "draft", "entered-in-error"];
const CLAIM_USE = ["claim", "preauthorization", "predetermination"];

const base: Schema = {
  id: one("id"),
  meta: one("Meta"),
  language: one("code"),
  text: one("Narrative"),
  identifier: many("Identifier"),
};

export const SCHEMAS: Record<string, ResourceSchema> = {
  Patient: {
    fields: {
      ...base,
      active: one("boolean"),
      name: many("HumanName"),
      gender: one("code", { codes: ["male", "female", "other", "unknown"] }),
      birthDate: one("date"),
    },
  },
  AllergyIntolerance: {
    fields: {
      ...base,
      clinicalStatus: one("CodeableConcept", { binding: ALLERGY_CLINICAL }),
      verificationStatus: one("CodeableConcept", { binding: ALLERGY_VERIFICATION }),
      type: one("code", { codes: ["allergy", "intolerance"] }),
      category: many("code", { codes: ["food", "medication", "environment", "biologic"] }),
      criticality: one("code", { codes: ["low", "high", "unable-to-assess"] }),
      code: one("CodeableConcept"),
      patient: req("Reference"),
      onsetDateTime: one("dateTime"),
      recordedDate: one("dateTime"),
      recorder: one("Reference"),
      note: many("Annotation"),
      reaction: many({
        substance: one("CodeableConcept"),
        manifestation: { type: "CodeableConcept", min: 1, max: "*" },
        description: one("string"),
        onset: one("dateTime"),
        severity: one("code", { codes: ["mild", "moderate", "severe"] }),
      }),
    },
    invariants: [
      (r, issue) => {
        const status = (r.clinicalStatus as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
        const verification = (r.verificationStatus as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
        if (verification === "entered-in-error" && status)
          issue(
            "AllergyIntolerance.clinicalStatus",
            "must be absent when verificationStatus is entered-in-error (ait-1)",
          );
        if (verification !== "entered-in-error" && !status)
          issue("AllergyIntolerance.clinicalStatus", "required unless verificationStatus is entered-in-error (ait-1)");
      },
    ],
  },
  MedicationStatement: {
    fields: {
      ...base,
      status: req("code", {
        codes: ["active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"],
      }),
      medicationCodeableConcept: one("CodeableConcept"),
      medicationReference: one("Reference"),
      subject: req("Reference"),
      effectiveDateTime: one("dateTime"),
      effectivePeriod: one("Period"),
      dateAsserted: one("dateTime"),
      informationSource: one("Reference"),
      reasonCode: many("CodeableConcept"),
      note: many("Annotation"),
      dosage: many("Dosage"),
    },
    choices: [
      { name: "medication[x]", options: ["medicationCodeableConcept", "medicationReference"], required: true },
      { name: "effective[x]", options: ["effectiveDateTime", "effectivePeriod"] },
    ],
  },
  Condition: {
    fields: {
      ...base,
      clinicalStatus: one("CodeableConcept", { binding: CLINICAL_STATUS }),
      verificationStatus: one("CodeableConcept", { binding: CONDITION_VERIFICATION }),
      category: many("CodeableConcept"),
      severity: one("CodeableConcept"),
      code: one("CodeableConcept"),
      bodySite: many("CodeableConcept"),
      subject: req("Reference"),
      encounter: one("Reference"),
      onsetDateTime: one("dateTime"),
      onsetString: one("string"),
      abatementDateTime: one("dateTime"),
      recordedDate: one("dateTime"),
      recorder: one("Reference"),
      note: many("Annotation"),
    },
    choices: [{ name: "onset[x]", options: ["onsetDateTime", "onsetString"] }],
  },
  Observation: {
    fields: {
      ...base,
      status: req("code", {
        codes: [
          "registered",
          "preliminary",
          "final",
          "amended",
          "corrected",
          "cancelled",
          "entered-in-error",
          "unknown",
        ],
      }),
      category: many("CodeableConcept"),
      code: req("CodeableConcept"),
      subject: one("Reference"),
      encounter: one("Reference"),
      effectiveDateTime: one("dateTime"),
      effectivePeriod: one("Period"),
      issued: one("instant"),
      performer: many("Reference"),
      valueQuantity: one("Quantity"),
      valueCodeableConcept: one("CodeableConcept"),
      valueString: one("string"),
      valueBoolean: one("boolean"),
      valueInteger: one("integer"),
      dataAbsentReason: one("CodeableConcept"),
      interpretation: many("CodeableConcept"),
      note: many("Annotation"),
      referenceRange: many({ low: one("Quantity"), high: one("Quantity"), text: one("string") }),
      component: many({
        code: req("CodeableConcept"),
        valueQuantity: one("Quantity"),
        valueCodeableConcept: one("CodeableConcept"),
        valueString: one("string"),
        interpretation: many("CodeableConcept"),
      }),
    },
    choices: [
      { name: "effective[x]", options: ["effectiveDateTime", "effectivePeriod"] },
      {
        name: "value[x]",
        options: ["valueQuantity", "valueCodeableConcept", "valueString", "valueBoolean", "valueInteger"],
      },
    ],
    invariants: [
      (r, issue) => {
        if (r.dataAbsentReason && Object.keys(r).some((k) => k.startsWith("value"))) {
          issue("Observation.dataAbsentReason", "only allowed when there is no value[x] (obs-6)");
        }
      },
    ],
  },
  Immunization: {
    fields: {
      ...base,
      status: req("code", { codes: ["completed", "entered-in-error", "not-done"] }),
      statusReason: one("CodeableConcept"),
      vaccineCode: req("CodeableConcept"),
      patient: req("Reference"),
      encounter: one("Reference"),
      occurrenceDateTime: one("dateTime"),
      occurrenceString: one("string"),
      recorded: one("dateTime"),
      primarySource: one("boolean"),
      lotNumber: one("string"),
      expirationDate: one("date"),
      site: one("CodeableConcept"),
      route: one("CodeableConcept"),
      doseQuantity: one("Quantity"),
      note: many("Annotation"),
      protocolApplied: many({
        series: one("string"),
        doseNumberPositiveInt: one("positiveInt"),
        seriesDosesPositiveInt: one("positiveInt"),
      }),
    },
    choices: [{ name: "occurrence[x]", options: ["occurrenceDateTime", "occurrenceString"], required: true }],
  },
  DiagnosticReport: {
    fields: {
      ...base,
      status: req("code", {
        codes: [
          "registered",
          "partial",
          "preliminary",
          "final",
          "amended",
          "corrected",
          "appended",
          "cancelled",
          "entered-in-error",
          "unknown",
        ],
      }),
      category: many("CodeableConcept"),
      code: req("CodeableConcept"),
      subject: one("Reference"),
      encounter: one("Reference"),
      effectiveDateTime: one("dateTime"),
      effectivePeriod: one("Period"),
      issued: one("instant"),
      performer: many("Reference"),
      result: many("Reference"),
      conclusion: one("string"),
      conclusionCode: many("CodeableConcept"),
      presentedForm: many("Attachment"),
    },
    choices: [{ name: "effective[x]", options: ["effectiveDateTime", "effectivePeriod"] }],
  },
  DocumentReference: {
    fields: {
      ...base,
      status: req("code", { codes: ["current", "superseded", "entered-in-error"] }),
      docStatus: one("code", { codes: ["preliminary", "final", "amended", "entered-in-error"] }),
      type: one("CodeableConcept"),
      category: many("CodeableConcept"),
      subject: one("Reference"),
      date: one("instant"),
      author: many("Reference"),
      description: one("string"),
      content: { type: { attachment: req("Attachment"), format: one("Coding") }, min: 1, max: "*" },
    },
  },
  Encounter: {
    fields: {
      ...base,
      status: req("code", {
        codes: [
          "planned",
          "arrived",
          "triaged",
          "in-progress",
          "onleave",
          "finished",
          "cancelled",
          "entered-in-error",
          "unknown",
        ],
      }),
      class: req("Coding"),
      type: many("CodeableConcept"),
      serviceType: one("CodeableConcept"),
      priority: one("CodeableConcept"),
      subject: one("Reference"),
      participant: many({ type: many("CodeableConcept"), individual: one("Reference"), period: one("Period") }),
      period: one("Period"),
      reasonCode: many("CodeableConcept"),
      diagnosis: many({ condition: req("Reference"), use: one("CodeableConcept"), rank: one("positiveInt") }),
      serviceProvider: one("Reference"),
    },
  },
  Claim: {
    fields: {
      ...base,
      status: req("code", { codes: FINANCIAL_STATUS }),
      type: req("CodeableConcept"),
      use: req("code", { codes: CLAIM_USE }),
      patient: req("Reference"),
      billablePeriod: one("Period"),
      created: req("dateTime"),
      insurer: one("Reference"),
      provider: req("Reference"),
      priority: req("CodeableConcept"),
      prescription: one("Reference"),
      referral: one("Reference"),
      supportingInfo: many({
        sequence: req("positiveInt"),
        category: req("CodeableConcept"),
        code: one("CodeableConcept"),
        valueReference: one("Reference"),
        valueString: one("string"),
      }),
      diagnosis: many({
        sequence: req("positiveInt"),
        diagnosisCodeableConcept: one("CodeableConcept"),
        diagnosisReference: one("Reference"),
        type: many("CodeableConcept"),
      }),
      procedure: many({
        sequence: req("positiveInt"),
        date: one("dateTime"),
        procedureCodeableConcept: one("CodeableConcept"),
      }),
      insurance: {
        type: {
          sequence: req("positiveInt"),
          focal: req("boolean"),
          coverage: req("Reference"),
          preAuthRef: many("string"),
        },
        min: 1,
        max: "*",
      },
      item: many({
        sequence: req("positiveInt"),
        diagnosisSequence: many("positiveInt"),
        productOrService: req("CodeableConcept"),
        servicedDate: one("date"),
        quantity: one("Quantity"),
        unitPrice: one("Money"),
        net: one("Money"),
      }),
      total: one("Money"),
    },
  },
  ClaimResponse: {
    fields: {
      ...base,
      status: req("code", { codes: FINANCIAL_STATUS }),
      type: req("CodeableConcept"),
      use: req("code", { codes: CLAIM_USE }),
      patient: req("Reference"),
      created: req("dateTime"),
      insurer: req("Reference"),
      requestor: one("Reference"),
      request: one("Reference"),
      outcome: req("code", { codes: ["queued", "complete", "error", "partial"] }),
      disposition: one("string"),
      preAuthRef: one("string"),
      item: many({
        itemSequence: req("positiveInt"),
        adjudication: {
          type: {
            category: req("CodeableConcept"),
            reason: one("CodeableConcept"),
            amount: one("Money"),
            value: one("decimal"),
          },
          min: 1,
          max: "*",
        },
      }),
      total: many({ category: req("CodeableConcept"), amount: req("Money") }),
      payment: one({ type: req("CodeableConcept"), date: one("date"), amount: req("Money") }),
    },
  },
  Coverage: {
    fields: {
      ...base,
      status: req("code", { codes: FINANCIAL_STATUS }),
      type: one("CodeableConcept"),
      subscriber: one("Reference"),
      subscriberId: one("string"),
      beneficiary: req("Reference"),
      relationship: one("CodeableConcept"),
      period: one("Period"),
      payor: { type: "Reference", min: 1, max: "*" },
      class: many({ type: req("CodeableConcept"), value: req("string"), name: one("string") }),
      order: one("positiveInt"),
    },
  },
  Consent: {
    fields: {
      ...base,
      status: req("code", { codes: ["draft", "proposed", "active", "rejected", "inactive", "entered-in-error"] }),
      scope: req("CodeableConcept"),
      category: { type: "CodeableConcept", min: 1, max: "*" },
      patient: one("Reference"),
      dateTime: one("dateTime"),
      performer: many("Reference"),
      organization: many("Reference"),
      policy: many({ authority: one("uri"), uri: one("uri") }),
      policyRule: one("CodeableConcept"),
      provision: one({
        type: one("code", { codes: ["deny", "permit"] }),
        period: one("Period"),
        actor: many({ role: req("CodeableConcept"), reference: req("Reference") }),
        action: many("CodeableConcept"),
        purpose: many("Coding"),
        class: many("Coding"),
        code: many("CodeableConcept"),
        dataPeriod: one("Period"),
      }),
    },
    invariants: [
      (r, issue) => {
        if (!r.policy && !r.policyRule) issue("Consent.policyRule", "either policy or policyRule is required (ppc-1)");
      },
    ],
  },
  Bundle: {
    fields: {
      ...base,
      identifier: one("Identifier"),
      type: req("code", {
        codes: [
          "document",
          "message",
          "transaction",
          "transaction-response",
          "batch",
          "batch-response",
          "history",
          "searchset",
          "collection",
        ],
      }),
      timestamp: one("instant"),
      total: one("unsignedInt"),
      entry: many({
        fullUrl: one("uri"),
        resource: one("Resource"),
        request: one({
          method: req("code", { codes: ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"] }),
          url: req("uri"),
        }),
      }),
    },
    invariants: [
      (r, issue) => {
        if (r.type === "document" && !r.timestamp)
          issue("Bundle.timestamp", "a document Bundle needs a timestamp (bdl-10)");
      },
    ],
  },
};

export const SUPPORTED_RESOURCE_TYPES = Object.keys(SCHEMAS) as readonly string[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkPrimitive(
  type: Primitive,
  value: unknown,
  path: string,
  issue: (p: string, m: string) => void,
  codes?: readonly string[],
) {
  switch (type) {
    case "boolean":
      if (typeof value !== "boolean") issue(path, `expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case "decimal":
      if (typeof value !== "number" || !Number.isFinite(value))
        issue(path, `expected a decimal number, got ${JSON.stringify(value)}`);
      return;
    case "integer":
    case "positiveInt":
    case "unsignedInt": {
      const min = type === "positiveInt" ? 1 : type === "unsignedInt" ? 0 : -2147483648;
      if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > 2147483647) {
        issue(path, `expected ${type === "integer" ? "an integer" : `a ${type}`}, got ${JSON.stringify(value)}`);
      }
      return;
    }
    default:
      if (typeof value !== "string") {
        issue(path, `expected a ${type} string, got ${JSON.stringify(value)}`);
        return;
      }
      if (value.trim() === "") {
        issue(path, "empty strings are not allowed in FHIR");
        return;
      }
      if (PATTERNS[type] && !PATTERNS[type]!.test(value)) issue(path, `"${value.slice(0, 40)}" is not a valid ${type}`);
      else if (codes && !codes.includes(value)) issue(path, `"${value}" is not one of ${codes.join(" | ")}`);
  }
}

function checkValue(field: Field, value: unknown, path: string, issue: (p: string, m: string) => void) {
  const { type } = field;
  if (typeof type === "string" && !(type in COMPLEX) && type !== "Resource") {
    checkPrimitive(type as Primitive, value, path, issue, field.codes);
    return;
  }
  if (!isPlainObject(value)) {
    issue(
      path,
      `expected ${typeof type === "string" ? `a ${type}` : "an object"}, got ${JSON.stringify(value)?.slice(0, 40)}`,
    );
    return;
  }
  if (type === "Resource") {
    validateInto(value, path, issue);
    return;
  }
  const schema = typeof type === "string" ? COMPLEX[type as Exclude<Complex, "Resource">] : type;
  checkFields(schema, value, path, issue);
  if (typeof type === "string") checkComplexRules(type as Complex, value, path, issue);
  if (field.binding && type === "CodeableConcept") {
    const codings = (value.coding as { system?: string; code?: string }[] | undefined) ?? [];
    const bound = codings.filter((c) => c.system === field.binding!.system);
    if (bound.length === 0) issue(`${path}.coding`, `needs a coding from ${field.binding.system}`);
    for (const [i, c] of codings.entries()) {
      if (c.system === field.binding.system && !field.binding.codes.includes(String(c.code))) {
        issue(`${path}.coding[${i}].code`, `"${c.code}" is not one of ${field.binding.codes.join(" | ")}`);
      }
    }
  }
}

function checkFields(
  schema: Schema,
  value: Record<string, unknown>,
  path: string,
  issue: (p: string, m: string) => void,
) {
  for (const [name, field] of Object.entries(schema)) {
    const present = value[name];
    const fieldPath = `${path}.${name}`;
    const min = field.min ?? 0;
    if (present === undefined || present === null) {
      if (present === null) issue(fieldPath, "null is not allowed in FHIR JSON; omit the element");
      else if (min > 0) issue(fieldPath, `is required (min cardinality ${min})`);
      continue;
    }
    if (field.max === "*") {
      if (!Array.isArray(present)) {
        issue(fieldPath, "must be an array (cardinality 0..*)");
        continue;
      }
      if (present.length < min) issue(fieldPath, `needs at least ${min} item(s)`);
      if (present.length === 0) issue(fieldPath, "empty arrays are not allowed in FHIR; omit the element");
      present.forEach((item, i) => checkValue(field, item, `${fieldPath}[${i}]`, issue));
    } else {
      if (Array.isArray(present)) {
        issue(fieldPath, "must be a single value (cardinality ..1), not an array");
        continue;
      }
      checkValue(field, present, fieldPath, issue);
    }
  }
}

function validateInto(
  resource: Record<string, unknown>,
  path: string | undefined,
  issue: (p: string, m: string) => void,
) {
  const type = resource.resourceType;
  if (typeof type !== "string") {
    issue(path ?? "Resource", "resourceType is missing");
    return;
  }
  const schema = SCHEMAS[type];
  const root = path ?? type;
  if (!schema) {
    issue(`${root}.resourceType`, `${type} is not a supported resource type (${SUPPORTED_RESOURCE_TYPES.join(", ")})`);
    return;
  }
  checkFields(schema.fields, resource, root, issue);
  for (const choice of schema.choices ?? []) {
    const present = choice.options.filter((o) => resource[o] !== undefined);
    if (present.length > 1)
      issue(`${root}.${present[1]}`, `only one ${choice.name} is allowed, found ${present.join(" and ")}`);
    if (choice.required && present.length === 0)
      issue(`${root}.${choice.name}`, `is required (one of ${choice.options.join(", ")})`);
  }
  // Invariants speak in root-relative paths ("Consent.policyRule"); rebase them for nested resources.
  for (const invariant of schema.invariants ?? []) {
    invariant(resource, (p, m) => issue(path ? p.replace(new RegExp(`^${type}`), path) : p, m));
  }
}

/** All problems found, each naming its path; empty when the resource is valid. */
export function validateResource(resource: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (!isPlainObject(resource)) return [{ path: "Resource", message: "a FHIR resource must be a JSON object" }];
  validateInto(resource, undefined, (path, message) => issues.push({ path, message }));
  return issues;
}

/** Returns the resource typed, or throws FhirValidationError listing every issue. */
export function assertValidResource<T extends Resource = Resource>(resource: unknown): T {
  const issues = validateResource(resource);
  if (issues.length > 0) throw new FhirValidationError(issues);
  return resource as T;
}
