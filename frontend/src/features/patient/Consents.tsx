"use client";

import type { Address } from "viem";
import { ConsentGrantForm, SubmitSignedGrant } from "./ConsentGrantForm";
import { ConsentList } from "./ConsentList";

export function Consents({ patient, actingAsGuardian = false }: { patient: Address; actingAsGuardian?: boolean }) {
  return (
    <>
      <h2 className="visually-hidden">Consents</h2>
      <ConsentList patient={patient} actingAsGuardian={actingAsGuardian} />
      <ConsentGrantForm patient={patient} actingAsGuardian={actingAsGuardian} />
      <SubmitSignedGrant />
    </>
  );
}
