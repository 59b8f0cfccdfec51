"use client";

import { parseLogRange, readLogsBounded } from "@careledger/sdk/logs";
import { useSyncExternalStore } from "react";
import type { Abi, ContractEventName, GetContractEventsParameters, GetContractEventsReturnType } from "viem";
import type { Config } from "wagmi";
import { getBlockNumber, getContractEvents } from "wagmi/actions";
import { getDeployment } from "@/contracts/deployments";

/**
 * Largest block window of one eth_getLogs (NEXT_PUBLIC_CARELEDGER_LOG_RANGE, default 2,000: a
 * range public RPC providers accept). See README "Configuration and limits".
 */
export const LOG_RANGE = parseLogRange(process.env.NEXT_PUBLIC_CARELEDGER_LOG_RANGE);

type Scan = { scanned: bigint; total: bigint };
const scans = new Map<string, Map<number, Scan>>();
const listeners = new Set<() => void>();
const snapshots = new Map<string, number | undefined>();
let nextScan = 0;

function publish(scope: string) {
  const active = scans.get(scope);
  let scanned = 0n;
  let total = 0n;
  for (const s of active?.values() ?? []) {
    scanned += s.scanned;
    total += s.total;
  }
  snapshots.set(scope, active?.size && total > 0n ? Number((scanned * 100n) / total) : undefined);
  for (const l of listeners) l();
}

/**
 * Every event of `eventName` (or of every event when omitted) of a contract, from the deployment
 * block (or `fromBlock`) to the latest block, read in windows of at most LOG_RANGE blocks. The
 * progress of the scan counts toward `scope`'s indicator (useScanProgress / ScanProgress).
 */
export async function readContractEvents<
  const abi extends Abi | readonly unknown[],
  eventName extends ContractEventName<abi> | undefined = undefined,
>(
  config: Config,
  parameters: Omit<GetContractEventsParameters<abi, eventName, false>, "toBlock" | "blockHash" | "fromBlock"> & {
    chainId: number;
    fromBlock?: bigint;
  },
  scope?: string,
): Promise<GetContractEventsReturnType<abi, eventName, false>> {
  type Events = GetContractEventsReturnType<abi, eventName, false>;
  const { chainId } = parameters;
  const fromBlock = parameters.fromBlock ?? BigInt(getDeployment(chainId)?.deploymentBlock ?? 0);
  // cacheTime 0: a cached block number would miss the event of the write that just refreshed this list.
  const toBlock = await getBlockNumber(config, { chainId, cacheTime: 0 });
  const id = nextScan++;
  const own = scope ? (scans.get(scope) ?? scans.set(scope, new Map()).get(scope)!) : undefined;
  try {
    return (await readLogsBounded<Events[number]>({
      fromBlock,
      toBlock,
      maxRange: LOG_RANGE,
      fetchWindow: async (window) =>
        (await getContractEvents(config, { ...parameters, ...window } as never)) as unknown as Events,
      onProgress: own
        ? (progress) => {
            own.set(id, progress);
            publish(scope!);
          }
        : undefined,
    })) as Events;
  } finally {
    if (own) {
      own.delete(id);
      if (!own.size) scans.delete(scope!);
      publish(scope!);
    }
  }
}

/** The percentage of blocks scanned by `scope`'s running reads, undefined when none runs. */
export function useScanProgress(scope: string): number | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => snapshots.get(scope),
    () => undefined,
  );
}
