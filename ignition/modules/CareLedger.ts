import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture, IgnitionModuleBuilder } from "@nomicfoundation/ignition-core";

import CareLedgerCore from "./CareLedgerCore.js";

/**
 * The whole system on top of the core, given the claims pools' stablecoin. `CareLedger` (mock
 * stablecoin) and `CareLedgerWithStablecoin` (an existing ERC-20) both build through this one
 * function, so they deploy the same wiring.
 */
export function buildCareLedgerSystem(m: IgnitionModuleBuilder, stablecoin: ContractFuture<string>) {
  const { careRegistry, consentManager, recordRegistry } = m.useModule(CareLedgerCore);
  const claimsSettlement = m.contract("ClaimsSettlement", [careRegistry, consentManager, recordRegistry, stablecoin]);
  return { careRegistry, consentManager, recordRegistry, stablecoin, claimsSettlement };
}

/**
 * Deploys the whole CareLedger system. `npm start`, `npm run deploy` and the tests all go
 * through this module, so tests exercise the real deployment.
 *
 * The core contracts (CareRegistry, ConsentManager, RecordRegistry) come from `CareLedgerCore`;
 * its `admin` parameter is the credentialing authority (default: the deployer), given as
 * `{ CareLedgerCore: { admin: "0x..." } }` (Ignition parameters are per module). On public
 * networks hand it to a multisig or timelock after deployment (`careledger:handover-admin`).
 *
 * The claims pools use a MockStablecoin with a faucet here (local and test chains);
 * `CareLedgerWithStablecoin` deploys the same system against an existing ERC-20.
 */
export default buildModule("CareLedger", (m) => buildCareLedgerSystem(m, m.contract("MockStablecoin", [])));
