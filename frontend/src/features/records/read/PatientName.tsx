"use client";

import { useQuery } from "@tanstack/react-query";
import { Category } from "@careledger/sdk/protocol/constants";
import type { Patient } from "@medplum/fhirtypes";
import { isAddressEqual, type Address as AddressType } from "viem";
import { useSelf } from "@/hooks/useSelf";
import { Address } from "@/components/Address";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { openPointer } from "./decrypt";
import { useReaderKeys } from "./keys";
import { useRecordPointers } from "./pointers";

export type PatientNameState =
  | { status: "loading" }
  /** The reader has not unlocked its key in this browser yet. */
  | { status: "locked" }
  /** `recordId`: the Patient record the name was read from (the one to amend). */
  | { status: "named"; name: string; recordId: bigint }
  /** There is a Patient record, but the patient did not share its category with this reader. */
  | { status: "not-shared" }
  /** The patient never wrote a Patient record. */
  | { status: "none" };

/**
 * A patient's name, from the patient's own encrypted FHIR Patient record (the latest one the
 * patient wrote in the Encounters category), opened through the same verify-and-decrypt path as
 * every record. Only a reader the patient granted that category holds the key; the name is never
 * on chain.
 */
export function usePatientName(patient: AddressType | undefined): PatientNameState {
  const { self, address } = useSelf();
  const { identity } = useIdentity();
  const pointers = useRecordPointers(patient);
  const keys = useReaderKeys(patient, self ?? address, identity);
  const own = (pointers.data ?? [])
    .filter(
      (p) =>
        p.category === Category.Encounters && p.supersededBy === 0n && patient && isAddressEqual(p.author, patient),
    )
    .sort((a, b) => b.createdAt - a.createdAt);
  const holds = (p: (typeof own)[number]) => Boolean(keys.data?.keyring.has(p.category, p.keyEpoch));
  const readable = own.filter(holds);
  const name = useQuery({
    queryKey: ["careledger", "patient-name", patient, address, readable.map((p) => p.cid).join(",")],
    enabled: readable.length > 0,
    staleTime: Infinity,
    queryFn: async () => {
      const { patientDisplayName } = await import("@careledger/sdk/fhir/builders");
      for (const pointer of readable) {
        const view = await openPointer(pointer, keys.data!, "encounters");
        if (view.status === "fhir" && view.resource.resourceType === "Patient") {
          const text = patientDisplayName(view.resource as Patient);
          if (text) return { text, recordId: pointer.id };
        }
      }
      return null;
    },
  });
  if (!patient || pointers.isPending) return { status: "loading" };
  if (own.length === 0) return { status: "none" };
  if (!identity) return { status: "locked" };
  if (keys.isPending) return { status: "loading" };
  if (readable.length === 0) return { status: "not-shared" };
  if (name.isPending) return { status: "loading" };
  return name.data ? { status: "named", name: name.data.text, recordId: name.data.recordId } : { status: "not-shared" };
}

/** The patient by name when they shared it with this reader, else the address and why there is no name. */
export function PatientName({ patient }: { patient: AddressType }) {
  const state = usePatientName(patient);
  if (state.status === "named") {
    return (
      <span className="party" data-testid="patient-name" data-address={patient}>
        <strong>{state.name}</strong>{" "}
        <span className="party__detail">
          (<Address address={patient} />)
        </span>
      </span>
    );
  }
  const cue =
    state.status === "not-shared"
      ? "name not shared with you"
      : state.status === "locked"
        ? "unlock to see the name"
        : state.status === "none"
          ? "no name on record"
          : undefined;
  return (
    <span className="party" data-testid="patient-name" data-address={patient}>
      <Address address={patient} />
      {cue ? <span className="party__detail"> ({cue})</span> : null}
    </span>
  );
}
