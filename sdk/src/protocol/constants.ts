/**
 * TypeScript mirror of `contracts/libraries/CareTypes.sol` — the vocabulary the contracts share.
 * `sdk/test/protocol.test.ts` parses the Solidity file and fails if the two drift apart.
 */
import { keccak256, toBytes, type Hex } from "viem";
import type { ResourceType } from "@medplum/fhirtypes";

/** Credential roles granted by the credentialing authority in `CareRegistry`. */
export const PROVIDER_ROLE: Hex = keccak256(toBytes("PROVIDER_ROLE"));
export const INSURER_ROLE: Hex = keccak256(toBytes("INSURER_ROLE"));
export const RESEARCHER_ROLE: Hex = keccak256(toBytes("RESEARCHER_ROLE"));
export const SPONSOR_ROLE: Hex = keccak256(toBytes("SPONSOR_ROLE"));
export const ETHICS_BOARD_ROLE: Hex = keccak256(toBytes("ETHICS_BOARD_ROLE"));
export const REGULATOR_ROLE: Hex = keccak256(toBytes("REGULATOR_ROLE"));
export const MANUFACTURER_ROLE: Hex = keccak256(toBytes("MANUFACTURER_ROLE"));
export const DISTRIBUTOR_ROLE: Hex = keccak256(toBytes("DISTRIBUTOR_ROLE"));
export const PHARMACY_ROLE: Hex = keccak256(toBytes("PHARMACY_ROLE"));
export const CREDENTIAL_ADMIN_ROLE: Hex = keccak256(toBytes("CREDENTIAL_ADMIN_ROLE"));

/** Why a grantee may access records; the order is the Solidity enum's. */
export const Purpose = {
  Treatment: 0,
  Claims: 1,
  Research: 2,
  Emergency: 3,
} as const;
export type Purpose = (typeof Purpose)[keyof typeof Purpose];

/** FHIR Consent.provision.purpose codes (v3-ActReason) for each Purpose, in enum order. */
export const PURPOSE_ACT_REASON: Record<Purpose, { code: string; display: string }> = {
  0: { code: "TREAT", display: "treatment" },
  1: { code: "CLMATTCH", display: "claim attachment" },
  2: { code: "HRESCH", display: "healthcare research" },
  3: { code: "ETREAT", display: "Emergency Treatment" },
};

/** Access bits of a grant. */
export const ACCESS_READ = 1;
export const ACCESS_WRITE = 2;

/** Record categories (0..15); a grant's scope is a bit mask over them (bit i = category i). */
export const Category = {
  Allergies: 0,
  Medications: 1,
  Conditions: 2,
  Immunizations: 3,
  Observations: 4,
  Diagnostics: 5,
  Documents: 6,
  Encounters: 7,
  Financial: 8,
} as const;
export type Category = (typeof Category)[keyof typeof Category];
export const CATEGORY_COUNT = 9;

export interface CategoryInfo {
  readonly id: Category;
  readonly label: string;
  /** FHIR resource types filed under this category. */
  readonly resourceTypes: readonly ResourceType[];
}

export const CATEGORIES: readonly CategoryInfo[] = [
  { id: Category.Allergies, label: "Allergies", resourceTypes: ["AllergyIntolerance"] },
  { id: Category.Medications, label: "Medications", resourceTypes: ["MedicationStatement", "MedicationRequest"] },
  { id: Category.Conditions, label: "Conditions", resourceTypes: ["Condition"] },
  { id: Category.Immunizations, label: "Immunizations", resourceTypes: ["Immunization"] },
  { id: Category.Observations, label: "Observations (labs, vitals)", resourceTypes: ["Observation"] },
  {
    id: Category.Diagnostics,
    label: "Diagnostic reports and imaging",
    resourceTypes: ["DiagnosticReport", "ImagingStudy"],
  },
  { id: Category.Documents, label: "Documents (PDF, images, notes)", resourceTypes: ["DocumentReference"] },
  // The patient's own Patient resource (name, birth date) sits with the encounters, as in FHIR's
  // administration module: granting this category shares the name.
  {
    id: Category.Encounters,
    label: "Encounters, procedures and name",
    resourceTypes: ["Encounter", "Procedure", "Patient"],
  },
  { id: Category.Financial, label: "Claims and coverage", resourceTypes: ["Claim", "ClaimResponse", "Coverage"] },
];

/** The International Patient Summary subset shared for emergencies. */
export const EMERGENCY_SCOPE =
  (1 << Category.Allergies) | (1 << Category.Medications) | (1 << Category.Conditions) | (1 << Category.Immunizations);

/** Guardian rights bits. */
export const GUARDIAN_MANAGE_CONSENT = 1;
export const GUARDIAN_EMERGENCY = 2;
/** May approve moving the patient's identity to a new address and holds a key share. */
export const GUARDIAN_RECOVERY = 4;

export function isCategory(value: number): value is Category {
  return Number.isInteger(value) && value >= 0 && value < CATEGORY_COUNT;
}

export function assertCategory(value: number): Category {
  if (!isCategory(value)) throw new RangeError(`category ${value} is not one of 0..${CATEGORY_COUNT - 1}`);
  return value;
}

/** uint16 scope bit mask for a list of categories. */
export function scopeOf(categories: Iterable<number>): number {
  let scope = 0;
  for (const c of categories) scope |= 1 << assertCategory(c);
  return scope;
}

/** The categories a scope bit mask covers, ascending. */
export function categoriesInScope(scope: number): Category[] {
  if (!Number.isInteger(scope) || scope < 0 || scope > 0xffff) throw new RangeError(`scope ${scope} is not a uint16`);
  const out: Category[] = [];
  for (let c = 0; c < CATEGORY_COUNT; c++) if (scope & (1 << c)) out.push(c as Category);
  return out;
}

/** The category a FHIR resource type is filed under (Bundles are filed by their first entry). */
export function categoryForResourceType(resourceType: string): Category | undefined {
  return CATEGORIES.find((c) => (c.resourceTypes as readonly string[]).includes(resourceType))?.id;
}

/** ICareRegistry.PartyKind: what kind of party a directory profile describes (same order as the contract). */
export const PartyKind = {
  Other: 0,
  Clinician: 1,
  Practice: 2,
  Hospital: 3,
  Laboratory: 4,
  Pharmacy: 5,
  Insurer: 6,
  ResearchInstitution: 7,
  Sponsor: 8,
  EthicsBoard: 9,
  Regulator: 10,
  Manufacturer: 11,
  Distributor: 12,
} as const;
export type PartyKind = (typeof PartyKind)[keyof typeof PartyKind];

/** How each kind reads to a person. */
export const PARTY_KIND_LABEL: Record<PartyKind, string> = {
  0: "Organisation",
  1: "Clinician",
  2: "Practice",
  3: "Hospital",
  4: "Laboratory",
  5: "Pharmacy",
  6: "Insurer",
  7: "Research institution",
  8: "Study sponsor",
  9: "Ethics board",
  10: "Regulator",
  11: "Manufacturer",
  12: "Wholesale distributor",
};

/** A role the credentialing authority grants, as every surface names it. */
export interface CredentialRoleInfo {
  /** The role id (keccak256 of `name`, as in CareTypes.sol). */
  readonly id: Hex;
  /** The Solidity constant's name. */
  readonly name: string;
  /** The value of `careledger:credential --role`. */
  readonly flag: string;
  /** How a person reads the role ("provider", "ethics board"). */
  readonly noun: string;
  /** The authority's choice list: the noun with who it covers. */
  readonly label: string;
  /** The directory kind a new listing for this role starts with. */
  readonly defaultKind: PartyKind;
}

/** Every credentialable role, once: the tasks, the error texts and the authority's screen read this table. */
export const CREDENTIAL_ROLES: readonly CredentialRoleInfo[] = [
  {
    id: PROVIDER_ROLE,
    name: "PROVIDER_ROLE",
    flag: "provider",
    noun: "provider",
    label: "Provider (clinician, hospital, lab)",
    defaultKind: PartyKind.Clinician,
  },
  {
    id: INSURER_ROLE,
    name: "INSURER_ROLE",
    flag: "insurer",
    noun: "insurer",
    label: "Insurer",
    defaultKind: PartyKind.Insurer,
  },
  {
    id: RESEARCHER_ROLE,
    name: "RESEARCHER_ROLE",
    flag: "researcher",
    noun: "researcher",
    label: "Researcher (principal investigator)",
    defaultKind: PartyKind.ResearchInstitution,
  },
  {
    id: SPONSOR_ROLE,
    name: "SPONSOR_ROLE",
    flag: "sponsor",
    noun: "study sponsor",
    label: "Study sponsor",
    defaultKind: PartyKind.Sponsor,
  },
  {
    id: ETHICS_BOARD_ROLE,
    name: "ETHICS_BOARD_ROLE",
    flag: "ethics-board",
    noun: "ethics board",
    label: "Ethics board (IRB)",
    defaultKind: PartyKind.EthicsBoard,
  },
  {
    id: REGULATOR_ROLE,
    name: "REGULATOR_ROLE",
    flag: "regulator",
    noun: "regulator",
    label: "Regulator",
    defaultKind: PartyKind.Regulator,
  },
  {
    id: MANUFACTURER_ROLE,
    name: "MANUFACTURER_ROLE",
    flag: "manufacturer",
    noun: "manufacturer",
    label: "Medicine manufacturer",
    defaultKind: PartyKind.Manufacturer,
  },
  {
    id: DISTRIBUTOR_ROLE,
    name: "DISTRIBUTOR_ROLE",
    flag: "distributor",
    noun: "wholesale distributor",
    label: "Wholesale distributor",
    defaultKind: PartyKind.Distributor,
  },
  {
    id: PHARMACY_ROLE,
    name: "PHARMACY_ROLE",
    flag: "pharmacy",
    noun: "pharmacy",
    label: "Pharmacy",
    defaultKind: PartyKind.Pharmacy,
  },
];

/** The credentialable role with this id, or undefined (CREDENTIAL_ADMIN_ROLE is the authority's own, not in the table). */
export function credentialRole(id: string): CredentialRoleInfo | undefined {
  return CREDENTIAL_ROLES.find((role) => role.id === id.toLowerCase());
}

/** The longest display name or registry identifier a profile holds, in UTF-8 bytes (CareRegistry.MAX_PROFILE_TEXT). */
export const MAX_PROFILE_TEXT = 64;

/**
 * What CareRegistry.setProfile would refuse in a listing (RegistryInvalidProfile): an empty display
 * name, or a name or identifier over MAX_PROFILE_TEXT UTF-8 bytes. Callers word it for their person.
 */
export function profileTextProblems(listing: { displayName: string; registryId: string }): {
  displayName?: "empty" | "too long";
  registryId?: "too long";
} {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  return {
    displayName: !listing.displayName
      ? "empty"
      : bytes(listing.displayName) > MAX_PROFILE_TEXT
        ? "too long"
        : undefined,
    registryId: bytes(listing.registryId) > MAX_PROFILE_TEXT ? "too long" : undefined,
  };
}
