"use client";

import type { IdentityKey } from "@careledger/sdk/crypto/identity";
import type { CustodyBinding, KeyCustody } from "@careledger/sdk/crypto/passkey";
import { useCallback } from "react";
import { encodeFunctionData, toHex, type Hex } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { readContract } from "wagmi/actions";
import { contractAbis, getContract } from "@/contracts/deployments";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { createPasskey, evaluatePasskey } from "./webauthn";

const ZERO = /^0x0*$/;
// The storage client (and the CID code behind it) loads only when a key document is read or written.
const blobStore = async () => new (await import("@/features/records/write/apiBlobStore")).ApiBlobStore();

/**
 * Passkey custody of this account's identity key, the default for every role. The key-custody
 * document (the key wrapped under each passkey; sdk/src/crypto/passkey.ts) is stored on IPFS
 * through /api/blobs and its sha-256 digest in CareRegistry (`keyCustody`), so any device with one
 * of the passkeys finds it: unlocking is one passkey prompt. Each change (a first key, another
 * passkey, a removed one) stores a new document and points the chain at it in one transaction.
 */
export function usePasskeyKey() {
  const config = useConfig();
  const chainId = useChainId();
  const { address } = useConnection();
  const registry = useCareWrite("CareRegistry");
  const custodyRead = useCareRead({
    contractName: "CareRegistry",
    functionName: "keyCustody",
    args: address ? [address] : undefined,
  });
  const digest = custodyRead.data as Hex | undefined;
  const hasCustody = digest !== undefined && !ZERO.test(digest);

  const binding = useCallback((): CustodyBinding => {
    const contract = getContract("CareRegistry", chainId);
    if (!contract || !address) throw new Error("Connect a wallet on a CareLedger network first.");
    return { chainId, registry: contract.address, account: address };
  }, [address, chainId]);

  const read = useCallback(
    async (functionName: "keyCustody") => {
      const { registry: at, account } = binding();
      return readContract(config, {
        address: at,
        abi: contractAbis.CareRegistry,
        functionName,
        args: [account],
        chainId,
      });
    },
    [binding, chainId, config],
  );

  /** The document the chain points at now, checked against its digest. */
  const loadCustody = useCallback(async (): Promise<KeyCustody> => {
    const onChain = (await read("keyCustody")) as Hex;
    if (ZERO.test(onChain)) throw new Error("No passkey holds this account's key yet.");
    const { keyCustodyCid, readKeyCustody } = await import("@careledger/sdk/crypto/passkey");
    const bytes = await (await blobStore()).get(keyCustodyCid(onChain));
    return readKeyCustody(bytes, onChain);
  }, [read]);

  /** Stores a document and returns its digest, after checking the store named it by that digest. */
  const store = useCallback(async (custody: KeyCustody): Promise<Hex> => {
    const { encodeKeyCustody, keyCustodyCid, keyCustodyDigest } = await import("@careledger/sdk/crypto/passkey");
    const bytes = encodeKeyCustody(custody);
    const stored = await keyCustodyDigest(bytes);
    const cid = await (await blobStore()).put(bytes);
    if (cid.toString() !== keyCustodyCid(stored)) {
      throw new Error(`The store named the key document ${cid.toString()}, not by its digest; nothing was changed.`);
    }
    return stored;
  }, []);

  const point = useCallback(
    (custodyDigest: Hex, first?: { identity: IdentityKey; patient: boolean }) => {
      const calls: Hex[] = [];
      if (first) {
        calls.push(
          encodeFunctionData({
            abi: contractAbis.CareRegistry,
            functionName: first.patient ? "registerPatient" : "setEncryptionKey",
            args: [toHex(first.identity.publicKey)],
          }),
        );
      }
      calls.push(
        encodeFunctionData({ abi: contractAbis.CareRegistry, functionName: "setKeyCustody", args: [custodyDigest] }),
      );
      return registry.write({ functionName: "multicall", args: [calls] });
    },
    [registry],
  );

  /**
   * A new random identity key held by a new passkey, registered in one transaction: as a patient
   * (`patient`), or as any other party's encryption key. Resolves to the key once confirmed.
   */
  const createKey = useCallback(
    async (args: { patient: boolean; name: string; label: string; identity?: IdentityKey }) => {
      const { createKeyCustody, generateIdentityKey } = await import("@careledger/sdk/crypto/passkey");
      const identity = args.identity ?? generateIdentityKey();
      const secret = await createPasskey({ account: binding().account, name: args.name });
      const custody = await createKeyCustody({ identity, binding: binding(), ...secret, label: args.label });
      const receipt = await point(
        await store(custody),
        args.identity ? undefined : { identity, patient: args.patient },
      );
      return receipt ? identity : undefined;
    },
    [binding, point, store],
  );

  /** One passkey prompt: the key the chain's document holds, checked against the registered key. */
  const unlock = useCallback(async (): Promise<IdentityKey> => {
    const custody = await loadCustody();
    const secret = await evaluatePasskey(custody.passkeys.map((p) => p.credentialId));
    // After an account recovery this address speaks for the patient: the key to check is the patient's.
    const { registry: at, account } = binding();
    const self = await readContract(config, {
      address: at,
      abi: contractAbis.CareRegistry,
      functionName: "actingFor",
      args: [account],
      chainId,
    });
    const [publicKey] = await readContract(config, {
      address: at,
      abi: contractAbis.CareRegistry,
      functionName: "encryptionKey",
      args: [self],
      chainId,
    });
    const { openKeyCustody } = await import("@careledger/sdk/crypto/passkey");
    return openKeyCustody(custody, secret, { ...binding(), publicKey });
  }, [binding, chainId, config, loadCustody]);

  /**
   * After an account recovery: the passkey that already unlocked the recovery key (`secret`) now
   * holds the rebuilt identity key, in this address's own key-custody document (one transaction).
   */
  const adoptKey = useCallback(
    async (identity: IdentityKey, secret: { credentialId: string; prfOutput: Uint8Array }, label: string) => {
      const { createKeyCustody } = await import("@careledger/sdk/crypto/passkey");
      const custody = await createKeyCustody({ identity, binding: binding(), ...secret, label });
      return point(await store(custody));
    },
    [binding, point, store],
  );

  /** Another device: a new passkey wraps the unlocked key. */
  const addPasskey = useCallback(
    async (identity: IdentityKey, args: { name: string; label: string }) => {
      const custody = await loadCustody();
      const secret = await createPasskey({ account: binding().account, name: args.name });
      const { addPasskey: add } = await import("@careledger/sdk/crypto/passkey");
      return point(await store(await add(custody, { identity, ...secret, label: args.label })));
    },
    [binding, loadCustody, point, store],
  );

  const removePasskey = useCallback(
    async (credentialId: string) => {
      const { removePasskey: remove } = await import("@careledger/sdk/crypto/passkey");
      return point(await store(remove(await loadCustody(), credentialId)));
    },
    [loadCustody, point, store],
  );

  return {
    hasCustody,
    custodyDigest: digest,
    loadCustody,
    createKey,
    adoptKey,
    unlock,
    addPasskey,
    removePasskey,
    registry,
  };
}
