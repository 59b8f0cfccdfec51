import type { Metadata } from "next";
import { RoleGate } from "@/components/RoleGate";
import { RegisterPatient } from "@/features/identity/RegisterPatient";
import { PatientWorkspace } from "@/features/patient/PatientWorkspace";
import { RecoverAccountCard } from "@/features/recovery/RecoverAccountCard";

export const metadata: Metadata = { title: "Patient" };

export default function Page() {
  return (
    <>
      <h1>Patient</h1>
      <p className="lede">
        Records, who may read them and until when, and claims: your own, or those of a patient you are a guardian for.
      </p>
      <RoleGate
        role="patient"
        whenMissing={
          <>
            <RegisterPatient />
            <RecoverAccountCard />
          </>
        }
      >
        <PatientWorkspace />
      </RoleGate>
    </>
  );
}
