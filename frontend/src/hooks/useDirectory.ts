"use client";

import { PARTY_KIND_LABEL, type PartyKind } from "@careledger/sdk/protocol/constants";
import { useMemo } from "react";
import { getAddress, type Address } from "viem";
import { useCareEvents } from "./useCareEvents";

export type Listing = { address: Address; displayName: string; kind: PartyKind; kindLabel: string; registryId: string };

/**
 * The directory of credentialed parties: every profile the authority recorded (CareRegistry
 * ProfileUpdated, the latest per account). Public by design; patients' names are never in it.
 */
export function useDirectory() {
  const events = useCareEvents({ contractName: "CareRegistry", eventName: "ProfileUpdated" });
  const byAddress = useMemo(() => {
    const map = new Map<Address, Listing>();
    for (const e of events.data ?? []) {
      const args = e.args as { account: Address; displayName: string; kind: number; registryId: string };
      const kind = Number(args.kind) as PartyKind;
      const address = getAddress(args.account);
      map.set(address, {
        address,
        displayName: args.displayName,
        kind,
        kindLabel: PARTY_KIND_LABEL[kind] ?? "Organisation",
        registryId: args.registryId,
      });
    }
    return map;
  }, [events.data]);
  return {
    listings: [...byAddress.values()].sort((a, b) => a.displayName.localeCompare(b.displayName)),
    listingOf: (address: string | undefined) => (address ? byAddress.get(getAddress(address)) : undefined),
    isLoading: events.isLoading,
    isError: events.isError,
  };
}
