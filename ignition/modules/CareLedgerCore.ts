import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the CareLedger core: identities and credentials (CareRegistry), consent
 * (ConsentManager) and record pointers (RecordRegistry), then binds the ConsentManager to the
 * RecordRegistry (once, by the deployer). `CareLedger` builds the whole system on
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
  // The two name each other: grants tell the RecordRegistry who holds which category keys until when,
  // and rotations go through the ConsentManager, which checks the grants the new keys go to.
  m.call(consentManager, "bindRecordRegistry", [recordRegistry]);

  return { careRegistry, consentManager, recordRegistry };
});
