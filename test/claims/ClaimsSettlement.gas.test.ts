import { expect } from "chai";
import hre, { network } from "hardhat";

import { CLAIMS_GAS_BUDGETS, measureClaimsGas } from "../../bench/gas/claims.js";
import { ACCESS_READ, CATEGORY_DIAGNOSTICS, CATEGORY_ENCOUNTERS, PURPOSE_CLAIMS } from "./fixture.js";

const { ethers, networkHelpers } = await network.create();

describe("ClaimsSettlement gas budgets", function () {
  it("submit with auto-approval ≤ 180k, insurer approve ≤ 90k, provider withdraw ≤ 50k", async function () {
    // Coverage instrumentation adds gas to every statement; budgets are for the real bytecode.
    if (hre.globalOptions.coverage) this.skip();
    const [, insurer, provider, patient] = await ethers.getSigners();
    const registry = await ethers.deployContract("CareRegistryDouble");
    const consents = await ethers.deployContract("ConsentDouble");
    const records = await ethers.deployContract("RecordsDouble");
    const stablecoin = await ethers.deployContract("MockStablecoin");
    const claims = await ethers.deployContract("ClaimsSettlement", [registry, consents, records, stablecoin]);
    await registry.setCredentialed(ethers.id("INSURER_ROLE"), insurer.address, true);
    await registry.setCredentialed(ethers.id("PROVIDER_ROLE"), provider.address, true);
    await registry.setPatient(patient.address, true);
    const categories = [CATEGORY_ENCOUNTERS, CATEGORY_DIAGNOSTICS, CATEGORY_ENCOUNTERS];
    for (const [i, category] of categories.entries()) {
      await records.setRecord(BigInt(i + 1), patient.address, category);
      await consents.setConsent(patient.address, insurer.address, category, PURPOSE_CLAIMS, ACCESS_READ);
    }

    const measurements = await measureClaimsGas({
      claims,
      stablecoin,
      insurer,
      provider,
      patient,
      evidenceRecordIds: [1n, 2n, 3n],
      now: () => networkHelpers.time.latest(),
    });
    const budgeted = measurements.filter((m) => m.budget !== 0n);
    expect(budgeted.map((m) => m.budget)).to.include.members([
      CLAIMS_GAS_BUDGETS.submitAutoApproved,
      CLAIMS_GAS_BUDGETS.approveClaim,
      CLAIMS_GAS_BUDGETS.withdraw,
    ]);
    for (const { operation, gasUsed, budget } of budgeted) {
      expect(gasUsed, operation).to.be.lessThanOrEqual(budget);
    }
  });
});
