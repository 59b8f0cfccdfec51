import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  keccak256,
  toBytes,
  type Address,
  type Hex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  careRegistryAbi,
  claimsSettlementAbi,
  consentManagerAbi,
  recordRegistryAbi,
  stablecoinAbi,
} from "../deployments/index.js";
import { ROOT } from "../scripts/lib/stack.js";
import { demoWallet } from "../scripts/seed/accounts.js";
import { openBrowser, startTest, step, type Session } from "./browser.js";
import type { E2EStack } from "./stack.js";
import { TestWallet, type WalletChain } from "./wallet.js";

/**
 * Every CareLedger function, event and error, from the generated ABIs (deployments/index.ts): specs
 * call any contract through it, so no spec carries a hand-written ABI that could drift.
 */
export const careLedgerAbi = [
  ...careRegistryAbi,
  ...consentManagerAbi,
  ...recordRegistryAbi,
  ...claimsSettlementAbi,
  ...stablecoinAbi,
] as const;

/** The local chain as a wallet knows it after `npm start`'s MetaMask instructions. */
export const localChain = (stack: E2EStack): WalletChain => ({
  chainId: stack.chainId,
  name: "CareLedger Local",
  rpcUrl: stack.rpcUrl,
});

/** A test wallet holding Hardhat development account `index` (see scripts/seed/accounts.ts). */
export function walletFor(index: number, chains: WalletChain[]): TestWallet {
  return new TestWallet({ privateKey: demoWallet(index).privateKey as Hex, chains });
}

/** A fresh browser (with `wallet` injected, if any) for one test, closed afterwards whatever happens. */
export async function withBrowser(
  name: string,
  wallet: TestWallet | undefined,
  run: (session: Session) => Promise<void>,
  options: { viewport?: { width: number; height: number } } = {},
) {
  startTest(name);
  const session = await openBrowser(options);
  try {
    if (wallet) await wallet.install(session.context);
    await run(session);
  } finally {
    await session.close();
  }
}

/** Opens the start page and connects `wallet` the way a person does: by clicking its name. */
export async function connectWallet(session: Session, wallet: TestWallet, webUrl: string) {
  const { page } = session;
  await step(session, "open the connect page", async () => {
    await page.goto(webUrl);
    await page.getByRole("heading", { name: "Connect a wallet" }).waitFor();
  });
  await step(session, "connect the announced wallet", async () => {
    await page.getByRole("button", { name: `Connect ${wallet.name}` }).click();
    await page.getByText("Connected as").waitFor();
  });
}

/**
 * Asserts the page does not scroll sideways at its current viewport (wide tables may scroll inside
 * their own `.table-scroll`), naming the first elements that stick out. `slack`: pixels tolerated.
 */
export async function assertNoSidewaysScroll(page: Session["page"], slack = 0) {
  const { overflow, culprits } = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    culprits: Array.from(document.querySelectorAll("body *"))
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-scroll"))
      .slice(0, 6)
      .map((e) => `${e.tagName.toLowerCase()}.${e.className} (${Math.round(e.getBoundingClientRect().right)})`),
  }));
  assert.ok(overflow <= slack, `the page is ${overflow}px wider than the screen: ${culprits.join(", ")}`);
}

/** Follows a link of the main navigation. */
export async function openWorkspace(session: Session, name: "Patient" | "Provider" | "Insurer" | "Authority") {
  await session.page.getByRole("navigation", { name: "Workspaces" }).getByRole("link", { name }).click();
}

/**
 * Arranges chain state directly from Node as `index` would from any wallet (for steps whose UI is
 * not under test), against the deployed contracts of deployments/<chainId>.json.
 */
export async function actOnChain(stack: E2EStack, index: number) {
  // CARELEDGER_E2E_CONTRACTS ({"CareRegistry": "0x…", …}) points the tests at contracts deployed elsewhere.
  const addresses: Record<string, Address> = process.env.CARELEDGER_E2E_CONTRACTS
    ? JSON.parse(process.env.CARELEDGER_E2E_CONTRACTS)
    : await deployedAddresses(stack.chainId);
  const chain = defineChain({
    id: stack.chainId,
    name: "CareLedger Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [stack.rpcUrl] } },
  });
  const account = privateKeyToAccount(demoWallet(index).privateKey as Hex);
  const wallet = createWalletClient({ account, chain, transport: http(stack.rpcUrl) });
  const client = createPublicClient({ chain, transport: http(stack.rpcUrl) });
  return {
    account,
    client,
    address: (name: string) => addresses[name],
    /**
     * Registers this account as a patient. Any 32 bytes stand in for the X25519 identity key: tests
     * using this are about roles and consent, not keys (registration itself is tested in the browser).
     */
    async registerPatient() {
      return this.send({
        address: addresses.CareRegistry,
        abi: careLedgerAbi,
        functionName: "registerPatient",
        args: [keccak256(toBytes(`identity key of ${account.address}`))],
      });
    },
    /** Sends a transaction and waits until it is mined successfully. */
    async send(request: Parameters<typeof wallet.writeContract>[0]) {
      const hash = await wallet.writeContract(request);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
      return receipt;
    },
  };
}

async function deployedAddresses(chainId: number): Promise<Record<string, Address>> {
  const file = path.join(ROOT, "deployments", `${chainId}.json`);
  const { contracts } = JSON.parse(await readFile(file, "utf8")) as { contracts: Record<string, { address: Address }> };
  return Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, c.address]));
}
