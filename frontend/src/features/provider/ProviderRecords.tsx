"use client";

import { useState } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { AmendRecord } from "@/features/records/write/AmendRecord";
import { RecordForm } from "@/features/records/write/RecordForm";
import { UploadDocuments } from "@/features/records/write/UploadDocuments";
import type { RecordKind } from "@/features/records/write/resources";
import { formatDay } from "@/lib/money";
import { recordLabel } from "@/lib/recordLabel";
import { usePatientRecords } from "./usePatientRecords";
import { Party } from "@/components/Party";

const KIND_OF_CATEGORY: Record<number, RecordKind> = {
  0: "allergy",
  1: "medication",
  2: "condition",
  3: "immunization",
  4: "lab",
  7: "encounter",
};

/** The patient's records (as listed on chain), adding records by form or upload, amending own records. */
export function ProviderRecords({ patient }: { patient: Address }) {
  const { address: self } = useConnection();
  const { records, isError } = usePatientRecords(patient);
  const [mode, setMode] = useState<"form" | "upload">("form");
  const [amending, setAmending] = useState<{ recordId: bigint; kind: RecordKind }>();

  return (
    <>
      <section className="card" aria-labelledby="records-title">
        <h2 id="records-title">Records on chain</h2>
        {isError ? (
          <p className="field-error" role="alert">
            The patient&apos;s records could not be listed. Try again.
          </p>
        ) : !records ? (
          <p role="status">Reading the patient&apos;s records…</p>
        ) : records.length === 0 ? (
          <p>No records yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Patient records">
              <thead>
                <tr>
                  <th scope="col">Record</th>
                  <th scope="col">Category</th>
                  <th scope="col">Added</th>
                  <th scope="col">Author</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {records.map((r) => {
                  const kind = KIND_OF_CATEGORY[r.category];
                  const own = self && r.author.toLowerCase() === self.toLowerCase();
                  return (
                    <tr key={r.recordId.toString()} data-testid="record-row">
                      <th scope="row">
                        {recordLabel(r.recordId)}
                        {r.supersededBy !== 0n ? <span className="tag">superseded</span> : null}
                        {r.supersedes !== 0n ? <span className="tag">amended</span> : null}
                      </th>
                      <td>{r.categoryLabel}</td>
                      <td>{formatDay(r.createdAt)}</td>
                      <td>{own ? "You" : <Party address={r.author} />}</td>
                      <td>
                        {own && kind && r.supersededBy === 0n ? (
                          <button
                            type="button"
                            className="button button--quiet"
                            onClick={() => setAmending({ recordId: r.recordId, kind })}
                          >
                            Amend<span className="visually-hidden"> record {recordLabel(r.recordId)}</span>
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {amending ? (
        <section className="card" aria-labelledby="amend-title">
          <h2 id="amend-title">Amend record {recordLabel(amending.recordId)}</h2>
          <p className="field-hint">
            The form starts from the current version. The new version supersedes it; both stay on the patient&apos;s
            history.
          </p>
          <AmendRecord
            key={amending.recordId.toString()}
            patient={patient}
            recordId={amending.recordId}
            kind={amending.kind}
            onDone={() => setAmending(undefined)}
          />
          <button type="button" className="button button--quiet" onClick={() => setAmending(undefined)}>
            Cancel
          </button>
        </section>
      ) : null}

      <section className="card" aria-labelledby="add-record-title">
        <h2 id="add-record-title">Add a record</h2>
        <div className="button-row" role="group" aria-label="How to add">
          <button
            type="button"
            className={mode === "form" ? "button" : "button button--quiet"}
            aria-pressed={mode === "form"}
            onClick={() => setMode("form")}
          >
            Clinical form
          </button>
          <button
            type="button"
            className={mode === "upload" ? "button" : "button button--quiet"}
            aria-pressed={mode === "upload"}
            onClick={() => setMode("upload")}
          >
            Upload PDF or image
          </button>
        </div>
        {mode === "form" ? <RecordForm patient={patient} /> : <UploadDocuments patient={patient} />}
      </section>
    </>
  );
}
