"use client";

import { useQuery } from "@tanstack/react-query";
import { CATEGORIES } from "@careledger/sdk/protocol/constants";
import { memo, useMemo, useState } from "react";
import { isAddressEqual, type Address as AddressType } from "viem";
import { useSelf } from "@/hooks/useSelf";
import "./records.css";
import { EmptyState } from "@/components/EmptyState";
import { ScanProgress } from "@/components/ScanProgress";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { usePreloadFhirValidator } from "../usePreloadFhirValidator";
import { fetchVerifiedBlobs, openPointer, type OpenedRecordView } from "./decrypt";
import { FhirView, resourceTitle } from "./FhirView";
import { DocumentPreview } from "./DocumentPreview";
import { useReaderKeys } from "./keys";
import { useRecordPointers, type RecordPointer } from "./pointers";
import { Party } from "@/components/Party";
import { formatMoment } from "@/lib/money";

const categoryLabel = (c: number) => CATEGORIES[c]?.label ?? `Category ${c}`;

/**
 * A patient's records, decrypted in this browser with whatever keys the connected wallet
 * legitimately holds: the patient's own category keys, or the key envelopes of grants made to the
 * reader. Records the reader has no key for are listed as locked (never fetched); a blob that does
 * not match its on-chain commitment is named by CID and never shown. With `only`, just those
 * records (a claim's evidence, each in the version the claim cites), nothing else is fetched.
 */
export function RecordTimeline({
  patient,
  reader,
  only,
}: {
  patient: AddressType;
  reader?: AddressType;
  only?: readonly bigint[];
}) {
  // After an account recovery the connected address speaks for the patient id: read as it.
  const { self, address } = useSelf();
  const who = reader ?? self ?? address;
  const { identity } = useIdentity();
  const pointers = useRecordPointers(patient);
  const keys = useReaderKeys(patient, who, identity);
  const [category, setCategory] = useState<string>("all");

  const onlyKey = only?.map(String).join(",");
  const list = useMemo(() => {
    const all = pointers.data ?? [];
    if (onlyKey === undefined) return all;
    const wanted = new Set(onlyKey.split(","));
    return all.filter((p) => wanted.has(String(p.id)));
  }, [pointers.data, onlyKey]);
  // Loaded while the reader unlocks, not after: every FHIR record is validated as it opens.
  usePreloadFhirValidator(list.length > 0);
  const own = Boolean(who && isAddressEqual(patient, who));
  // Ciphertext is fetched and verified as soon as the pointers are known (for the patient even
  // before unlocking); a grantee fetches only what it holds a key for. One query for the whole
  // list: the timeline renders once when everything is open, not once per record.
  const wanted = own ? list : list.filter((p) => keys.data?.keyring.has(p.category, p.keyEpoch));
  const blobs = useQuery({
    queryKey: ["careledger", "verified-blobs", wanted.map((p) => `${p.cid}:${p.commitment}`).join(",")],
    enabled: wanted.length > 0 && (own || Boolean(keys.data)),
    staleTime: Infinity,
    gcTime: 5 * 60_000,
    queryFn: ({ signal }) => fetchVerifiedBlobs(wanted, signal),
  });
  const ready = Boolean(keys.data) && (wanted.length === 0 || Boolean(blobs.data));
  const opened = useQuery({
    queryKey: ["careledger", "opened-records", patient, who, keys.dataUpdatedAt, blobs.dataUpdatedAt, list.length],
    enabled: ready,
    staleTime: Infinity,
    queryFn: async () => {
      const views = await Promise.all(
        list.map((p) => openPointer(p, keys.data!, categoryLabel(p.category), undefined, blobs.data?.get(p.cid))),
      );
      return new Map(list.map((p, i) => [p.id, views[i]]));
    },
  });
  const byId = new Map(list.map((p) => [p.id, { pointer: p, view: opened.data?.get(p.id) }]));

  if (pointers.data && list.length === 0) {
    if (only) return <p className="notice">None of this claim&apos;s evidence records is on chain for this patient.</p>;
    return (
      <EmptyState title="No records yet">
        <p>
          When a provider adds a record, it appears here, decrypted in this browser only. Consents and claims are in the
          other sections.
        </p>
      </EmptyState>
    );
  }
  if (!identity) {
    return pointers.data ? (
      <p className="field-hint" role="status">
        {list.length} encrypted {only ? "evidence " : ""}
        {list.length === 1 ? "record" : "records"}. Unlock above to read them in this browser.
      </p>
    ) : null;
  }
  if (pointers.isPending || keys.isPending) {
    return (
      <>
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> Loading records…
        </p>
        <ScanProgress scope="timeline" />
      </>
    );
  }
  if (pointers.isError || keys.isError) {
    return (
      <p role="alert" className="tx tx--failed">
        Records could not be loaded: {(pointers.error ?? keys.error)?.message}
      </p>
    );
  }
  const latest = list.filter(
    (p) => (only || p.supersededBy === 0n) && (category === "all" || String(p.category) === category),
  );
  const views = [...(opened.data?.values() ?? [])];
  const decrypted = views.filter((v) => v.status === "fhir" || v.status === "file").length;
  const done = views.length;

  return (
    <section aria-labelledby="timeline-title" className="timeline" data-testid="record-timeline">
      <div className="timeline__head">
        <h2 id="timeline-title">{only ? "Evidence records" : "Records"}</h2>
        <label className="field field--inline">
          <span>Category</span>
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="all">All categories</option>
            {CATEGORIES.map((c) => (
              <option key={c.id} value={String(c.id)}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p role="status" className="field-hint" data-testid="timeline-progress">
        {list.length === 0
          ? "No records yet."
          : done < list.length
            ? `Fetching, verifying and decrypting ${list.length} records in this browser…`
            : `${decrypted} of ${list.length} records decrypted in this browser.`}
      </p>
      {keys.data?.problems.map((p) => (
        <p key={p} role="alert" className="tx tx--failed">
          {p}
        </p>
      ))}
      <ol className="record-list">
        {latest.map((p) => {
          const versions: RecordPointer[] = [];
          for (
            let prev = only ? 0n : p.supersedes;
            prev !== 0n && byId.has(prev);
            prev = byId.get(prev)!.pointer.supersedes
          ) {
            versions.push(byId.get(prev)!.pointer);
          }
          return (
            <li key={String(p.id)}>
              <RecordCard pointer={p} view={byId.get(p.id)?.view} version={versions.length + 1} />
              {versions.length ? (
                <details className="record-versions">
                  <summary>Earlier versions ({versions.length})</summary>
                  {versions.map((v, i) => (
                    <RecordCard
                      key={String(v.id)}
                      pointer={v}
                      view={byId.get(v.id)?.view}
                      version={versions.length - i}
                    />
                  ))}
                </details>
              ) : null}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

// Memoised: each decrypted record re-renders only its own card, not the whole timeline.
const RecordCard = memo(function RecordCard({
  pointer,
  view,
  version,
}: {
  pointer: RecordPointer;
  view?: OpenedRecordView;
  version: number;
}) {
  const title =
    view?.status === "fhir"
      ? resourceTitle(view.resource)
      : view?.status === "file"
        ? `Document: ${view.fileName ?? view.contentType}`
        : view?.status === "locked"
          ? `${categoryLabel(pointer.category)} record (locked)`
          : view?.status === "failed"
            ? `${categoryLabel(pointer.category)} record (not readable)`
            : `${categoryLabel(pointer.category)} record`;
  return (
    <article className={`record record--${view?.status ?? "loading"}`} data-testid="record" aria-label={title}>
      <h3>{title}</h3>
      <p className="record__meta">
        {categoryLabel(pointer.category)} · {formatMoment(pointer.createdAt)} · by <Party address={pointer.author} />
        {version > 1 || pointer.supersededBy !== 0n ? (
          <span className="record__version">
            {" "}
            · version {version}
            {pointer.supersededBy !== 0n ? " (amended since)" : " (amended)"}
          </span>
        ) : null}
      </p>
      {!view ? (
        <p className="loading">
          <span className="spinner" aria-hidden="true" /> Decrypting…
        </p>
      ) : view.status === "fhir" ? (
        <FhirView resource={view.resource} />
      ) : view.status === "file" ? (
        <DocumentPreview bytes={view.bytes} contentType={view.contentType} title={view.fileName ?? "Document"} />
      ) : view.status === "locked" ? (
        <p className="notice">{view.reason}</p>
      ) : (
        <p role="alert" className="tx tx--failed">
          {view.message}
        </p>
      )}
    </article>
  );
});
