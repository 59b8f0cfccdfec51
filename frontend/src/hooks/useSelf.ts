"use client";

import type { Address } from "viem";
import { useConnection } from "wagmi";
import { useCareRead } from "./useCareRead";

/**
 * Whom the connected address speaks for (`CareRegistry.actingFor`): itself, or the patient whose
 * identity it took over by account recovery, so every read of "my" key, records and consents uses
 * the patient id. `movedAway` is set when this address's identity moved to another address (the
 * registry then refuses it); `self` is undefined until known.
 */
export function useSelf(): { self: Address | undefined; movedAway: boolean; address: Address | undefined } {
  const { address } = useConnection();
  const read = useCareRead({
    contractName: "CareRegistry",
    functionName: "actingFor",
    args: address ? [address] : undefined,
  });
  const movedAway = read.isError && /RegistryAccountMoved/.test(String(read.error));
  return { self: read.data as Address | undefined, movedAway, address };
}
