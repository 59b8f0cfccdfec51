/**
 * Bounded event reads: instead of one eth_getLogs from the deployment block to the latest block
 * (which public RPCs refuse past a block range or a result count), read consecutive windows of at
 * most `maxRange` blocks, in order, reporting progress, and halve the window whenever the RPC
 * answers that a request is too large. Every list of the dApp reads through this one function.
 */
import { LogRangeError } from "./errors.js";

/** Default blocks per eth_getLogs request: a range public RPC providers accept. */
export const DEFAULT_LOG_RANGE = 2_000n;

/** Blocks scanned so far of the total to scan (both inclusive counts). */
export interface LogProgress {
  scanned: bigint;
  total: bigint;
}

export interface BoundedLogsOptions<T> {
  /** First block to read (the deployment block). */
  fromBlock: bigint;
  /** Last block to read (the latest block when the read started). */
  toBlock: bigint;
  /** Largest window, in blocks, of one request; DEFAULT_LOG_RANGE when omitted. */
  maxRange?: bigint;
  /** Reads the logs of blocks fromBlock..toBlock inclusive (one eth_getLogs). */
  fetchWindow: (window: { fromBlock: bigint; toBlock: bigint }) => Promise<readonly T[]>;
  onProgress?: (progress: LogProgress) => void;
}

/** Errors by which RPC providers say "this eth_getLogs spans too many blocks or returns too many logs". */
const RANGE_ERROR =
  /block range|range (is )?too (large|wide|big)|too many (results|logs|blocks)|response (size|is too big)|query returned more than|exceed(s|ed)? .*(range|results|logs|blocks)|max(imum)? (block )?range|limit exceeded/i;

/** Whether an RPC error (or any error in its cause chain) is a "range too large / too many results" refusal. */
export function isRangeError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 8; depth++) {
    const { message, details, shortMessage, code, cause } = e as {
      message?: unknown;
      details?: unknown;
      shortMessage?: unknown;
      code?: unknown;
      cause?: unknown;
    };
    if (code === -32005) return true;
    for (const text of [details, shortMessage, message])
      if (typeof text === "string" && RANGE_ERROR.test(text)) return true;
    e = cause;
  }
  return false;
}

/** Parses a configured window (an env var's text); DEFAULT_LOG_RANGE when it is unset, not an integer or below 1. */
export function parseLogRange(text: string | undefined): bigint {
  if (!text || !/^\s*\d+\s*$/.test(text)) return DEFAULT_LOG_RANGE;
  const range = BigInt(text.trim());
  return range >= 1n ? range : DEFAULT_LOG_RANGE;
}

/**
 * Reads fromBlock..toBlock in consecutive windows of at most `maxRange` blocks, one request at
 * a time, and returns the logs in chain order (each window's logs as the RPC returned them, in
 * block order). A window the RPC refuses as too large is halved and retried (down to one block;
 * a one-block refusal throws LogRangeError); the smaller window is kept for the rest of the scan.
 * Any other error is thrown as it is.
 */
export async function readLogsBounded<T>(options: BoundedLogsOptions<T>): Promise<T[]> {
  const { fromBlock, toBlock, fetchWindow, onProgress } = options;
  let range = options.maxRange ?? DEFAULT_LOG_RANGE;
  if (range < 1n) range = 1n;
  const total = toBlock >= fromBlock ? toBlock - fromBlock + 1n : 0n;
  const logs: T[] = [];
  onProgress?.({ scanned: 0n, total });
  let start = fromBlock;
  while (start <= toBlock) {
    const end = start + range - 1n < toBlock ? start + range - 1n : toBlock;
    let window: readonly T[];
    try {
      window = await fetchWindow({ fromBlock: start, toBlock: end });
    } catch (error) {
      if (!isRangeError(error)) throw error;
      if (end === start) throw new LogRangeError(start, end, 1n, { cause: error });
      range = (end - start + 1n) / 2n;
      continue;
    }
    logs.push(...window);
    start = end + 1n;
    onProgress?.({ scanned: start - fromBlock, total });
  }
  return logs;
}
