import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildAllergyIntolerance } from "../sdk/src/fhir/builders.js";
import { step } from "./browser.js";
import { connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { addRecordAs, newActor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

test("a tab left alone for 15 minutes drops the unlocked key and the decrypted records", async () => {
  const patient = await newActor(stack);
  await patient.registerAsPatient();
  const ctx = { patient: { reference: `Patient/${patient.address}` } };
  await addRecordAs(stack, patient, patient.address, {
    kind: "fhir",
    resource: buildAllergyIntolerance(ctx, "peanut"),
  });
  const wallet = patient.browserWallet();

  await withBrowser("idle lock", wallet, async (session) => {
    const { page } = session;
    // The page's clock is under the test's control (it keeps running until fast-forwarded).
    await page.clock.install();
    await connectWallet(session, wallet, stack.webUrl);
    await step(session, "the patient unlocks and reads the record", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Unlock with my wallet" }).click({ timeout: 30_000 });
      await page.getByText("1 of 1 records decrypted in this browser.").waitFor({ timeout: 30_000 });
      await page.getByRole("heading", { name: "Allergy: Allergy to peanut" }).waitFor();
    });
    await step(session, "activity keeps it unlocked", async () => {
      await page.clock.fastForward("10:00");
      await page.keyboard.press("Shift");
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
      await page.clock.fastForward("10:00");
      await page.waitForTimeout(500);
      assert.equal(await page.getByTestId("idle-lock").count(), 0, "locked despite activity");
      assert.ok(await page.getByRole("heading", { name: "Allergy: Allergy to peanut" }).isVisible());
    });
    await step(session, "15 minutes without activity: key and decrypted records are gone", async () => {
      await page.clock.fastForward("15:30");
      await page.getByTestId("idle-lock").waitFor({ timeout: 30_000 });
      await page.getByRole("heading", { name: "Allergy: Allergy to peanut" }).waitFor({ state: "detached" });
      assert.equal(await page.getByText("1 of 1 records decrypted in this browser.").count(), 0);
      // Reading again takes the wallet signature.
      await page.getByRole("button", { name: "Unlock with my wallet" }).first().waitFor();
    });
  });
});
