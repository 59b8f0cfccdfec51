/**
 * Gas of the claims hot paths, against the real system deployed through the Ignition module
 * (`CareLedger`): real credentials, a registered patient with category keys, records written with
 * `RecordRegistry.addRecord`, Claims-purpose consent granted with `ConsentManager.grantConsent`,
 * coverage and a funded pool. `bench/gas.ts` runs it after the core suite.
 *
 * Each claim is measured in the state a real user meets it in. The budgeted submission is a member's
 * first claim of a plan year (the deductible applies; the year's usage lives beside the coverage, so it
 * is no fresh slot) with 1 and with 3 evidence records in 3 categories. The worst case is a provider
 * whose credit with the insurer is empty (its first claim there, or its first since it withdrew
 * everything): fresh claim (2 slots) and credit slots. A provider that has not yet withdrawn its latest
 * credit pays the claim slots only. Claims are keyed by provider and encounter commitment, so there is
 * no encounter slot or counter to pay. Every submission includes the patient's say (the provider's
 * Treatment consent, one `consentScope` call), the strictly-ascending evidence check, the filing window,
 * the auto-approval cap and the worst-case hold in the pool.
 */
import { id } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import type { ClaimsSettlement, MockStablecoin } from "../../types/ethers-contracts/index.js";
import { evidenceOrder } from "../../sdk/src/protocol/claimIds.js";
import { DAY, planTerms, USD } from "../../test/claims/fixture.js";
import { deployClaimsSystem } from "../../test/integration/fixture.js";
import { gasOf, type GasMeasurement, type GasSuite } from "./types.js";

/**
 * What the claims bench needs, already true before it runs:
 * - `insurer` holds an active INSURER_ROLE credential and at least 10,000 cUSD approved to `claims`
 *   (or in its pool), `provider` an active PROVIDER_ROLE credential and has never held the token;
 * - `patient` is a registered patient;
 * - each id in `evidenceRecordIds` (at least 3) is a record of `patient` whose category `patient` lets
 *   `insurer` read for Purpose.Claims.
 */
export interface ClaimsBenchEnv {
  claims: ClaimsSettlement;
  stablecoin: MockStablecoin;
  insurer: HardhatEthersSigner;
  provider: HardhatEthersSigner;
  patient: HardhatEthersSigner;
  evidenceRecordIds: bigint[];
  /** The chain's current time, in seconds. */
  now: () => Promise<number>;
}

export const CLAIMS_GAS_BUDGETS = {
  submitAutoApproved: 180_000n,
  approveClaim: 90_000n,
  withdraw: 50_000n,
} as const;

/** Measures the claims hot paths; budgeted rows carry their budget, the others are for information. */
export async function measureClaimsGas(env: ClaimsBenchEnv): Promise<GasMeasurement[]> {
  const { claims, insurer, provider, patient, evidenceRecordIds } = env;
  const claimsAsInsurer = claims.connect(insurer);
  const claimsAsProvider = claims.connect(provider);
  const results: GasMeasurement[] = [];
  const measure = async (operation: string, tx: Parameters<typeof gasOf>[0], budget?: bigint, note?: string) => {
    results.push({ operation, gasUsed: await gasOf(tx), budget, note });
  };

  /** A fresh plan and accepted coverage, so the next claim is the member's first of the plan year. */
  const newMember = async (): Promise<bigint> => {
    const planId = await claimsAsInsurer.createPlan.staticCall(planTerms());
    await (await claimsAsInsurer.createPlan(planTerms())).wait();
    const now = await env.now();
    const args = [patient.address, planId, now - DAY, now + 364 * DAY] as const;
    const coverageId = await claimsAsInsurer.offerCoverage.staticCall(...args);
    await (await claimsAsInsurer.offerCoverage(...args)).wait();
    await (await claims.connect(patient).acceptCoverage(coverageId)).wait();
    return coverageId;
  };
  let encounter = 0;
  const request = async (coverageId: bigint, billed: bigint, evidence: bigint[]) => {
    encounter += 1;
    return {
      coverageId,
      serviceClass: 0,
      serviceDate: (await env.now()) - 3_600,
      billed,
      encounterCommitment: id(`bench encounter ${encounter}`),
      claimCommitment: id(`bench encrypted FHIR Claim ${encounter}`),
      evidence: evidenceOrder(evidence),
      preAuthId: 0n,
    };
  };
  const oneRecord = evidenceRecordIds.slice(0, 1);
  const threeRecords = evidenceRecordIds.slice(0, 3);
  const firstOfYear = "member's first claim of the plan year (deductible applies)";

  // A provider whose credit with the insurer is empty (its first claim, or its first since it withdrew
  // everything) also pays for a fresh credit slot: ~17k more. The worst case, so it has the budget too.
  await measure(
    "claims: submit + auto-approve + credit (1 evidence record, provider credit empty)",
    claimsAsProvider.submitClaim(await request(await newMember(), USD(200), oneRecord)),
    CLAIMS_GAS_BUDGETS.submitAutoApproved,
    `${firstOfYear}; the provider's first claim with this insurer`,
  );
  await measure(
    "claims: provider withdraw (never held cUSD)",
    claimsAsProvider.withdraw(insurer.address),
    undefined,
    "the token creates the provider's balance slot",
  );
  await measure(
    "claims: submit + auto-approve + credit (3 evidence records, provider credit empty)",
    claimsAsProvider.submitClaim(await request(await newMember(), USD(200), threeRecords)),
    CLAIMS_GAS_BUDGETS.submitAutoApproved,
    `${firstOfYear}; 3 categories; the provider's first claim since it withdrew everything`,
  );
  await measure(
    "claims: submit + auto-approve + credit (1 evidence record)",
    claimsAsProvider.submitClaim(await request(await newMember(), USD(200), oneRecord)),
    CLAIMS_GAS_BUDGETS.submitAutoApproved,
    `${firstOfYear}; the provider has an unwithdrawn credit with the insurer`,
  );
  const coverageId = await newMember();
  await measure(
    "claims: submit + auto-approve + credit (3 evidence records)",
    claimsAsProvider.submitClaim(await request(coverageId, USD(200), threeRecords)),
    CLAIMS_GAS_BUDGETS.submitAutoApproved,
    `${firstOfYear}; 3 categories under one Claims grant; unwithdrawn credit`,
  );
  await measure(
    "claims: submit + auto-approve + credit (later claim, 1 evidence record)",
    claimsAsProvider.submitClaim(await request(coverageId, USD(120), oneRecord)),
    CLAIMS_GAS_BUDGETS.submitAutoApproved,
    "member's later claim of the year; unwithdrawn credit",
  );
  await measure(
    "claims: provider withdraw",
    claimsAsProvider.withdraw(insurer.address),
    CLAIMS_GAS_BUDGETS.withdraw,
    "provider already holds cUSD",
  );
  const pending = await request(coverageId, USD(900), oneRecord);
  const pendingId = await claimsAsProvider.submitClaim.staticCall(pending);
  await measure(
    "claims: submit for review",
    claimsAsProvider.submitClaim(pending),
    undefined,
    "above the auto-approval threshold",
  );
  await measure(
    "claims: insurer approve (partial)",
    claimsAsInsurer.approveClaim(pendingId, USD(800)),
    CLAIMS_GAS_BUDGETS.approveClaim,
    "patient share computed; provider credit empty (fresh slot)",
  );
  const toDeny = await request(coverageId, USD(700), oneRecord);
  const toDenyId = await claimsAsProvider.submitClaim.staticCall(toDeny);
  await (await claimsAsProvider.submitClaim(toDeny)).wait();
  // As many bytes as sealDenialReason writes for three parties (1 + 3 × 56), as random as ciphertext.
  const sealedReason = `0x03${Array.from({ length: 6 }, (_, i) => id(`sealed ${i}`).slice(2))
    .join("")
    .slice(0, 2 * 3 * 56)}`;
  await measure(
    "claims: insurer deny (sealed reason, 3 parties)",
    claimsAsInsurer.denyClaim(toDenyId, sealedReason),
    undefined,
    "the reason code sealed to patient, provider and insurer: 169 bytes in calldata and the event",
  );
  return results;
}

export const claimsGasSuite: GasSuite = {
  name: "claims",
  async run(connection) {
    const { claims, stablecoin, accounts, records } = await deployClaimsSystem(connection);
    return measureClaimsGas({
      claims,
      stablecoin,
      insurer: accounts.insurer,
      provider: accounts.provider,
      patient: accounts.patient,
      evidenceRecordIds: [records.encounter, records.imaging, records.lab],
      now: () => connection.networkHelpers.time.latest(),
    });
  },
};
