/**
 * Record pointers on chain and the stores that hold the blobs. Storage, verification and crypto
 * are the SDK's; this only reads the chain and builds the configured stores.
 */
import { existsSync } from "node:fs";
import path from "node:path";

import { getAddress, getBytes, hexlify, toBeHex, zeroPadValue } from "ethers";
import { CID } from "multiformats/cid";

import { KuboBlobStore, ReplicatedBlobStore, type BlobStore, type RecordPointer } from "@careledger/sdk";
import { parseLogRange, readLogsBounded, type LogProgress } from "@careledger/sdk/logs";

import { TaskError, type CareContext } from "./context.js";

/** CIDs go on chain in their binary form (CIDv1, 36 bytes for sha2-256). */
export function cidToChain(cid: CID): string {
  return hexlify(cid.bytes);
}

export function cidFromChain(hex: string): CID {
  const bytes = getBytes(hex);
  try {
    return CID.decode(bytes);
  } catch {
    // Tolerate pointers written with the CID's string form.
    return CID.parse(new TextDecoder().decode(bytes));
  }
}

/** The configured stores: every --ipfs-api URL, plus an embedded store folder when given. */
export async function openStores(ipfsApi: string, embeddedDir = ""): Promise<BlobStore[]> {
  const stores: BlobStore[] = [];
  for (const url of ipfsApi
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new TaskError(`--ipfs-api "${url}" is not a URL, e.g. http://127.0.0.1:5001`);
    }
    stores.push(new KuboBlobStore({ url: parsed }));
  }
  if (embeddedDir) {
    // blocks/ (this version) or blocklog/ (the earlier log format, migrated on open).
    if (!existsSync(path.join(embeddedDir, "blocks")) && !existsSync(path.join(embeddedDir, "blocklog"))) {
      throw new TaskError(
        `--embedded ${embeddedDir} holds no embedded store (no blocks/ folder). Give the folder that holds blocks/ and datastore-level/, e.g. .careledger/ipfs.`,
      );
    }
    const { HeliaBlobStore } = await import("@careledger/sdk/node/index");
    stores.push(await HeliaBlobStore.open({ dataDir: embeddedDir }));
  }
  if (stores.length === 0) throw new TaskError("No store configured: give --ipfs-api <url> (or --embedded <folder>).");
  return stores;
}

export function replicated(stores: BlobStore[]): BlobStore {
  return stores.length === 1 ? stores[0]! : new ReplicatedBlobStore(stores);
}

export async function closeStores(stores: BlobStore[]): Promise<void> {
  for (const store of stores) await store.close?.();
}

/**
 * Logs of `address` matching `topics` from the deployment block to the head, in the bounded windows
 * of the SDK's reader (the dApp's too: at most CARELEDGER_LOG_RANGE blocks a request, default 2,000,
 * halved when the RPC refuses a window as too large). docs/operations.md says where an indexer takes over.
 */
export async function* logsSince(
  ctx: CareContext,
  address: string,
  topics: (string | null)[],
  onProgress?: (progress: LogProgress) => void,
): AsyncGenerator<{ topics: readonly string[]; data: string; blockNumber: number }> {
  const head = await ctx.ethers.provider.getBlockNumber();
  yield* await readLogsBounded({
    fromBlock: BigInt(ctx.deployment.deploymentBlock),
    toBlock: BigInt(head),
    maxRange: parseLogRange(process.env.CARELEDGER_LOG_RANGE),
    fetchWindow: (window) =>
      ctx.ethers.provider.getLogs({
        address,
        topics,
        fromBlock: toBeHex(window.fromBlock),
        toBlock: toBeHex(window.toBlock),
      }),
    onProgress,
  });
}

/** Every RecordAdded pointer of the deployment (or of one patient), oldest first, with its on-chain commitment. */
export async function* recordPointers(
  ctx: CareContext,
  options: { patient?: string; onProgress?: (progress: LogProgress) => void } = {},
): AsyncGenerator<RecordPointer & { patient: string; author: string }> {
  const event = ctx.records.interface.getEvent("RecordAdded")!;
  const topics: (string | null)[] = [event.topicHash];
  if (options.patient) topics.push(zeroPadValue(options.patient, 32));
  for await (const log of logsSince(ctx, ctx.deployment.contracts.RecordRegistry.address, topics, options.onProgress)) {
    const parsed = ctx.records.interface.parseLog({ topics: [...log.topics], data: log.data })!;
    const recordId = parsed.args.recordId as bigint;
    const stored = await ctx.records.record(recordId);
    yield {
      recordId,
      cid: cidFromChain(parsed.args.cid),
      commitment: stored.commitment,
      patient: parsed.args.patient,
      author: parsed.args.author,
    };
  }
}

/** The patient a record id belongs to (`uint160(patient) << 96 | category << 88 | index`). */
export function subjectOf(recordId: bigint): { patient: string; category: number } {
  return {
    patient: getAddress(toBeHex(recordId >> 96n, 20)),
    category: Number((recordId >> 88n) & 0xffn),
  };
}
