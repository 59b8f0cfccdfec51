import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { step } from "./browser.js";
import { connectWallet, localChain, openWorkspace, walletFor, withBrowser } from "./helpers.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const AUTHORITY = 0;
/** Hardhat account 12 is outside the demo world: a clinic being onboarded by this test only. */
const NEW_CLINIC = 12;

test("the authority credentials, suspends and reinstates a provider, seeing every transaction's life", async () => {
  // One wallet per browser: a wallet remembers the sites it authorised, as MetaMask does.
  const authority = walletFor(AUTHORITY, [localChain(stack)]);
  const clinicAddress = walletFor(NEW_CLINIC, [localChain(stack)]).address;

  await withBrowser("authority credentials a provider", authority, async (session) => {
    const { page } = session;
    const lookUp = async (address: string) => {
      await page.getByLabel("Account address").fill(address);
      await page
        .getByLabel("Credential", { exact: true })
        .selectOption({ label: "Provider (clinician, hospital, lab)" });
      await page.getByRole("button", { name: "Look up" }).click();
    };
    const txStatus = page.getByTestId("tx-status");
    const credential = page.getByTestId("credential-status");

    await connectWallet(session, authority, stack.webUrl);
    await step(session, "open the authority workspace", async () => {
      await openWorkspace(session, "Authority");
      await page.getByRole("heading", { name: "Credentials" }).waitFor();
    });

    await step(session, "a malformed address is refused before anything is sent", async () => {
      const sent = authority.requests.length;
      await lookUp("0x1234");
      await page.getByText("This is not an Ethereum address").waitFor();
      assert.equal(authority.requests.length, sent, "the wallet was asked for something");
    });

    await step(session, "the contract's custom error is explained in plain language", async () => {
      await lookUp("0x0000000000000000000000000000000000000000");
      await credential.getByText("Not credentialed").waitFor();
      await page.getByRole("button", { name: "Grant credential" }).click();
      await txStatus.and(page.locator('[data-status="failed"]')).waitFor();
      const text = await txStatus.innerText();
      assert.match(text, /Credential change failed\. 0x0000…0000 cannot be used here\. Enter another address\./);
    });

    await step(session, "declining in the wallet is reported and nothing changes", async () => {
      await lookUp(clinicAddress);
      await credential.getByText("Not credentialed").waitFor();
      authority.rejectNext("eth_sendTransaction");
      await page.getByRole("button", { name: "Grant credential" }).click();
      await txStatus.getByText("You declined the request in your wallet. Nothing was sent.").waitFor();
      await credential.getByText("Not credentialed").waitFor();
    });

    await step(session, "granting shows the pending hash, then the confirmation", async () => {
      await page.getByRole("button", { name: "Grant credential" }).click();
      await txStatus.and(page.locator('[data-status="confirmed"]')).waitFor();
      assert.match(await txStatus.innerText(), /Credential change confirmed in block \d+\. 0x[0-9a-f]{64}/);
      await credential.getByText("Active").waitFor();
    });

    await step(session, "suspending takes effect", async () => {
      await page.getByRole("button", { name: "Suspend" }).click();
      await credential.getByText("Suspended").waitFor();
      await page.getByRole("button", { name: "Reinstate" }).waitFor();
    });
  });

  const clinic = walletFor(NEW_CLINIC, [localChain(stack)]);
  await withBrowser("suspended provider is locked out", clinic, async (session) => {
    await connectWallet(session, clinic, stack.webUrl);
    await step(session, "the suspended provider cannot open the provider workspace", async () => {
      await openWorkspace(session, "Provider");
      await session.page.getByRole("heading", { name: "This account is not a credentialed provider" }).waitFor();
    });
  });

  const authorityAgain = walletFor(AUTHORITY, [localChain(stack)]);
  await withBrowser("authority reinstates the provider", authorityAgain, async (session) => {
    const { page } = session;
    await connectWallet(session, authorityAgain, stack.webUrl);
    await step(session, "reinstate the provider", async () => {
      await openWorkspace(session, "Authority");
      await page.getByLabel("Account address").fill(clinicAddress);
      await page.getByRole("button", { name: "Look up" }).click();
      await page.getByRole("button", { name: "Reinstate" }).click();
      await page.getByTestId("credential-status").getByText("Active").waitFor();
    });
    await step(session, "the credential history lists every change, newest first", async () => {
      const rows = page
        .getByTestId("credential-history")
        .locator("tbody tr")
        .filter({
          has: page.locator(`code[title="${clinicAddress}"]`),
        });
      await rows.getByText("Reinstated").waitFor();
      const changes = (await rows.allInnerTexts()).map((text) => text.split("\t").map((cell) => cell.trim()));
      assert.deepEqual(
        changes.map(([, credential, change]) => `${credential} ${change}`),
        ["provider Reinstated", "provider Suspended", "provider Granted"],
      );
    });
  });

  const clinicAgain = walletFor(NEW_CLINIC, [localChain(stack)]);
  await withBrowser("reinstated provider gets in", clinicAgain, async (session) => {
    await connectWallet(session, clinicAgain, stack.webUrl);
    await step(session, "the start page lists the provider role", async () => {
      await session.page
        .getByRole("link", { name: /Provider/ })
        .filter({ hasText: "Add and read records" })
        .click();
      await session.page.getByTestId("provider-workspace").waitFor();
    });
  });
});
