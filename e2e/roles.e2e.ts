import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { keccak256, parseAbi, toBytes } from "viem";
import { step } from "./browser.js";
import { actOnChain, connectWallet, localChain, openWorkspace, walletFor, withBrowser } from "./helpers.js";
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
const registryAbi = parseAbi([
  "function registerPatient(bytes32 encryptionKey)",
  "function setGuardian(address guardian, uint8 rights, uint64 validFrom, uint64 validUntil)",
]);

test("a registered patient and the guardian she named each see their role and the patient workspace", async () => {
  const patient = await actOnChain(stack, PATIENT);
  const guardianAddress = walletFor(GUARDIAN, [localChain(stack)]).address;

  // Arrange from Node: the patient registers and names a guardian (the registration UI is not under test here).
  {
    const registry = patient.address("CareRegistry");
    // Any 32 bytes stand in for the X25519 identity key here: this test is about roles, not keys.
    await patient.send({
      address: registry,
      abi: registryAbi,
      functionName: "registerPatient",
      args: [keccak256(toBytes(`identity key of ${patient.account.address}`))],
    });
    const now = (await patient.client.getBlock()).timestamp;
    await patient.send({
      address: registry,
      abi: registryAbi,
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
