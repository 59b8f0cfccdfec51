/**
 * Fresh actors for e2e specs: random private keys funded through `hardhat_setBalance`, so specs do
 * not collide with each other or with the seeded demo world. Clinicians and insurers are
 * credentialed by the authority (account 0); patients register with a real X25519 identity key and
 * publish their category keys, so records written to them in the browser can be decrypted here.
 */
import { deriveCategoryKey } from "../sdk/src/crypto/categoryKeys.js";
import { deriveIdentityKey, identityKeyFromSecret, type IdentityKey } from "../sdk/src/crypto/identity.js";
import { CATEGORY_COUNT, INSURER_ROLE, PartyKind, PROVIDER_ROLE } from "../sdk/src/protocol/constants.js";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  encodeFunctionData,
  http,
  toHex,
  type Address,
  type Hex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { actOnChain, careLedgerAbi, localChain } from "./helpers.js";
import type { E2EStack } from "./stack.js";
import { TestWallet } from "./wallet.js";

/** A new account with 100 ETH on the local chain, able to act from Node and to drive a browser wallet. */
export async function freshActor(stack: E2EStack) {
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
  return {
    account,
    address: account.address as Address,
    privateKey: privateKey as Hex,
    client,
    contract: (name: string) => authority.address(name),
    browserWallet: () => new TestWallet({ privateKey, chains: [localChain(stack)] }),
    async send(request: Parameters<typeof wallet.writeContract>[0]) {
      const hash = await wallet.writeContract(request);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return receipt;
    },
    /** Credentials this account as a provider or an insurer (the authority signs). */
    async credential(role: "provider" | "insurer", listedAs?: string) {
      const grant = encodeFunctionData({
        abi: careLedgerAbi,
        functionName: "grantCredential",
        args: [role === "provider" ? PROVIDER_ROLE : INSURER_ROLE, account.address],
      });
      // Listed in the directory under `listedAs` in the same transaction, as the authority's workspace does.
      const list = listedAs
        ? [
            encodeFunctionData({
              abi: careLedgerAbi,
              functionName: "setProfile",
              args: [
                account.address,
                {
                  displayName: listedAs,
                  kind: role === "provider" ? PartyKind.Clinician : PartyKind.Insurer,
                  registryId: "",
                },
              ],
            }),
          ]
        : [];
      await authority.send({
        address: authority.address("CareRegistry"),
        abi: careLedgerAbi,
        functionName: "multicall",
        args: [[grant, ...list]],
      });
    },
  };
}

export type Actor = Awaited<ReturnType<typeof freshActor>>;

/**
 * The identity key the dApp's wallet fallback derives for `account`: its signature of the key
 * message bound to this chain and its CareRegistry (the SDK's deriveIdentityKey, as the dApp calls it).
 */
export async function walletIdentityOf(stack: E2EStack, account: PrivateKeyAccount): Promise<IdentityKey> {
  const chain = await actOnChain(stack, 0);
  return deriveIdentityKey((typedData) => account.signTypedData(typedData), {
    chainId: stack.chainId,
    verifyingContract: chain.address("CareRegistry") as Address,
    account: account.address,
    getCode: (address) => chain.client.getCode({ address }),
  });
}

/**
 * Registers `actor` as a patient with a real identity key (a random one unless given) and publishes
 * every category key at epoch 1, the first.
 */
export async function registerPatientWithKeys(
  actor: Pick<Actor, "send" | "contract">,
  identity: IdentityKey = identityKeyFromSecret(crypto.getRandomValues(new Uint8Array(32))),
): Promise<IdentityKey> {
  await actor.send({
    address: actor.contract("CareRegistry"),
    abi: careLedgerAbi,
    functionName: "registerPatient",
    args: [toHex(identity.publicKey)],
  });
  const categories = Array.from({ length: CATEGORY_COUNT }, (_, i) => i);
  await actor.send({
    address: actor.contract("RecordRegistry"),
    abi: careLedgerAbi,
    functionName: "publishCategoryKeys",
    args: [categories, categories.map((c) => toHex(deriveCategoryKey(identity, c, 1).publicKey))],
  });
  return identity;
}

/** The patient lets `grantee` read (1), write (2) or both (3) every category for `purpose`, for 30 days. */
export async function grantAll(patient: Actor, grantee: Address, purpose: number, access: number) {
  const now = (await patient.client.getBlock()).timestamp;
  await patient.send({
    address: patient.contract("ConsentManager"),
    abi: careLedgerAbi,
    functionName: "grantConsent",
    args: [
      { grantee, scope: (1 << CATEGORY_COUNT) - 1, purpose, access, notBefore: 0n, expiresAt: now + 30n * 86400n },
      "0x",
    ],
  });
}
