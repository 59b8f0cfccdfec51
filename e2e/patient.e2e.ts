import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { buildAllergyIntolerance, buildObservation, demoPdf } from "../sdk/src/fhir/builders.js";
import { Category } from "../sdk/src/protocol/constants.js";
import { step, type Session } from "./browser.js";
import { connectWallet, openWorkspace, withBrowser, careLedgerAbi } from "./helpers.js";
import { addRecordAs, newActor, type Actor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** From a fresh page: unlock, open Consents, sign (gasless) a 30-day research grant of one category; the payload. */
async function signResearchGrant(session: Session, grantee: string, category: string): Promise<string> {
  const { page } = session;
  await openWorkspace(session, "Patient");
  await page.getByRole("button", { name: "Unlock with my wallet" }).click();
  await page.getByRole("tab", { name: "Consents" }).click();
  await page.getByLabel("Grantee", { exact: true }).first().fill(grantee);
  await page.getByRole("checkbox", { name: category }).check();
  await page.getByLabel("Purpose").selectOption({ label: "Research" });
  await page.getByLabel("Access until").first().fill(inDays(30));
  await page.getByRole("button", { name: "Sign only (gasless)" }).click();
  await page.getByText("Signed consent ready.").waitFor({ timeout: 30_000 });
  return page.getByTestId("signed-grant").inputValue();
}

test("a patient registers, reads records decrypted, shares and revokes access, signs a gasless grant and sees break-glass", async () => {
  // Fresh actors: the patient (browser), two credentialed providers, a relayer with no role.
  const [patient, author, reader, relayer] = await Promise.all([
    newActor(stack),
    newActor(stack),
    newActor(stack),
    newActor(stack),
  ]);
  await author.credentialAsProvider();
  await reader.credentialAsProvider("Lakeside Imaging");
  await Promise.all([author.publishEncryptionKey(), reader.publishEncryptionKey()]);
  // A new TestWallet per browser: a wallet remembers the sites it authorised.
  let patientWallet = patient.browserWallet();
  const ctx = { patient: { reference: `Patient/${patient.address}` } };

  await withBrowser("patient story", patientWallet, async (session) => {
    const { page } = session;
    const tab = (name: string) => page.getByRole("tab", { name }).click();
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(
      session,
      "the patient registers with a key derived from the wallet signature (the fallback)",
      async () => {
        await openWorkspace(session, "Patient");
        await page.getByRole("button", { name: "Register with a wallet signature" }).click();
        // Registered: the workspace replaces the registration card, the key is already in memory.
        await page.getByTestId("patient-workspace").waitFor({ timeout: 60_000 });
      },
    );
    await step(session, "the patient publishes the record keys", async () => {
      await page.getByRole("button", { name: "Publish my record keys" }).click({ timeout: 30_000 });
      await page.getByText("Key publication confirmed").waitFor({ timeout: 60_000 });
      // The confirmation stays (it used to vanish with its card) until the patient dismisses it.
      const done = page.getByRole("heading", { name: "Your record keys are published" });
      await done.waitFor();
      await page.waitForTimeout(1_500);
      assert.ok(await done.isVisible(), "the confirmation is still shown");
      await page.getByRole("button", { name: "Dismiss" }).click();
      await done.waitFor({ state: "detached" });
    });

    // A provider the patient allowed to write adds an allergy, a lab result and a PDF (from Node: the provider UI is not under test).
    await patient.allowWriting(
      author.address,
      (1 << Category.Allergies) | (1 << Category.Observations) | (1 << Category.Documents),
    );
    await addRecordAs(stack, author, patient.address, {
      kind: "fhir",
      resource: buildAllergyIntolerance(ctx, "peanut"),
    });
    await addRecordAs(stack, author, patient.address, { kind: "fhir", resource: buildObservation(ctx, "hba1c") });
    await addRecordAs(
      stack,
      author,
      patient.address,
      {
        kind: "attachment",
        contentType: "application/pdf",
        fileName: "Discharge summary.pdf",
        bytes: demoPdf("Discharge summary"),
      },
      Category.Documents,
    );

    await step(
      session,
      "the patient sees the records decrypted: allergy, lab value with unit, PDF preview",
      async () => {
        await page.reload();
        // A new session: the key is not stored anywhere, the wallet signature recreates it.
        await page.getByRole("button", { name: "Unlock with my wallet" }).click({ timeout: 30_000 });
        await page.getByText("3 of 3 records decrypted in this browser.").waitFor({ timeout: 30_000 });
        await page.getByRole("heading", { name: "Allergy: Allergy to peanut" }).waitFor();
        await page.getByText("Anaphylaxis").waitFor();
        await page.getByText("6.8 %").waitFor();
        await page.getByText("4 % – 5.6 %").waitFor();
        await page.locator('iframe[title="PDF preview: Discharge summary.pdf"]').waitFor();
        const src = await page.locator('iframe[title="PDF preview: Discharge summary.pdf"]').getAttribute("src");
        assert.match(src ?? "", /^blob:/);
        const download = page.getByRole("link", { name: "Download PDF" });
        assert.equal(await download.getAttribute("download"), "Discharge summary.pdf", "named once, not .pdf.pdf");
      },
    );

    await step(session, "the patient grants the second provider read access to allergies until a date", async () => {
      await tab("Consents");
      // The relayer's tool is not in the patient's way: it lives on the Shared records page.
      assert.equal(await page.getByRole("button", { name: "Submit signed consent" }).count(), 0);
      // Chosen by name from the directory: a name that is not listed is refused, naming what to do.
      await page.getByLabel("Grantee", { exact: true }).first().fill("Lakeside Imagin");
      await page.getByRole("checkbox", { name: "Allergies" }).check();
      await page.getByLabel("Access until").first().fill(inDays(60));
      await page.getByRole("button", { name: "Grant access" }).first().click();
      await page.getByText("No credentialed party is listed as “Lakeside Imagin”").waitFor();
      await page.getByLabel("Grantee", { exact: true }).first().fill("lakeside imaging");
      await page.getByTestId("grantee-chosen").first().getByText("Lakeside Imaging").waitFor();
      await page.getByLabel("Access until").first().fill(inDays(60));
      await page.getByRole("button", { name: "Grant access" }).first().click();
      await page.getByText("Consent grant confirmed").waitFor({ timeout: 60_000 });
      // The reader's grant, not the writing provider's (which also covers allergies).
      // People appear by name: the grantee's directory listing, beside its short address.
      await page
        .getByTestId("grant")
        .filter({ hasText: "Lakeside Imaging" })
        .filter({ hasText: reader.address.slice(0, 6) })
        .filter({ hasText: "Read: Allergies." })
        .filter({ hasText: "Active" })
        .waitFor();
    });
  });

  const readAsProvider = async (name: string, check: (page: import("playwright-core").Page) => Promise<void>) => {
    const readerWallet = reader.browserWallet();
    return withBrowser(name, readerWallet, async (session) => {
      const { page } = session;
      await connectWallet(session, readerWallet, stack.webUrl);
      await step(session, "the provider unlocks its key and opens the patient's records", async () => {
        await page.goto(`${stack.webUrl}/records`);
        await page.getByRole("button", { name: "Unlock with my wallet" }).click();
        await page.getByLabel("Patient address").fill(patient.address);
        await page.getByRole("button", { name: "Open records" }).click();
        await page.getByTestId("record-timeline").waitFor({ timeout: 30_000 });
      });
      await step(session, "what the provider sees", () => check(page));
    });
  };

  await readAsProvider("second provider reads under consent", async (page) => {
    await page.getByText(/of 3 records decrypted/).waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: "Allergy: Allergy to peanut" }).waitFor();
    await page.getByText("Anaphylaxis").waitFor();
    // Lab results and documents were not shared: locked, never shown.
    assert.equal(await page.getByText("6.8 %").count(), 0);
    await page.getByRole("heading", { name: "Observations (labs, vitals) record (locked)" }).waitFor();
  });

  patientWallet = patient.browserWallet();
  await withBrowser("patient revokes", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the patient unlocks in a new session and revokes the second provider", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Unlock with my wallet" }).click();
      await page.getByRole("tab", { name: "Consents" }).click();
      const grant = page.getByTestId("grant").filter({ hasText: "Allergies" }).filter({ hasText: "Read:" });
      await grant.getByRole("button", { name: "Revoke…" }).click();
      await page.getByText("What this account already downloaded and decrypted cannot be taken back.").waitFor();
      await grant.getByRole("button", { name: "Revoke access" }).click();
      await page.getByText("Access revoked and new keys issued").waitFor({ timeout: 60_000 });
    });
  });

  // After the revocation (new allergies key), the first provider adds another allergy.
  await addRecordAs(stack, author, patient.address, {
    kind: "fhir",
    resource: buildAllergyIntolerance(ctx, "penicillin"),
  });

  await readAsProvider("revoked provider cannot read later records", async (page) => {
    await page.getByText(/of 4 records decrypted/).waitFor({ timeout: 30_000 });
    await page.getByRole("heading", { name: "Allergies record (locked)" }).waitFor();
    await page.getByText("this record was written after access was revoked").first().waitFor();
    assert.equal(await page.getByText("Allergy to penicillin").count(), 0);
  });

  // Gasless: the patient signs a grant; a relayer (no role, its own account) submits it.
  let payload = "";
  patientWallet = patient.browserWallet();
  await withBrowser("patient signs a gasless grant", patientWallet, async (session) => {
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the patient signs a research grant without a transaction", async () => {
      const sentBefore = patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length;
      payload = await signResearchGrant(session, reader.address, "Conditions");
      assert.equal(patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length, sentBefore);
    });
  });

  const relayerWallet = relayer.browserWallet();
  await withBrowser("relayer submits the signed grant", relayerWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, relayerWallet, stack.webUrl);
    await step(session, "another account submits the signed consent and pays the fee", async () => {
      await page.goto(`${stack.webUrl}/records`);
      await page.getByLabel("Signed consent payload").fill(payload);
      await page.getByRole("button", { name: "Submit signed consent" }).click();
      await page.getByText("Signed consent confirmed").waitFor({ timeout: 60_000 });
    });
  });
  const grant = await relayer.client.readContract({
    address: relayer.contract("ConsentManager"),
    abi: careLedgerAbi,
    functionName: "consentOf",
    args: [patient.address, reader.address, 2],
  });
  assert.equal(grant.scope, 1 << Category.Conditions);

  // A second signed grant is held back by whoever got it; the patient cancels it before it is submitted.
  let heldBack = "";
  patientWallet = patient.browserWallet();
  await withBrowser("patient cancels a signed grant nobody submitted", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "sign a wider grant, then cancel the unsubmitted signed consents", async () => {
      heldBack = await signResearchGrant(session, reader.address, "Immunizations");
      await page.getByRole("button", { name: "Cancel unsubmitted signed consents" }).click();
      await page.getByText("Cancellation confirmed").waitFor({ timeout: 60_000 });
    });
  });
  const lateRelayer = relayer.browserWallet();
  await withBrowser("relayer submits a cancelled signed grant", lateRelayer, async (session) => {
    const { page } = session;
    await connectWallet(session, lateRelayer, stack.webUrl);
    await step(session, "the cancelled signature is refused, saying why", async () => {
      await page.goto(`${stack.webUrl}/records`);
      await page.getByLabel("Signed consent payload").fill(heldBack);
      await page.getByRole("button", { name: "Submit signed consent" }).click();
      await page.getByText(/already used or cancelled/).waitFor({ timeout: 30_000 });
    });
  });
  const after = await relayer.client.readContract({
    address: relayer.contract("ConsentManager"),
    abi: careLedgerAbi,
    functionName: "consentOf",
    args: [patient.address, reader.address, 2],
  });
  assert.equal(after.scope, 1 << Category.Conditions, "the cancelled grant never applied");

  // Break-glass by a credentialed provider; the patient sees it in the audit trail.
  await author.openBreakGlass(patient.address, 7);
  patientWallet = patient.browserWallet();
  await withBrowser("patient sees break-glass", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the audit trail shows the break-glass opening, the grants and the revocation", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("tab", { name: "Audit trail" }).click();
      const trail = page.getByTestId("audit-trail");
      await trail.waitFor({ timeout: 30_000 });
      await trail.getByText("Break-glass opened").waitFor();
      await trail.getByText("(reason code 7)").waitFor();
      await trail.getByText("Consent revoked").waitFor();
      // The gasless grant is credited to the patient who signed it, the relayer only submitted it.
      await trail
        .getByText(/submitted by/)
        .first()
        .waitFor();
      // The revocation rotated the keys in the same transaction.
      await trail.getByText("New keys").first().waitFor();
      assert.ok((await trail.getByText("Record added").count()) >= 4);
      await trail
        .getByText(/added a record to observations \(labs, vitals\)\./)
        .first()
        .waitFor();
      assert.equal(await trail.getByText(/added a observations/).count(), 0, "reads as English");
    });
  });
});

export type { Actor };
