"use client";

import type { IdentityKey } from "@careledger/sdk/crypto/identity";
import { createContext, useContext, useMemo, useState, type ReactNode } from "react";
import { useConnection } from "wagmi";

type IdentityState = {
  /** The identity key of the connected account, held in memory for this tab only. */
  identity: IdentityKey | undefined;
  setIdentity: (identity: IdentityKey | undefined) => void;
};

const IdentityContext = createContext<IdentityState | undefined>(undefined);

/**
 * Keeps the derived identity key in memory, never in storage: closing the tab forgets it, and the
 * wallet re-derives it on demand. A key belongs to one account; switching accounts drops it.
 */
export function IdentityProvider({ children }: { children: ReactNode }) {
  const { address } = useConnection();
  const [held, setHeld] = useState<{ account: string; identity: IdentityKey }>();
  const value = useMemo<IdentityState>(
    () => ({
      identity: held && held.account === address ? held.identity : undefined,
      setIdentity: (identity) => setHeld(identity && address ? { account: address, identity } : undefined),
    }),
    [held, address],
  );
  return <IdentityContext.Provider value={value}>{children}</IdentityContext.Provider>;
}

export function useIdentity(): IdentityState {
  const state = useContext(IdentityContext);
  if (!state) throw new Error("useIdentity must be used inside <IdentityProvider>");
  return state;
}
