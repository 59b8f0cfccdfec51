/** Code systems used by the builders and exporters. */
export const SYSTEM = {
  SNOMED: "http://snomed.info/sct",
  LOINC: "http://loinc.org",
  RXNORM: "http://www.nlm.nih.gov/research/umls/rxnorm",
  CVX: "http://hl7.org/fhir/sid/cvx",
  UCUM: "http://unitsofmeasure.org",
  ICD10CM: "http://hl7.org/fhir/sid/icd-10-cm",
  CPT: "http://www.ama-assn.org/go/cpt",
  URI: "urn:ietf:rfc:3986",
  RESOURCE_TYPES: "http://hl7.org/fhir/resource-types",
  ACT_CODE: "http://terminology.hl7.org/CodeSystem/v3-ActCode",
  ACT_REASON: "http://terminology.hl7.org/CodeSystem/v3-ActReason",
  PARTICIPATION_TYPE: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType",
  CONSENT_SCOPE: "http://terminology.hl7.org/CodeSystem/consentscope",
  CONSENT_ACTION: "http://terminology.hl7.org/CodeSystem/consentaction",
  CONDITION_CLINICAL: "http://terminology.hl7.org/CodeSystem/condition-clinical",
  CONDITION_VERIFICATION: "http://terminology.hl7.org/CodeSystem/condition-ver-status",
  CONDITION_CATEGORY: "http://terminology.hl7.org/CodeSystem/condition-category",
  ALLERGY_CLINICAL: "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
  ALLERGY_VERIFICATION: "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
  OBSERVATION_CATEGORY: "http://terminology.hl7.org/CodeSystem/observation-category",
  DIAGNOSTIC_SERVICE: "http://terminology.hl7.org/CodeSystem/v2-0074",
  CLAIM_TYPE: "http://terminology.hl7.org/CodeSystem/claim-type",
  PROCESS_PRIORITY: "http://terminology.hl7.org/CodeSystem/processpriority",
  ADJUDICATION: "http://terminology.hl7.org/CodeSystem/adjudication",
  PAYMENT_TYPE: "http://terminology.hl7.org/CodeSystem/ex-paymenttype",
  CLAIM_INFO_CATEGORY: "http://terminology.hl7.org/CodeSystem/claiminformationcategory",
  SUBSCRIBER_RELATIONSHIP: "http://terminology.hl7.org/CodeSystem/subscriber-relationship",
  COVERAGE_CLASS: "http://terminology.hl7.org/CodeSystem/coverage-class",
  DOCUMENT_CATEGORY: "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category",
} as const;

/** A patient or actor identified by their wallet: a did:pkh URI (CAIP-10 account id). */
export function walletIdentifier(address: string, chainId: number | bigint) {
  return { system: SYSTEM.URI, value: `did:pkh:eip155:${chainId}:${address}` };
}
