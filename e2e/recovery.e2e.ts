/**
 * Account recovery in the browser: a patient sets up 2-of-3 recovery in the dApp, loses wallet and
 * passkey, asks from a new wallet with a new passkey (Chromium's virtual authenticator), two
 * guardians release their shares with one click each, and after the 48 h delay (evm_increaseTime)
 * the new wallet completes the move, rebuilds the key and opens every old record; the old grant
 * still opens for its grantee. In a second story the old address cancels within the delay.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { toHex, type Address, type Hex } from "viem";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../sdk/src/crypto/grants.js";
import { deriveCategoryKey } from "../sdk/src/crypto/categoryKeys.js";
import { generateKeyPair } from "../sdk/src/crypto/keys.js";
import { createGuardianShares, encodeRecoveryShares } from "../sdk/src/crypto/recovery.js";
import { equalBytes } from "../sdk/src/bytes.js";
import { Category, GUARDIAN_RECOVERY } from "../sdk/src/protocol/constants.js";
import { step, type Session } from "./browser.js";
import { actOnChain, careLedgerAbi, connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { addRecordAs, newActor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const MAX_UINT64 = 2n ** 64n - 1n;
const DELAY = 48 * 3_600;

/** A virtual authenticator with PRF on the session's tab (as e2e/passkeys.e2e.ts). */
async function addAuthenticator(session: Session) {
  const cdp = await session.context.newCDPSession(session.page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      ctap2Version: "ctap2_1",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
}

/** The dApp on `localhost`: a passkey's relying party must be a domain name. */
function web(): string {
  const url = new URL(stack.webUrl);
  url.hostname = "localhost";
  return url.origin;
}

async function warp(seconds: number) {
  const chain = await actOnChain(stack, 0);
  await chain.client.request({ method: "evm_increaseTime" as never, params: [seconds] as never });
  await chain.client.request({ method: "evm_mine" as never, params: [] as never });
}

/** A patient with two old records and an old grant (with keys) to a provider; three guardians with keys. */
async function world() {
  const [patient, provider, ...guardians] = await Promise.all([
    newActor(stack),
    newActor(stack),
    newActor(stack),
    newActor(stack),
    newActor(stack),
  ]);
  await patient.registerAsPatient();
  await provider.credentialAsProvider("Dr. Rhea Lindqvist");
  await provider.publishEncryptionKey();
  await Promise.all(guardians.map((g) => g.publishEncryptionKey()));
  for (const g of guardians) {
    await patient.send({
      address: patient.contract("CareRegistry"),
      functionName: "setGuardian",
      args: [g.address, GUARDIAN_RECOVERY, 0n, MAX_UINT64],
    });
  }
  await addRecordAs(
    stack,
    patient,
    patient.address,
    {
      kind: "attachment",
      contentType: "text/plain",
      fileName: "asthma.txt",
      bytes: new TextEncoder().encode("asthma"),
    },
    Category.Documents,
  );
  await addRecordAs(
    stack,
    patient,
    patient.address,
    { kind: "attachment", contentType: "text/plain", fileName: "x-ray.txt", bytes: new TextEncoder().encode("x-ray") },
    Category.Documents,
  );
  const grantBinding = {
    chainId: stack.chainId,
    registry: patient.contract("CareRegistry"),
    patient: patient.address,
    grantee: provider.address,
  };
  const envelopes = await grantKeyEnvelopes({
    patient: patient.identity,
    granteePublicKey: provider.identity.publicKey,
    binding: grantBinding,
    scope: 1 << Category.Documents,
    epochs: { [Category.Documents]: 1 },
  });
  const now = (await patient.client.getBlock()).timestamp;
  await patient.send({
    address: patient.contract("ConsentManager"),
    functionName: "grantConsent",
    args: [
      {
        grantee: provider.address,
        scope: 1 << Category.Documents,
        purpose: 0,
        access: 1,
        notBefore: 0n,
        expiresAt: now + 30n * 86400n,
      },
      toHex(envelopes),
    ],
  });
  return { patient, provider, guardians, envelopes, grantBinding };
}

test("a patient who lost wallet and passkey recovers through two of three guardians onto a new wallet and passkey", async () => {
  const { patient, provider, guardians, envelopes, grantBinding } = await world();
  const newWallet = await newActor(stack);
  const patientWallet = patient.browserWallet();

  await withBrowser("recovery setup", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the patient chooses 2 of 3 guardians by name and publishes the shares", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Unlock with my wallet" }).click({ timeout: 30_000 });
      await page.getByRole("tab", { name: "Guardians" }).click();
      const card = page.getByTestId("recovery-card");
      await card.getByText("Recovery is off").waitFor({ timeout: 30_000 });
      const candidates = card.getByTestId("recovery-candidate");
      await candidates.nth(2).waitFor({ timeout: 30_000 });
      for (const box of await candidates.getByRole("checkbox").all()) await box.check();
      await card.getByText("Any 2 of these 3 guardians together can move your account").waitFor();
      await card.getByText("Up to 1 of them may be unreachable").waitFor();
    });
    await step(session, "declining the transaction publishes nothing, and says so", async () => {
      patientWallet.rejectNext("eth_sendTransaction");
      await page.getByRole("button", { name: "Publish recovery shares" }).click();
      await page.getByRole("alert").getByText("You declined the request in your wallet.").waitFor({ timeout: 30_000 });
      assert.equal(await page.getByText("Recovery setting confirmed").count(), 0);
    });
    await step(session, "publishing: one transaction, recovery on with 2 of 3", async () => {
      await page.getByRole("button", { name: "Publish recovery shares" }).click();
      await page.getByText("Recovery setting confirmed").waitFor({ timeout: 60_000 });
      await page.getByText("On now: any 2 of these 3 guardians can recover your account.").waitFor({ timeout: 30_000 });
    });
  });

  // Lost: the patient's wallet and passkey. A new wallet and a new passkey, in one browser that stays open
  // (its passkey and the wrapped recovery key live there) while the guardians act in theirs.
  const newBrowserWallet = newWallet.browserWallet();
  await withBrowser("recovery on a new wallet", newBrowserWallet, async (session) => {
    const { page } = session;
    await addAuthenticator(session);
    await connectWallet(session, newBrowserWallet, web());
    let code = "";
    await step(session, "the new wallet asks for the old account with a new passkey", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Recover my account on this wallet" }).click({ timeout: 30_000 });
      await page.getByLabel("Your old patient address").fill(patient.address);
      await page.getByRole("button", { name: "Create a passkey and ask my guardians" }).click();
      await page.getByText("Recovery confirmed").waitFor({ timeout: 60_000 });
      code = (await page.getByTestId("my-recovery-code").textContent({ timeout: 30_000 })) ?? "";
      assert.match(code, /^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$/);
      await page.getByText("0 of 2 guardians approved (you named 3).").waitFor();
    });

    for (const guardian of [guardians[0]!, guardians[2]!]) {
      const wallet = guardian.browserWallet();
      await withBrowser("guardian releases", wallet, async (g) => {
        await connectWallet(g, wallet, stack.webUrl);
        await step(g, "the guardian sees the request with the patient's code and approves with one click", async () => {
          await openWorkspace(g, "Patient");
          await g.page.getByRole("button", { name: "Unlock with my wallet" }).click({ timeout: 30_000 });
          const request = g.page.getByTestId("recovery-request");
          await request.waitFor({ timeout: 30_000 });
          assert.equal(await request.getByTestId("recovery-code").textContent(), code);
          await request.getByRole("button", { name: "Release my share and approve" }).click();
          await g.page.getByText("Recovery approval confirmed").waitFor({ timeout: 60_000 });
          await g.page.getByTestId("recovery-approved").waitFor({ timeout: 30_000 });
        });
      });
    }

    await step(session, "after a reload the new wallet sees 2 of 2 approvals and the 48 h wait", async () => {
      await page.reload();
      await page.getByText("2 of 2 guardians approved (you named 3).").waitFor({ timeout: 30_000 });
      await page.getByText("The move is scheduled: it can complete from").waitFor();
      assert.equal(await page.getByRole("button", { name: "Complete the move" }).count(), 0);
    });

    await warp(DELAY);
    await step(session, "after 48 h the move completes and the workspace is the patient's", async () => {
      await page.reload();
      await page.getByRole("button", { name: "Complete the move" }).click({ timeout: 30_000 });
      await page.getByText("This wallet now speaks for your patient account.").waitFor({ timeout: 60_000 });
      const actingFor = await newWallet.client.readContract({
        address: newWallet.contract("CareRegistry"),
        abi: careLedgerAbi,
        functionName: "actingFor",
        args: [newWallet.address],
      });
      assert.equal(actingFor, patient.address);
    });

    await step(
      session,
      "consents follow, the passkey rebuilds the key from the released shares and every old record opens",
      async () => {
        await page.getByRole("button", { name: "Rebuild my key from my guardians' shares" }).click({ timeout: 30_000 });
        await page.getByText("Bringing your consents along confirmed").waitFor({ timeout: 60_000 });
        await page.getByText("Storing your key under this passkey confirmed").waitFor({ timeout: 60_000 });
        await page.getByText("2 of 2 records decrypted in this browser.").waitFor({ timeout: 30_000 });
      },
    );

    await step(
      session,
      "after a reload one passkey prompt unlocks the patient's records on the new wallet",
      async () => {
        await page.reload();
        await page.getByRole("button", { name: "Unlock with my passkey" }).click({ timeout: 30_000 });
        await page.getByText("2 of 2 records decrypted in this browser.").waitFor({ timeout: 30_000 });
      },
    );
  });

  // The old grant still holds, and its keys still open the patient's category key for the grantee.
  const hasConsent = await provider.client.readContract({
    address: provider.contract("ConsentManager"),
    abi: careLedgerAbi,
    functionName: "hasConsent",
    args: [patient.address, provider.address, Category.Documents, 0, 1],
  });
  assert.equal(hasConsent, true);
  const keyring = await openKeyEnvelopes(envelopes, provider.identity, grantBinding);
  const categoryKey = keyring.get(Category.Documents, 1)!;
  assert.ok(equalBytes(categoryKey.publicKey, deriveCategoryKey(patient.identity, Category.Documents, 1).publicKey));
});

test("the old address cancels a move within the delay and it stops", async () => {
  const { patient, guardians } = await world();
  const newWallet = await newActor(stack);
  const registry = patient.contract("CareRegistry") as Address;
  const domain = { chainId: stack.chainId, registry };
  const shares = await createGuardianShares(
    patient.identity,
    guardians.map((g) => ({ id: g.address, address: g.address, publicKey: g.identity.publicKey })),
    2,
    { ...domain, patient: patient.address },
  );
  await patient.send({
    address: registry,
    functionName: "setRecovery",
    args: [2, toHex(encodeRecoveryShares(shares))],
  });
  const recoveryKey = generateKeyPair();
  await newWallet.send({
    address: registry,
    functionName: "requestRecovery",
    args: [patient.address, toHex(recoveryKey.publicKey)],
  });
  for (const g of guardians.slice(0, 2)) {
    await g.send({
      address: registry,
      functionName: "approveRecovery",
      args: [patient.address, newWallet.address, "0x"],
    });
  }
  const patientWallet = patient.browserWallet();
  await withBrowser("old address cancels", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "the old address sees the pending move and cancels it", async () => {
      await openWorkspace(session, "Patient");
      const pending = page.getByTestId("pending-move");
      await pending.waitFor({ timeout: 30_000 });
      await pending.getByText("2 of 2 guardians approved").waitFor();
      await pending.getByTestId("pending-move-scheduled").waitFor();
      await warp(DELAY / 2);
      await pending.getByRole("button", { name: "Cancel the move" }).click();
      await page.getByText("Cancelling the move confirmed").waitFor({ timeout: 60_000 });
      await pending.waitFor({ state: "detached", timeout: 30_000 });
    });
  });
  await warp(DELAY);
  const recovery = (await patient.client.readContract({
    address: registry,
    abi: careLedgerAbi,
    functionName: "recoveryOf",
    args: [patient.address],
  })) as { scheduledTo: Hex };
  assert.equal(BigInt(recovery.scheduledTo), 0n, "nothing is scheduled");
  await assert.rejects(
    newWallet.send({ address: registry, functionName: "completeRecovery", args: [patient.address] }),
    "the move cannot complete",
  );
});
