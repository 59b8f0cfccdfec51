/**
 * A test wallet for the browser suite: an EIP-1193 provider injected into every page and
 * announced through EIP-6963, like MetaMask. Reads go to the selected chain's RPC; signing
 * (transactions, EIP-712 typed data, personal_sign) happens here in Node with a local key,
 * reached from the page through `exposeBinding`. Chain switching follows MetaMask: an unknown
 * chain answers 4902 until the dApp adds it with wallet_addEthereumChain.
 */
import type { BrowserContext } from "playwright-core";
import {
  createWalletClient,
  defineChain,
  hexToBigInt,
  http,
  numberToHex,
  type Chain,
  type Hex,
  type TypedDataDefinition,
} from "viem";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";

export interface WalletChain {
  chainId: number;
  name: string;
  /** Without an RPC URL the wallet can sit on the chain (to test wrong-network flows) but not use it. */
  rpcUrl?: string;
}

export interface TestWalletOptions {
  privateKey: Hex;
  /** Chains the wallet knows from the start; the first is selected unless `chainId` says otherwise. */
  chains: WalletChain[];
  chainId?: number;
  /** EIP-6963 provider info. */
  name?: string;
  rdns?: string;
}

type RpcError = { code: number; message: string; data?: unknown };
type Reply = { result?: unknown; error?: RpcError; events?: [string, unknown][] };

class WalletRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

const ICON =
  "data:image/svg+xml;base64," +
  Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f5c63"/><path d="M9 16h14M16 9v14" stroke="#fff" stroke-width="4"/></svg>',
  ).toString("base64");

export class TestWallet {
  readonly account: PrivateKeyAccount;
  readonly name: string;
  readonly rdns: string;
  /** Every request the page made, in order: lets a test assert what the dApp asked for. */
  readonly requests: { method: string; params: unknown[] }[] = [];
  private readonly chains = new Map<number, WalletChain>();
  private selectedChainId: number;
  private authorised = false;
  private readonly rejections = new Set<string>();

  constructor(options: TestWalletOptions) {
    this.account = privateKeyToAccount(options.privateKey);
    for (const chain of options.chains) this.chains.set(chain.chainId, chain);
    this.selectedChainId = options.chainId ?? options.chains[0].chainId;
    this.name = options.name ?? "CareLedger Test Wallet";
    this.rdns = options.rdns ?? "org.careledger.testwallet";
  }

  get address() {
    return this.account.address;
  }

  get chainId() {
    return this.selectedChainId;
  }

  /** The next request with this method is declined as a person would (EIP-1193 code 4001). */
  rejectNext(method: string) {
    this.rejections.add(method);
  }

  /** Exposes the wallet to every page of `context`, before any of the page's scripts run. */
  async install(context: BrowserContext): Promise<void> {
    await context.exposeBinding("__careledgerWallet", (_source, request: { method: string; params?: unknown[] }) =>
      this.handle(request.method, request.params ?? []),
    );
    await context.addInitScript({
      content: providerScript({ uuid: crypto.randomUUID(), name: this.name, icon: ICON, rdns: this.rdns }),
    });
  }

  async handle(method: string, params: unknown[]): Promise<Reply> {
    this.requests.push({ method, params });
    try {
      if (this.rejections.delete(method)) throw new WalletRpcError(4001, "User rejected the request.");
      return await this.dispatch(method, params);
    } catch (error) {
      if (error instanceof WalletRpcError) return { error: { code: error.code, message: error.message } };
      const rpc = error as { code?: number; message?: string; data?: unknown; cause?: { data?: unknown } };
      return {
        error: {
          code: typeof rpc.code === "number" ? rpc.code : -32603,
          message: rpc.message ?? String(error),
          data: rpc.data ?? rpc.cause?.data,
        },
      };
    }
  }

  private async dispatch(method: string, params: unknown[]): Promise<Reply> {
    switch (method) {
      case "eth_chainId":
        return { result: numberToHex(this.selectedChainId) };
      case "net_version":
        return { result: String(this.selectedChainId) };
      case "eth_accounts":
        return { result: this.authorised ? [this.address] : [] };
      case "eth_requestAccounts":
        this.authorised = true;
        return { result: [this.address], events: [["connect", { chainId: numberToHex(this.selectedChainId) }]] };
      case "wallet_requestPermissions":
        this.authorised = true;
        return { result: [{ parentCapability: "eth_accounts" }] };
      case "wallet_getPermissions":
        return { result: this.authorised ? [{ parentCapability: "eth_accounts" }] : [] };
      case "wallet_revokePermissions":
        this.authorised = false;
        return { result: null, events: [["accountsChanged", []]] };
      case "wallet_switchEthereumChain": {
        const chainId = Number((params[0] as { chainId: Hex }).chainId);
        if (!this.chains.has(chainId)) throw new WalletRpcError(4902, `Unrecognized chain ID ${chainId}.`);
        return this.select(chainId);
      }
      case "wallet_addEthereumChain": {
        const added = params[0] as { chainId: Hex; chainName: string; rpcUrls: string[] };
        const chainId = Number(added.chainId);
        if (!added.rpcUrls?.[0]) throw new WalletRpcError(-32602, "wallet_addEthereumChain needs an RPC URL.");
        this.chains.set(chainId, { chainId, name: added.chainName, rpcUrl: added.rpcUrls[0] });
        // MetaMask asks to switch right after adding; the person accepts.
        return this.select(chainId);
      }
      case "eth_sendTransaction":
        return { result: await this.sendTransaction(params[0] as TransactionParams) };
      case "personal_sign":
        this.requireAuthorised();
        return { result: await this.account.signMessage({ message: { raw: params[0] as Hex } }) };
      case "eth_signTypedData_v4": {
        this.requireAuthorised();
        const typedData = typeof params[1] === "string" ? JSON.parse(params[1]) : params[1];
        return { result: await this.account.signTypedData(normaliseTypedData(typedData)) };
      }
      case "eth_sign":
      case "eth_signTransaction":
        throw new WalletRpcError(4200, `${method} is not supported by this wallet.`);
      default:
        return { result: await this.forward(method, params) };
    }
  }

  private select(chainId: number): Reply {
    const changed = chainId !== this.selectedChainId;
    this.selectedChainId = chainId;
    return { result: null, events: changed ? [["chainChanged", numberToHex(chainId)]] : [] };
  }

  private requireAuthorised() {
    if (!this.authorised) throw new WalletRpcError(4100, "The dApp has not been authorised to use this account.");
  }

  private currentChain(): Chain & { rpcUrl: string } {
    const chain = this.chains.get(this.selectedChainId);
    if (!chain?.rpcUrl) {
      throw new WalletRpcError(4901, `The wallet cannot reach ${chain?.name ?? `chain ${this.selectedChainId}`}.`);
    }
    return {
      ...defineChain({
        id: chain.chainId,
        name: chain.name,
        nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
        rpcUrls: { default: { http: [chain.rpcUrl] } },
      }),
      rpcUrl: chain.rpcUrl,
    };
  }

  private async forward(method: string, params: unknown[]): Promise<unknown> {
    const { rpcUrl } = this.currentChain();
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    });
    const body = (await response.json()) as { result?: unknown; error?: RpcError };
    if (body.error) throw Object.assign(new Error(body.error.message), body.error);
    return body.result;
  }

  private async sendTransaction(tx: TransactionParams): Promise<Hex> {
    this.requireAuthorised();
    if (tx.from && tx.from.toLowerCase() !== this.address.toLowerCase()) {
      throw new WalletRpcError(4100, `This wallet does not hold ${tx.from}.`);
    }
    const chain = this.currentChain();
    const client = createWalletClient({ account: this.account, chain, transport: http(chain.rpcUrl) });
    return client.sendTransaction({
      to: tx.to ?? undefined,
      data: tx.data ?? tx.input,
      value: tx.value ? hexToBigInt(tx.value) : undefined,
      gas: tx.gas ? hexToBigInt(tx.gas) : undefined,
      nonce: tx.nonce ? Number(tx.nonce) : undefined,
    } as Parameters<typeof client.sendTransaction>[0]);
  }
}

type TransactionParams = {
  from?: Hex;
  to?: Hex | null;
  data?: Hex;
  input?: Hex;
  value?: Hex;
  gas?: Hex;
  nonce?: Hex;
};

/** JSON typed data carries big integers as strings or numbers; viem wants bigint for (u)int fields. */
function normaliseTypedData(data: {
  types: Record<string, { name: string; type: string }[]>;
  primaryType: string;
  domain?: Record<string, unknown>;
  message: Record<string, unknown>;
}): TypedDataDefinition {
  const convert = (type: string, value: unknown): unknown => {
    if (type.endsWith("]")) return (value as unknown[]).map((v) => convert(type.slice(0, type.lastIndexOf("[")), v));
    if (/^u?int\d*$/.test(type) && (typeof value === "string" || typeof value === "number")) return BigInt(value);
    const fields = data.types[type];
    if (fields && value && typeof value === "object") {
      const record = value as Record<string, unknown>;
      return Object.fromEntries(fields.map((f) => [f.name, convert(f.type, record[f.name])]));
    }
    return value;
  };
  const domain = data.domain ? { ...data.domain } : undefined;
  if (domain?.chainId !== undefined) domain.chainId = Number(domain.chainId);
  return {
    types: data.types,
    primaryType: data.primaryType,
    domain,
    message: convert(data.primaryType, data.message) as Record<string, unknown>,
  } as unknown as TypedDataDefinition;
}

/**
 * Runs inside the page: the EIP-1193 provider and its EIP-6963 announcement. Kept as plain
 * JavaScript text: a compiled function would carry the TypeScript loader's helpers into the page.
 */
function providerScript(info: { uuid: string; name: string; icon: string; rdns: string }): string {
  return `(() => {
  const info = Object.freeze(${JSON.stringify(info)});
  const listeners = new Map();
  const emit = (event, payload) => (listeners.get(event) || new Set()).forEach((listener) => listener(payload));
  const provider = {
    async request({ method, params }) {
      const reply = await window.__careledgerWallet({ method, params: params || [] });
      if (reply.events && reply.events.length) {
        setTimeout(() => reply.events.forEach(([event, payload]) => emit(event, payload)), 0);
      }
      if (reply.error) {
        const error = new Error(reply.error.message);
        error.code = reply.error.code;
        error.data = reply.error.data;
        throw error;
      }
      return reply.result;
    },
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return provider;
    },
    removeListener(event, listener) {
      const set = listeners.get(event);
      if (set) set.delete(listener);
      return provider;
    },
  };
  const announce = () =>
    window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;
}
