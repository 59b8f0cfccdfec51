import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DEMO_PEOPLE } from "../scripts/seed/accounts.js";
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

test("a patient keeps her name in her own encrypted record, and her GP then sees the new name", async () => {
  const aliceWallet = walletFor(DEMO_PEOPLE.alice, [localChain(stack)]);
  const alice = aliceWallet.address;
  await withBrowser("patient changes her name", aliceWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, aliceWallet, stack.webUrl);
    await openWorkspace(session, "Patient");
    const card = page.getByRole("region", { name: "Your name" });
    await step(session, "after unlocking she reads the name her grantees see", async () => {
      await card.getByText("Unlock above to see the name in your records.").waitFor();
      await page.getByRole("button", { name: "Unlock with my wallet" }).first().click();
      await card.getByText(/see you as Alice Moreau/).waitFor({ timeout: 30_000 });
    });
    await step(session, "an empty name is refused before the wallet opens", async () => {
      const sent = aliceWallet.requests.filter((r) => r.method === "eth_sendTransaction").length;
      await card.getByRole("button", { name: "Change my name" }).click();
      await card.getByRole("button", { name: "Save my name" }).click();
      await card.getByText("Your given name is required.").waitFor();
      await card.getByText("Your family name is required.").waitFor();
      assert.equal(aliceWallet.requests.filter((r) => r.method === "eth_sendTransaction").length, sent);
    });
    await step(session, "declining the transaction changes nothing", async () => {
      await card.getByLabel("Given name").fill("Alice Marie");
      await card.getByLabel("Family name").fill("Moreau");
      aliceWallet.rejectNext("eth_sendTransaction");
      await card.getByRole("button", { name: "Save my name" }).click();
      await card.getByText("You declined the request in your wallet. Nothing was sent.").waitFor({ timeout: 30_000 });
      await card.getByText(/see you as Alice Moreau\./).waitFor();
    });
    await step(session, "saved, the new name is what her grantees see, and it survives a reload", async () => {
      await card.getByRole("button", { name: "Save my name" }).click();
      await card.getByText(/Your name confirmed in block/).waitFor({ timeout: 60_000 });
      await card.getByText(/see you as Alice Marie Moreau/).waitFor({ timeout: 30_000 });
      await page.reload();
      await page.getByRole("button", { name: "Unlock with my wallet" }).first().click();
      await card.getByText(/see you as Alice Marie Moreau/).waitFor({ timeout: 30_000 });
    });
  });

  const gp = walletFor(DEMO_PEOPLE.okafor, [localChain(stack)]);
  await withBrowser("her GP reads the new name", gp, async (session) => {
    const { page } = session;
    await connectWallet(session, gp, stack.webUrl);
    await openWorkspace(session, "Provider");
    // The records reader's own unlock (a claims card further down may offer one too).
    const reader = page.getByRole("region", { name: "Read what consent allows" });
    await step(session, "the GP's forms name her by her new name", async () => {
      await page.getByLabel("Patient address").fill(alice);
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await page.getByRole("button", { name: "Open and decrypt the records you may read" }).click();
      await reader.getByRole("button", { name: "Unlock with my wallet" }).click();
      await page
        .getByRole("form", { name: "Add a record" })
        .getByTestId("form-patient")
        .getByText("Alice Marie Moreau")
        .waitFor({ timeout: 30_000 });
    });
  });
});
