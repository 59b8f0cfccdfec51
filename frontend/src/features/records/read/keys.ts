"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { CategoryKeyring } from "@careledger/sdk/crypto/categoryKeys";
import type { KeyDomain } from "@careledger/sdk/crypto/envelope";
import type { IdentityKey } from "@careledger/sdk/crypto/identity";
import { CATEGORY_COUNT } from "@careledger/sdk/protocol/constants";
import { hexToBytes, isAddressEqual, type Address, type Hex } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { getContract, getKeyDomain } from "@/contracts/deployments";

export type ReaderKeys = {
  keyring: CategoryKeyring;
  /** The patient's current epoch per category (a record at an older epoch is still readable with an older key). */
  epochs: Record<number, number>;
  /** Whether the reader is the patient (own keys) or a grantee (keys from grant envelopes). */
  own: boolean;
  /** Envelopes that could not be opened (wrong key, tampering), described for the person. */
  problems: string[];
  /** The chain and CareRegistry the keys and records are bound to. */
  domain: KeyDomain;
};

/** The patient's current category-key epochs, and whether each category key is published. */
export function useCategoryEpochs(patient: Address | undefined) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract("RecordRegistry", chainId);
  return useQuery({
    queryKey: ["careledger", "category-epochs", chainId, contract?.address, patient],
    enabled: Boolean(contract && patient),
    queryFn: async () => {
      const keys = await Promise.all(
        Array.from({ length: CATEGORY_COUNT }, (_, category) =>
          readContract(config, {
            chainId,
            address: contract!.address,
            abi: contract!.abi,
            functionName: "categoryKey",
            args: [patient!, category],
          }),
        ),
      );
      return keys.map(([publicKey, epoch], category) => ({
        category,
        publicKey: publicKey as Hex,
        epoch: Number(epoch),
        published: BigInt(publicKey) !== 0n,
      }));
    },
  });
}

/**
 * The category keys the connected reader legitimately holds for `patient`: the patient derives
 * its own (every epoch up to the current one); a grantee opens the key envelopes addressed to its
 * identity key in every ConsentGranted event for (patient, grantee), and the new keys re-wrapped to
 * it when the patient rotated categories it keeps reading (CategoryKeysRewrapped), and the emergency keys
 * released to it for a break-glass (EmergencyKeysReleased). Keys received under a grant
 * that was revoked later stay with the grantee (they cannot be taken back); records written after
 * the revocation use a newer epoch the grantee never received.
 */
export function useReaderKeys(
  patient: Address | undefined,
  reader: Address | undefined,
  identity: IdentityKey | undefined,
) {
  const config = useConfig();
  const chainId = useChainId();
  const consent = getContract("ConsentManager", chainId);
  const epochs = useCategoryEpochs(patient);
  const own = Boolean(patient && reader && isAddressEqual(patient, reader));
  const domain = getKeyDomain(chainId);
  return useQuery({
    queryKey: [
      "careledger",
      "reader-keys",
      chainId,
      patient,
      reader,
      identity ? Array.from(identity.keyId).join(".") : "locked",
      JSON.stringify(epochs.data?.map((e) => e.epoch)),
    ],
    enabled: Boolean(patient && reader && identity && epochs.data && consent && domain),
    queryFn: async (): Promise<ReaderKeys> => {
      const { CategoryKeyring } = await import("@careledger/sdk/crypto/categoryKeys");
      const current = Object.fromEntries(epochs.data!.map((e) => [e.category, e.epoch]));
      if (own)
        return {
          keyring: CategoryKeyring.forPatient(identity!, current),
          epochs: current,
          own,
          problems: [],
          domain: domain!,
        };
      const [{ openKeyEnvelopes }, { EnvelopePurpose }] = await Promise.all([
        import("@careledger/sdk/crypto/grants"),
        import("@careledger/sdk/crypto/envelope"),
      ]);
      const query = { chainId, address: consent!.address, abi: consent!.abi };
      const args = { patient: patient!, grantee: reader! };
      const [granted, rewrapped, released] = await Promise.all([
        readContractEvents(config, { ...query, eventName: "ConsentGranted", args }),
        readContractEvents(config, { ...query, eventName: "CategoryKeysRewrapped", args }),
        // Emergency summary keys released to this provider for its break-glass.
        readContractEvents(config, {
          ...query,
          eventName: "EmergencyKeysReleased",
          args: { patient: patient!, provider: reader! },
        }),
      ]);
      // Released emergency keys are bound to purpose emergency; grants and re-wraps to purpose grant.
      const logs = [
        ...[...granted, ...rewrapped].map((log) => ({ log, purpose: EnvelopePurpose.Grant })),
        ...released.map((log) => ({ log, purpose: EnvelopePurpose.Emergency })),
      ];
      const keyring = new CategoryKeyring();
      const problems: string[] = [];
      for (const { log, purpose } of logs) {
        const envelopes = (log.args as { keyEnvelopes: Hex }).keyEnvelopes;
        if (!envelopes || envelopes === "0x") continue;
        try {
          await openKeyEnvelopes(
            hexToBytes(envelopes),
            identity!,
            { ...domain!, patient: patient!, grantee: reader! },
            keyring,
            purpose,
          );
        } catch (error) {
          problems.push(
            `The keys published to you in block ${log.blockNumber} could not be opened with your key (${(error as Error).message}).`,
          );
        }
      }
      return { keyring, epochs: current, own, problems, domain: domain! };
    },
  });
}
