import { formatUnits } from "viem";

/** The claims stablecoin has 6 decimals (amounts typed into forms are parsed with them). */
export const TOKEN_DECIMALS = 6;

/**
 * A stablecoin amount in base units as text with the token's own symbol (read from the token by
 * `useMoney`), e.g. "1,250.50 cUSD". Without a symbol yet, the number alone.
 */
export function formatMoney(units: bigint | number | undefined, symbol?: string): string {
  if (units === undefined) return "—";
  const [whole, fraction = ""] = formatUnits(BigInt(units), TOKEN_DECIMALS).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = fraction.padEnd(2, "0");
  return symbol ? `${grouped}.${cents} ${symbol}` : `${grouped}.${cents}`;
}

export const CLAIM_STATUS = ["Unknown", "Pending", "Approved", "Denied", "Under appeal", "Closed"] as const;
export const PREAUTH_STATUS = ["Unknown", "Requested", "Approved", "Denied", "Used"] as const;

/** Unix seconds → "21 Nov 2026" (UTC). */
export function formatDay(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
}

/** Unix seconds → "2 Dec 2026, 01:40 UTC". */
export function formatMoment(seconds: bigint | number): string {
  const text = new Date(Number(seconds) * 1000).toLocaleString("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  return `${text} UTC`;
}

/** yyyy-mm-dd → unix seconds at noon UTC. */
export function dayToSeconds(day: string): number {
  return Math.floor(Date.parse(`${day}T12:00:00Z`) / 1000);
}
