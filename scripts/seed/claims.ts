/**
 * Insurance: Meridian Health defines a plan, offers the three patients coverage (Chloe's is
 * accepted by her guardian), funds its claims pool from the mock stablecoin's faucet, and the
 * providers claim with record ids as evidence: one claim is approved automatically and withdrawn by
 * the GP, one awaits the insurer's review, one is denied with a reason code sealed to the patient,
 * the provider and the insurer.
 */
import { claimLabel, fromHex, saltedCommitment, sealDenialReason } from "@careledger/sdk";
import { evidenceOrder } from "@careledger/sdk/protocol/claimIds";
import type { Hex } from "viem";

import type { Person, SeedChain } from "./chain.js";
import type { DemoPeople } from "./people.js";
import { DAY } from "./people.js";
import type { SeededRecord } from "./records.js";

/** cUSD has 6 decimals. */
export const CUSD = 1_000_000n;

/** Service classes are the plan's coarse numbering, never a diagnosis or procedure code. */
export const SERVICE_CLASS = { outpatient: 0, inpatient: 1, labAndImaging: 2, surgery: 3 } as const;

export const PLAN_TERMS = {
  coverageBps: 8_000, // the plan pays 80 % after the deductible
  preAuthClasses: 1 << SERVICE_CLASS.surgery,
  deductible: 50n * CUSD,
  annualLimit: 5_000n * CUSD,
  autoApproveThreshold: 250n * CUSD,
  reviewWindow: Number(14n * DAY),
  appealWindow: Number(30n * DAY),
  filingWindow: Number(90n * DAY), // claims within 90 days of the service
  autoApproveAnnualCap: 1_000n * CUSD, // past 1,000 cUSD a year automatically, the insurer reviews
};

/** What the seed puts in Meridian's pool; the rest of its faucet draw stays in its wallet. */
export const POOL_FUNDED = 6_000n * CUSD;

/** X12 claim adjustment reason code 50: "not deemed a medical necessity by the payer". */
export const DENIAL_REASON_NOT_MEDICALLY_NECESSARY = 50;

export const CLAIM_STATUS = ["none", "pending", "approved", "denied", "appealed", "closed"] as const;

export interface SeededClaim {
  claimId: bigint;
  patient: Person;
  provider: Person;
  billed: bigint;
  status: (typeof CLAIM_STATUS)[number];
  payerAmount: bigint;
  reasonCode?: number;
  withdrawn?: bigint;
  label: string;
  /** The salts of the claim's encounter and contents commitments (kept off chain, in memory only). */
  salts: { encounter: Hex; claim: Hex };
}

export interface SeededInsurance {
  planId: bigint;
  poolFunded: bigint;
  coverage: Map<Person, bigint>;
  claims: SeededClaim[];
}

export async function seedClaims(
  chain: SeedChain,
  people: DemoPeople,
  records: SeededRecord[],
  note: (detail: string) => void,
): Promise<SeededInsurance> {
  const { okafor, northside, meridian, alice, ben, chloe, daniel } = people;
  const now = await chain.now();

  // Plan and pool: the faucet is the mock's only way to mint (10,000 cUSD a day per account). The
  // pool gets part of it; the rest stays in the insurer's wallet, so the demo insurer can fund the
  // pool from the dApp while the faucet is on its daily cooldown.
  const planReceipt = chain.send(meridian, "ClaimsSettlement", "createPlan", [PLAN_TERMS]);
  const poolFunded = POOL_FUNDED;
  const funding = (async () => {
    await chain.send(meridian, "Stablecoin", "faucet");
    await chain.send(meridian, "Stablecoin", "approve", [chain.address("ClaimsSettlement"), poolFunded]);
    await chain.send(meridian, "ClaimsSettlement", "fundPool", [poolFunded]);
  })();
  const planId = chain.events<{ planId: bigint }>(await planReceipt, "PlanCreated")[0]!.planId;

  // Coverage for this plan year, started three months ago.
  const coverage = new Map<Person, bigint>();
  await Promise.all(
    [alice, ben, chloe].map(async (patient) => {
      const receipt = await chain.send(meridian, "ClaimsSettlement", "offerCoverage", [
        patient.address,
        planId,
        Number(now - 90n * DAY),
        Number(now + 275n * DAY),
      ]);
      const coverageId = chain.events<{ coverageId: bigint }>(receipt, "CoverageOffered")[0]!.coverageId;
      coverage.set(patient, coverageId);
      // Chloe is a minor: her guardian accepts for her.
      await chain.send(patient === chloe ? daniel : patient, "ClaimsSettlement", "acceptCoverage", [coverageId]);
    }),
  );
  await funding;
  note(
    `plan ${planId} (80 % after a 50 cUSD deductible, auto-approval up to 250 cUSD); pool funded with ${poolFunded / CUSD} cUSD, the rest of the faucet's draw left in its wallet`,
  );
  note(`coverage accepted by ${alice.name}, ${ben.name} and ${daniel.name} for ${chloe.name}`);

  const evidence = (patient: Person, kind: string, author?: Person) => {
    const found = records.filter((r) => r.patient === patient && r.kind === kind && (!author || r.author === author));
    if (found.length === 0) throw new Error(`${patient.name} has no ${kind} record to claim with`);
    return found.map((r) => r.recordId);
  };
  const claim = async (
    provider: Person,
    patient: Person,
    args: { serviceClass: number; daysAgo: bigint; billed: bigint; evidence: bigint[]; label: string },
  ): Promise<SeededClaim> => {
    const coverageId = coverage.get(patient)!;
    const evidenceIds = evidenceOrder(args.evidence);
    const encounter = `${patient.address}:${args.label}`;
    // Guessable text goes on chain only as a salted commitment (SDK saltedCommitment), as in the
    // claim task and the dApp.
    const scope = { chainId: chain.chainId, contract: chain.address("ClaimsSettlement") };
    const encounterCommitment = saltedCommitment({ ...scope, purpose: "encounter" }, encounter);
    const claimCommitment = saltedCommitment(
      { ...scope, purpose: "claim" },
      `${encounter}:${coverageId}:${evidenceIds.join(",")}`,
    );
    const receipt = await chain.send(provider, "ClaimsSettlement", "submitClaim", [
      {
        coverageId,
        serviceClass: args.serviceClass,
        serviceDate: Number(now - args.daysAgo * DAY),
        billed: args.billed,
        encounterCommitment: encounterCommitment.commitment,
        claimCommitment: claimCommitment.commitment,
        evidence: evidenceIds,
        preAuthId: 0n,
      },
    ]);
    const claimId = chain.events<{ claimId: bigint }>(receipt, "ClaimSubmitted")[0]!.claimId;
    return {
      claimId,
      patient,
      provider,
      billed: args.billed,
      status: "pending",
      payerAmount: 0n,
      label: args.label,
      salts: { encounter: encounterCommitment.salt, claim: claimCommitment.salt },
    };
  };

  const [checkUp, labPanel, asthmaReview] = await Promise.all([
    // Within the auto-approval threshold: approved and credited in the submitting transaction.
    claim(okafor, alice, {
      serviceClass: SERVICE_CLASS.outpatient,
      daysAgo: 30n,
      billed: 180n * CUSD,
      evidence: evidence(alice, "Encounter"),
      label: "hypertension check-up",
    }),
    // Above it: waits for Meridian's review.
    claim(northside, alice, {
      serviceClass: SERVICE_CLASS.labAndImaging,
      daysAgo: 29n,
      billed: 640n * CUSD,
      evidence: [...evidence(alice, "DiagnosticReport"), ...evidence(alice, "Observation", northside)],
      label: "metabolic panel",
    }),
    // Reviewed and denied.
    claim(okafor, ben, {
      serviceClass: SERVICE_CLASS.outpatient,
      daysAgo: 12n,
      billed: 420n * CUSD,
      evidence: evidence(ben, "Encounter"),
      label: "asthma review",
    }),
  ]);
  // The reason is sealed to Ben, his GP and Meridian (SDK sealDenialReason): the chain shows the
  // denial, never why.
  const publicKey = async (person: Person) =>
    fromHex((await chain.read<readonly [Hex, number]>("CareRegistry", "encryptionKey", [person.address]))[0]);
  const sealedReason = await sealDenialReason(
    DENIAL_REASON_NOT_MEDICALLY_NECESSARY,
    await Promise.all(
      [ben, okafor, meridian].map(async (p) => ({ account: p.address, publicKey: await publicKey(p) })),
    ),
    {
      chainId: chain.chainId,
      registry: chain.address("CareRegistry"),
      settlement: chain.address("ClaimsSettlement"),
      kind: "claim",
      id: asthmaReview.claimId,
      patient: ben.address,
    },
  );
  await chain.send(meridian, "ClaimsSettlement", "denyClaim", [asthmaReview.claimId, sealedReason]);
  asthmaReview.reasonCode = DENIAL_REASON_NOT_MEDICALLY_NECESSARY;

  // The GP pulls its payout from Meridian's pool.
  const credit = await chain.read<bigint>("ClaimsSettlement", "creditOf", [okafor.address, meridian.address]);
  await chain.send(okafor, "ClaimsSettlement", "withdraw", [meridian.address]);
  checkUp.withdrawn = credit;

  const claims = [checkUp, labPanel, asthmaReview];
  for (const c of claims) {
    const stored = await chain.read<{ status: number; payerAmount: bigint }>("ClaimsSettlement", "getClaim", [
      c.claimId,
    ]);
    c.status = CLAIM_STATUS[Number(stored.status)]!;
    c.payerAmount = stored.payerAmount;
  }
  note(
    `claims: ${claimLabel(checkUp.claimId)} ${checkUp.status} (${Number(checkUp.payerAmount) / 1e6} cUSD withdrawn by ${okafor.name}), ` +
      `${claimLabel(labPanel.claimId)} ${labPanel.status}, ` +
      `${claimLabel(asthmaReview.claimId)} ${asthmaReview.status} (reason ${asthmaReview.reasonCode})`,
  );
  return { planId, poolFunded, coverage, claims };
}
