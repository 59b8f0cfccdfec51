import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { step, type Session } from "./browser.js";
import { assertNoSidewaysScroll, connectWallet, localChain, openWorkspace, walletFor, withBrowser } from "./helpers.js";
import { useStack, type E2EStack } from "./stack.js";
import type { TestWallet } from "./wallet.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

/** Hardhat account 9 is no one in the demo world: an unregistered newcomer. */
const NEWCOMER = 9;
const AUTHORITY = 0;
const connect = (session: Session, wallet: TestWallet) => connectWallet(session, wallet, stack.webUrl);

test("the connect page renders and explains when there is no wallet", async () => {
  await withBrowser("connect page without wallet", undefined, async (session) => {
    const { page } = session;
    await step(session, "open the connect page", async () => {
      const response = await page.goto(stack.webUrl);
      assert.equal(response?.status(), 200);
      await page.getByRole("heading", { level: 1, name: "Your health records, under your control" }).waitFor();
    });
    await step(session, "say that no wallet was found", async () => {
      await page.getByText("No wallet found in this browser.").waitFor();
      assert.equal(await page.getByRole("button", { name: /^Connect / }).count(), 0);
    });
  });
});

test("an announced (EIP-6963) wallet is listed and connects", async () => {
  const wallet = walletFor(NEWCOMER, [localChain(stack)]);
  await withBrowser("wallet connects", wallet, async (session) => {
    await connect(session, wallet);
    await step(session, "show the account and the network", async () => {
      const card = session.page.getByRole("region", { name: "Your account" });
      await card.getByText("CareLedger local chain").waitFor();
      assert.equal(await card.locator(`code[title="${wallet.address}"]`).count(), 1);
      assert.ok(wallet.requests.some((r) => r.method === "eth_requestAccounts"));
    });
    await step(session, "a reload keeps the connection (wagmi cookie storage)", async () => {
      await session.page.reload();
      await session.page.getByText("Connected as").waitFor();
    });
    await step(session, "disconnecting returns to the wallet list", async () => {
      await session.page.getByRole("button", { name: "Disconnect" }).click();
      await session.page.getByRole("button", { name: `Connect ${wallet.name}` }).waitFor();
      assert.equal(await session.page.getByText("Connected as").count(), 0);
    });
  });
});

test("an unregistered account is told so on the start page and in every workspace", async () => {
  const wallet = walletFor(NEWCOMER, [localChain(stack)]);
  await withBrowser("unregistered account", wallet, async (session) => {
    const { page } = session;
    await connect(session, wallet);
    await step(session, "the start page says the account is not registered", async () => {
      await page.getByText("This account is not registered on CareLedger.").waitFor();
      await page.getByRole("link", { name: "Register as a patient" }).waitFor();
    });
    const workspaces = [
      ["Patient", "This account is not registered as a patient"],
      ["Provider", "This account is not a credentialed provider"],
      ["Insurer", "This account is not a credentialed insurer"],
      ["Authority", "This account is not the credentialing authority"],
    ] as const;
    for (const [link, heading] of workspaces) {
      await step(session, `the ${link.toLowerCase()} workspace shows its empty state`, async () => {
        await openWorkspace(session, link);
        await page.getByRole("heading", { name: heading }).waitFor();
        assert.equal(await page.getByTestId(`${link.toLowerCase()}-workspace`).count(), 0);
      });
    }
  });
});

test("the credentialing authority is recognised and reaches its workspace", async () => {
  const wallet = walletFor(AUTHORITY, [localChain(stack)]);
  await withBrowser("authority account", wallet, async (session) => {
    const { page } = session;
    await connect(session, wallet);
    await step(session, "the start page lists the authority role", async () => {
      await page.getByRole("link", { name: /Credentialing authority/ }).click();
    });
    await step(session, "the authority workspace opens", async () => {
      await page.getByTestId("authority-workspace").waitFor();
      await page.getByRole("heading", { name: "Credentials" }).waitFor();
    });
  });
});

test("a wallet on the wrong network is told so and switched (adding the chain) with one click", async () => {
  const wallet = walletFor(NEWCOMER, [{ chainId: 1, name: "Ethereum Mainnet" }]);
  await withBrowser("wrong network", wallet, async (session) => {
    const { page } = session;
    await connect(session, wallet);
    const banner = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Wrong network" }) });
    await step(session, "the wrong network banner shows", async () => {
      await banner.waitFor();
      await banner.getByText("Ethereum Mainnet").waitFor();
      assert.equal(await banner.getByText("chain 1").count(), 0, "the network is named, not numbered");
    });
    await step(session, "one click switches to the CareLedger chain", async () => {
      await banner.getByRole("button", { name: "Switch to CareLedger local chain" }).click();
      await banner.waitFor({ state: "detached" });
      await page.getByRole("region", { name: "Your account" }).getByText("CareLedger local chain").waitFor();
    });
    await step(session, "the wallet was asked to add the chain with its RPC URL", async () => {
      assert.equal(wallet.chainId, stack.chainId);
      const add = wallet.requests.find((r) => r.method === "wallet_addEthereumChain");
      assert.ok(add, "the dApp never called wallet_addEthereumChain");
      assert.equal((add.params[0] as { rpcUrls: string[] }).rpcUrls[0], stack.rpcUrl);
    });
    await step(session, "the roles are read on the right network", async () => {
      await page.getByText("This account is not registered on CareLedger.").waitFor();
    });
  });
});

test("connecting works with the keyboard on a narrow screen", async () => {
  const wallet = walletFor(NEWCOMER, [localChain(stack)]);
  await withBrowser(
    "keyboard narrow screen",
    wallet,
    async (session) => {
      const { page } = session;
      await step(session, "open the connect page", async () => {
        await page.goto(stack.webUrl);
        await page.getByRole("button", { name: `Connect ${wallet.name}` }).waitFor();
      });
      await step(session, "nothing overflows the 360 px viewport", async () => {
        await assertNoSidewaysScroll(page);
      });
      await step(session, "tab to the wallet button and press Enter", async () => {
        for (let i = 0; i < 20; i++) {
          await page.keyboard.press("Tab");
          const focused = await page.evaluate(() => document.activeElement?.textContent ?? "");
          if (focused.includes(`Connect ${wallet.name}`)) break;
        }
        await page.keyboard.press("Enter");
        await page.getByText("Connected as").waitFor();
      });
    },
    { viewport: { width: 360, height: 740 } },
  );
});
