import type { Metadata } from "next";
import { RoleGate } from "@/components/RoleGate";
import { RegisterPatient } from "@/features/identity/RegisterPatient";
import { PatientWorkspace } from "@/features/patient/PatientWorkspace";

export const metadata: Metadata = { title: "Patient" };

export default function Page() {
  return (
    <>
      <h1>Patient</h1>
      <p className="lede">Your records, who may read them and until when, and your claims.</p>
      <RoleGate role="patient" whenMissing={<RegisterPatient />}>
        <PatientWorkspace />
      </RoleGate>
    </>
  );
}
