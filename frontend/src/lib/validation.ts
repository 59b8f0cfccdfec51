import { getAddress, isAddress, parseUnits, type Address } from "viem";

/**
 * Form checks run before anything is sent. Each returns either the clean value or a sentence
 * saying what is wrong and how to fix it, ready to show under the field.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const fail = (error: string): Checked<never> => ({ ok: false, error });

export function checkRequired(input: string, label: string): Checked<string> {
  const value = input.trim();
  return value ? ok(value) : fail(`${label} is required.`);
}

export function checkAddress(input: string, options: { notSelf?: Address } = {}): Checked<Address> {
  const value = input.trim();
  if (!value) return fail("Enter an Ethereum address (0x followed by 40 hexadecimal characters).");
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) {
    return fail("This is not an Ethereum address: it must be 0x followed by 40 hexadecimal characters.");
  }
  if (!isAddress(value, { strict: false })) return fail("This address is not valid.");
  if (/[a-f]/.test(value) && /[A-F]/.test(value) && !isAddress(value, { strict: true })) {
    return fail("The capital letters of this address do not match its checksum; a character may be mistyped.");
  }
  const address = getAddress(value);
  if (options.notSelf && address === getAddress(options.notSelf)) return fail("Enter another account than your own.");
  return ok(address);
}

/**
 * A party chosen by its directory name or by address. A name must match exactly one listing
 * (case and spacing aside); an address is checked as by {@link checkAddress}.
 */
export function checkParty(
  input: string,
  listings: readonly { address: Address; displayName: string }[],
  options: { notSelf?: Address } = {},
): Checked<Address> {
  const value = input.trim();
  if (!value) return fail("Type the name of a provider or insurer from the directory, or paste an address.");
  if (/^0x/i.test(value)) return checkAddress(value, options);
  const normal = (text: string) => text.trim().replace(/\s+/g, " ").toLowerCase();
  const found = listings.filter((l) => normal(l.displayName) === normal(value));
  if (found.length === 0) {
    return fail(
      `No credentialed party is listed as “${value}”. Pick a name from the list, check the spelling, or paste the address.`,
    );
  }
  if (found.length > 1) return fail(`Several parties are listed as “${value}”: paste the address of the one you mean.`);
  return checkAddress(found[0].address, options);
}

/** A positive token amount with at most `decimals` decimals, as base units. */
export function checkAmount(input: string, decimals: number, options: { max?: bigint } = {}): Checked<bigint> {
  const value = input.trim().replace(/,/g, "");
  if (!value) return fail("Enter an amount.");
  if (!/^\d+(\.\d+)?$/.test(value)) return fail("Enter a number, for example 125.50.");
  const fraction = value.split(".")[1] ?? "";
  if (fraction.length > decimals) return fail(`Use at most ${decimals} decimal places.`);
  const units = parseUnits(value, decimals);
  if (units <= 0n) return fail("The amount must be greater than zero.");
  if (options.max !== undefined && units > options.max) return fail("The amount is more than is available.");
  return ok(units);
}

/** A date (yyyy-mm-dd from <input type="date">) strictly in the future, as unix seconds at the end of that day, UTC. */
export function checkFutureDate(input: string, now: Date = new Date()): Checked<bigint> {
  if (!input) return fail("Choose a date.");
  const date = new Date(`${input}T23:59:59Z`);
  if (Number.isNaN(date.getTime())) return fail("This date is not valid.");
  if (date.getTime() <= now.getTime()) return fail("Choose a date in the future.");
  return ok(BigInt(Math.floor(date.getTime() / 1000)));
}

/** A non-empty set of record categories (0..15) as the on-chain bit mask. */
export function checkCategories(categories: readonly number[]): Checked<number> {
  if (categories.length === 0) return fail("Choose at least one record category.");
  if (categories.some((c) => !Number.isInteger(c) || c < 0 || c > 15)) return fail("Unknown record category.");
  return ok(categories.reduce((mask, c) => mask | (1 << c), 0));
}

export function checkText(input: string, label: string, options: { min?: number; max: number }): Checked<string> {
  const value = input.trim();
  if ((options.min ?? 1) > 0 && !value) return fail(`${label} is required.`);
  if (options.min && value.length < options.min) return fail(`${label} needs at least ${options.min} characters.`);
  if (value.length > options.max) return fail(`${label} can be at most ${options.max} characters.`);
  return ok(value);
}
