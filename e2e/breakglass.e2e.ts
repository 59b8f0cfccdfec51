/**
 * Break-glass with keys: a provider opens emergency access; the patient's guardian (a trusted
 * contact) releases the emergency summary keys from the notification in its workspace in one click;
 * the provider can open the summary; the guardian closes the access, after which nothing more is
 * written under those keys until the patient renews them; all of it in the audit trail.
 */
import assert from "node:assert/strict";
import { EnvelopePurpose } from "../sdk/src/crypto/envelope.js";
import { after, before, test } from "node:test";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../sdk/src/crypto/grants.js";
import { buildAllergyIntolerance } from "../sdk/src/fhir/builders.js";
import { Category, EMERGENCY_SCOPE, Purpose } from "../sdk/src/protocol/constants.js";
import { toHex, type Hex } from "viem";
import { step } from "./browser.js";
import { careLedgerAbi, connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { addRecordAs, newActor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

test("a provider opens break-glass, a guardian releases the keys from its workspace, the provider reads, the access is closed; all audited", async () => {
  const [patient, guardian, provider] = await Promise.all([newActor(stack), newActor(stack), newActor(stack)]);
  await patient.registerAsPatient();
  await provider.credentialAsProvider("St. Ann Emergency");
  await Promise.all([guardian.publishEncryptionKey(), provider.publishEncryptionKey()]);
  const ctx = { patient: { reference: `Patient/${patient.address}` } };
  await addRecordAs(stack, patient, patient.address, {
    kind: "fhir",
    resource: buildAllergyIntolerance(ctx, "penicillin"),
  });
  const now = (await patient.client.getBlock()).timestamp;
  await patient.send({
    address: patient.contract("CareRegistry"),
    functionName: "setGuardian",
    args: [guardian.address, 3, 0n, now + 90n * 86_400n],
  });
  // The patient pre-shares the emergency summary with the guardian (an Emergency grant with its keys).
  const envelopes = await grantKeyEnvelopes({
    patient: patient.identity,
    granteePublicKey: guardian.identity.publicKey,
    binding: {
      chainId: stack.chainId,
      registry: patient.contract("CareRegistry"),
      patient: patient.address,
      grantee: guardian.address,
    },
    scope: EMERGENCY_SCOPE,
    epochs: { 0: 1, 1: 1, 2: 1, 3: 1 },
  });
  await patient.send({
    address: patient.contract("ConsentManager"),
    functionName: "grantConsent",
    args: [
      {
        grantee: guardian.address,
        scope: EMERGENCY_SCOPE,
        purpose: Purpose.Emergency,
        access: 1,
        notBefore: 0n,
        expiresAt: now + 60n * 86_400n,
      },
      toHex(envelopes),
    ],
  });
  await provider.openBreakGlass(patient.address, 7);

  const guardianWallet = guardian.browserWallet();
  await withBrowser("guardian releases the emergency keys", guardianWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, guardianWallet, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("button", { name: "Act for this patient" }).click({ timeout: 30_000 });
    await page.getByRole("button", { name: "Unlock with my wallet" }).click();
    await page.getByRole("tab", { name: "Emergency" }).click();
    const open = page.getByTestId("break-glass");
    await step(session, "the notification names the provider, what it may read and until when", async () => {
      await open.getByText("St. Ann Emergency").waitFor({ timeout: 30_000 });
      await open.getByText(/it may read allergies/i).waitFor();
      await open.getByText("It holds no keys to open them yet.").waitFor();
    });
    await step(session, "one click releases the keys", async () => {
      await open.getByRole("button", { name: "Release the emergency keys" }).click({ timeout: 30_000 });
      await open.getByText("The keys were released to it.").waitFor({ timeout: 60_000 });
    });
  });

  // The provider opens what was released: the allergies key of the current epoch.
  const released = (await provider.client.getContractEvents({
    address: provider.contract("ConsentManager"),
    abi: careLedgerAbi,
    eventName: "EmergencyKeysReleased",
    args: { patient: patient.address, provider: provider.address },
    fromBlock: 0n,
  })) as unknown as { args: { keyEnvelopes: Hex; releasedBy: string } }[];
  assert.equal(released.length, 1);
  assert.equal(released[0]!.args.releasedBy.toLowerCase(), guardian.address.toLowerCase());
  const keys = await openKeyEnvelopes(
    Buffer.from(released[0]!.args.keyEnvelopes.slice(2), "hex"),
    provider.identity,
    {
      chainId: stack.chainId,
      registry: patient.contract("CareRegistry"),
      patient: patient.address,
      grantee: provider.address,
    },
    undefined,
    EnvelopePurpose.Emergency,
  );
  assert.ok(keys.get(Category.Allergies, 1), "the provider holds the allergies key");

  const guardianAgain = guardian.browserWallet();
  await withBrowser("guardian closes the emergency access", guardianAgain, async (session) => {
    const { page } = session;
    await connectWallet(session, guardianAgain, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("button", { name: "Act for this patient" }).click({ timeout: 30_000 });
    await page.getByRole("tab", { name: "Emergency" }).click();
    await step(session, "closing ends the access", async () => {
      await page.getByTestId("break-glass").getByRole("button", { name: "Close emergency access" }).click({
        timeout: 30_000,
      });
      await page.getByTestId("open-break-glass").waitFor({ state: "detached", timeout: 60_000 });
    });
    await step(session, "the audit trail shows the opening, the release and the closing", async () => {
      await page.getByRole("tab", { name: "Audit trail" }).click();
      const trail = page.getByTestId("audit-trail");
      await trail.getByText("Break-glass opened").waitFor({ timeout: 30_000 });
      await trail.getByText("Emergency keys released").waitFor();
      await trail.getByText("Break-glass closed").waitFor();
    });
  });
  // The provider keeps the keys it got: nothing more is written under them until the patient renews them.
  await assert.rejects(
    addRecordAs(stack, patient, patient.address, {
      kind: "fhir",
      resource: buildAllergyIntolerance(ctx, "penicillin"),
    }),
    /RecordCategoryKeyEnded/,
  );
});
