"use client";

import type { IdentityKey } from "@careledger/sdk/crypto/identity";
import { useCallback } from "react";
import { hexToBytes, toHex, type Address, type Hex } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useWalletKey } from "@/features/identity/walletKey";
import { ApiBlobStore, type UploadProgress } from "./apiBlobStore";

/** A sealed record on the store, ready for RecordRegistry.addRecord / addRecords / amendRecord. */
export type SealedRecord = {
  category: number;
  cid: Hex;
  cidText: string;
  commitment: Hex;
  keyEpoch: number;
  size: number;
};

export class MissingCategoryKeyError extends Error {}

/**
 * The browser half of the record write path: the author's identity key (derived from two wallet
 * signatures, kept in memory), the patient's category public key from chain, then the SDK seals the
 * record to both and the ciphertext goes to /api/blobs. Plaintext never leaves the browser.
 */
export function useRecordWriter(patient: Address | undefined) {
  const config = useConfig();
  const chainId = useChainId();
  const { address } = useConnection();
  const { identity, setIdentity } = useIdentity();
  const walletKey = useWalletKey();

  const authorKey = useCallback(async (): Promise<IdentityKey> => {
    if (identity) return identity;
    const derived = await walletKey();
    setIdentity(derived);
    return derived;
  }, [identity, setIdentity, walletKey]);

  const categoryKey = useCallback(
    async (category: number) => {
      const registry = getContract("RecordRegistry", chainId);
      if (!registry || !patient) throw new Error("RecordRegistry is not deployed on this network.");
      const [publicKey, epoch] = (await readContract(config, {
        ...registry,
        chainId,
        functionName: "categoryKey",
        args: [patient, category],
      })) as readonly [Hex, number];
      if (/^0x0+$/.test(publicKey)) {
        throw new MissingCategoryKeyError(
          "This patient has not set up encryption for this record category yet. Ask them to open their CareLedger workspace once.",
        );
      }
      return { publicKey: hexToBytes(publicKey), epoch: Number(epoch) };
    },
    [chainId, config, patient],
  );

  /** What the record is bound to: this network's CareRegistry, the patient and the signed-in author. */
  const binding = useCallback(() => {
    const domain = getKeyDomain(chainId);
    if (!domain) throw new Error("CareRegistry is not deployed on this network.");
    if (!patient || !address) throw new Error("Connect a wallet and choose a patient first.");
    return { ...domain, patient, author: address };
  }, [address, chainId, patient]);

  const sealFhir = useCallback(
    async (resource: object, category: number, onProgress?: (p: UploadProgress) => void): Promise<SealedRecord> => {
      const author = await authorKey();
      const key = await categoryKey(category);
      const { writeFhirRecord } = await import("@careledger/sdk/records");
      const written = await writeFhirRecord({
        store: new ApiBlobStore(onProgress),
        resource: resource as never,
        category,
        categoryPublicKey: key.publicKey,
        epoch: key.epoch,
        authorPublicKey: author.publicKey,
        binding: binding(),
      });
      return toSealed(written, key.epoch);
    },
    [authorKey, binding, categoryKey],
  );

  const sealFile = useCallback(
    async (file: File, category: number, onProgress?: (p: UploadProgress) => void): Promise<SealedRecord> => {
      const author = await authorKey();
      // The chain read, reading the file and loading the sealing code overlap.
      const [key, bytes, { writeAttachmentRecord }] = await Promise.all([
        categoryKey(category),
        file.arrayBuffer(),
        import("@careledger/sdk/records"),
      ]);
      const body = new Uint8Array(bytes);
      const written = await writeAttachmentRecord({
        store: new ApiBlobStore(onProgress),
        category,
        contentType: file.type || "application/octet-stream",
        fileName: file.name,
        body,
        bodyLength: body.length,
        categoryPublicKey: key.publicKey,
        epoch: key.epoch,
        authorPublicKey: author.publicKey,
        binding: binding(),
      });
      return toSealed(written, key.epoch);
    },
    [authorKey, binding, categoryKey],
  );

  return { sealFhir, sealFile, authorKey };
}

function toSealed(
  written: { category: number; cid: { bytes: Uint8Array; toString(): string }; commitment: Hex; size: number },
  keyEpoch: number,
): SealedRecord {
  return {
    category: written.category,
    cid: toHex(written.cid.bytes),
    cidText: written.cid.toString(),
    commitment: written.commitment,
    keyEpoch,
    size: written.size,
  };
}
