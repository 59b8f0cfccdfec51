"use client";

import type { Address as AddressType } from "viem";
import { useDirectory } from "@/hooks/useDirectory";
import { Address } from "./Address";

/**
 * A party as people know it: the name the authority listed it under (with its kind and short
 * address beside it), or the short address alone when the directory has no listing for it.
 */
export function Party({ address }: { address: AddressType }) {
  const { listingOf } = useDirectory();
  const listing = listingOf(address);
  if (!listing) return <Address address={address} />;
  return (
    <span className="party" data-testid="party" data-address={address}>
      <strong>{listing.displayName}</strong>{" "}
      <span className="party__detail">
        ({listing.kindLabel}, <Address address={address} />)
      </span>
    </span>
  );
}
