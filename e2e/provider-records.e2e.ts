import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { CID } from "multiformats/cid";
import { fromHex, parseEventLogs, type Hex } from "viem";
import { deriveCategoryKey } from "../sdk/src/crypto/categoryKeys.js";
import { openRecord } from "../sdk/src/crypto/container.js";
import { demoPdf } from "../sdk/src/fhir/builders.js";
import { Category, Purpose } from "../sdk/src/protocol/constants.js";
import { commitmentOf } from "../sdk/src/storage/blobStore.js";
import { freshActor, grantAll, registerPatientWithKeys } from "./actors.js";
import { step } from "./browser.js";
import { assertNoSidewaysScroll, connectWallet, openWorkspace, withBrowser, careLedgerAbi } from "./helpers.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

test("a provider adds a FHIR record through the form and a PDF by upload, encrypted in the browser, and amends a record", async () => {
  const clinician = await freshActor(stack);
  await clinician.credential("provider");
  const patient = await freshActor(stack);
  const identity = await registerPatientWithKeys(patient);
  await grantAll(patient, clinician.address, Purpose.Treatment, 3);
  const wallet = clinician.browserWallet();
  const pdf = demoPdf("CareLedger e2e discharge summary");

  await withBrowser("provider adds records", wallet, async (session) => {
    const { page } = session;
    const rows = (category: string) => page.getByTestId("record-row").filter({ hasText: category });
    await connectWallet(session, wallet, stack.webUrl);
    await step(session, "find the patient and see write consent", async () => {
      await openWorkspace(session, "Provider");
      await page.getByLabel("Patient address").fill(patient.address);
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await page.getByRole("heading", { name: "What this patient allows you" }).waitFor();
      await page.getByRole("heading", { name: "Records on chain" }).waitFor();
      await page.getByText("No records yet.").waitFor();
    });
    await step(session, "an incomplete allergy is refused, naming the field", async () => {
      await page.getByLabel("Record type").selectOption({ label: "Allergy" });
      await page.getByRole("button", { name: "Encrypt and add record" }).click();
      await page.getByText("Substance is required.").waitFor();
    });
    await step(session, "the allergy is encrypted, uploaded and added", async () => {
      await page.getByLabel("Substance").fill("Penicillin");
      await page.getByLabel("Reaction (optional)").fill("Hives");
      await page.getByLabel("Criticality").selectOption({ label: "Low" });
      await page.getByRole("button", { name: "Encrypt and add record" }).click();
      await page.getByText(/Record confirmed in block/).waitFor({ timeout: 60_000 });
      await rows("Allergies").first().waitFor();
    });
    await step(session, "a lab value with a malformed unit is refused, then added in UCUM", async () => {
      await page.getByLabel("Record type").selectOption({ label: "Lab result" });
      await page.getByLabel("Test", { exact: true }).fill("Hemoglobin A1c");
      await page.getByLabel("Value").fill("6.8");
      await page.getByLabel("Unit (UCUM)").fill("mg per dL");
      await page.getByLabel("Date taken").fill(new Date().toISOString().slice(0, 10));
      await page.getByRole("button", { name: "Encrypt and add record" }).click();
      await page.getByText("Use a UCUM unit code without spaces").waitFor();
      await page.getByLabel("Unit (UCUM)").fill("%");
      await page.getByRole("button", { name: "Encrypt and add record" }).click();
      await page.getByText(/Record confirmed in block/).waitFor({ timeout: 60_000 });
      await rows("Observations").first().waitFor();
    });
    await step(session, "a PDF is encrypted in the browser and uploaded with progress", async () => {
      await page.getByRole("button", { name: "Upload PDF or image" }).click();
      await page
        .getByLabel("Documents", { exact: true })
        .setInputFiles({ name: "discharge.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
      await page.getByText("discharge.pdf").waitFor();
      await page.getByRole("button", { name: "Encrypt and upload" }).click();
      await page.getByText(/Documents confirmed in block/).waitFor({ timeout: 60_000 });
      await rows("Documents").first().waitFor();
      assert.equal(await page.getByTestId("record-row").count(), 3);
    });
    await step(session, "the allergy is amended: the new version supersedes the old", async () => {
      await rows("Allergies").getByRole("button", { name: /Amend/ }).click();
      await page.getByRole("heading", { name: /Amend record/ }).waitFor();
      const amend = page.getByRole("form", { name: "Amend record" });
      await amend.getByLabel("Substance").fill("Amoxicillin");
      await amend.getByLabel("Criticality").selectOption({ label: "High" });
      await amend.getByRole("button", { name: "Save new version" }).click();
      await page.getByText(/Amendment confirmed in block/).waitFor({ timeout: 60_000 });
      await rows("superseded").first().waitFor();
      await rows("amended").first().waitFor();
      assert.equal(await page.getByTestId("record-row").count(), 4);
    });
    await step(session, "on a 360 px screen the workspace does not scroll sideways", async () => {
      await page.setViewportSize({ width: 360, height: 800 });
      await page.getByRole("heading", { name: "Add a record" }).waitFor();
      await assertNoSidewaysScroll(page);
    });
  });

  // What the store holds verifies against the on-chain commitment and opens with the patient's keys only.
  const logs = parseEventLogs({
    abi: careLedgerAbi,
    eventName: "RecordAdded",
    logs: await patient.client.getLogs({ address: patient.contract("RecordRegistry"), fromBlock: 0n }),
  }).filter((l) => l.args.patient === patient.address);
  assert.equal(logs.length, 4);
  const opened: { category: number; contentType: string; body: Uint8Array }[] = [];
  for (const log of logs) {
    const record = await patient.client.readContract({
      address: patient.contract("RecordRegistry"),
      abi: careLedgerAbi,
      functionName: "record",
      args: [log.args.recordId],
    });
    assert.equal(record.author, clinician.address);
    const cid = CID.decode(fromHex(log.args.cid as Hex, "bytes")).toString();
    const response = await fetch(`${stack.webUrl}/api/blobs/${cid}`);
    assert.equal(response.status, 200);
    const blob = new Uint8Array(await response.arrayBuffer());
    assert.equal(await commitmentOf(blob), record.commitment, "the stored blob verifies against its commitment");
    assert.ok(!Buffer.from(blob).includes(Buffer.from("Penicillin")), "the store holds ciphertext only");
    const result = await openRecord(blob, deriveCategoryKey(identity, record.category, record.keyEpoch));
    opened.push({ category: record.category, contentType: result.meta.contentType, body: result.bytes });
  }
  const text = (c: number) => opened.filter((o) => o.category === c).map((o) => new TextDecoder().decode(o.body));
  assert.ok(text(Category.Allergies).some((t) => t.includes("Penicillin")));
  assert.ok(text(Category.Allergies).some((t) => t.includes("Amoxicillin")));
  assert.ok(text(Category.Observations)[0].includes('"code":"%"'));
  const doc = opened.find((o) => o.category === Category.Documents)!;
  assert.equal(doc.contentType, "application/pdf");
  assert.deepEqual(Buffer.from(doc.body), Buffer.from(pdf));
});
