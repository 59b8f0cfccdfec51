/**
 * `CareLedgerWithStablecoin` deploys the same system as `CareLedger` (one wiring) against an
 * existing ERC-20 given as a parameter, instead of deploying the mock.
 */
import { expect } from "chai";
import { network } from "hardhat";

import CareLedgerWithStablecoin from "../../ignition/modules/CareLedgerWithStablecoin.js";

describe("CareLedgerWithStablecoin (Ignition module)", function () {
  it("wires ClaimsSettlement to the given ERC-20 and deploys no token of its own", async function () {
    const { ethers, ignition } = await network.create();
    const [deployer, authority] = await ethers.getSigners();
    const existing = await ethers.deployContract("MockStablecoin");
    const nonceBefore = await ethers.provider.getTransactionCount(deployer.address);

    const system = await ignition.deploy(CareLedgerWithStablecoin, {
      parameters: {
        CareLedgerCore: { admin: authority.address },
        CareLedgerWithStablecoin: { stablecoin: await existing.getAddress() },
      },
    });

    expect(await system.stablecoin.getAddress()).to.equal(await existing.getAddress());
    expect(await system.claimsSettlement.stablecoin()).to.equal(await existing.getAddress());
    expect(await system.careRegistry.defaultAdmin()).to.equal(authority.address);
    // Three transactions, no token: CareRegistry, ConsentManager (which deploys its RecordRegistry),
    // ClaimsSettlement.
    expect((await ethers.provider.getTransactionCount(deployer.address)) - nonceBefore).to.equal(3);
    expect(await system.consentManager.recordRegistry()).to.equal(await system.recordRegistry.getAddress());
  });

  it("refuses to deploy without the stablecoin parameter", async function () {
    const { ignition } = await network.create();
    let failure: unknown;
    try {
      await ignition.deploy(CareLedgerWithStablecoin, { parameters: {} });
    } catch (error) {
      failure = error;
    }
    expect((failure as Error)?.message).to.match(/stablecoin/);
  });
});
