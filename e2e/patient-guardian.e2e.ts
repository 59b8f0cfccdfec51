import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildAllergyIntolerance, buildImmunization, buildMedicationStatement } from "../sdk/src/fhir/builders.js";
import { Category } from "../sdk/src/protocol/constants.js";
import { step } from "./browser.js";
import { assertNoSidewaysScroll, connectWallet, openWorkspace, withBrowser, careLedgerAbi } from "./helpers.js";
import { addRecordAs, newActor, sealForPatient } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const NARROW = { width: 360, height: 740 };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("on a 360 px screen, a patient names a guardian and pre-shares the emergency summary; the guardian acts for the patient", async () => {
  const [patient, guardian] = await Promise.all([newActor(stack), newActor(stack)]);
  await patient.registerAsPatient();
  await guardian.publishEncryptionKey();
  const ctx = { patient: { reference: `Patient/${patient.address}` } };
  await addRecordAs(stack, patient, patient.address, {
    kind: "fhir",
    resource: buildAllergyIntolerance(ctx, "penicillin"),
  });
  await addRecordAs(stack, patient, patient.address, {
    kind: "fhir",
    resource: buildMedicationStatement(ctx, "metformin"),
  });
  // An amendment of the allergy (a new version), and a pointer whose commitment does not match its blob.
  const [allergyId] = await patient.client.readContract({
    address: patient.contract("RecordRegistry"),
    abi: careLedgerAbi,
    functionName: "recordIds",
    args: [patient.address, Category.Allergies, 0n, 1n],
  });
  const amended = { ...buildAllergyIntolerance(ctx, "penicillin"), criticality: "high" as const };
  const v2 = await sealForPatient(stack, patient, patient.address, { kind: "fhir", resource: amended });
  await patient.send({
    address: patient.contract("RecordRegistry"),
    functionName: "amendRecord",
    args: [allergyId, v2.cid, v2.commitment, v2.keyEpoch],
  });
  const bogus = await sealForPatient(stack, patient, patient.address, {
    kind: "fhir",
    resource: buildImmunization(ctx),
  });
  await patient.send({
    address: patient.contract("RecordRegistry"),
    functionName: "addRecord",
    args: [patient.address, bogus.category, bogus.cid, `0x${"11".repeat(32)}`, bogus.keyEpoch],
  });

  const patientWallet = patient.browserWallet();
  await withBrowser(
    "patient names a guardian",
    patientWallet,
    async (session) => {
      const { page } = session;
      await connectWallet(session, patientWallet, stack.webUrl);
      await step(session, "the patient unlocks and sees the records without horizontal scrolling", async () => {
        await openWorkspace(session, "Patient");
        await page.getByRole("button", { name: "Unlock with my wallet" }).click();
        await page.getByText("3 of 4 records decrypted in this browser.").waitFor({ timeout: 30_000 });
        await page.getByText("Metformin", { exact: false }).first().waitFor();
        // The amended allergy shows its versions; the bad pointer names its CID and shows nothing else.
        await page.getByText("Earlier versions (1)").waitFor();
        await page.getByText("version 2 (amended)").waitFor();
        await page.getByText(/Integrity check failed for bafk/).waitFor();
        await assertNoSidewaysScroll(page, 1);
      });
      await step(session, "the patient names a guardian", async () => {
        await page.getByRole("tab", { name: "Guardians" }).click();
        await page.getByLabel("Guardian address").fill(guardian.address);
        await page.getByLabel("Guardian until").fill(inDays(90));
        await page.getByRole("button", { name: "Name guardian" }).click();
        await page.getByText("Guardian change confirmed").waitFor({ timeout: 60_000 });
        await page.getByTestId("guardian").waitFor();
      });
      await step(session, "the patient pre-shares the emergency summary with the guardian", async () => {
        await page.getByRole("tab", { name: "Emergency" }).click();
        await page.getByText("Emergency access is").waitFor();
        await page.getByLabel("Grantee", { exact: true }).fill(guardian.address);
        await page.getByLabel("Access until").fill(inDays(90));
        await page.getByRole("button", { name: "Grant access" }).click();
        await page.getByText("Consent grant confirmed").waitFor({ timeout: 60_000 });
      });
    },
    { viewport: NARROW },
  );

  const guardianWallet = guardian.browserWallet();
  await withBrowser(
    "guardian acts for the patient",
    guardianWallet,
    async (session) => {
      const { page } = session;
      await connectWallet(session, guardianWallet, stack.webUrl);
      await step(session, "the guardian opens the patient's dashboard, marked as acting for them", async () => {
        await openWorkspace(session, "Patient");
        await page.getByRole("heading", { name: "You are a guardian" }).waitFor({ timeout: 30_000 });
        await page.getByRole("button", { name: "Act for this patient" }).click();
        await page.getByTestId("acting-for").waitFor();
        assert.match(await page.getByTestId("acting-for").innerText(), /Acting for patient/);
      });
      await step(session, "the guardian reads the pre-shared emergency summary", async () => {
        await page.getByRole("button", { name: "Unlock with my wallet" }).click();
        await page.getByText("3 of 4 records decrypted in this browser.").waitFor({ timeout: 30_000 });
        await page.getByRole("heading", { name: "Allergy: Allergy to penicillin" }).first().waitFor();
      });
      await step(session, "the guardian sees the patient's consents, including the emergency grant", async () => {
        await page.getByRole("tab", { name: "Consents" }).click();
        await page.getByTestId("grant").filter({ hasText: "Emergency" }).waitFor();
        assert.equal(await page.getByRole("tab", { name: "Guardians" }).count(), 0);
        // Spoken about the patient, not to the guardian as if the records were theirs.
        await page.getByRole("heading", { name: "Who may see this patient's records" }).waitFor();
        assert.equal(await page.getByText("your records").count(), 0);
      });
      await step(session, "the chosen consent filter reads as chosen", async () => {
        const current = page.getByRole("button", { name: "Active and expiring" });
        const ended = page.getByRole("button", { name: "Revoked and expired" });
        const background = (l: typeof current) => l.evaluate((el) => getComputedStyle(el).backgroundColor);
        assert.notEqual(await background(current), await background(ended), "the pressed filter looks pressed");
        await ended.click();
        assert.equal(await ended.getAttribute("aria-pressed"), "true");
        assert.notEqual(await background(ended), await background(current));
      });
      await step(session, "the audit trail speaks about the patient", async () => {
        await page.getByRole("tab", { name: "Audit trail" }).click();
        await page.getByText("Everything that touched access to this patient's records").waitFor({ timeout: 30_000 });
      });
    },
    { viewport: NARROW },
  );
});
