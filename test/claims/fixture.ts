import type { NetworkConnection } from "hardhat/types/network";

/** The shared vocabulary of contracts/libraries/CareTypes.sol, as the claims tests need it. */
export const USD = (amount: number) => BigInt(Math.round(amount * 1e6));
export const DAY = 86_400;
export const PURPOSE_TREATMENT = 0;
export const PURPOSE_CLAIMS = 1;
export const ACCESS_READ = 1;
export const GUARDIAN_MANAGE_CONSENT = 1;
export const GUARDIAN_EMERGENCY = 2;
export const CATEGORY_CONDITIONS = 2;
export const CATEGORY_DIAGNOSTICS = 5;
export const CATEGORY_ENCOUNTERS = 7;
export const CLASS_OUTPATIENT = 0;
export const CLASS_SURGERY = 3;

export const RECORD_ENCOUNTER = 1n;
export const RECORD_IMAGING = 2n;
export const RECORD_OTHER_PATIENT = 3n;
export const RECORD_NO_CONSENT = 4n;

export enum ClaimStatus {
  None,
  Pending,
  Approved,
  Denied,
  Appealed,
  Closed,
}
export enum CoverageStatus {
  None,
  Offered,
  Accepted,
}
export enum Eligibility {
  Eligible,
  NoCoverage,
  CoverageNotAccepted,
  CoverageNotStarted,
  CoverageExpired,
  PlanInactive,
  InsurerNotCredentialed,
}
export enum PreAuthStatus {
  None,
  Requested,
  Approved,
  Denied,
  Used,
}

export const planTerms = (overrides: Partial<ReturnType<typeof basePlanTerms>> = {}) => ({
  ...basePlanTerms(),
  ...overrides,
});
const basePlanTerms = () => ({
  coverageBps: 8_000,
  preAuthClasses: 1 << CLASS_SURGERY,
  deductible: USD(100),
  annualLimit: USD(2_000),
  autoApproveThreshold: USD(500),
  reviewWindow: 14 * DAY,
  appealWindow: 30 * DAY,
  filingWindow: 90 * DAY,
  autoApproveAnnualCap: USD(5_000),
});

/**
 * A claims world on test doubles of the core contracts: a credentialed insurer with a funded pool and a
 * plan, a patient with accepted coverage, a credentialed provider, and evidence records the patient lets
 * the insurer read for claims.
 */
export async function deployClaimsWorld({
  ethers,
  networkHelpers,
}: Pick<NetworkConnection, "ethers" | "networkHelpers">) {
  const [admin, insurer, otherInsurer, provider, otherProvider, patient, otherPatient, guardian, stranger] =
    await ethers.getSigners();
  const PROVIDER_ROLE = ethers.id("PROVIDER_ROLE");
  const INSURER_ROLE = ethers.id("INSURER_ROLE");

  const registry = await ethers.deployContract("CareRegistryDouble");
  const consents = await ethers.deployContract("ConsentDouble");
  const records = await ethers.deployContract("RecordsDouble");
  const stablecoin = await ethers.deployContract("MockStablecoin");
  const claims = await ethers.deployContract("ClaimsSettlement", [registry, consents, records, stablecoin]);

  await registry.setCredentialed(INSURER_ROLE, insurer.address, true);
  await registry.setCredentialed(INSURER_ROLE, otherInsurer.address, true);
  await registry.setCredentialed(PROVIDER_ROLE, provider.address, true);
  await registry.setCredentialed(PROVIDER_ROLE, otherProvider.address, true);
  await registry.setPatient(patient.address, true);
  await registry.setPatient(otherPatient.address, true);

  await records.setRecord(RECORD_ENCOUNTER, patient.address, CATEGORY_ENCOUNTERS);
  await records.setRecord(RECORD_IMAGING, patient.address, CATEGORY_DIAGNOSTICS);
  await records.setRecord(RECORD_OTHER_PATIENT, otherPatient.address, CATEGORY_ENCOUNTERS);
  await records.setRecord(RECORD_NO_CONSENT, patient.address, CATEGORY_CONDITIONS);
  await consents.setConsent(patient.address, insurer.address, CATEGORY_ENCOUNTERS, PURPOSE_CLAIMS, ACCESS_READ);
  await consents.setConsent(patient.address, insurer.address, CATEGORY_DIAGNOSTICS, PURPOSE_CLAIMS, ACCESS_READ);
  // The patient's say: `provider` treats her; `otherProvider` is credentialed but has never seen her.
  for (const category of [CATEGORY_ENCOUNTERS, CATEGORY_DIAGNOSTICS, CATEGORY_CONDITIONS]) {
    await consents.setConsent(patient.address, provider.address, category, PURPOSE_TREATMENT, ACCESS_READ);
  }

  await claims.connect(insurer).createPlan(planTerms());
  const planId = 1n;
  await stablecoin.connect(insurer).faucet();
  await stablecoin.connect(insurer).approve(claims, USD(10_000));
  await claims.connect(insurer).fundPool(USD(10_000));

  const t0 = await networkHelpers.time.latest();
  await claims.connect(insurer).offerCoverage(patient.address, planId, t0 - 30 * DAY, t0 + 335 * DAY);
  const coverageId = 1n;
  await claims.connect(patient).acceptCoverage(coverageId);

  let nonce = 0;
  /** A claim request; every call commits to a fresh encounter. */
  const request = async (
    billed: bigint,
    overrides: Partial<{
      coverageId: bigint;
      serviceClass: number;
      serviceDate: number;
      encounterCommitment: string;
      evidence: bigint[];
      preAuthId: bigint;
    }> = {},
  ) => {
    nonce += 1;
    const now = await networkHelpers.time.latest();
    return {
      coverageId,
      serviceClass: CLASS_OUTPATIENT,
      serviceDate: now - 3_600,
      billed,
      encounterCommitment: ethers.id(`encounter ${nonce}`),
      claimCommitment: ethers.id(`encrypted FHIR Claim ${nonce}`),
      evidence: [RECORD_ENCOUNTER, RECORD_IMAGING],
      preAuthId: 0n,
      ...overrides,
    };
  };

  return {
    admin,
    insurer,
    otherInsurer,
    provider,
    otherProvider,
    patient,
    otherPatient,
    guardian,
    stranger,
    registry,
    consents,
    records,
    stablecoin,
    claims,
    planId,
    coverageId,
    t0,
    request,
    PROVIDER_ROLE,
    INSURER_ROLE,
  };
}

/** Stands for a denial reason sealed by the SDK (1 + 3 × 56 bytes): the contract only bounds its length. */
export const SEALED_REASON = `0x03${"434c4b450201".padEnd(112, "0").repeat(3)}` as const;
