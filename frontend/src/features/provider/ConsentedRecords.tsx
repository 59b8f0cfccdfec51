"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { Address } from "viem";
import { UnlockKey } from "@/features/records/read/UnlockKey";

// The decrypting timeline (SDK crypto, FHIR rendering) loads only when someone opens it.
const RecordTimeline = dynamic(() => import("@/features/records/read/RecordTimeline").then((m) => m.RecordTimeline), {
  ssr: false,
  loading: () => <p role="status">Loading the record reader…</p>,
});

/** Reads a patient's records under the consent the connected account holds (decrypted in this browser). */
export function ConsentedRecords({ patient, title, purpose }: { patient: Address; title: string; purpose: string }) {
  const [open, setOpen] = useState(false);
  return (
    <section className="card" aria-label={title}>
      <h2>{title}</h2>
      {open ? (
        <>
          <UnlockKey purpose={purpose} />
          <RecordTimeline patient={patient} />
        </>
      ) : (
        <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
          Open and decrypt the records you may read
        </button>
      )}
    </section>
  );
}
