// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title CareTypes
/// @notice The vocabulary every CareLedger contract shares: roles, purposes, access bits,
/// record categories and guardian rights. The TypeScript mirror lives in
/// `sdk/src/protocol/constants.ts`; a test checks the two agree.

/// @dev Credential roles granted by the credentialing authority in `CareRegistry`.
bytes32 constant PROVIDER_ROLE = keccak256("PROVIDER_ROLE");
bytes32 constant INSURER_ROLE = keccak256("INSURER_ROLE");
/// @dev A study's principal investigator (StudyRegistry).
bytes32 constant RESEARCHER_ROLE = keccak256("RESEARCHER_ROLE");
/// @dev Funds a study's compensation pool (StudyRegistry).
bytes32 constant SPONSOR_ROLE = keccak256("SPONSOR_ROLE");
/// @dev An ethics board (IRB) that approves study protocols and their amendments.
bytes32 constant ETHICS_BOARD_ROLE = keccak256("ETHICS_BOARD_ROLE");
/// @dev A regulator that oversees trials (adverse-event reporting windows).
bytes32 constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");
/// @dev Commissions serialised medicine packs (the supply chain).
bytes32 constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");
/// @dev A wholesale distributor: takes custody of packs between maker and pharmacy.
bytes32 constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");
/// @dev Dispenses packs against prescriptions.
bytes32 constant PHARMACY_ROLE = keccak256("PHARMACY_ROLE");
/// @dev Held by the credentialing authority (a multisig or timelock on public networks).
bytes32 constant CREDENTIAL_ADMIN_ROLE = keccak256("CREDENTIAL_ADMIN_ROLE");

/// @dev Why a grantee may access records. Mirrors FHIR Consent.provision.purpose (v3-ActReason):
/// TREAT, CLMATTCH, HRESCH, ETREAT.
enum Purpose {
    Treatment,
    Claims,
    Research,
    Emergency
}

/// @dev Access bits of a grant.
uint8 constant ACCESS_READ = 1;
uint8 constant ACCESS_WRITE = 2;

/// @dev Record categories (0..15). A grant's scope is a bit mask over them (bit i = category i).
uint8 constant CATEGORY_ALLERGIES = 0; // AllergyIntolerance
uint8 constant CATEGORY_MEDICATIONS = 1; // MedicationStatement, MedicationRequest
uint8 constant CATEGORY_CONDITIONS = 2; // Condition
uint8 constant CATEGORY_IMMUNIZATIONS = 3; // Immunization
uint8 constant CATEGORY_OBSERVATIONS = 4; // Observation (labs, vitals)
uint8 constant CATEGORY_DIAGNOSTICS = 5; // DiagnosticReport, imaging
uint8 constant CATEGORY_DOCUMENTS = 6; // DocumentReference (PDF, images, notes)
uint8 constant CATEGORY_ENCOUNTERS = 7; // Encounter, Procedure
uint8 constant CATEGORY_FINANCIAL = 8; // Claim, ClaimResponse, Coverage
uint8 constant CATEGORY_COUNT = 9;

/// @dev The International Patient Summary subset shared for emergencies:
/// allergies, medications, conditions, immunisations.
uint16 constant EMERGENCY_SCOPE = uint16(
    (1 << CATEGORY_ALLERGIES) | (1 << CATEGORY_MEDICATIONS) | (1 << CATEGORY_CONDITIONS) | (1 << CATEGORY_IMMUNIZATIONS)
);

/// @dev Guardian rights bits.
uint8 constant GUARDIAN_MANAGE_CONSENT = 1;
uint8 constant GUARDIAN_EMERGENCY = 2;
/// @dev May approve moving the patient's identity to a new address (account recovery) and hold a key share.
uint8 constant GUARDIAN_RECOVERY = 4;
