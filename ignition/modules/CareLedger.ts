import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import CareLedgerCore from "./CareLedgerCore.js";

/**
 * Deploys the whole CareLedger system. `npm start`, `npm run deploy` and the tests all go
 * through this module, so tests exercise the real deployment.
 *
 * The core contracts (CareRegistry, ConsentManager, RecordRegistry) come from `CareLedgerCore`;
 * its `admin` parameter is the credentialing authority (default: the deployer), given as
 * `{ CareLedgerCore: { admin: "0x..." } }` (Ignition parameters are per module). On public
 * networks hand it to a multisig or timelock after deployment.
 *
 * The claims pools use a MockStablecoin with a faucet here; `CareLedgerWithStablecoin` deploys
 * the same system against an existing ERC-20 on real networks.
 */
export default buildModule("CareLedger", (m) => {
  const { careRegistry, consentManager, recordRegistry } = m.useModule(CareLedgerCore);

  const stablecoin = m.contract("MockStablecoin", []);
  const claimsSettlement = m.contract("ClaimsSettlement", [careRegistry, consentManager, recordRegistry, stablecoin]);

  return { careRegistry, consentManager, recordRegistry, stablecoin, claimsSettlement };
});
