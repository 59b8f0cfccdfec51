import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the CareLedger core: identities and credentials (CareRegistry), consent
 * (ConsentManager) and record pointers (RecordRegistry). `CareLedger` builds the whole system on
 * top of this module, so both share one source.
 *
 * Parameters (ignition/parameters/<network>.json), under "CareLedgerCore":
 * - admin: the credentialing authority (default: the deployer). On public networks hand it to a
 *   multisig or timelock after deployment (`beginDefaultAdminTransfer` / `acceptDefaultAdminTransfer`).
 */
export default buildModule("CareLedgerCore", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));

  const careRegistry = m.contract("CareRegistry", [admin]);
  const consentManager = m.contract("ConsentManager", [careRegistry]);
  const recordRegistry = m.contract("RecordRegistry", [careRegistry, consentManager]);

  return { careRegistry, consentManager, recordRegistry };
});
