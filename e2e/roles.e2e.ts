import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { toHex } from "viem";
import { walletIdentityOf } from "./actors.js";
import { step } from "./browser.js";
import {
  actOnChain,
  connectWallet,
  localChain,
  openWorkspace,
  walletFor,
  withBrowser,
  careLedgerAbi,
} from "./helpers.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

/** Hardhat accounts 13 and 14 are outside the demo world: a patient and her guardian, made by this test. */
const PATIENT = 13;
const GUARDIAN = 14;
test("a registered patient and the guardian she named each see their role and the patient workspace", async () => {
  const patient = await actOnChain(stack, PATIENT);
  const guardianAddress = walletFor(GUARDIAN, [localChain(stack)]).address;

  // Arrange from Node: the patient registers and names a guardian (the registration UI is not under test here).
  {
    const registry = patient.address("CareRegistry");
    await patient.registerPatient();
    const now = (await patient.client.getBlock()).timestamp;
    await patient.send({
      address: registry,
      abi: careLedgerAbi,
      functionName: "setGuardian",
      args: [guardianAddress, 3, 0n, now + 365n * 24n * 3600n],
    });
  }

  const patientWallet = walletFor(PATIENT, [localChain(stack)]);
  await withBrowser("registered patient", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the start page lists the patient role", async () => {
      const summary = page.getByTestId("role-summary");
      await summary.getByRole("link", { name: /Patient/ }).waitFor();
      assert.equal(await summary.getAttribute("data-roles"), "patient");
    });
    await step(session, "the patient workspace opens with its empty timeline", async () => {
      await openWorkspace(session, "Patient");
      await page.getByTestId("patient-workspace").getByRole("heading", { name: "No records yet" }).waitFor();
      assert.equal(await page.getByRole("heading", { name: "You are a guardian" }).count(), 0);
    });
  });

  const guardianWallet = walletFor(GUARDIAN, [localChain(stack)]);
  await withBrowser("guardian", guardianWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, guardianWallet, stack.webUrl);
    await step(session, "the start page lists the guardian role", async () => {
      const summary = page.getByTestId("role-summary");
      await summary.getByRole("link", { name: /Guardian/ }).waitFor();
      assert.equal(await summary.getAttribute("data-roles"), "guardian");
    });
    await step(session, "the patient workspace shows whom the guardian acts for", async () => {
      await openWorkspace(session, "Patient");
      const card = page.getByRole("region", { name: "You are a guardian" });
      await card.waitFor();
      const entry = card.getByTestId("guardianship");
      assert.equal(await entry.count(), 1);
      assert.equal(await entry.locator("code").getAttribute("title"), patient.account.address);
      assert.match(await entry.innerText(), /May manage consent and emergency summary, until /);
      assert.equal(await page.getByRole("heading", { name: "No records yet" }).count(), 0);
    });
  });
});

/** Hardhat account 15 is outside the demo world: a newcomer who registers from the browser. */
const NEW_PATIENT = 15;

test("a newcomer registers as a patient with the wallet fallback: two identical signatures, the key derived in the browser, one transaction", async () => {
  const wallet = walletFor(NEW_PATIENT, [localChain(stack)]);
  await withBrowser("patient registers", wallet, async (session) => {
    const { page } = session;
    const register = page.getByRole("button", { name: "Register with a wallet signature" });
    await connectWallet(session, wallet, stack.webUrl);
    await step(session, "the patient workspace explains registration", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("heading", { name: "This account is not registered as a patient" }).waitFor();
      const fallback = page.getByRole("group", { name: "No passkey support? Use a wallet signature instead" });
      await fallback.getByText("twice").waitFor();
      assert.match(await fallback.getByTestId("wallet-key-warning").innerText(), /can be phished/);
    });
    await step(session, "declining the signature stops registration and says so", async () => {
      wallet.rejectNext("eth_signTypedData_v4");
      await register.click();
      await page.getByRole("alert").getByText("You declined the request in your wallet.").waitFor();
      assert.equal(wallet.requests.filter((r) => r.method === "eth_sendTransaction").length, 0);
    });
    await step(session, "registering signs twice, sends one transaction and opens the workspace", async () => {
      const before = wallet.requests.length;
      await register.click();
      await page.getByTestId("patient-workspace").getByRole("heading", { name: "No records yet" }).waitFor();
      const asked = wallet.requests.slice(before).map((r) => r.method);
      assert.equal(asked.filter((m) => m === "eth_signTypedData_v4").length, 2);
      assert.equal(asked.filter((m) => m === "eth_sendTransaction").length, 1);
      const typedData = JSON.parse(
        wallet.requests.slice(before).find((r) => r.method === "eth_signTypedData_v4")!.params[1] as string,
      ) as { primaryType: string; message: { warning: string } };
      assert.equal(typedData.primaryType, "CareLedgerIdentityKey");
      assert.match(typedData.message.warning, /./);
    });
    await step(session, "the key on chain is the one this wallet's signature derives", async () => {
      const expected = toHex((await walletIdentityOf(stack, wallet.account)).publicKey);
      const chain = await actOnChain(stack, NEW_PATIENT);
      const [key, version] = await chain.client.readContract({
        address: chain.address("CareRegistry"),
        abi: careLedgerAbi,
        functionName: "encryptionKey",
        args: [wallet.address],
      });
      assert.equal(key, expected);
      assert.equal(version, 1);
    });
  });
});
