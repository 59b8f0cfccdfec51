import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PROVIDER_ROLE, Purpose } from "../sdk/src/protocol/constants.js";
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

const AUTHORITY = 0;
/** Hardhat accounts 10 and 11 are outside the demo world: a clinician and a patient made by this test. */
const CLINICIAN = 10;
const PATIENT = 11;
/** Hardhat account 9 is never registered by any test. */
const NEWCOMER = 9;

test("a provider finds a patient and sees, category by category, what the patient's consent allows", async () => {
  const clinician = walletFor(CLINICIAN, [localChain(stack)]);
  const patient = await actOnChain(stack, PATIENT);

  // Arrange from Node: the clinician is credentialed; the patient registers and lets the clinician read
  // allergies and medications for treatment for 30 days (consent UI is not under test here).
  {
    const authority = await actOnChain(stack, AUTHORITY);
    await authority.send({
      address: authority.address("CareRegistry"),
      abi: careLedgerAbi,
      functionName: "grantCredential",
      args: [PROVIDER_ROLE, clinician.address],
    });
    await patient.registerPatient();
    const now = (await patient.client.getBlock()).timestamp;
    await patient.send({
      address: patient.address("ConsentManager"),
      abi: careLedgerAbi,
      functionName: "grantConsent",
      args: [
        {
          grantee: clinician.address,
          scope: 0b11,
          purpose: Purpose.Treatment,
          access: 1,
          notBefore: 0n,
          expiresAt: now + 30n * 24n * 3600n,
        },
        "0x",
      ],
    });
  }

  await withBrowser("provider reads consent", clinician, async (session) => {
    const { page } = session;
    const find = async (address: string, purpose = "Treatment") => {
      await page.getByLabel("Patient address").fill(address);
      await page.getByLabel("Purpose").selectOption({ label: purpose });
      await page.getByRole("button", { name: "Find", exact: true }).click();
    };
    const row = (category: string) => page.getByRole("row", { name: new RegExp(`^${category}`) });

    await connectWallet(session, clinician, stack.webUrl);
    await step(session, "the provider workspace opens", async () => {
      await openWorkspace(session, "Provider");
      await page.getByRole("heading", { name: "Find a patient" }).waitFor();
    });
    await step(session, "a malformed address is refused", async () => {
      await find("0xabc");
      await page.getByText("This is not an Ethereum address").waitFor();
    });
    await step(session, "an unregistered address is named as such", async () => {
      await find(walletFor(NEWCOMER, [localChain(stack)]).address);
      await page.getByText("This address is not a registered patient.").waitFor();
    });
    await step(session, "the patient's treatment consent shows per category", async () => {
      await find(patient.account.address);
      await page.getByRole("heading", { name: "What this patient allows you" }).waitFor();
      assert.deepEqual(await row("Allergies").getByRole("cell").allInnerTexts(), ["Allowed", "Not allowed"]);
      assert.deepEqual(await row("Medications").getByRole("cell").allInnerTexts(), ["Allowed", "Not allowed"]);
      assert.deepEqual(await row("Conditions").getByRole("cell").allInnerTexts(), ["Not allowed", "Not allowed"]);
      assert.equal(await page.getByText("No consent for this purpose.").count(), 0);
    });
    await step(session, "another purpose shows that nothing is allowed", async () => {
      await find(patient.account.address, "Research");
      await page.getByText("No consent for this purpose.").waitFor();
      assert.deepEqual(await row("Allergies").getByRole("cell").allInnerTexts(), ["Not allowed", "Not allowed"]);
    });
  });
});
