import { id } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ClaimsSettlement, MockStablecoin } from "../../types/ethers-contracts/index.js";

/** One gas measurement, the shape `bench/gas.ts` prints. */
export interface GasMeasurement {
  operation: string;
  gasUsed: bigint;
  budget: bigint;
}

/**
 * What the claims bench needs, already true before it runs (the caller sets it up through the real
 * CareRegistry / ConsentManager / RecordRegistry, or through test doubles):
 * - `insurer` holds an active INSURER_ROLE credential, `provider` an active PROVIDER_ROLE credential;
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

const USD = (amount: number) => BigInt(Math.round(amount * 1e6));
let encounterNonce = 0;
/** A fresh commitment per call, as a provider's salted hash of an encounter or an encrypted Claim would be. */
const commitment = (label: string) => id(`${label} ${Date.now()} ${encounterNonce++}`);

async function gasOf(tx: Promise<{ wait: () => Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was dropped");
  return receipt.gasUsed;
}

/**
 * Measures the claims hot paths against their budgets (L1 gas, one evidence record unless named):
 * - the first claim of a deployment and a member's first claim of a plan year right after the provider
 *   withdrew everything (fresh claim, encounter and credit slots: the worst realistic case);
 * - the steady state of a provider that bills an insurer every day (1 and 3 evidence records; each
 *   extra record costs about 7.6k gas for its subject and consent look-ups);
 * - insurer approval and provider withdrawal. A withdrawal to a wallet that has never held the token
 *   costs about 17k more (the token's fresh balance slot) and is reported without a budget.
 */
export async function measureClaimsGas(env: ClaimsBenchEnv): Promise<GasMeasurement[]> {
  const { claims, stablecoin, insurer, provider, patient, evidenceRecordIds } = env;
  const claimsAsInsurer = claims.connect(insurer);
  const claimsAsProvider = claims.connect(provider);
  const claimsAddress = await claims.getAddress();

  await (await stablecoin.connect(insurer).faucet()).wait();
  await (await stablecoin.connect(insurer).approve(claimsAddress, USD(10_000))).wait();
  await (await claimsAsInsurer.fundPool(USD(10_000))).wait();

  const planId = await claimsAsInsurer.createPlan.staticCall(planTerms());
  await (await claimsAsInsurer.createPlan(planTerms())).wait();
  const now = await env.now();
  const coverageId = await claimsAsInsurer.offerCoverage.staticCall(patient.address, planId, now - 86_400, now + 365 * 86_400);
  await (await claimsAsInsurer.offerCoverage(patient.address, planId, now - 86_400, now + 365 * 86_400)).wait();
  await (await claims.connect(patient).acceptCoverage(coverageId)).wait();

  const request = (billed: bigint, evidence: bigint[]) => ({
    coverageId,
    serviceClass: 0,
    serviceDate: now - 3_600,
    billed,
    encounterCommitment: commitment("encounter"),
    claimCommitment: commitment("claim"),
    evidence,
    preAuthId: 0n,
  });

  const measurements: GasMeasurement[] = [];
  const oneRecord = evidenceRecordIds.slice(0, 1);
  const threeRecords = evidenceRecordIds.slice(0, 3);

  // First claim of this provider and member: fresh usage and credit slots.
  const firstSubmit = await gasOf(claimsAsProvider.submitClaim(request(USD(100), oneRecord)));
  measurements.push({
    operation: "claims: submit + auto-approve + credit (first claim of the deployment)",
    gasUsed: firstSubmit,
    budget: CLAIMS_GAS_BUDGETS.submitAutoApproved,
  });
  const firstWithdraw = await gasOf(claimsAsProvider.withdraw(insurer.address));
  measurements.push({ operation: "claims: provider withdraw (first, empty wallet)", gasUsed: firstWithdraw, budget: 0n });

  // Steady state.
  await (await claimsAsProvider.submitClaim(request(USD(100), oneRecord))).wait();
  measurements.push({
    operation: "claims: submit + auto-approve + credit (1 evidence record)",
    gasUsed: await gasOf(claimsAsProvider.submitClaim(request(USD(120), oneRecord))),
    budget: CLAIMS_GAS_BUDGETS.submitAutoApproved,
  });
  measurements.push({
    operation: "claims: submit + auto-approve + credit (3 evidence records)",
    gasUsed: await gasOf(claimsAsProvider.submitClaim(request(USD(130), threeRecords))),
    budget: CLAIMS_GAS_BUDGETS.submitAutoApproved,
  });
  const pendingId = await claimsAsProvider.submitClaim.staticCall(request(USD(900), oneRecord));
  measurements.push({
    operation: "claims: submit for review",
    gasUsed: await gasOf(claimsAsProvider.submitClaim(request(USD(900), oneRecord))),
    budget: 0n,
  });
  measurements.push({
    operation: "claims: insurer approve (partial, patient share computed)",
    gasUsed: await gasOf(claimsAsInsurer.approveClaim(pendingId, USD(800))),
    budget: CLAIMS_GAS_BUDGETS.approveClaim,
  });
  measurements.push({
    operation: "claims: provider withdraw",
    gasUsed: await gasOf(claimsAsProvider.withdraw(insurer.address)),
    budget: CLAIMS_GAS_BUDGETS.withdraw,
  });

  // Worst realistic case on a live deployment: the member's first claim of a plan year (a fresh usage
  // slot) right after the provider withdrew everything (a fresh credit slot).
  await (await claimsAsInsurer.createPlan(planTerms())).wait();
  const renewalPlanId = planId + 1n;
  const renewalCoverageId = await claimsAsInsurer.offerCoverage.staticCall(patient.address, renewalPlanId, now - 86_400, now + 365 * 86_400);
  await (await claimsAsInsurer.offerCoverage(patient.address, renewalPlanId, now - 86_400, now + 365 * 86_400)).wait();
  await (await claims.connect(patient).acceptCoverage(renewalCoverageId)).wait();
  measurements.push({
    operation: "claims: submit + auto-approve + credit (member's first claim of the year, provider credit empty)",
    gasUsed: await gasOf(claimsAsProvider.submitClaim({ ...request(USD(100), oneRecord), coverageId: renewalCoverageId })),
    budget: CLAIMS_GAS_BUDGETS.submitAutoApproved,
  });
  return measurements;
}

function planTerms() {
  return {
    coverageBps: 8_000,
    preAuthClasses: 0b1000, // class 3 (e.g. surgery) needs pre-authorisation
    deductible: USD(50),
    annualLimit: USD(5_000),
    autoApproveThreshold: USD(250),
    reviewWindow: 14 * 86_400,
    appealWindow: 30 * 86_400,
  };
}

/** Formats measurements as a table, marking any over budget. */
export function formatGasTable(measurements: GasMeasurement[]): string {
  const rows = measurements.map(({ operation, gasUsed, budget }) => {
    const verdict = budget === 0n ? "(no budget)" : gasUsed <= budget ? "ok" : "OVER BUDGET";
    return `${operation.padEnd(96)} ${gasUsed.toString().padStart(9)} ${budget === 0n ? "".padStart(9) : budget.toString().padStart(9)}  ${verdict}`;
  });
  return [`${"operation".padEnd(96)} ${"gas".padStart(9)} ${"budget".padStart(9)}`, ...rows].join("\n");
}
