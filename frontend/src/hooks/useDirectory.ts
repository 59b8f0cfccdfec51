"use client";

import { PARTY_KIND_LABEL, type PartyKind } from "@careledger/sdk/protocol/constants";
import { getAddress, type Address } from "viem";
import { useCareEvents } from "./useCareEvents";

export type Listing = { address: Address; displayName: string; kind: PartyKind; kindLabel: string; registryId: string };

type Directory = { byAddress: Map<string, Listing>; listings: Listing[] };

/**
 * One directory per event list, shared by every component that shows a party: a timeline of 200
 * records mounts hundreds of <Party>s, and each building (checksumming, sorting) its own copy
 * was a measurable part of the timeline's time. Keyed by the query's data array, which React
 * Query hands to every subscriber unchanged until the events change.
 */
const directories = new WeakMap<readonly unknown[], Directory>();
const EMPTY: Directory = { byAddress: new Map(), listings: [] };

function directoryOf(events: readonly { args: unknown }[] | undefined): Directory {
  if (!events) return EMPTY;
  let directory = directories.get(events);
  if (!directory) {
    const byAddress = new Map<string, Listing>();
    for (const e of events) {
      const args = e.args as { account: Address; displayName: string; kind: number; registryId: string };
      const kind = Number(args.kind) as PartyKind;
      const address = getAddress(args.account);
      byAddress.set(address.toLowerCase(), {
        address,
        displayName: args.displayName,
        kind,
        kindLabel: PARTY_KIND_LABEL[kind] ?? "Organisation",
        registryId: args.registryId,
      });
    }
    const listings = [...byAddress.values()].sort((a, b) => a.displayName.localeCompare(b.displayName));
    directory = { byAddress, listings };
    directories.set(events, directory);
  }
  return directory;
}

/**
 * The directory of credentialed parties: every profile the authority recorded (CareRegistry
 * ProfileUpdated, the latest per account). Public by design; patients' names are never in it.
 */
export function useDirectory() {
  const events = useCareEvents({ contractName: "CareRegistry", eventName: "ProfileUpdated" });
  const { byAddress, listings } = directoryOf(events.data);
  return {
    listings,
    listingOf: (address: string | undefined) => (address ? byAddress.get(address.toLowerCase()) : undefined),
    isLoading: events.isLoading,
    isError: events.isError,
  };
}
