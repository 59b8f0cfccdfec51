import type { Metadata } from "next";
import { ReadPatientRecords } from "@/features/records/read/ReadPatientRecords";
import { SubmitSignedGrant } from "@/features/patient/SubmitSignedGrant";

export const metadata: Metadata = { title: "Shared records" };

/** Records shared with the connected account (any role), and submitting a patient's signed consent. */
export default function Page() {
  return (
    <>
      <h1>Shared records</h1>
      <p className="lede">
        Read what patients shared with you, decrypted in this browser, and submit a consent a patient signed.
      </p>
      <ReadPatientRecords />
      <SubmitSignedGrant />
    </>
  );
}
