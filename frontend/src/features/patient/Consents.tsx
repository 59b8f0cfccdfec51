"use client";

import type { Address } from "viem";
import { ConsentGrantForm } from "./ConsentGrantForm";
import { CancelSignedConsents } from "./CancelSignedConsents";
import { ConsentList } from "./ConsentList";

/** The patient's consents: who may see what, and granting. (Submitting someone's signed grant is a relayer's job: /records.) */
export function Consents({ patient, actingAsGuardian = false }: { patient: Address; actingAsGuardian?: boolean }) {
  return (
    <>
      <h2 className="visually-hidden">Consents</h2>
      <ConsentList patient={patient} actingAsGuardian={actingAsGuardian} />
      <ConsentGrantForm patient={patient} actingAsGuardian={actingAsGuardian} />
      <CancelSignedConsents patient={patient} actingAsGuardian={actingAsGuardian} />
    </>
  );
}
