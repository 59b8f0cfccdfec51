import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { freshActor } from "./actors.js";
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
      await page.getByLabel("Display name").fill("Nobody");
      await page.getByRole("button", { name: "Grant credential and list" }).click();
      await txStatus.and(page.locator('[data-status="failed"]')).waitFor();
      const text = await txStatus.innerText();
      assert.match(text, /Credential change failed\. 0x0000…0000 cannot be used here\. Enter another address\./);
    });

    await step(session, "declining in the wallet is reported and nothing changes", async () => {
      await lookUp(clinicAddress);
      await credential.getByText("Not credentialed").waitFor();
      const sent = authority.requests.length;
      await page.getByRole("button", { name: "Grant credential and list" }).click();
      await page.getByText("Enter the name patients know this party by.").waitFor();
      assert.equal(authority.requests.length, sent, "an unnamed party is not credentialed");
      await page.getByLabel("Display name").fill("Harbour Street Clinic");
      await page.getByLabel("Kind of party").selectOption({ label: "Practice" });
      await page.getByLabel("Registry identifier (optional)").fill("NPI 1992756541");
      authority.rejectNext("eth_sendTransaction");
      await page.getByRole("button", { name: "Grant credential and list" }).click();
      await txStatus.getByText("You declined the request in your wallet. Nothing was sent.").waitFor();
      await credential.getByText("Not credentialed").waitFor();
    });

    await step(
      session,
      "granting and listing is one transaction: the pending hash, then the confirmation",
      async () => {
        const sent = authority.requests.filter((r) => r.method === "eth_sendTransaction").length;
        await page.getByRole("button", { name: "Grant credential and list" }).click();
        await txStatus.and(page.locator('[data-status="confirmed"]')).waitFor();
        assert.match(await txStatus.innerText(), /Credential change confirmed in block \d+\. 0x[0-9a-f]{64}/);
        await credential.getByText("Active").waitFor();
        assert.equal(authority.requests.filter((r) => r.method === "eth_sendTransaction").length, sent + 1);
        await page.getByTestId("listing").getByText("Harbour Street Clinic").waitFor();
        // Editing starts from the listing as recorded, not from empty fields.
        await page.getByRole("button", { name: "Edit listing" }).click();
        assert.equal(await page.getByLabel("Display name").inputValue(), "Harbour Street Clinic");
        assert.equal(await page.getByLabel("Registry identifier (optional)").inputValue(), "NPI 1992756541");
      },
    );

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
      await session.page.getByRole("heading", { name: "Your provider credential is suspended" }).waitFor();
      await session.page.getByText("Suspension is temporary: ask the authority why").waitFor();
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
      // People appear by name: the listing's name beside the short address.
      assert.match(await rows.first().innerText(), /Harbour Street Clinic \(Practice, 0x/);
      const changes = (await rows.allInnerTexts()).map((text) => text.split("\t").map((cell) => cell.trim()));
      assert.deepEqual(
        changes.map(([, credential, change]) => `${credential} ${change}`),
        ["provider Reinstated", "provider Suspended", "provider Granted"],
      );
      // When, as a date and time a person reads, not a block number.
      await rows.first().locator("time").waitFor();
      for (const [, , , when] of (await rows.allInnerTexts()).map((t) => t.split("\t").map((c) => c.trim()))) {
        assert.match(when, /^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
      }
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

test("revoking a credential for good asks first, and a declined or kept revocation changes nothing", async () => {
  const authority = walletFor(AUTHORITY, [localChain(stack)]);
  const lab = await freshActor(stack);
  await lab.credential("provider");

  await withBrowser("authority revokes a provider for good", authority, async (session) => {
    const { page } = session;
    const credential = page.getByTestId("credential-status");
    const confirm = page.getByRole("alertdialog");
    await connectWallet(session, authority, stack.webUrl);
    await openWorkspace(session, "Authority");
    await step(session, "Revoke for good asks first, naming the account and what it means", async () => {
      await page.getByLabel("Account address").fill(lab.address);
      await page.getByRole("button", { name: "Look up" }).click();
      await credential.getByText("Active").waitFor();
      const sent = authority.requests.length;
      await page.getByRole("button", { name: "Revoke for good" }).click();
      await confirm.getByText("can never be credentialed again").waitFor();
      assert.equal(authority.requests.length, sent, "nothing went to the wallet before the confirmation");
    });
    await step(session, "keeping the credential sends nothing", async () => {
      const sent = authority.requests.length;
      await confirm.getByRole("button", { name: "Keep the credential" }).click();
      await confirm.waitFor({ state: "detached" });
      assert.equal(authority.requests.length, sent);
      await credential.getByText("Active").waitFor();
    });
    await step(session, "declined in the wallet: still active, the question stays beside the failure", async () => {
      await page.getByRole("button", { name: "Revoke for good" }).click();
      authority.rejectNext("eth_sendTransaction");
      await confirm.getByRole("button", { name: "Yes, revoke for good" }).click();
      await page.getByTestId("tx-status").getByText("You declined the request in your wallet.").waitFor();
      await confirm.getByRole("button", { name: "Yes, revoke for good" }).waitFor();
      await credential.getByText("Active").waitFor();
    });
    await step(session, "confirmed: revoked for good", async () => {
      await confirm.getByRole("button", { name: "Yes, revoke for good" }).click();
      await credential.getByText("Revoked for good").waitFor();
      await confirm.waitFor({ state: "detached" });
    });
  });

  const labWallet = lab.browserWallet();
  await withBrowser("revoked provider is told so", labWallet, async (session) => {
    await connectWallet(session, labWallet, stack.webUrl);
    await openWorkspace(session, "Provider");
    await session.page.getByRole("heading", { name: "Your provider credential was revoked" }).waitFor();
  });
});
