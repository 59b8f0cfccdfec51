"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import { createPublicClient, hexToBytes, http, type Address, type Chain, type Hex, type PublicClient } from "viem";
import { useChainId, useConfig } from "wagmi";
import { getBlock } from "wagmi/actions";
import { getContract } from "@/contracts/deployments";

/** One record pointer as the chain knows it: where the ciphertext is and what it must hash to. */
export type RecordPointer = {
  id: bigint;
  patient: Address;
  author: Address;
  category: number;
  keyEpoch: number;
  createdAt: number;
  commitment: Hex;
  /** CID string (CIDv1, base32) decoded from the RecordAdded event's bytes. */
  cid: string;
  supersedes: bigint;
  supersededBy: bigint;
  blockNumber: bigint;
};

const batchClients = new Map<number, PublicClient>();
/**
 * A client whose reads of one tick travel as one JSON-RPC batch (a timeline of 200 records would
 * otherwise make 200 HTTP requests, six at a time).
 */
function batchClient(chain: Chain): PublicClient {
  let client = batchClients.get(chain.id);
  if (!client) {
    client = createPublicClient({
      chain,
      transport: http(undefined, { batch: { batchSize: 200, wait: 5 } }),
    }) as PublicClient;
    batchClients.set(chain.id, client);
  }
  return client;
}

/** CIDs go on chain in binary form; tolerate pointers written with the CID's string form. */
export async function cidFromChain(hex: Hex): Promise<string> {
  const { CID } = await import("multiformats/cid");
  const bytes = hexToBytes(hex);
  try {
    return CID.decode(bytes).toString();
  } catch {
    return CID.parse(new TextDecoder().decode(bytes)).toString();
  }
}

/**
 * Every record pointer of a patient: RecordAdded events (patient indexed) from the deployment
 * block, then `record(id)` for the commitment, key epoch and amendment links.
 */
export function useRecordPointers(patient: Address | undefined) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract("RecordRegistry", chainId);
  return useQuery({
    queryKey: ["careledger", "record-pointers", chainId, contract?.address, patient],
    enabled: Boolean(contract && patient),
    queryFn: async (): Promise<RecordPointer[]> => {
      const logs = await readContractEvents(
        config,
        {
          chainId,
          address: contract!.address,
          abi: contract!.abi,
          eventName: "RecordAdded",
          args: { patient: patient! },
        },
        "timeline",
      );
      const chain = config.chains.find((c) => c.id === chainId);
      const reader = chain ? batchClient(chain) : undefined;
      if (!reader) throw new Error(`Chain ${chainId} is not configured.`);
      const pointers = await Promise.all(
        logs.map(async (log) => {
          const { recordId, cid, author } = log.args as { recordId: bigint; cid: Hex; author: Address };
          const [record, cidText] = await Promise.all([
            reader.readContract({
              address: contract!.address,
              abi: contract!.abi,
              functionName: "record",
              args: [recordId],
            }),
            cidFromChain(cid),
          ]);
          return {
            id: recordId,
            patient: patient!,
            author,
            category: Number(record.category),
            keyEpoch: Number(record.keyEpoch),
            createdAt: Number(record.createdAt),
            commitment: record.commitment,
            cid: cidText,
            supersedes: record.supersedes,
            supersededBy: record.supersededBy,
            blockNumber: log.blockNumber,
          } satisfies RecordPointer;
        }),
      );
      return pointers.sort((a, b) => b.createdAt - a.createdAt || Number(b.blockNumber - a.blockNumber));
    },
  });
}

/** Timestamps (seconds) of the given blocks, fetched once each. */
export async function blockTimes(config: Parameters<typeof getBlock>[0], chainId: number, blocks: bigint[]) {
  const unique = [...new Set(blocks.map(String))];
  const times = await Promise.all(
    unique.map(
      async (b) =>
        [b, Number((await getBlock(config, { chainId, blockNumber: BigInt(b) } as never)).timestamp)] as const,
    ),
  );
  return new Map(times);
}
