import { expect } from "chai";
import hre, { network } from "hardhat";

import { CLAIMS_GAS_BUDGETS, claimsGasSuite } from "../../bench/gas/claims.js";

const connection = await network.create();

describe("Claims gas budgets on the real core", function () {
  it("submit with auto-approval ≤ 180k, insurer approve ≤ 90k, provider withdraw ≤ 50k", async function () {
    // Coverage instrumentation adds gas to every statement; budgets are for the real bytecode.
    if (hre.globalOptions.coverage) this.skip();
    const measurements = await claimsGasSuite.run(connection);
    const budgeted = measurements.filter((m) => m.budget !== undefined);
    expect(budgeted.map((m) => m.budget)).to.include.members(Object.values(CLAIMS_GAS_BUDGETS));
    for (const { operation, gasUsed, budget } of budgeted) {
      expect(gasUsed, operation).to.be.lessThanOrEqual(budget!);
    }
  });
});
