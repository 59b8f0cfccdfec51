"use client";

import { Category } from "@careledger/sdk/protocol/constants";
import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { explainError } from "@/errors/explain";
import { useCareWrite } from "@/hooks/useCareWrite";
import type { UploadProgress } from "./apiBlobStore";
import { ChartOf } from "./ChartOf";
import { UploadBar } from "./UploadBar";
import { useRecordWriter, type SealedRecord } from "./useRecordWriter";

const ACCEPT = "application/pdf,image/png,image/jpeg,image/webp";
const MAX_BYTES = 50 * 1024 * 1024;

/**
 * Adds PDFs and images as document records: each file is encrypted in the browser and uploaded as
 * ciphertext with progress, then one addRecord (or addRecords for several files).
 */
export function UploadDocuments({ patient, onDone }: { patient: Address; onDone?: () => void }) {
  const [files, setFiles] = useState<File[]>([]);
  const [error, setError] = useState<string>();
  const [progress, setProgress] = useState<{ index: number; progress?: UploadProgress }>();
  const registry = useCareWrite("RecordRegistry");
  const writer = useRecordWriter(patient);
  const busy = progress !== undefined || registry.busy;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    registry.reset();
    if (!files.length) return setError("Choose at least one PDF or image.");
    const wrong = files.find((f) => !ACCEPT.split(",").includes(f.type));
    if (wrong) return setError(`${wrong.name} is not a PDF or an image (PNG, JPEG, WebP).`);
    const large = files.find((f) => f.size > MAX_BYTES);
    if (large) return setError(`${large.name} is larger than 50 MiB.`);
    setError(undefined);
    const sealed: SealedRecord[] = [];
    try {
      for (const [index, file] of files.entries()) {
        setProgress({ index });
        sealed.push(await writer.sealFile(file, Category.Documents, (p) => setProgress({ index, progress: p })));
      }
    } catch (failure) {
      setProgress(undefined);
      return setError(explainError(failure).message);
    }
    setProgress(undefined);
    const receipt =
      sealed.length === 1
        ? await registry.write({
            functionName: "addRecord",
            args: [patient, sealed[0].category, sealed[0].cid, sealed[0].commitment, sealed[0].keyEpoch],
          })
        : await registry.write({
            functionName: "addRecords",
            args: [
              patient,
              sealed.map((s) => ({ category: s.category, keyEpoch: s.keyEpoch, commitment: s.commitment, cid: s.cid })),
            ],
          });
    if (receipt) {
      setFiles([]);
      (event.target as HTMLFormElement).reset();
      onDone?.();
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Upload documents">
      <ChartOf patient={patient} />
      <Field
        label="Documents"
        hint="PDF or images (PNG, JPEG, WebP), up to 50 MiB each. Several files are added in one transaction."
        error={error}
      >
        <input
          type="file"
          name="documents"
          accept={ACCEPT}
          multiple
          onChange={(e) => setFiles(Array.from(e.target.files ?? []))}
        />
      </Field>
      {files.length ? (
        <ul className="file-list">
          {files.map((f) => (
            <li key={f.name}>
              {f.name} ({Math.ceil(f.size / 1024)} KiB)
            </li>
          ))}
        </ul>
      ) : null}
      <button type="submit" className="button" disabled={busy}>
        Encrypt and upload
      </button>
      {progress ? (
        <UploadBar
          progress={progress.progress}
          label={`Encrypting and uploading ${files[progress.index]?.name ?? "file"} (${progress.index + 1} of ${files.length})`}
        />
      ) : null}
      <TransactionStatus state={registry.state} label="Documents" />
    </form>
  );
}
