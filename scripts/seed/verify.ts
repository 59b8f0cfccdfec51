/**
 * The seed's last step: every record pointer on chain (RecordAdded since the deployment block)
 * is fetched from the store and checked against its on-chain sha-256 commitment with the SDK's
 * verifier. Any missing or corrupt blob fails the seed.
 */
import { CID } from "multiformats/cid";
import type { Hex } from "viem";

import { fromHex, verifyAndRepair, type BlobStore, type RecordPointer } from "@careledger/sdk";

import type { SeedChain } from "./chain.js";

/** Every record pointer of the deployment, with the commitment the chain holds for it. */
export async function onChainPointers(chain: SeedChain): Promise<RecordPointer[]> {
  const { address, abi } = chain.deployment.contracts.RecordRegistry;
  const logs = await chain.client.getContractEvents({
    address,
    abi,
    eventName: "RecordAdded",
    fromBlock: BigInt(chain.deployment.deploymentBlock),
  });
  return Promise.all(
    logs.map(async (log) => {
      const { recordId, cid } = (log as unknown as { args: { recordId: bigint; cid: Hex } }).args;
      const { commitment } = await chain.read<{ commitment: Hex }>("RecordRegistry", "record", [recordId]);
      return { recordId, cid: CID.decode(fromHex(cid)), commitment };
    }),
  );
}

export interface BlobCheck {
  records: number;
  bytesVerified: number;
}

/** @throws Error naming every record whose blob is missing or does not match its commitment. */
export async function verifySeededBlobs(chain: SeedChain, store: BlobStore, expected: number): Promise<BlobCheck> {
  const pointers = await onChainPointers(chain);
  const report = await verifyAndRepair({ pointers, stores: [store], dryRun: true });
  const failures = [
    ...report.unrecoverable.map((u) => `record ${u.recordId} (${u.cid}): ${u.reason}`),
    ...(report.records < expected ? [`only ${report.records} pointers on chain, ${expected} seeded`] : []),
  ];
  if (failures.length > 0 || report.healthyRecords !== report.records) {
    throw new Error(`Seeded blobs failed verification against their on-chain commitments:\n  ${failures.join("\n  ")}`);
  }
  return { records: report.records, bytesVerified: report.bytesVerified };
}
