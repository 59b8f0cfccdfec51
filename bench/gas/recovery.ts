/**
 * Gas of account recovery (CareRegistry): guardian approvals, completion after the delay, and the
 * ConsentManager sync. Measured for a patient with no records and one with 40 records over 4
 * categories and 4 grants, to show the cost does not depend on what the identity holds (nothing is
 * copied: everything stays keyed by the patient id).
 */
import { MAX_UINT64, Purpose, bytes32Of, cidOf, deployCore, envelopesOf } from "../../test/helpers/core.js";
import { gasOf, type GasMeasurement, type GasSuite } from "./types.js";

const GUARDIAN_RECOVERY = 4;
const DELAY = 48n * 3_600n;
/** A released share as the SDK sends it: a recovery-share key envelope (~120 B). */
const RELEASED_SHARE = "0x" + "5a".repeat(120);

export const recoveryGasSuite: GasSuite = {
  name: "recovery",
  async run(connection) {
    const { careRegistry, consentManager, recordRegistry, accounts } = await deployCore(connection);
    const { time } = connection.networkHelpers;
    const signers = await connection.ethers.getSigners();
    const guardians = signers.slice(9, 12);
    const results: GasMeasurement[] = [];

    for (const [label, patient, newAddress, records] of [
      ["no records", accounts.patient, signers[12]!, 0],
      ["40 records, 4 grants", accounts.patient2, signers[13]!, 40],
    ] as const) {
      await careRegistry.connect(patient).registerPatient(bytes32Of(label));
      for (const g of guardians) {
        await careRegistry.connect(patient).setGuardian(g.address, GUARDIAN_RECOVERY, 0, MAX_UINT64);
      }
      await careRegistry.connect(patient).setRecovery(2, envelopesOf(`shares ${label}`, 3));
      if (records > 0) {
        const categories = [0, 1, 2, 3];
        await recordRegistry.connect(patient).publishCategoryKeys(
          categories,
          categories.map((c) => bytes32Of(`k${c}`)),
        );
        for (let i = 0; i < records / 10; i++) {
          await recordRegistry.connect(patient).addRecords(
            patient.address,
            Array.from({ length: 10 }, (_, j) => ({
              category: j % 4,
              cid: cidOf(`${label}/${i}/${j}`),
              commitment: bytes32Of(`${i}/${j}`),
              keyEpoch: 1,
            })),
          );
        }
        for (const [i, grantee] of [
          accounts.provider,
          accounts.provider2,
          accounts.insurer,
          accounts.stranger,
        ].entries()) {
          await consentManager.connect(patient).grantConsent(
            {
              grantee: grantee.address,
              scope: 0xf,
              purpose: i % 2 === 0 ? Purpose.Treatment : Purpose.Claims,
              access: 1,
              notBefore: 0n,
              expiresAt: MAX_UINT64,
            },
            envelopesOf(`grant ${i}`, 4),
          );
        }
      }
      const first = await gasOf(
        careRegistry.connect(guardians[0]!).approveRecovery(patient.address, newAddress.address, RELEASED_SHARE),
      );
      results.push({
        operation: `recovery: guardian approves (first, ${label})`,
        gasUsed: first,
        budget: 150_000n,
        note: "with its key share re-wrapped to the new key (120 B)",
      });
      const threshold = await gasOf(
        careRegistry.connect(guardians[1]!).approveRecovery(patient.address, newAddress.address, RELEASED_SHARE),
      );
      results.push({
        operation: `recovery: guardian approves (reaches 2 of 3, schedules, ${label})`,
        gasUsed: threshold,
        budget: 150_000n,
      });
      await time.increase(DELAY);
      const complete = await gasOf(careRegistry.connect(newAddress).completeRecovery(patient.address));
      results.push({
        operation: `recovery: complete after 48 h (${label})`,
        gasUsed: complete,
        budget: 100_000n,
      });
      const sync = await gasOf(consentManager.connect(newAddress).syncAccount(patient.address));
      results.push({ operation: `recovery: ConsentManager sync (${label})`, gasUsed: sync });
    }
    return results;
  },
};
