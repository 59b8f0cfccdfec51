import assert from "node:assert/strict";
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
  claimToFhirClaim,
  consentGrantToFhirConsent,
  demoPatientHistory,
  FhirValidationError,
  OBSERVATIONS,
  tokenAmountToMoney,
  validateResource,
  type DemoContext,
} from "../src/fhir/index.js";
import { Category, EMERGENCY_SCOPE, Purpose } from "../src/protocol/constants.js";

const ctx: DemoContext = {
  patient: { reference: "Patient/p1", display: "Alex Doe" },
  performer: { reference: "Practitioner/dr1" },
  when: "2026-03-04T10:15:00Z",
};
const paths = (resource: unknown) => validateResource(resource).map((i) => i.path);

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
    it(`builds a valid ${name}`, () => assert.deepEqual(validateResource(resource), []));
  }

  it("codes observations in LOINC with UCUM units", () => {
    for (const kind of Object.keys(OBSERVATIONS) as (keyof typeof OBSERVATIONS)[]) {
      const o = buildObservation(ctx, kind);
      assert.equal(o.code.coding?.[0]?.system, "http://loinc.org");
      assert.equal(o.valueQuantity?.system, "http://unitsofmeasure.org");
    }
    assert.equal(buildBloodPressure(ctx).component?.[0]?.valueQuantity?.code, "mm[Hg]");
  });

  it("gives a demo history covering the clinical categories, every record valid", () => {
    const history = demoPatientHistory(ctx);
    for (const record of history) assert.deepEqual(validateResource(record.resource), [], record.resource.resourceType);
    const categories = new Set(history.map((r) => r.category));
    for (const c of [0, 1, 2, 3, 4, 5, 6, 7]) assert.ok(categories.has(c as Category), `category ${c}`);
    assert.deepEqual(validateResource(buildBundle(history.map((r) => r.resource))), []);
  });
});

describe("FHIR validation names the offending path", () => {
  it("Observation.valueQuantity.unit when the unit is missing", () => {
    const o = buildObservation(ctx) as Observation;
    delete o.valueQuantity!.unit;
    assert.deepEqual(paths(o), ["Observation.valueQuantity.unit"]);
    const error = (() => {
      try {
        assertValidResource(o);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof FhirValidationError);
    assert.match(error.message, /Observation\.valueQuantity\.unit/);
  });

  it("required elements, codes and types", () => {
    assert.deepEqual(paths({ resourceType: "Observation", code: { text: "x" } }), ["Observation.status"]);
    assert.deepEqual(paths({ ...buildObservation(ctx), status: "done" }), ["Observation.status"]);
    assert.deepEqual(
      paths({
        ...buildObservation(ctx),
        valueQuantity: { value: "6.8", unit: "%", system: "http://unitsofmeasure.org", code: "%" },
      }),
      ["Observation.valueQuantity.value"],
    );
    assert.deepEqual(paths({ ...buildObservation(ctx), effectiveDateTime: "04/03/2026" }), [
      "Observation.effectiveDateTime",
    ]);
    assert.deepEqual(paths({ ...buildImmunization(ctx), occurrenceDateTime: undefined }), [
      "Immunization.occurrence[x]",
    ]);
    assert.deepEqual(
      paths({
        ...buildCondition(ctx),
        clinicalStatus: {
          coding: [{ system: "http://terminology.hl7.org/CodeSystem/condition-clinical", code: "cured" }],
        },
      }),
      ["Condition.clinicalStatus.coding[0].code"],
    );
  });

  it("cardinality: arrays, single values, min occurrences", () => {
    assert.deepEqual(paths({ ...buildObservation(ctx), category: { text: "lab" } }), ["Observation.category"]);
    assert.deepEqual(paths({ ...buildObservation(ctx), code: [{ text: "a" }] }), ["Observation.code"]);
    assert.deepEqual(paths({ ...buildDocumentReference(ctx), content: [] }), [
      "Observation.content".replace("Observation", "DocumentReference"),
      "DocumentReference.content",
    ]);
    assert.deepEqual(paths({ ...buildObservation(ctx), valueString: "high" }), ["Observation.valueString"]);
  });

  it("DocumentReference needs an attachment with data or url and a content type", () => {
    const doc = buildDocumentReference(ctx);
    assert.deepEqual(paths({ ...doc, content: [{ attachment: { title: "x" } }] }), [
      "DocumentReference.content[0].attachment",
    ]);
    assert.deepEqual(paths({ ...doc, content: [{ attachment: { data: "AAAA" } }] }), [
      "DocumentReference.content[0].attachment.contentType",
    ]);
  });

  it("paths inside Bundles and nested backbone elements", () => {
    const bad = buildBundle([buildCondition(ctx), { ...buildObservation(ctx), status: undefined } as never]);
    assert.deepEqual(paths(bad), ["Bundle.entry[1].resource.status"]);
    assert.deepEqual(paths(buildBundle([{ resourceType: "Questionnaire", status: "active" } as never])), [
      "Bundle.entry[0].resource.resourceType",
    ]);
  });

  it("financial resources: Claim items, Coverage payor, Money", () => {
    const claim = claimToFhirClaim(sampleClaim(), {
      chainId: 31337,
      claimsSettlement: "0x0000000000000000000000000000000000000005",
    });
    assert.deepEqual(validateResource(claim), []);
    const broken = structuredClone(claim);
    delete (broken.item![0] as { sequence?: number }).sequence;
    broken.total = { value: 1, currency: "dollars" as never };
    assert.deepEqual(paths(broken), ["Claim.item[0].sequence", "Claim.total.currency"]);
    const coverage = buildCoverage({ ...ctx, payor: { reference: "Organization/ins1" }, memberId: "M", plan: "P" });
    assert.deepEqual(paths({ ...coverage, payor: undefined }), ["Coverage.payor"]);
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

  it("maps a consent grant one to one onto a valid FHIR Consent", () => {
    const consent = consentGrantToFhirConsent(grant, deployment, new Date("2026-06-01T00:00:00Z"));
    assert.deepEqual(validateResource(consent), []);
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

  it("starts a grant without notBefore when it was made, and ends a revoked one at its revocation with a deny", () => {
    const made = { ...grant, notBefore: 0n, grantedAt: 1_767_300_000n };
    const open = consentGrantToFhirConsent(made, deployment, new Date("2026-06-01T00:00:00Z"));
    assert.equal(open.provision?.period?.start, "2026-01-01T20:40:00Z");
    assert.equal(open.dateTime, "2026-01-01T20:40:00Z");
    assert.equal(open.provision?.provision, undefined);
    const revoked = consentGrantToFhirConsent({ ...made, revoked: true, revokedAt: 1_770_000_000n }, deployment);
    assert.deepEqual(validateResource(revoked), []);
    assert.equal(revoked.status, "inactive");
    assert.equal(revoked.provision?.period?.end, "2026-02-02T02:40:00Z");
    assert.equal(revoked.provision?.provision?.[0]?.type, "deny");
    assert.equal(revoked.provision?.provision?.[0]?.period?.start, "2026-02-02T02:40:00Z");
  });

  it("exports a claim as a valid FHIR Claim with amounts from token units", () => {
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
