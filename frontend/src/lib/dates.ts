/** The first second of year 10000: a period ending later (2^64 - 1, "until revoked") has no date. */
const NO_END = 253_402_300_800;

/** A UTC day ("2 Dec 2026") for a chain timestamp in seconds, or `open` for a period without an end. */
export function dayText(seconds: bigint | number, open = "revoked"): string {
  if (Number(seconds) >= NO_END) return open;
  return new Date(Number(seconds) * 1000).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
}
