/**
 * Chain-side arrangements for the patient specs (and bench/web.ts): fresh random accounts funded
 * through `hardhat_setBalance`, credentialed by the authority (account 0); identity keys derived
 * exactly as the dApp derives them (the wallet's EIP-712 signature over the fixed key message), so
 * a browser driving the same key opens what Node encrypted and vice versa; records sealed with the
 * SDK, stored through the dApp's /api/blobs route and pointed to on chain.
 */
import { recordRecipients, sealRecord, type RecordContent } from "../sdk/src/crypto/container.js";
import type { IdentityKey } from "../sdk/src/crypto/identity.js";
import { commitmentOf } from "../sdk/src/storage/blobStore.js";
import { categoryForResourceType } from "../sdk/src/protocol/constants.js";
import type { Resource } from "@medplum/fhirtypes";
import { CID } from "multiformats/cid";
import { toHex, type Address, type Hex } from "viem";
import { freshActor, registerPatientWithKeys, walletIdentityOf } from "./actors.js";
import { careLedgerAbi } from "./helpers.js";
import type { E2EStack } from "./stack.js";

export type Actor = Awaited<ReturnType<typeof newActor>>;

/**
 * A fresh actor (see e2e/actors.ts) with its identity key derived as the dApp derives it, and the
 * patient-side helpers these specs use. `send` defaults to the generated CareLedger ABI.
 */
export async function newActor(stack: E2EStack) {
  const base = await freshActor(stack);
  const identity: IdentityKey = await walletIdentityOf(stack, base.account);
  const send = (request: Omit<Parameters<typeof base.send>[0], "abi" | "chain" | "account"> & { abi?: unknown }) =>
    base.send({ abi: careLedgerAbi, ...request } as never);
  const address = (name: string) => base.contract(name) as Address;
  return {
    ...base,
    identity,
    contract: address,
    send,
    credentialAsProvider: (listedAs?: string) => base.credential("provider", listedAs),
    /** Publishes this account's identity public key (what the dApp's "Publish my encryption key" does). */
    async publishEncryptionKey() {
      await send({
        address: address("CareRegistry"),
        functionName: "setEncryptionKey",
        args: [toHex(identity.publicKey)],
      });
    },
    /** Registers as a patient with the real identity key and publishes every category key (epoch 1, the first). */
    registerAsPatient: () => registerPatientWithKeys({ send, contract: address }, identity),
    /** Patient side: lets `grantee` read and write `scope` for treatment (no keys: writers need none). */
    async allowWriting(grantee: Address, scope: number) {
      const now = (await base.client.getBlock()).timestamp;
      await send({
        address: address("ConsentManager"),
        functionName: "grantConsent",
        args: [{ grantee, scope, purpose: 0, access: 3, notBefore: 0n, expiresAt: now + 30n * 86400n }, "0x"],
      });
    },
    async openBreakGlass(patient: Address, reasonCode = 7) {
      await send({
        address: address("ConsentManager"),
        functionName: "openBreakGlass",
        args: [patient, reasonCode, 3600n],
      });
    },
  };
}

/** Seals a record for `patient` as `author` (category key at its current epoch + author key) and stores it via /api/blobs. */
export async function sealForPatient(
  stack: E2EStack,
  author: Actor,
  patient: Address,
  content: RecordContent,
  category?: number,
) {
  const c =
    category ?? (content.kind === "fhir" ? categoryForResourceType((content.resource as Resource).resourceType)! : 6);
  const [publicKey, epoch] = await author.client.readContract({
    address: author.contract("RecordRegistry"),
    abi: careLedgerAbi,
    functionName: "categoryKey",
    args: [patient, c],
  });
  const blob = await sealRecord(
    content,
    recordRecipients({
      chainId: author.client.chain!.id,
      registry: author.contract("CareRegistry"),
      patient,
      author: author.address,
      category: c,
      epoch,
      categoryPublicKey: hexBytes(publicKey),
      authorPublicKey: author.identity.publicKey,
    }),
  );
  const response = await fetch(`${stack.webUrl}/api/blobs`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: blob as BodyInit,
  });
  if (!response.ok) throw new Error(`/api/blobs answered ${response.status}: ${await response.text()}`);
  const { cid } = (await response.json()) as { cid: string };
  return { category: c, keyEpoch: epoch, commitment: await commitmentOf(blob), cid: toHex(CID.parse(cid).bytes) };
}

/** Writes one record for `patient` as `author` (who needs write consent, or is the patient). */
export async function addRecordAs(
  stack: E2EStack,
  author: Actor,
  patient: Address,
  content: RecordContent,
  category?: number,
) {
  const r = await sealForPatient(stack, author, patient, content, category);
  await author.send({
    address: author.contract("RecordRegistry"),
    functionName: "addRecord",
    args: [patient, r.category, r.cid, r.commitment, r.keyEpoch],
  });
  return r;
}

function hexBytes(hex: Hex): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}
