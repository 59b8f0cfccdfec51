"use client";

import { CATEGORIES } from "@careledger/sdk/protocol/constants";
import type { Address } from "viem";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useRecordDetails } from "@/hooks/useRecordDetails";

export type PatientRecord = {
  recordId: bigint;
  category: number;
  categoryLabel: string;
  author: Address;
  createdAt: number;
  supersedes: bigint;
  supersededBy: bigint;
};

/** A patient's records as the chain lists them (ids, categories, authors, versions), newest first. */
export function usePatientRecords(patient: Address | undefined) {
  const added = useCareEvents({
    contractName: "RecordRegistry",
    eventName: "RecordAdded",
    args: patient ? { patient } : undefined,
    enabled: Boolean(patient),
  });
  const ids = (added.data ?? []).map((log) => log.args.recordId as bigint);
  const details = useRecordDetails(ids);
  const records: PatientRecord[] | undefined =
    ids.length === 0 && added.data
      ? []
      : details.data
          ?.map((r, i) => {
            const record = r as unknown as {
              category: number;
              author: Address;
              createdAt: number;
              supersedes: bigint;
              supersededBy: bigint;
            };
            return {
              recordId: ids[i],
              category: Number(record.category),
              categoryLabel: CATEGORIES[Number(record.category)]?.label ?? `Category ${record.category}`,
              author: record.author,
              createdAt: Number(record.createdAt),
              supersedes: record.supersedes,
              supersededBy: record.supersededBy,
            };
          })
          .reverse();
  return { records, isError: added.isError || details.isError, isLoading: added.isLoading || details.isLoading };
}
