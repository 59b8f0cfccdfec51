/**
 * Revocation that holds, in the browser: a guardian revokes the lab; writes to the lab's categories
 * are refused until the patient, at her next unlock, sees why and renews the keys in one wallet
 * confirmation (declined once first: nothing changes, the way to finish stays); the GP, who keeps
 * its grant, gets the new keys in the same transaction and writes again; the lab gets nothing new.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../sdk/src/crypto/grants.js";
import { buildObservation } from "../sdk/src/fhir/builders.js";
import { Category } from "../sdk/src/protocol/constants.js";
import { toHex, type Hex } from "viem";
import { step } from "./browser.js";
import { careLedgerAbi, connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { addRecordAs, newActor, type Actor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const OBSERVATIONS = 1 << Category.Observations;

async function grantWithKeys(patient: Actor, grantee: Actor, scope: number, days: bigint, purpose = 0) {
  const now = (await patient.client.getBlock()).timestamp;
  const envelopes = await grantKeyEnvelopes({
    patient: patient.identity,
    granteePublicKey: grantee.identity.publicKey,
    binding: {
      chainId: stack.chainId,
      registry: patient.contract("CareRegistry"),
      patient: patient.address,
      grantee: grantee.address,
    },
    scope,
    epochs: { [Category.Observations]: 1 },
  });
  await patient.send({
    address: patient.contract("ConsentManager"),
    functionName: "grantConsent",
    args: [
      {
        grantee: grantee.address,
        scope,
        purpose,
        access: purpose === 0 ? 3 : 1,
        notBefore: 0n,
        expiresAt: now + days * 86_400n,
      },
      toHex(envelopes),
    ],
  });
}

/** A registered patient, a lab and a GP (both credentialed, listed, with keys), each granted Observations. */
async function patientWithLabAndGp(labDays = 30n) {
  const [patient, lab, gp, other] = await Promise.all([
    newActor(stack),
    newActor(stack),
    newActor(stack),
    newActor(stack),
  ]);
  await patient.registerAsPatient();
  // The authority signs both credentials: one after the other (one nonce at a time).
  await lab.credentialAsProvider("Harbour Lab");
  await gp.credentialAsProvider("Dr. Iris Gale");
  await Promise.all([lab.publishEncryptionKey(), gp.publishEncryptionKey(), other.publishEncryptionKey()]);
  await grantWithKeys(patient, lab, OBSERVATIONS, labDays);
  await grantWithKeys(patient, gp, OBSERVATIONS, 365n);
  return { patient, lab, gp, other };
}

test("a guardian revokes the lab: writes wait until the patient renews the keys at unlock; the GP keeps reading, the lab does not", async () => {
  const { patient, lab, gp, other: guardian } = await patientWithLabAndGp();
  const now = (await patient.client.getBlock()).timestamp;
  await patient.send({
    address: patient.contract("CareRegistry"),
    functionName: "setGuardian",
    args: [guardian.address, 3, 0n, now + 90n * 86_400n],
  });
  const observation = () => ({
    kind: "fhir" as const,
    resource: buildObservation({ patient: { reference: `Patient/${patient.address}` } }, "hba1c"),
  });
  await addRecordAs(stack, lab, patient.address, observation());

  // The guardian revokes the lab; it holds no keys, so Observations need new keys.
  await guardian.send({
    address: guardian.contract("ConsentManager"),
    functionName: "revokeConsentFor",
    args: [patient.address, lab.address, 0],
  });
  await assert.rejects(addRecordAs(stack, gp, patient.address, observation()), /RecordCategoryNeedsNewKeys/);

  const patientWallet = patient.browserWallet();
  await withBrowser("patient renews the keys at unlock", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("button", { name: "Unlock with my wallet" }).click();
    const renew = page.getByTestId("renew-keys");
    await step(session, "the unlocked patient sees which categories need new keys, and why", async () => {
      await renew.getByRole("heading", { name: /New keys needed for Observations/ }).waitFor({ timeout: 60_000 });
      await renew.getByText(/revoked .*access on/).waitFor();
    });
    await step(session, "declined in the wallet: nothing changes, and the way to finish stays", async () => {
      patientWallet.rejectNext("eth_sendTransaction");
      await renew.getByRole("button", { name: "Renew keys" }).click();
      await renew.getByText("Nothing changed: these categories still need new keys. Renew again to finish.").waitFor({
        timeout: 60_000,
      });
      assert.equal(await page.getByText("New keys issued").count(), 0, "no success beside the failure");
    });
    await step(session, "renewed in one confirmation, passed on to the GP", async () => {
      const sentBefore = patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length;
      await renew.getByRole("button", { name: "Renew keys" }).click();
      await page.getByRole("heading", { name: "New keys issued" }).waitFor({ timeout: 60_000 });
      await page.getByText("Reading on with the new keys").waitFor();
      assert.equal(patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length - sentBefore, 1);
    });
    await step(session, "the audit trail shows the revocation by the guardian and the keys passed on", async () => {
      await page.getByRole("tab", { name: "Audit trail" }).click();
      const trail = page.getByTestId("audit-trail");
      await trail.getByText("Keys needed").first().waitFor({ timeout: 30_000 });
      await trail.getByText("Keys passed on").first().waitFor();
      await trail.getByText("New keys").first().waitFor();
    });
  });

  // The GP writes again under the new epoch, and opens its new key; the lab received nothing new.
  const written = await addRecordAs(stack, gp, patient.address, observation());
  assert.equal(written.keyEpoch, 2);
  const consent = { address: patient.contract("ConsentManager"), abi: careLedgerAbi } as const;
  const rewraps = async (grantee: Actor) =>
    (await patient.client.getContractEvents({
      ...consent,
      eventName: "CategoryKeysRewrapped",
      args: { patient: patient.address, grantee: grantee.address },
      fromBlock: 0n,
    })) as unknown as { args: { keyEnvelopes: Hex } }[];
  const [gpRewrap] = await rewraps(gp);
  assert.ok(gpRewrap, "the GP got the new keys");
  const gpKeys = await openKeyEnvelopes(Buffer.from(gpRewrap.args.keyEnvelopes.slice(2), "hex"), gp.identity, {
    chainId: stack.chainId,
    registry: patient.contract("CareRegistry"),
    patient: patient.address,
    grantee: gp.address,
  });
  assert.ok(gpKeys.get(Category.Observations, 2), "the GP holds the epoch-2 observations key");
  assert.equal((await rewraps(lab)).length, 0, "the lab got no new key");
});

test("the patient revokes the lab in one confirmation (declined once first); the GP and the insurer keep reading, the lab does not", async () => {
  const { patient, lab, gp, other: insurer } = await patientWithLabAndGp();
  await grantWithKeys(patient, insurer, OBSERVATIONS, 365n, 1);

  const hasConsent = (grantee: Actor) =>
    patient.client.readContract({
      address: patient.contract("ConsentManager"),
      abi: careLedgerAbi,
      functionName: "hasConsent",
      args: [patient.address, grantee.address, Category.Observations, 0, 1],
    });
  const patientWallet = patient.browserWallet();
  await withBrowser("patient revokes the lab", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("button", { name: "Unlock with my wallet" }).click();
    await page.getByRole("tab", { name: "Consents" }).click();
    const grant = page.getByTestId("grant").filter({ hasText: "Harbour Lab" });
    await step(session, "declined in the wallet: access unchanged, and it says how to finish", async () => {
      await grant.getByRole("button", { name: "Revoke…" }).click();
      patientWallet.rejectNext("eth_sendTransaction");
      await grant.getByRole("button", { name: "Revoke access" }).click();
      await grant.getByText("Nothing changed: access is still granted. Revoke again to finish.").waitFor({
        timeout: 60_000,
      });
      assert.equal(await grant.getByText(/Access revoked/).count(), 0, "no success beside the failure");
      assert.equal(await hasConsent(lab), true);
    });
    await step(session, "one confirmation revokes and passes the new keys to the GP and the insurer", async () => {
      const sentBefore = patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length;
      await grant.getByRole("button", { name: "Revoke access" }).click();
      await grant.getByText(/Access revoked and new keys issued in the same transaction/).waitFor({ timeout: 60_000 });
      await grant.getByText(/Still reading with the new keys/).waitFor();
      await grant.getByText("Dr. Iris Gale").waitFor();
      assert.equal(patientWallet.requests.filter((r) => r.method === "eth_sendTransaction").length - sentBefore, 1);
      assert.equal(await hasConsent(lab), false);
    });
  });

  // A record the GP writes afterwards is under epoch 2: the GP and the insurer hold that key, the lab does not.
  const written = await addRecordAs(stack, gp, patient.address, {
    kind: "fhir",
    resource: buildObservation({ patient: { reference: `Patient/${patient.address}` } }, "hba1c"),
  });
  assert.equal(written.keyEpoch, 2);
  const epoch2 = async (grantee: Actor) => {
    const logs = (await patient.client.getContractEvents({
      address: patient.contract("ConsentManager"),
      abi: careLedgerAbi,
      eventName: "CategoryKeysRewrapped",
      args: { patient: patient.address, grantee: grantee.address },
      fromBlock: 0n,
    })) as unknown as { args: { keyEnvelopes: Hex } }[];
    for (const log of logs) {
      const keys = await openKeyEnvelopes(Buffer.from(log.args.keyEnvelopes.slice(2), "hex"), grantee.identity, {
        chainId: stack.chainId,
        registry: patient.contract("CareRegistry"),
        patient: patient.address,
        grantee: grantee.address,
      });
      if (keys.get(Category.Observations, 2)) return true;
    }
    return false;
  };
  assert.equal(await epoch2(gp), true, "the GP reads records written after the revocation");
  assert.equal(await epoch2(insurer), true, "the insurer reads them too");
  assert.equal(await epoch2(lab), false, "the lab does not");
});

test("a lab whose grant expired cannot open a record written after the expiry: writes wait for new keys, the GP keeps reading", async () => {
  const { patient, gp } = await patientWithLabAndGp(1n);
  // A day and a minute later the lab's grant has ended; its key of epoch 1 must take no new record.
  await patient.client.request({ method: "evm_increaseTime" as never, params: [86_460] as never });
  await patient.client.request({ method: "evm_mine" as never, params: [] as never });
  await assert.rejects(
    addRecordAs(stack, gp, patient.address, {
      kind: "fhir",
      resource: buildObservation({ patient: { reference: `Patient/${patient.address}` } }, "hba1c"),
    }),
    /RecordCategoryKeyEnded/,
  );
  const patientWallet = patient.browserWallet();
  await withBrowser("patient renews after an expiry", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("button", { name: "Unlock with my wallet" }).click();
    const renew = page.getByTestId("renew-keys");
    await step(session, "the expired grant's categories ask for new keys; renewed in one confirmation", async () => {
      await renew.getByRole("heading", { name: /New keys needed for Observations/ }).waitFor({ timeout: 60_000 });
      await renew.getByRole("button", { name: "Renew keys" }).click();
      await page.getByRole("heading", { name: "New keys issued" }).waitFor({ timeout: 60_000 });
    });
  });
  const written = await addRecordAs(stack, gp, patient.address, {
    kind: "fhir",
    resource: buildObservation({ patient: { reference: `Patient/${patient.address}` } }, "hba1c"),
  });
  assert.equal(written.keyEpoch, 2);
  const rewrapped = (await patient.client.getContractEvents({
    address: patient.contract("ConsentManager"),
    abi: careLedgerAbi,
    eventName: "CategoryKeysRewrapped",
    args: { patient: patient.address },
    fromBlock: 0n,
  })) as unknown as { args: { grantee: string } }[];
  assert.deepEqual(
    rewrapped.map((log) => log.args.grantee.toLowerCase()),
    [gp.address.toLowerCase()],
    "only the GP, whose grant lives on, got the epoch-2 key",
  );
});
