"use client";

import { useCallback } from "react";
import { formatMoney } from "@/lib/money";
import { useCareRead } from "./useCareRead";

export type Money = {
  /** The stablecoin's own symbol (its `symbol()`), undefined until read. */
  symbol?: string;
  /** Base units → "1,250.50 cUSD" in that symbol. */
  money: (units: bigint | number | undefined) => string;
};

/**
 * Amounts in the token's own words: `symbol()` of the deployed stablecoin, read once per chain
 * (every component shares the one cached read) and applied by the one formatter, `formatMoney`.
 */
export function useMoney(): Money {
  const read = useCareRead({ contractName: "Stablecoin", functionName: "symbol", args: [] });
  const symbol = typeof read.data === "string" ? read.data : undefined;
  const money = useCallback((units: bigint | number | undefined) => formatMoney(units, symbol), [symbol]);
  return { symbol, money };
}
