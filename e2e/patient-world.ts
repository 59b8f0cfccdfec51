/**
 * Chain-side arrangements for the patient specs (and bench/web.ts): fresh random accounts funded
 * through `hardhat_setBalance`, credentialed by the authority (account 0); identity keys derived
 * exactly as the dApp derives them (the wallet's EIP-712 signature over the fixed key message), so
 * a browser driving the same key opens what Node encrypted and vice versa; records sealed with the
 * SDK, stored through the dApp's /api/blobs route and pointed to on chain.
 */
import { deriveCategoryKey } from "../sdk/src/crypto/categoryKeys.js";
import { recordRecipients, sealRecord, type RecordContent } from "../sdk/src/crypto/container.js";
import { identityKeyFromSignature, type IdentityKey } from "../sdk/src/crypto/identity.js";
import { commitmentOf } from "../sdk/src/storage/blobStore.js";
import { identityKeyTypedData } from "../sdk/src/protocol/typedData.js";
import { CATEGORY_COUNT, PROVIDER_ROLE, categoryForResourceType } from "../sdk/src/protocol/constants.js";
import type { Resource } from "@medplum/fhirtypes";
import { CID } from "multiformats/cid";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseAbi,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { actOnChain, localChain } from "./helpers.js";
import type { E2EStack } from "./stack.js";
import { TestWallet } from "./wallet.js";

export const worldAbi = parseAbi([
  "function grantCredential(bytes32 role, address account)",
  "function registerPatient(bytes32 encryptionKey)",
  "function setEncryptionKey(bytes32 encryptionKey)",
  "function publishCategoryKeys(uint8[] categories, bytes32[] publicKeys)",
  "function categoryKey(address patient, uint8 category) view returns (bytes32 publicKey, uint32 epoch)",
  "struct ConsentTerms { address grantee; uint16 scope; uint8 purpose; uint8 access; uint64 notBefore; uint64 expiresAt; }",
  "function grantConsent(ConsentTerms terms, bytes keyEnvelopes)",
  "function consentOf(address patient, address grantee, uint8 purpose) view returns ((uint16 scope, uint8 access, bool revoked, uint64 notBefore, uint64 expiresAt, uint64 grantedAt))",
  "function addRecord(address patient, uint8 category, bytes cid, bytes32 commitment, uint32 keyEpoch) returns (uint256)",
  "struct RecordInput { uint8 category; uint32 keyEpoch; bytes32 commitment; bytes cid; }",
  "function addRecords(address patient, RecordInput[] records) returns (uint256[])",
  "function openBreakGlass(address patient, uint16 reasonCode, uint64 duration)",
  "function amendRecord(uint256 previousId, bytes cid, bytes32 commitment, uint32 keyEpoch) returns (uint256)",
  "function recordIds(address patient, uint8 category, uint256 offset, uint256 limit) view returns (uint256[])",
]);

export type Actor = Awaited<ReturnType<typeof newActor>>;

/** A new account with 100 ETH, its identity key, and helpers to act from Node. */
export async function newActor(stack: E2EStack) {
  const privateKey = generatePrivateKey();
  const account = privateKeyToAccount(privateKey);
  const chain = defineChain({
    id: stack.chainId,
    name: "CareLedger Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [stack.rpcUrl] } },
  });
  const client = createPublicClient({ chain, transport: http(stack.rpcUrl) });
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [account.address, toHex(100n * 10n ** 18n)] as never,
  });
  const wallet = createWalletClient({ account, chain, transport: http(stack.rpcUrl) });
  const authority = await actOnChain(stack, 0);
  const identity: IdentityKey = identityKeyFromSignature(await account.signTypedData(identityKeyTypedData(1)));
  const address = (name: string) => authority.address(name) as Address;
  const actor = {
    account,
    address: account.address as Address,
    identity,
    client,
    contract: address,
    browserWallet: () => new TestWallet({ privateKey: privateKey as Hex, chains: [localChain(stack)] }),
    async send(
      request: Omit<Parameters<typeof wallet.writeContract>[0], "abi" | "chain" | "account"> & { abi?: unknown },
    ) {
      const hash = await wallet.writeContract({ abi: worldAbi, ...request } as never);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return receipt;
    },
    async credentialAsProvider() {
      await authority.send({
        address: address("CareRegistry"),
        abi: worldAbi,
        functionName: "grantCredential",
        args: [PROVIDER_ROLE, account.address],
      });
    },
    /** Publishes this account's identity public key (what the dApp's "Publish my encryption key" does). */
    async publishEncryptionKey() {
      await actor.send({
        address: address("CareRegistry"),
        functionName: "setEncryptionKey",
        args: [toHex(identity.publicKey)],
      });
    },
    /** Registers as a patient with the real identity key and publishes every category key (epoch 1, the first). */
    async registerAsPatient() {
      await actor.send({
        address: address("CareRegistry"),
        functionName: "registerPatient",
        args: [toHex(identity.publicKey)],
      });
      const categories = Array.from({ length: CATEGORY_COUNT }, (_, c) => c);
      await actor.send({
        address: address("RecordRegistry"),
        functionName: "publishCategoryKeys",
        args: [categories, categories.map((c) => toHex(deriveCategoryKey(identity, c, 1).publicKey))],
      });
    },
    /** Patient side: lets `grantee` read and write `scope` for treatment (no keys: writers need none). */
    async allowWriting(grantee: Address, scope: number) {
      const now = (await client.getBlock()).timestamp;
      await actor.send({
        address: address("ConsentManager"),
        functionName: "grantConsent",
        args: [{ grantee, scope, purpose: 0, access: 3, notBefore: 0n, expiresAt: now + 30n * 86400n }, "0x"],
      });
    },
    async openBreakGlass(patient: Address, reasonCode = 7) {
      await actor.send({
        address: address("ConsentManager"),
        functionName: "openBreakGlass",
        args: [patient, reasonCode, 3600n],
      });
    },
  };
  return actor;
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
    abi: worldAbi,
    functionName: "categoryKey",
    args: [patient, c],
  });
  const blob = await sealRecord(
    content,
    recordRecipients({
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
