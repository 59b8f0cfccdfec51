"use client";

import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useChainId } from "wagmi";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { getKeyDomain } from "@/contracts/deployments";
import { fetchVerifiedBlob, recordBindingOf } from "@/features/records/read/decrypt";
import { useRecordPointers } from "@/features/records/read/pointers";
import { UnlockKey } from "@/features/records/read/UnlockKey";
import { RecordForm } from "./RecordForm";
import { formValuesOf, type RecordKind } from "./resources";

/**
 * An amendment starts from the version it supersedes: the author's own copy (every record is also
 * wrapped to its author) is fetched, verified against its on-chain commitment, opened with the
 * author's key and put back into the form, where the author changes what needs changing.
 */
export function AmendRecord({
  patient,
  recordId,
  kind,
  onDone,
}: {
  patient: Address;
  recordId: bigint;
  kind: RecordKind;
  onDone: () => void;
}) {
  const { identity } = useIdentity();
  const domain = getKeyDomain(useChainId());
  const pointers = useRecordPointers(patient);
  const pointer = pointers.data?.find((p) => p.id === recordId);
  const current = useQuery({
    queryKey: ["careledger", "amend-from", pointer?.cid, identity ? Array.from(identity.keyId).join(".") : "locked"],
    enabled: Boolean(pointer && identity && domain),
    staleTime: Infinity,
    retry: false,
    queryFn: async () => {
      const verified = await fetchVerifiedBlob(pointer!);
      if (!verified.ok) throw new Error(verified.message);
      const { openFhirRecord } = await import("@careledger/sdk/crypto/container");
      const resource = await openFhirRecord(verified.bytes, identity!, recordBindingOf(pointer!, domain!));
      return formValuesOf(kind, resource as unknown as Record<string, unknown>);
    },
  });
  const form = (initialValues?: Record<string, string>) => (
    <RecordForm
      key={`${recordId}:${initialValues ? "current" : "empty"}`}
      patient={patient}
      amends={{ recordId, kind }}
      initialValues={initialValues}
      onDone={onDone}
    />
  );

  if (!identity) {
    return (
      <>
        <p className="field-hint">
          Unlock your key to start from the current version (you wrote it, so your key opens it).
        </p>
        <UnlockKey purpose="The amendment starts from the version it replaces, opened in this browser." />
      </>
    );
  }
  if (current.isError) {
    return (
      <>
        <p className="field-error" role="alert">
          The current version could not be opened ({(current.error as Error).message}). Enter the new version in full.
        </p>
        {form()}
      </>
    );
  }
  if (!current.data) return <p role="status">Opening the current version…</p>;
  return form(current.data);
}
