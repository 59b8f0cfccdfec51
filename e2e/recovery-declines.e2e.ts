/**
 * Account recovery with wallet requests declined in turn: a guardian declines their approval, and the
 * old address declines its cancel. Each time the page says nothing was sent (no success beside the
 * failure, no spinner), the contract is unchanged, and the same button then succeeds.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { toHex, type Address, type Hex } from "viem";
import { generateKeyPair } from "../sdk/src/crypto/keys.js";
import { createGuardianShares, encodeRecoveryShares } from "../sdk/src/crypto/recovery.js";
import { GUARDIAN_RECOVERY } from "../sdk/src/protocol/constants.js";
import { step } from "./browser.js";
import { careLedgerAbi, connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { newActor } from "./patient-world.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const MAX_UINT64 = 2n ** 64n - 1n;

test("a declined guardian approval and a declined cancel change nothing, say so, and succeed when retried", async () => {
  const [patient, newWallet, ...guardians] = await Promise.all([
    newActor(stack),
    newActor(stack),
    newActor(stack),
    newActor(stack),
  ]);
  await patient.registerAsPatient();
  await Promise.all(guardians.map((g) => g.publishEncryptionKey()));
  const registry = patient.contract("CareRegistry") as Address;
  for (const g of guardians) {
    await patient.send({
      address: registry,
      functionName: "setGuardian",
      args: [g.address, GUARDIAN_RECOVERY, 0n, MAX_UINT64],
    });
  }
  const shares = await createGuardianShares(
    patient.identity,
    guardians.map((g) => ({ id: g.address, address: g.address, publicKey: g.identity.publicKey })),
    2,
    { chainId: stack.chainId, registry, patient: patient.address },
  );
  await patient.send({
    address: registry,
    functionName: "setRecovery",
    args: [2, toHex(encodeRecoveryShares(shares))],
  });
  await newWallet.send({
    address: registry,
    functionName: "requestRecovery",
    args: [patient.address, toHex(generateKeyPair().publicKey)],
  });
  const approvals = async () =>
    Number(
      await patient.client.readContract({
        address: registry,
        abi: careLedgerAbi,
        functionName: "recoveryApprovals",
        args: [patient.address, newWallet.address],
      }),
    );
  const recovery = async () =>
    (await patient.client.readContract({
      address: registry,
      abi: careLedgerAbi,
      functionName: "recoveryOf",
      args: [patient.address],
    })) as { round: number; scheduledTo: Hex };

  const guardianWallet = guardians[0]!.browserWallet();
  await withBrowser("recovery approval declined", guardianWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, guardianWallet, stack.webUrl);
    await step(session, "declining the approval sends nothing, says so, and the button stays", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Unlock with my wallet" }).click({ timeout: 30_000 });
      const request = page.getByTestId("recovery-request");
      await request.waitFor({ timeout: 30_000 });
      guardianWallet.rejectNext("eth_sendTransaction");
      await request.getByRole("button", { name: "Release my share and approve" }).click();
      const requests = page.getByTestId("recovery-requests");
      await requests
        .getByRole("alert")
        .getByText("You declined the request in your wallet. Nothing was sent.")
        .waitFor({ timeout: 30_000 });
      assert.equal(await page.getByText("Recovery approval confirmed").count(), 0);
      assert.equal(await requests.locator(".spinner").count(), 0);
      assert.equal(await page.getByTestId("recovery-approved").count(), 0);
      assert.equal(await approvals(), 0, "no approval on chain");
    });
    await step(session, "approving again with the request accepted succeeds", async () => {
      await page.getByRole("button", { name: "Release my share and approve" }).click();
      await page.getByText("Recovery approval confirmed").waitFor({ timeout: 60_000 });
      await page.getByTestId("recovery-approved").waitFor({ timeout: 30_000 });
      assert.equal(await approvals(), 1);
    });
  });
  await guardians[1]!.send({
    address: registry,
    functionName: "approveRecovery",
    args: [patient.address, newWallet.address, "0x"],
  });
  const before = await recovery();
  assert.equal(before.scheduledTo.toLowerCase(), newWallet.address.toLowerCase(), "the move is scheduled");

  const patientWallet = patient.browserWallet();
  await withBrowser("recovery cancel declined", patientWallet, async (session) => {
    const { page } = session;
    await connectWallet(session, patientWallet, stack.webUrl);
    await step(session, "declining the cancel sends nothing, says so, and the move stays cancellable", async () => {
      await openWorkspace(session, "Patient");
      const pending = page.getByTestId("pending-move");
      await pending.getByTestId("pending-move-scheduled").waitFor({ timeout: 30_000 });
      patientWallet.rejectNext("eth_sendTransaction");
      await pending.getByRole("button", { name: "Cancel the move" }).click();
      await pending
        .getByText("You declined the request in your wallet. Nothing was sent.")
        .waitFor({ timeout: 30_000 });
      assert.equal(await page.getByText("Cancelling the move confirmed").count(), 0);
      assert.equal(await pending.locator(".spinner").count(), 0);
      const after = await recovery();
      assert.equal(after.round, before.round, "same round");
      assert.equal(after.scheduledTo, before.scheduledTo, "still scheduled");
    });
    await step(session, "cancelling again with the request accepted stops the move", async () => {
      await pending().getByRole("button", { name: "Cancel the move" }).click();
      await page.getByText("Cancelling the move confirmed").waitFor({ timeout: 60_000 });
      await page.getByTestId("pending-move").waitFor({ state: "detached", timeout: 30_000 });
      assert.equal(BigInt((await recovery()).scheduledTo), 0n, "nothing is scheduled");
    });
    function pending() {
      return page.getByTestId("pending-move");
    }
  });
});
