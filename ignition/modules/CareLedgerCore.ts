import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys the CareLedger core: identities and credentials (CareRegistry), consent
 * (ConsentManager) and record pointers (RecordRegistry, deployed by the ConsentManager's
 * constructor, which keeps its address immutable). `CareLedger` builds the whole system on
 * top of this module, so both share one source.
 *
 * Parameters (ignition/parameters/<network>.json), under "CareLedgerCore":
 * - admin: the credentialing authority (default: the deployer). On public networks hand it to a
 *   multisig or timelock after deployment (`beginDefaultAdminTransfer` / `acceptDefaultAdminTransfer`).
 */
export default buildModule("CareLedgerCore", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));

  const careRegistry = m.contract("CareRegistry", [admin]);
  // The two name each other: grants tell the RecordRegistry who holds which category keys until when,
  // and rotations go through the ConsentManager, which checks the grants the new keys go to. The
  // ConsentManager's constructor deploys its RecordRegistry (so it holds the address as an immutable).
  const consentManager = m.contract("ConsentManager", [careRegistry]);
  const recordRegistry = m.contractAt("RecordRegistry", m.staticCall(consentManager, "recordRegistry"));

  return { careRegistry, consentManager, recordRegistry };
});
