/**
 * The FHIR R4 resource types CareLedger reads and writes. Their StructureDefinitions (and those of
 * the data types they use) are the only ones the validator loads: see scripts/fhir-definitions.ts.
 */
import type { StructureDefinition } from "@medplum/fhirtypes";

export const SUPPORTED_RESOURCE_TYPES = [
  "Patient",
  "AllergyIntolerance",
  "MedicationStatement",
  "Condition",
  "Observation",
  "Immunization",
  "DiagnosticReport",
  "DocumentReference",
  "Encounter",
  "Claim",
  "ClaimResponse",
  "Coverage",
  "Consent",
  "Bundle",
] as const;

export type SupportedResourceType = (typeof SUPPORTED_RESOURCE_TYPES)[number];

/** The shape of sdk/src/fhir/r4.generated.ts. */
export interface R4Definitions {
  /** StructureDefinitions, data types first, documentation stripped. */
  structureDefinitions: StructureDefinition[];
  /** Codes of each required value set bound in them that expands from the R4 code systems alone. */
  valueSets: Record<string, string[]>;
}
