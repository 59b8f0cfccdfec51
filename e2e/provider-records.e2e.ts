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
import {
  assertNoSidewaysScroll,
  connectWallet,
  localChain,
  openWorkspace,
  walletFor,
  withBrowser,
  careLedgerAbi,
} from "./helpers.js";
import { DEMO_PEOPLE } from "../scripts/seed/accounts.js";
import type { TestWallet } from "./wallet.js";
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
      // It starts from the current version, opened with the author's own key.
      await amend.getByLabel("Substance").waitFor({ timeout: 30_000 });
      assert.equal(await amend.getByLabel("Substance").inputValue(), "Penicillin");
      assert.equal(await amend.getByLabel("Reaction (optional)").inputValue(), "Hives");
      assert.equal(await amend.getByLabel("Criticality").inputValue(), "low");
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
    const result = await openRecord(blob, deriveCategoryKey(identity, record.category, record.keyEpoch), {
      chainId: stack.chainId,
      registry: patient.contract("CareRegistry"),
      patient: patient.address,
      author: record.author,
      category: record.category,
      epoch: record.keyEpoch,
    });
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

test("a provider switching patients never writes into the wrong chart, and a reload keeps the patient and the draft", async () => {
  const clinician = await freshActor(stack);
  await clinician.credential("provider");
  const alice = await freshActor(stack);
  const ben = await freshActor(stack);
  for (const patient of [alice, ben]) {
    await registerPatientWithKeys(patient);
    await grantAll(patient, clinician.address, Purpose.Treatment, 3);
  }
  const wallet = clinician.browserWallet();

  await withBrowser("provider switches patients", wallet, async (session) => {
    const { page } = session;
    const form = page.getByRole("form", { name: "Add a record" });
    const find = async (address: string) => {
      await page.getByLabel("Patient address").fill(address);
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await form
        .getByTestId("form-patient")
        .and(page.locator(`[data-patient="${address}"]`))
        .waitFor();
    };
    await connectWallet(session, wallet, stack.webUrl);
    await openWorkspace(session, "Provider");
    await step(session, "find Alice, then Ben, and start an allergy for Ben", async () => {
      await find(alice.address);
      await find(ben.address);
      await form.getByLabel("Record type").selectOption({ label: "Allergy" });
      await form.getByLabel("Substance").fill("Latex");
      await form.getByRole("button", { name: "Encrypt and add record" }).click();
      await form.getByText("Criticality is required.").waitFor();
    });
    await step(session, "back to Alice: her form is empty, names her, and carries no error from Ben's", async () => {
      await find(alice.address);
      assert.equal(await form.getByLabel("Substance").inputValue(), "");
      assert.equal(await form.getByText("Criticality is required.").count(), 0);
    });
    await step(session, "a reload keeps the patient in the URL", async () => {
      assert.match(page.url(), new RegExp(`patient=${alice.address}`));
      await page.reload();
      await form
        .getByTestId("form-patient")
        .and(page.locator(`[data-patient="${alice.address}"]`))
        .waitFor();
      assert.equal(await page.getByLabel("Patient address").inputValue(), alice.address);
    });
    await step(session, "back to Ben: his half-typed allergy is still there, and it goes into his chart", async () => {
      await find(ben.address);
      await form.getByLabel("Substance").waitFor();
      assert.equal(await form.getByLabel("Substance").inputValue(), "Latex");
      await form.getByLabel("Criticality").selectOption({ label: "High" });
      await form.getByRole("button", { name: "Encrypt and add record" }).click();
      await page.getByText(/Record confirmed in block/).waitFor({ timeout: 60_000 });
      // The saved draft is cleared once the receipt is in, a moment after the confirmation shows.
      await page.waitForFunction(
        () =>
          (document.querySelector('form[aria-label="Add a record"] input[name="substance"]') as HTMLInputElement)
            ?.value === "",
        undefined,
        { timeout: 5_000 },
      );
    });
  });

  const added = async (patient: string) =>
    parseEventLogs({
      abi: careLedgerAbi,
      eventName: "RecordAdded",
      logs: await clinician.client.getLogs({ address: clinician.contract("RecordRegistry"), fromBlock: 0n }),
    }).filter((l) => l.args.patient === patient).length;
  assert.equal(await added(ben.address), 1, "Ben's allergy is in Ben's chart");
  assert.equal(await added(alice.address), 0, "nothing was written into Alice's chart");
});

test("a patient's name, from her own encrypted Patient record, reaches only those she granted; never the chain", async () => {
  const ben = walletFor(DEMO_PEOPLE.ben, [localChain(stack)]).address;
  const stranger = await freshActor(stack);
  await stranger.credential("provider");
  /** A provider finds Ben and unlocks its key; the form says whose chart it writes to. */
  const chartLine = async (wallet: TestWallet, who: string, expect: RegExp, declineFirst = false) =>
    withBrowser(`${who} looks Ben up`, wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await openWorkspace(session, "Provider");
      const line = page.getByRole("form", { name: "Add a record" }).getByTestId("form-patient");
      // The records reader's own unlock (the claims card offers one too when a denial is sealed).
      const reader = page.getByRole("region", { name: "Read what consent allows" });
      await step(session, `${who}: before unlocking, the form names Ben's address only`, async () => {
        await page.getByLabel("Patient address").fill(ben);
        await page.getByRole("button", { name: "Find", exact: true }).click();
        await line.getByText(/unlock to see the name/).waitFor();
        assert.doesNotMatch(await line.innerText(), /Ben Carter/);
      });
      await step(session, `${who}: after unlocking, ${expect}`, async () => {
        await page.getByRole("button", { name: "Open and decrypt the records you may read" }).click();
        if (declineFirst) {
          wallet.rejectNext("eth_signTypedData_v4");
          await reader.getByRole("button", { name: "Unlock with my wallet" }).click();
          await page
            .getByText(/declined/)
            .first()
            .waitFor();
          await line.getByText(/unlock to see the name/).waitFor();
        }
        await reader.getByRole("button", { name: "Unlock with my wallet" }).click();
        await line.getByText(expect).waitFor({ timeout: 30_000 });
      });
      await step(session, `${who}: a reload keeps Ben in the URL and asks to unlock again`, async () => {
        await page.reload();
        await line.getByText(/unlock to see the name/).waitFor();
      });
    });

  // His GP holds a live Treatment grant of every clinical category, encounters included.
  await chartLine(walletFor(DEMO_PEOPLE.okafor, [localChain(stack)]), "his GP", /Ben Carter/, true);
  // The lab was granted results only; a credentialed stranger nothing at all.
  await chartLine(walletFor(DEMO_PEOPLE.northside, [localChain(stack)]), "the lab", /name not shared with you/);
  await chartLine(stranger.browserWallet(), "a stranger", /name not shared with you/);

  // Nothing the chain holds carries the name: no calldata, no event data.
  const client = stranger.client;
  const latest = await client.getBlockNumber();
  const needle = Buffer.from("Carter").toString("hex");
  for (let n = 0n; n <= latest; n++) {
    const block = await client.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions)
      assert.ok(!tx.input.includes(needle), `transaction ${tx.hash} carries the name`);
  }
  const logs = await client.getLogs({ fromBlock: 0n, toBlock: latest });
  for (const log of logs) assert.ok(!log.data.includes(needle), `a log of ${log.transactionHash} carries the name`);
});
