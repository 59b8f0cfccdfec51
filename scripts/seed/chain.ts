/**
 * The seed's view of the chain: one viem wallet per demo person, transactions sent in order per
 * person (and in parallel across people), reverts reported with the contract's custom error and
 * who was doing what.
 */
import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  parseEventLogs,
  type Abi,
  type Address,
  type Hex,
  type Log,
  type PrivateKeyAccount,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { DeployedContractName, DeploymentFile } from "../lib/deployments.js";
import { DEMO_ACCOUNTS, demoWallet, type DemoAccount } from "./accounts.js";

export interface Person extends DemoAccount {
  address: Address;
  account: PrivateKeyAccount;
}

export class SeedChain {
  readonly client: PublicClient;
  readonly chainId: number;
  readonly people: readonly Person[];
  readonly #wallets = new Map<Address, WalletClient>();
  /** Per sender, the promise of its last transaction: keeps nonces in order without a nonce manager. */
  readonly #queues = new Map<Address, Promise<unknown>>();
  readonly #abi: Abi;
  transactions = 0;

  constructor(
    readonly deployment: DeploymentFile,
    rpcUrl: string,
  ) {
    this.chainId = deployment.chainId;
    const chain = defineChain({
      id: deployment.chainId,
      name: "CareLedger",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    });
    // The local node mines each transaction at once: poll for receipts every few milliseconds.
    const transport = http(rpcUrl, { batch: false });
    this.client = createPublicClient({ chain, transport, pollingInterval: 10 });
    this.people = DEMO_ACCOUNTS.map((person) => {
      const account = privateKeyToAccount(demoWallet(person.index).privateKey as Hex);
      this.#wallets.set(account.address, createWalletClient({ account, chain, transport, pollingInterval: 10 }));
      return { ...person, address: account.address, account };
    });
    // Every custom error and event of the deployment, to decode reverts and logs from any contract.
    this.#abi = Object.values(deployment.contracts).flatMap(({ abi }) =>
      abi.filter((item) => item.type === "error" || item.type === "event"),
    );
  }

  person(name: string): Person {
    const found = this.people.find((p) => p.name === name);
    if (!found) throw new Error(`The demo world has nobody called ${name} (see scripts/seed/accounts.ts)`);
    return found;
  }

  address(contract: DeployedContractName): Address {
    return this.deployment.contracts[contract].address;
  }

  async now(): Promise<bigint> {
    return (await this.client.getBlock()).timestamp;
  }

  async read<T>(contract: DeployedContractName, functionName: string, args: readonly unknown[] = []): Promise<T> {
    const { address, abi } = this.deployment.contracts[contract];
    return (await this.client.readContract({ address, abi, functionName, args })) as T;
  }

  /**
   * Sends `functionName(args)` to `contract` as `from`, waits for it to be mined and returns the
   * receipt. Calls from one person run in the order made; calls from different people overlap.
   */
  send(
    from: Person,
    contract: DeployedContractName,
    functionName: string,
    args: readonly unknown[] = [],
  ): Promise<TransactionReceipt> {
    const previous = this.#queues.get(from.address) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(async () => {
        const { address, abi } = this.deployment.contracts[contract];
        const wallet = this.#wallets.get(from.address)!;
        try {
          const hash = await wallet.writeContract({
            address,
            abi,
            functionName,
            args,
            account: from.account,
            chain: wallet.chain,
          });
          const receipt = await this.client.waitForTransactionReceipt({ hash, pollingInterval: 10 });
          if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
          this.transactions += 1;
          return receipt;
        } catch (error) {
          throw new Error(`${from.name}: ${contract}.${functionName} failed: ${explain(error)}`, { cause: error });
        }
      });
    this.#queues.set(from.address, next);
    return next;
  }

  /** The decoded events named `eventName` among a receipt's logs. */
  events<T = Record<string, unknown>>(receipt: { logs: Log[] }, eventName: string): T[] {
    return parseEventLogs({ abi: this.#abi, logs: receipt.logs, eventName }).map(
      (log) => (log as unknown as { args: T }).args,
    );
  }
}

/** A revert as its custom error, e.g. `RecordWriteNotConsented(0x…, 0x…, 4)`; other failures as viem's short message. */
function explain(error: unknown): string {
  if (error instanceof BaseError) {
    const revert = error.walk(
      (e) => e instanceof ContractFunctionRevertedError,
    ) as ContractFunctionRevertedError | null;
    if (revert?.data?.errorName) {
      return `${revert.data.errorName}(${(revert.data.args ?? []).map(String).join(", ")})`;
    }
    return error.shortMessage;
  }
  return error instanceof Error ? error.message : String(error);
}
