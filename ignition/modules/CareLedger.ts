import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the whole CareLedger system. `npm start`, `npm run deploy` and the tests all go
 * through this module, so tests exercise the real deployment.
 *
 * Parameters (ignition/parameters/<network>.json):
 * - admin: the credentialing authority (default: the deployer). On public networks hand it to a
 *   multisig or timelock after deployment.
 *
 * The claims pools use a MockStablecoin with a faucet here; `CareLedgerWithStablecoin` deploys
 * the same system against an existing ERC-20 on real networks.
 */
export default buildModule("CareLedger", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));

  const careRegistry = m.contract("CareRegistry", [admin]);
  const consentManager = m.contract("ConsentManager", [careRegistry]);
  const recordRegistry = m.contract("RecordRegistry", [careRegistry, consentManager]);
  const stablecoin = m.contract("MockStablecoin", []);
  const claimsSettlement = m.contract("ClaimsSettlement", [careRegistry, consentManager, recordRegistry, stablecoin]);

  return { careRegistry, consentManager, recordRegistry, stablecoin, claimsSettlement };
});
