"use client";

import { useMoney } from "@/hooks/useMoney";

/** An amount in base units, written in the stablecoin's own symbol (for text built outside a component). */
export function Money({ units }: { units: bigint }) {
  const { money } = useMoney();
  return <>{money(units)}</>;
}
