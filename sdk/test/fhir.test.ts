import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import type { Observation } from "@medplum/fhirtypes";
import {
  assertValidResource,
  buildAllergyIntolerance,
  buildBloodPressure,
  buildBundle,
  buildClaimResponse,
  buildCondition,
  buildCoverage,
  buildDiagnosticReport,
  buildDocumentReference,
  buildEncounter,
  buildImmunization,
  buildMedicationStatement,
  buildObservation,
  buildPatient,
  claimToFhirClaim,
  consentGrantToFhirConsent,
  demoPatientHistory,
  FhirValidationError,
  MAX_INLINE_ATTACHMENT_BYTES,
  SUPPORTED_RESOURCE_TYPES,
  OBSERVATIONS,
  patientDisplayName,
  tokenAmountToMoney,
  walletIdentifier,
  validateResource,
  type DemoContext,
} from "../src/fhir/index.js";
import r4 from "../src/fhir/r4.generated.js";
import { Category, EMERGENCY_SCOPE, Purpose } from "../src/protocol/constants.js";
import { categoryOf } from "../src/records.js";

const ctx: DemoContext = {
  patient: { reference: "Patient/p1", display: "Alex Doe" },
  performer: { reference: "Practitioner/dr1" },
  when: "2026-03-04T10:15:00Z",
};
const paths = async (resource: unknown) => (await validateResource(resource)).map((i) => i.path);

describe("FHIR builders", () => {
  const built = {
    AllergyIntolerance: buildAllergyIntolerance(ctx, "penicillin"),
    MedicationStatement: buildMedicationStatement(ctx, "metformin"),
    Condition: buildCondition(ctx, "diabetes"),
    Observation: buildObservation(ctx, "glucose"),
    BloodPressure: buildBloodPressure(ctx),
    Immunization: buildImmunization(ctx, "covid19"),
    DiagnosticReport: buildDiagnosticReport(ctx, [{ reference: "Observation/o1" }]),
    DocumentReference: buildDocumentReference(ctx),
    Encounter: buildEncounter(ctx),
    Coverage: buildCoverage({
      ...ctx,
      payor: { reference: "Organization/ins1" },
      memberId: "M-1001",
      plan: "Gold PPO",
    }),
    ClaimResponse: buildClaimResponse({
      ...ctx,
      claim: { reference: "Claim/c1" },
      insurer: { reference: "Organization/ins1" },
      submitted: 120,
      benefit: 96,
    }),
  };
  for (const [name, resource] of Object.entries(built)) {
    it(`builds a valid ${name}`, async () => assert.deepEqual(await validateResource(resource), []));
  }

  it("writes the patient's own Patient record: valid, in the Encounters category, read back as one name", async () => {
    const patient = buildPatient({
      identifier: walletIdentifier("0x00000000000000000000000000000000000000b5", 31337),
      given: ["Ben"],
      family: "Carter",
      birthDate: "1985-07-02",
      gender: "male",
    });
    assert.deepEqual(await validateResource(patient), []);
    assert.equal(categoryOf(patient), Category.Encounters);
    assert.equal(patientDisplayName(patient), "Ben Carter");
    assert.equal(patientDisplayName({ resourceType: "Patient", name: [{ text: "Chloe N." }] }), "Chloe N.");
    assert.equal(patientDisplayName({ resourceType: "Patient" }), undefined);
    assert.equal(patientDisplayName({ resourceType: "Patient", name: [{ given: [" "] }] }), undefined);
  });

  it("codes observations in LOINC with UCUM units", async () => {
    for (const kind of Object.keys(OBSERVATIONS) as (keyof typeof OBSERVATIONS)[]) {
      const o = buildObservation(ctx, kind);
      assert.equal(o.code.coding?.[0]?.system, "http://loinc.org");
      assert.equal(o.valueQuantity?.system, "http://unitsofmeasure.org");
    }
    assert.equal(buildBloodPressure(ctx).component?.[0]?.valueQuantity?.code, "mm[Hg]");
  });

  it("gives a demo history covering the clinical categories, every record valid", async () => {
    const history = demoPatientHistory(ctx);
    for (const record of history)
      assert.deepEqual(await validateResource(record.resource), [], record.resource.resourceType);
    const categories = new Set(history.map((r) => r.category));
    for (const c of [0, 1, 2, 3, 4, 5, 6, 7]) assert.ok(categories.has(c as Category), `category ${c}`);
    assert.deepEqual(await validateResource(buildBundle(history.map((r) => r.resource))), []);
  });
});

describe("FHIR validation names the offending path", () => {
  it("Observation.valueQuantity.unit when the unit is missing", async () => {
    const o = buildObservation(ctx) as Observation;
    delete o.valueQuantity!.unit;
    assert.deepEqual(await paths(o), ["Observation.valueQuantity.unit"]);
    const error = await assertValidResource(o).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof FhirValidationError);
    assert.match(error.message, /Observation\.valueQuantity\.unit/);
  });

  it("required elements, codes and types", async () => {
    assert.deepEqual(await paths({ resourceType: "Observation", code: { text: "x" } }), ["Observation.status"]);
    assert.deepEqual(await paths({ ...buildObservation(ctx), status: "done" }), ["Observation.status"]);
    assert.deepEqual(
      await paths({
        ...buildObservation(ctx),
        valueQuantity: { value: "6.8", unit: "%", system: "http://unitsofmeasure.org", code: "%" },
      }),
      ["Observation.valueQuantity.value"],
    );
    assert.deepEqual(await paths({ ...buildObservation(ctx), effectiveDateTime: "04/03/2026" }), [
      "Observation.effectiveDateTime",
    ]);
    assert.deepEqual(await paths({ ...buildImmunization(ctx), occurrenceDateTime: undefined }), [
      "Immunization.occurrence[x]",
    ]);
    assert.deepEqual(
      await paths({
        ...buildCondition(ctx),
        clinicalStatus: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "cured" }],
        },
      }),
      ["Condition.clinicalStatus.coding[0].code"],
    );
  });

  it("cardinality: arrays, single values, min occurrences", async () => {
    assert.deepEqual(await paths({ ...buildObservation(ctx), category: { text: "lab" } }), ["Observation.category"]);
    assert.deepEqual(await paths({ ...buildObservation(ctx), code: [{ text: "a" }] }), ["Observation.code"]);
    assert.deepEqual(await paths({ ...buildDocumentReference(ctx), content: [] }), [
      "Observation.content".replace("Observation", "DocumentReference"),
      "DocumentReference.content",
    ]);
    assert.deepEqual(await paths({ ...buildObservation(ctx), valueString: "high" }), ["Observation.valueString"]);
  });

  it("DocumentReference needs an attachment with data or url and a content type", async () => {
    const doc = buildDocumentReference(ctx);
    assert.deepEqual(await paths({ ...doc, content: [{ attachment: { title: "x" } }] }), [
      "DocumentReference.content[0].attachment",
    ]);
    assert.deepEqual(await paths({ ...doc, content: [{ attachment: { data: "AAAA" } }] }), [
      "DocumentReference.content[0].attachment.contentType",
    ]);
  });

  it("paths inside Bundles and nested backbone elements", async () => {
    const bad = buildBundle([buildCondition(ctx), { ...buildObservation(ctx), status: undefined } as never]);
    assert.deepEqual(await paths(bad), ["Bundle.entry[1].resource.status"]);
    assert.deepEqual(await paths(buildBundle([{ resourceType: "Questionnaire", status: "active" } as never])), [
      "Bundle.entry[0].resource.resourceType",
    ]);
  });

  it("financial resources: Claim items, Coverage payor, Money", async () => {
    const claim = claimToFhirClaim(sampleClaim(), {
      chainId: 31337,
      claimsSettlement: "0x0000000000000000000000000000000000000005",
    });
    assert.deepEqual(await validateResource(claim), []);
    const broken = structuredClone(claim);
    delete (broken.item![0] as { sequence?: number }).sequence;
    broken.total = { value: 1, currency: "dollars" as never };
    assert.deepEqual(await paths(broken), ["Claim.item[0].sequence", "Claim.total.currency"]);
    const coverage = buildCoverage({ ...ctx, payor: { reference: "Organization/ins1" }, memberId: "M", plan: "P" });
    assert.deepEqual(await paths({ ...coverage, payor: undefined }), ["Coverage.payor"]);
  });
});

describe("FHIR validation says what to fix", () => {
  const issues = async (resource: unknown) => (await validateResource(resource)).map((i) => `${i.path}: ${i.message}`);
  const observation = () => buildObservation(ctx) as Observation & Record<string, unknown>;

  it("unknown elements, nulls and empty lists", async () => {
    assert.deepEqual(await issues({ ...observation(), valu: 1 }), [
      "Observation.valu: is not an element of Observation in FHIR R4; remove it or check its spelling",
    ]);
    assert.deepEqual(await issues({ ...observation(), issued: null }), [
      "Observation.issued: null is not allowed in FHIR JSON; omit the element",
    ]);
    assert.deepEqual(await issues({ ...observation(), note: [] }), [
      "Observation.note: empty arrays are not allowed in FHIR; omit the element",
    ]);
  });

  it("JSON types and primitive formats, with an example of the right form", async () => {
    assert.deepEqual(await issues({ ...observation(), effectiveDateTime: "04/03/2026" }), [
      'Observation.effectiveDateTime: "04/03/2026" is not a valid dateTime (e.g. 2026-03-04T10:15:00Z)',
    ]);
    assert.deepEqual(
      await issues({
        ...observation(),
        valueQuantity: { value: "6.8", unit: "%", system: "http://unitsofmeasure.org", code: "%" },
      }),
      ['Observation.valueQuantity.value: expected a JSON number, got string "6.8"; write it as a number'],
    );
    assert.deepEqual(await issues({ resourceType: "Patient", multipleBirthInteger: 1.5 }), [
      "Patient.multipleBirthInteger: expected a whole number, got 1.5",
    ]);
  });

  it("required bindings list the allowed codes", async () => {
    assert.deepEqual(await issues({ resourceType: "Patient", gender: "M" }), [
      'Patient.gender: "M" is not one of female | male | other | unknown',
    ]);
    const [status] = await issues({ ...observation(), status: "done" });
    assert.match(status!, /^Observation\.status: "done" is not one of .*final.*preliminary/);
  });

  it("one value[x], also inside a Bundle, and the R4 invariants by key", async () => {
    assert.deepEqual(await issues({ ...observation(), valueString: "high" }), [
      'Observation.valueString: only one value[x] is allowed ("valueString", "valueQuantity"); keep one',
    ]);
    assert.deepEqual(await paths(buildBundle([{ ...observation(), valueString: "high" }])), [
      "Bundle.entry[0].resource.valueString",
    ]);
    assert.deepEqual(await issues({ ...observation(), dataAbsentReason: { text: "not measured" } }), [
      "Observation: dataAbsentReason SHALL only be present if Observation.value[x] is not present (obs-6)",
    ]);
    const [ait1] = await issues({ ...buildAllergyIntolerance(ctx, "penicillin"), clinicalStatus: undefined });
    assert.match(ait1!, /^AllergyIntolerance: .*clinicalStatus SHALL be present .*\(ait-1\)$/);
  });

  it("references name the types they may point to", async () => {
    assert.deepEqual(await issues({ ...observation(), subject: { reference: "Claim/1" } }), [
      "Observation.subject: refers to a Claim; it must refer to a Patient or Group or Device or Location",
    ]);
  });

  it("CareLedger's profile: UCUM, attachments, media types, currencies, supported types", async () => {
    assert.deepEqual(await issues({ ...observation(), valueQuantity: { value: 6.8, unit: "%", code: "%" } }), [
      "Observation.valueQuantity.system: quantities must be coded in UCUM: set system to http://unitsofmeasure.org",
    ]);
    const doc = buildDocumentReference(ctx);
    assert.deepEqual(await issues({ ...doc, content: [{ attachment: { contentType: "pdf", url: "ipfs://bafy" } }] }), [
      'DocumentReference.content[0].attachment.contentType: "pdf" is not a media type (e.g. application/pdf)',
    ]);
    const big = "QUFB".repeat(MAX_INLINE_ATTACHMENT_BYTES / 3 + 1);
    assert.deepEqual(
      await paths({ ...doc, content: [{ attachment: { contentType: "application/pdf", data: big } }] }),
      ["DocumentReference.content[0].attachment.data"],
    );
    const claim = claimToFhirClaim(sampleClaim(), {
      chainId: 31337,
      claimsSettlement: "0x0000000000000000000000000000000000000005",
    });
    assert.deepEqual(await issues({ ...claim, total: { value: 1, currency: "usd" } }), [
      'Claim.total.currency: "usd" is not an ISO 4217 currency code (e.g. USD)',
    ]);
    assert.deepEqual(await paths(buildBundle([buildBundle([{ resourceType: "Questionnaire" } as never]) as never])), [
      "Bundle.entry[0].resource.entry[0].resource.resourceType",
    ]);
    assert.deepEqual(await paths({ ...observation(), contained: [{ resourceType: "Questionnaire" }] }), [
      "Observation.contained[0].resourceType",
    ]);
    assert.deepEqual(await issues({ ...observation(), contained: [{ resourceType: "Patient", gender: "x" }] }), [
      'Observation.contained[0].gender: "x" is not one of female | male | other | unknown',
    ]);
    assert.deepEqual(await issues("Observation"), ["Resource: a FHIR resource must be a JSON object"]);
  });

  it("loads only the R4 definitions CareLedger uses, exactly as scripts/fhir-definitions.ts builds them", async () => {
    const { renderDefinitions } = await import("../../scripts/fhir-definitions.js");
    const committed = await readFile(new URL("../src/fhir/r4.generated.ts", import.meta.url), "utf8");
    assert.ok(committed === renderDefinitions(), "run: node --import tsx scripts/fhir-definitions.ts");
    const names = r4.structureDefinitions.filter((sd) => sd.kind === "resource").map((sd) => sd.name);
    for (const type of SUPPORTED_RESOURCE_TYPES) assert.ok(names.includes(type), type);
    assert.ok(!names.includes("Questionnaire"));
  });
});

function sampleClaim() {
  return {
    claimId: 7n,
    patient: "0x00000000000000000000000000000000000000a1" as const,
    provider: "0x00000000000000000000000000000000000000b2" as const,
    insurer: "0x00000000000000000000000000000000000000c3" as const,
    coverageId: 3n,
    created: new Date("2026-03-05T09:00:00Z"),
    diagnoses: [{ code: "I10", display: "Essential (primary) hypertension" }],
    items: [
      {
        code: "99213",
        display: "Office or other outpatient visit, established patient",
        amount: 120_500_000n,
        servicedDate: "2026-03-04",
      },
      { code: "83036", display: "Hemoglobin; glycosylated (A1C)", amount: 25_000_000n },
    ],
    evidenceRecordIds: [11n, 12n],
    tokenDecimals: 6,
  };
}

describe("FHIR exports", () => {
  const deployment = { chainId: 31337, consentManager: "0x0000000000000000000000000000000000000002" as const };
  const grant = {
    grantId: 42n,
    patient: "0x00000000000000000000000000000000000000a1" as const,
    grantee: "0x00000000000000000000000000000000000000b2" as const,
    scope: EMERGENCY_SCOPE,
    purpose: Purpose.Emergency,
    access: 1,
    notBefore: 1_767_225_600n,
    expiresAt: 1_798_761_600n,
  };

  it("maps a consent grant one to one onto a valid FHIR Consent", async () => {
    const consent = consentGrantToFhirConsent(grant, deployment, new Date("2026-06-01T00:00:00Z"));
    assert.deepEqual(await validateResource(consent), []);
    assert.equal(consent.status, "active");
    assert.equal(consent.patient?.identifier?.value, `did:pkh:eip155:31337:${grant.patient}`);
    assert.equal(consent.provision?.actor?.[0]?.reference.identifier?.value, `did:pkh:eip155:31337:${grant.grantee}`);
    assert.equal(consent.provision?.purpose?.[0]?.code, "ETREAT");
    assert.deepEqual(
      consent.provision?.action?.map((a) => a.coding?.[0]?.code),
      ["access"],
    );
    assert.deepEqual(
      consent.provision?.class?.map((c) => c.code),
      ["AllergyIntolerance", "MedicationStatement", "MedicationRequest", "Condition", "Immunization"],
    );
    assert.equal(consent.provision?.period?.start, "2026-01-01T00:00:00Z");
    assert.equal(consentGrantToFhirConsent({ ...grant, revoked: true }, deployment).status, "inactive");
    assert.equal(consentGrantToFhirConsent(grant, deployment, new Date("2027-06-01T00:00:00Z")).status, "inactive");
  });

  it("starts a grant without notBefore when it was made, and ends a revoked one at its revocation with a deny", async () => {
    const made = { ...grant, notBefore: 0n, grantedAt: 1_767_300_000n };
    const open = consentGrantToFhirConsent(made, deployment, new Date("2026-06-01T00:00:00Z"));
    assert.equal(open.provision?.period?.start, "2026-01-01T20:40:00Z");
    assert.equal(open.dateTime, "2026-01-01T20:40:00Z");
    assert.equal(open.provision?.provision, undefined);
    const revoked = consentGrantToFhirConsent({ ...made, revoked: true, revokedAt: 1_770_000_000n }, deployment);
    assert.deepEqual(await validateResource(revoked), []);
    assert.equal(revoked.status, "inactive");
    assert.equal(revoked.provision?.period?.end, "2026-02-02T02:40:00Z");
    assert.equal(revoked.provision?.provision?.[0]?.type, "deny");
    assert.equal(revoked.provision?.provision?.[0]?.period?.start, "2026-02-02T02:40:00Z");
  });

  it("exports a claim as a valid FHIR Claim with amounts from token units", async () => {
    const claim = claimToFhirClaim(sampleClaim(), {
      chainId: 31337,
      claimsSettlement: "0x0000000000000000000000000000000000000005",
    });
    assert.equal(claim.total?.value, 145.5);
    assert.equal(claim.item?.[0]?.net?.value, 120.5);
    assert.equal(claim.diagnosis?.[0]?.diagnosisCodeableConcept?.coding?.[0]?.code, "I10");
    assert.equal(claim.supportingInfo?.length, 2);
    assert.deepEqual(tokenAmountToMoney(1n, 6), { value: 0.000001, currency: "USD" });
  });
});
