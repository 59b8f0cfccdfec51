import type { Address as AddressType } from "viem";

/** A shortened address that still reads out in full to screen readers and on hover. */
export function Address({ address }: { address: AddressType }) {
  return (
    <code className="address" title={address} aria-label={address}>
      {address.slice(0, 6)}…{address.slice(-4)}
    </code>
  );
}
