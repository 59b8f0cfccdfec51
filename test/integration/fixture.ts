/**
 * The whole CareLedger system deployed through its Ignition module (`CareLedger`), with the real
 * CareRegistry, ConsentManager and RecordRegistry behind ClaimsSettlement, and a claims world built
 * the way users build it: the authority credentials an insurer and providers, patients register and
 * publish their category keys, a provider writes records under the patient's Treatment consent, the
 * patient lets the insurer read the evidence categories for claims, the insurer funds its pool, creates
 * a plan and offers coverage, and the patient accepts it. Shared by the integration tests and the
 * claims gas bench (`bench/gas/claims.ts`).
 */
import type { NetworkConnection } from "hardhat/types/network";

import CareLedgerModule from "../../ignition/modules/CareLedger.js";
import type {
  CareRegistry,
  ClaimsSettlement,
  ConsentManager,
  MockStablecoin,
  RecordRegistry,
} from "../../types/ethers-contracts/index.js";
import { planTerms, USD, DAY } from "../claims/fixture.js";
import { consentManagerDomain } from "../helpers/consentTypedData.js";
import { ACCESS_READ, ACCESS_WRITE, MAX_UINT64, Purpose, bytes32Of, cidOf, envelopesOf } from "../helpers/core.js";

export const CATEGORY_CONDITIONS = 2;
export const CATEGORY_OBSERVATIONS = 4;
export const CATEGORY_DIAGNOSTICS = 5;
export const CATEGORY_ENCOUNTERS = 7;
/** The categories the patient lets the insurer read for claims: encounters, diagnostics, observations. */
export const CLAIMS_SCOPE = (1 << CATEGORY_ENCOUNTERS) | (1 << CATEGORY_DIAGNOSTICS) | (1 << CATEGORY_OBSERVATIONS);
const PATIENT_CATEGORIES = [CATEGORY_CONDITIONS, CATEGORY_OBSERVATIONS, CATEGORY_DIAGNOSTICS, CATEGORY_ENCOUNTERS];
const TREATMENT_SCOPE = PATIENT_CATEGORIES.reduce((scope, c) => scope | (1 << c), 0);

/** Deploys the whole system through `ignition/modules/CareLedger.ts` and names the accounts. */
export async function deployCareLedger(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const deployed = await ignition.deploy(CareLedgerModule);
  const [admin, insurer, otherInsurer, provider, otherProvider, patient, otherPatient, guardian, stranger] =
    await ethers.getSigners();
  const consentManager = deployed.consentManager as unknown as ConsentManager;
  const { chainId } = await ethers.provider.getNetwork();
  return {
    careRegistry: deployed.careRegistry as unknown as CareRegistry,
    consentManager,
    recordRegistry: deployed.recordRegistry as unknown as RecordRegistry,
    claims: deployed.claimsSettlement as unknown as ClaimsSettlement,
    stablecoin: deployed.stablecoin as unknown as MockStablecoin,
    accounts: { admin, insurer, otherInsurer, provider, otherProvider, patient, otherPatient, guardian, stranger },
    roles: { PROVIDER_ROLE: ethers.id("PROVIDER_ROLE"), INSURER_ROLE: ethers.id("INSURER_ROLE") },
    domain: consentManagerDomain(chainId, await consentManager.getAddress()),
  };
}

/**
 * The system plus a claims world on it. Evidence records (ids from `RecordRegistry.addRecord`):
 * `encounter` (encounters), `imaging` (diagnostics), `lab` (observations) — all three readable by the
 * insurer for claims — `condition` (conditions, not in the Claims grant) and `otherPatient` (an
 * encounter of another patient, who also lets the insurer read it).
 */
export async function deployClaimsSystem(connection: NetworkConnection) {
  const system = await deployCareLedger(connection);
  const { careRegistry, consentManager, recordRegistry, claims, stablecoin, accounts, roles } = system;
  const { admin, insurer, otherInsurer, provider, otherProvider, patient, otherPatient } = accounts;
  const { time } = connection.networkHelpers;

  await (await careRegistry.connect(admin).grantCredential(roles.INSURER_ROLE, insurer.address)).wait();
  await (await careRegistry.connect(admin).grantCredential(roles.INSURER_ROLE, otherInsurer.address)).wait();
  await (await careRegistry.connect(admin).grantCredential(roles.PROVIDER_ROLE, provider.address)).wait();
  await (await careRegistry.connect(admin).grantCredential(roles.PROVIDER_ROLE, otherProvider.address)).wait();

  const writeRecord = async (subject: typeof patient, category: number, label: string): Promise<bigint> => {
    const recordId = await recordRegistry.computeRecordId(
      subject.address,
      category,
      await recordRegistry.recordCount(subject.address, category),
    );
    const tx = recordRegistry
      .connect(provider)
      .addRecord(subject.address, category, cidOf(label), bytes32Of(`ciphertext ${label}`), 1);
    await (await tx).wait();
    return recordId;
  };
  const treatmentGrant = {
    grantee: provider.address,
    scope: TREATMENT_SCOPE,
    purpose: Purpose.Treatment,
    access: ACCESS_READ | ACCESS_WRITE,
    notBefore: 0n,
    expiresAt: MAX_UINT64,
  };
  for (const [i, subject] of [patient, otherPatient].entries()) {
    await (await careRegistry.connect(subject).registerPatient(bytes32Of(`identity key ${i}`))).wait();
    await (
      await recordRegistry.connect(subject).publishCategoryKeys(
        PATIENT_CATEGORIES,
        PATIENT_CATEGORIES.map((c) => bytes32Of(`category key ${i}/${c}`)),
      )
    ).wait();
    await (await consentManager.connect(subject).grantConsent(treatmentGrant, envelopesOf(`treatment ${i}`, 4))).wait();
  }
  const records = {
    encounter: await writeRecord(patient, CATEGORY_ENCOUNTERS, "encounter"),
    imaging: await writeRecord(patient, CATEGORY_DIAGNOSTICS, "imaging report"),
    lab: await writeRecord(patient, CATEGORY_OBSERVATIONS, "lab result"),
    condition: await writeRecord(patient, CATEGORY_CONDITIONS, "condition"),
    otherPatient: await writeRecord(otherPatient, CATEGORY_ENCOUNTERS, "another patient's encounter"),
  };

  const claimsGrant = {
    grantee: insurer.address,
    scope: CLAIMS_SCOPE,
    purpose: Purpose.Claims,
    access: ACCESS_READ,
    notBefore: 0n,
    expiresAt: MAX_UINT64,
  };
  const grantClaimsConsent = async (subject = patient) =>
    (await consentManager.connect(subject).grantConsent(claimsGrant, envelopesOf("claims", 3))).wait();
  await grantClaimsConsent(patient);
  await grantClaimsConsent(otherPatient);

  await (await stablecoin.connect(insurer).faucet()).wait();
  await (await stablecoin.connect(insurer).approve(await claims.getAddress(), USD(10_000))).wait();
  await (await claims.connect(insurer).fundPool(USD(10_000))).wait();
  const planId = await claims.connect(insurer).createPlan.staticCall(planTerms());
  await (await claims.connect(insurer).createPlan(planTerms())).wait();
  const t0 = await time.latest();
  const coverageId = await claims
    .connect(insurer)
    .offerCoverage.staticCall(patient.address, planId, t0 - 30 * DAY, t0 + 335 * DAY);
  await (await claims.connect(insurer).offerCoverage(patient.address, planId, t0 - 30 * DAY, t0 + 335 * DAY)).wait();
  await (await claims.connect(patient).acceptCoverage(coverageId)).wait();

  return { ...system, records, planId, coverageId, t0, claimsGrant, grantClaimsConsent };
}

export type ClaimsSystem = Awaited<ReturnType<typeof deployClaimsSystem>>;
