import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { parseEventLogs, toHex, type Address } from "viem";
import { sealRecord, recordRecipients } from "../sdk/src/crypto/container.js";
import { deriveCategoryKey } from "../sdk/src/crypto/categoryKeys.js";
import { buildAllergyIntolerance } from "../sdk/src/fhir/builders.js";
import { identityKeyFromSecret } from "../sdk/src/crypto/identity.js";
import { claimLabel } from "../sdk/src/protocol/claimIds.js";
import { Category, Purpose } from "../sdk/src/protocol/constants.js";
import { commitmentOf } from "../sdk/src/storage/blobStore.js";
import { CID } from "multiformats/cid";
import { freshActor, grantAll, registerPatientWithKeys, walletIdentityOf, type Actor } from "./actors.js";
import { step, type Session } from "./browser.js";
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
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

/** The clinician files one encrypted allergy record for the patient (arranged from Node: the form is tested elsewhere). */
async function arrangeEvidence(clinician: Actor, patient: Actor, patientIdentity: { secret: Uint8Array }) {
  const author = identityKeyFromSecret(crypto.getRandomValues(new Uint8Array(32)));
  const blob = await sealRecord(
    { kind: "fhir", resource: buildAllergyIntolerance({ patient: { reference: "Patient/e2e" } }) },
    recordRecipients({
      chainId: stack.chainId,
      registry: clinician.contract("CareRegistry"),
      patient: patient.address,
      author: clinician.address,
      category: Category.Allergies,
      epoch: 1,
      categoryPublicKey: deriveCategoryKey(patientIdentity, Category.Allergies, 1).publicKey,
      authorPublicKey: author.publicKey,
    }),
  );
  const response = await fetch(`${stack.webUrl}/api/blobs`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: Buffer.from(blob),
  });
  assert.equal(response.status, 201);
  const { cid } = (await response.json()) as { cid: string };
  await clinician.send({
    address: clinician.contract("RecordRegistry"),
    abi: careLedgerAbi,
    functionName: "addRecord",
    args: [patient.address, Category.Allergies, toHex(CID.parse(cid).bytes), await commitmentOf(blob), 1],
  });
}

const confirmed = (session: Session, label: string) =>
  session.page
    .getByText(new RegExp(`${label} confirmed in block`))
    .first()
    .waitFor({ timeout: 60_000 });

test("insurer plan, coverage and pool; a claim auto-approves and is withdrawn; partial approval; a denial, an appeal and its decision", async () => {
  const insurer = await freshActor(stack);
  await insurer.credential("insurer");
  const clinician = await freshActor(stack);
  await clinician.credential("provider");
  const patient = await freshActor(stack);
  // Every party of a denial holds a key its wallet unlocks in the dApp: the reason is sealed to them.
  const identity = await registerPatientWithKeys(patient, await walletIdentityOf(stack, patient.account));
  for (const party of [insurer, clinician]) {
    const key = await walletIdentityOf(stack, party.account);
    await party.send({
      address: party.contract("CareRegistry"),
      abi: careLedgerAbi,
      functionName: "setEncryptionKey",
      args: [toHex(key.publicKey)],
    });
  }
  await grantAll(patient, clinician.address, Purpose.Treatment, 3);
  await grantAll(patient, insurer.address, Purpose.Claims, 1);
  await arrangeEvidence(clinician, patient, identity);
  // A second record the claims do not cite: the insurer's evidence reader must not list it.
  await arrangeEvidence(clinician, patient, identity);
  const settlement = insurer.contract("ClaimsSettlement");
  const pool = () =>
    patient.client.readContract({
      address: settlement,
      abi: careLedgerAbi,
      functionName: "getPool",
      args: [insurer.address],
    });

  {
    const wallet = insurer.browserWallet();
    await withBrowser("insurer sets up", wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await step(session, "the insurer workspace opens with an empty pool", async () => {
        await openWorkspace(session, "Insurer");
        await page.getByRole("heading", { name: "Claims pool" }).waitFor();
        await page.getByText("No plans yet. Create one below.").waitFor();
      });
      await step(session, "test cUSD from the local faucet", async () => {
        await page.getByRole("button", { name: /local faucet/ }).click();
        await confirmed(session, "Stablecoin");
        await page.getByTestId("wallet-balance").getByText("10,000.00 cUSD").waitFor();
      });
      await step(session, "an amount above the wallet is refused; 5,000 cUSD funds the pool", async () => {
        await page.getByLabel("Amount to add (cUSD)").fill("20000");
        await page.getByRole("button", { name: "Fund pool" }).click();
        await page
          .getByText("Your wallet holds 10,000.00 cUSD, less than 20,000.00 cUSD. Add at most 10,000.00 cUSD")
          .waitFor();
        await page.getByLabel("Amount to add (cUSD)").fill("5000");
        await page.getByRole("button", { name: "Fund pool" }).click();
        await confirmed(session, "Funding");
        await page.getByTestId("pool-balance").getByText("5,000.00 cUSD").waitFor();
        await page.getByTestId("pool-free").getByText("5,000.00 cUSD").waitFor();
        await page.getByRole("img", { name: /Pool funds/ }).waitFor();
      });
      await step(session, "a plan: 80 %, 50 cUSD deductible, auto-approval up to 500 cUSD", async () => {
        const form = page.getByRole("form", { name: "Create a plan" });
        await form.getByLabel("Coverage share (%)").fill("80");
        await form.getByLabel("Deductible (cUSD)").fill("50");
        await form.getByLabel("Annual limit (cUSD)").fill("10000");
        await form.getByLabel("Auto-approval threshold (cUSD)").fill("500");
        await form.getByRole("button", { name: "Create plan" }).click();
        await confirmed(session, "Plan");
        await page.getByRole("table", { name: "Your plans" }).getByText("80%").waitFor();
      });
      await step(session, "coverage is offered to the patient", async () => {
        const form = page.getByRole("form", { name: "Offer coverage" });
        await form.getByLabel("Patient address").fill(patient.address);
        await form.getByLabel("Plan").selectOption({ index: 1 });
        await form.getByRole("button", { name: "Offer coverage" }).click();
        await confirmed(session, "Coverage offer");
        await page
          .getByRole("table", { name: "Coverage offered" })
          .getByText("Offered, awaiting the patient")
          .waitFor();
      });
    });
  }

  // The patient accepts (patient UI is another spec's subject).
  const offered = parseEventLogs({
    abi: careLedgerAbi,
    eventName: "CoverageOffered",
    logs: await patient.client.getLogs({ address: settlement, fromBlock: 0n }),
  }).filter((l) => l.args.patient === patient.address);
  await patient.send({
    address: settlement,
    abi: careLedgerAbi,
    functionName: "acceptCoverage",
    args: [offered[0].args.coverageId],
  });

  const submitClaim = async (session: Session, billed: string) => {
    const form = session.page.getByRole("form", { name: "Submit a claim" });
    await form.getByLabel("Coverage").selectOption({ index: 1 });
    await form.getByLabel("Billed amount (cUSD)").fill(billed);
    await form.getByLabel("Diagnosis (ICD-10-CM)").fill("I10 Essential hypertension");
    await form.getByLabel("Service (CPT)").fill("99213 Office visit");
    await form.getByRole("checkbox").first().check();
    await form.getByRole("button", { name: "Submit claim" }).click();
    await confirmed(session, "Claim");
    // Once confirmed, the form clears for the next claim (the confirmation shows a moment before).
    const amount = form.getByLabel("Billed amount (cUSD)");
    for (const started = Date.now(); (await amount.inputValue()) !== "";) {
      if (Date.now() - started > 10_000) throw new Error("the claim form did not clear after a confirmed claim");
      await session.page.waitForTimeout(50);
    }
  };
  /**
   * The clinician's claims in the order submitted, as the dApp labels them. A claim's id hashes the provider
   * and its encounter commitment (the dApp draws a fresh salt for each), so the ids come from the chain.
   */
  const submittedClaims = async () =>
    parseEventLogs({
      abi: careLedgerAbi,
      eventName: "ClaimSubmitted",
      logs: await patient.client.getLogs({ address: settlement, fromBlock: 0n }),
    })
      .filter((l) => l.args.provider === clinician.address)
      .map((l) => claimLabel(l.args.claimId));
  const claimRow = (session: Session, label: string) =>
    session.page
      .getByTestId("claim-row")
      .filter({ has: session.page.getByRole("rowheader", { name: label, exact: true }) });

  let autoApproved = "";
  let partial = "";
  let denied = "";
  {
    const wallet = clinician.browserWallet();
    await withBrowser("provider claims", wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await step(session, "find the patient; a claim without evidence is refused", async () => {
        await openWorkspace(session, "Provider");
        await page.getByLabel("Patient address").fill(patient.address);
        await page.getByRole("button", { name: "Find", exact: true }).click();
        await page.getByRole("heading", { name: "Claims for this patient" }).waitFor();
        const form = page.getByRole("form", { name: "Submit a claim" });
        await form.getByLabel("Coverage").selectOption({ index: 1 });
        await form.getByLabel("Billed amount (cUSD)").fill("200");
        await form.getByRole("button", { name: "Submit claim" }).click();
        await page.getByText("Attach at least one record as evidence.").waitFor();
      });
      await step(
        session,
        "a 200 cUSD claim auto-approves: 120 cUSD credited (80 % after the 50 deductible)",
        async () => {
          await submitClaim(session, "200");
          [autoApproved] = await submittedClaims();
          const row = claimRow(session, autoApproved);
          await row.getByText("Approved").waitFor();
          await row.getByText("120.00 cUSD").waitFor();
          await row.getByText("80.00 cUSD").waitFor();
          await page.getByTestId("credit").getByText("120.00 cUSD").waitFor();
        },
      );
      await step(session, "the provider withdraws; the balance shown matches the chain", async () => {
        await page.getByRole("button", { name: "Withdraw" }).click();
        await confirmed(session, "Withdrawal");
        await page.getByTestId("provider-balance").getByText("120.00 cUSD").waitFor();
        await page.getByTestId("credit").getByText("0.00 cUSD").waitFor();
        const balance = await patient.client.readContract({
          address: clinician.contract("Stablecoin"),
          abi: careLedgerAbi,
          functionName: "balanceOf",
          args: [clinician.address as Address],
        });
        assert.equal(balance, 120_000_000n);
      });
      await step(session, "two claims above the threshold wait for review", async () => {
        await submitClaim(session, "900");
        [, partial] = await submittedClaims();
        await claimRow(session, partial).getByText("Pending").waitFor();
        await submitClaim(session, "700");
        [, , denied] = await submittedClaims();
        await claimRow(session, denied).getByText("Pending").waitFor();
      });
      await step(
        session,
        "a pre-authorisation without evidence is refused before the wallet opens; with evidence it is sent",
        async () => {
          await page.getByRole("button", { name: "Pre-authorisation", exact: true }).click();
          const form = page.getByRole("form", { name: "Request pre-authorisation" });
          await form.getByText(/attach at least one record that shows why the service is needed/).waitFor();
          await form.getByLabel("Coverage").selectOption({ index: 1 });
          await form.getByLabel("Estimated cost (cUSD)").fill("1500");
          const sent = wallet.requests.filter((r) => r.method === "eth_sendTransaction").length;
          await form.getByRole("button", { name: "Request pre-authorisation" }).click();
          await form.getByText("Attach at least one record as evidence: the insurer cannot decide").waitFor();
          assert.equal(wallet.requests.filter((r) => r.method === "eth_sendTransaction").length, sent);
          await form.getByRole("checkbox").first().check();
          await form.getByRole("button", { name: "Request pre-authorisation" }).click();
          await confirmed(session, "Pre-authorisation request");
        },
      );
    });
  }

  {
    const wallet = insurer.browserWallet();
    await withBrowser("insurer reviews", wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await openWorkspace(session, "Insurer");
      const card = (label: string) => page.getByRole("article", { name: `Claim ${label}` });
      await step(session, "the queue shows both claims with their evidence under Claims consent", async () => {
        await card(partial).waitFor();
        await card(denied).waitFor();
        await card(partial).getByText("readable under the patient's Claims consent").waitFor();
      });
      await step(session, "the evidence reader lists only the claim's evidence, not every record", async () => {
        await card(partial)
          .getByRole("button", { name: /Read this claim's evidence/ })
          .click();
        // The patient has two records; the claim cites one.
        await card(partial).getByText("1 encrypted evidence record.", { exact: false }).waitFor();
      });
      await step(session, "declining the approval in the wallet keeps the claim open, nothing decided", async () => {
        await card(partial).getByLabel("Allowed amount (cUSD)").fill("800");
        await card(partial).getByTestId("quote").getByText("640.00 cUSD").waitFor();
        wallet.rejectNext("eth_sendTransaction");
        await card(partial)
          .getByRole("button", { name: /Approve partially/ })
          .click();
        await card(partial).getByText("You declined the request in your wallet. Nothing was sent.").waitFor();
        await card(partial)
          .getByRole("button", { name: /Approve partially/ })
          .waitFor();
      });
      await step(
        session,
        "a partial approval (insurer 640, patient 160) is confirmed in place and stays until dismissed",
        async () => {
          await card(partial).getByTestId("quote").getByText("160.00 cUSD").waitFor();
          await card(partial)
            .getByRole("button", { name: /Approve partially/ })
            .click();
          const scrolled = await page.evaluate(() => window.scrollY);
          await confirmed(session, `Decision on claim ${partial}`);
          const notice = card(partial).getByTestId("decision-confirmed");
          await notice
            .getByText("Approved: the insurer pays 640.00 cUSD, the patient's share is 160.00 cUSD.")
            .waitFor();
          // The queue has refreshed (the claim is no longer pending) and the confirmation is still there.
          await page.getByTestId("decided-claim").filter({ hasText: partial }).getByText("Approved").waitFor();
          await page.waitForTimeout(1500);
          assert.ok(await notice.isVisible(), "the confirmation vanished by itself");
          const after = await page.evaluate(() => window.scrollY);
          assert.ok(Math.abs(after - scrolled) < 40, `the page jumped from ${scrolled}px to ${after}px`);
          await notice.getByRole("button", { name: /Dismiss/ }).click();
          await card(partial).waitFor({ state: "detached" });
        },
      );
      await step(session, "a denial needs a reason, then its confirmation stays until dismissed", async () => {
        await card(denied).getByRole("button", { name: /^Deny/ }).click();
        await card(denied).getByText("Choose a reason").waitFor();
        await card(denied).getByLabel("Reason for denial").selectOption({ label: "Not medically necessary" });
        await card(denied).getByRole("button", { name: /^Deny/ }).click();
        await confirmed(session, `Decision on claim ${denied}`);
        const notice = card(denied).getByTestId("decision-confirmed");
        await notice.getByText(/^Denied: Not medically necessary\./).waitFor();
        // On chain the reason is only sealed bytes: the event holds no code, in clear or as a number.
        const denials = parseEventLogs({
          abi: careLedgerAbi,
          eventName: "ClaimDenied",
          logs: await patient.client.getLogs({ address: settlement, fromBlock: 0n }),
        });
        assert.ok(denials.length > 0, "no ClaimDenied event");
        for (const d of denials) {
          assert.equal((d.args.sealedReason.length - 2) / 2, 1 + 3 * 56, "three sealed envelopes, nothing else");
        }
        await page.waitForTimeout(1000);
        assert.ok(await notice.isVisible(), "the denial's confirmation vanished by itself");
        await notice.getByRole("button", { name: /Dismiss/ }).click();
        await page.getByText("No claims are waiting for you.").waitFor();
        // Reserved: the 640 credit, plus what the two appealable claims may still be owed (80 + 560).
        await page.getByTestId("pool-reserved").getByText("1,280.00 cUSD").waitFor();
      });
      await step(session, "a pre-authorisation approval is confirmed in place and stays until dismissed", async () => {
        const request = page.getByTestId("preauth-request").first();
        await request.getByText("1,500.00 cUSD", { exact: false }).waitFor();
        await request.getByLabel("Authorised up to (cUSD)").fill("1200");
        await request.getByRole("button", { name: /^Approve/ }).click();
        await request.getByText(/Decision on pre-authorisation \d+ confirmed in block/).waitFor({ timeout: 60_000 });
        const notice = request.getByTestId("decision-confirmed");
        await notice.getByText(/^Approved up to 1,200.00 cUSD until/).waitFor();
        await page.getByText(/Decided: #\d+ approved/).waitFor({ state: "detached" });
        await page.waitForTimeout(1000);
        assert.ok(await notice.isVisible(), "the pre-authorisation's confirmation vanished by itself");
        await notice.getByRole("button", { name: /Dismiss/ }).click();
        await page.getByText("No requests are waiting.").waitFor();
        await page.getByText(/Decided: #\d+ approved/).waitFor();
      });
    });
  }

  {
    const wallet = clinician.browserWallet();
    await withBrowser("provider appeals", wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await openWorkspace(session, "Provider");
      await step(session, "the denial shows its reason in plain language; the provider appeals", async () => {
        const row = claimRow(session, denied);
        await row.getByText("Denied").waitFor();
        await row.getByText("The reason is sealed to you: unlock your key to read it.", { exact: false }).waitFor();
        await page.getByRole("button", { name: "Unlock with my wallet" }).click();
        await row.getByText(/Not medically necessary/).waitFor();
        await row.getByRole("button", { name: /Appeal/ }).click();
        await page.getByLabel(/Why the decision should change/).fill("Attached notes show the visit was necessary.");
        await page.getByRole("button", { name: "Send appeal" }).click();
        await confirmed(session, "Appeal");
        await row.getByText("Under appeal").waitFor();
      });
    });
  }

  {
    const wallet = insurer.browserWallet();
    await withBrowser("insurer decides the appeal", wallet, async (session) => {
      const { page } = session;
      await connectWallet(session, wallet, stack.webUrl);
      await openWorkspace(session, "Insurer");
      await step(session, "the insurer overturns the denial and pays", async () => {
        const appeal = page.getByRole("article", { name: `Appeal of claim ${denied}` });
        await appeal.getByLabel(/New allowed amount/).fill("700");
        await appeal.getByRole("button", { name: /Overturn and pay/ }).click();
        await confirmed(session, `Appeal decision on claim ${denied}`);
        const notice = appeal.getByTestId("decision-confirmed");
        await notice.getByText("Overturned: the claim is paid on an allowed amount of 700.00 cUSD.").waitFor();
        await page.waitForTimeout(1000);
        assert.ok(await notice.isVisible(), "the appeal decision's confirmation vanished by itself");
        await notice.getByRole("button", { name: /Dismiss/ }).click();
        await page.getByText("No open appeals.").waitFor();
      });
      await step(session, "the pool dashboard matches the chain", async () => {
        const onChain = await pool();
        assert.equal(onChain.balance, 4_880_000_000n);
        // 1,200 credited, plus 80 the partial approval may still win on appeal.
        assert.equal(onChain.reserved, 1_280_000_000n);
        await page.getByTestId("pool-balance").getByText("4,880.00 cUSD").waitFor();
        await page.getByTestId("pool-reserved").getByText("1,280.00 cUSD").waitFor();
        await page.getByTestId("pool-free").getByText("3,600.00 cUSD").waitFor();
        await page.getByTestId("pool-paid").getByText("120.00 cUSD").waitFor();
        const closed = page.getByTestId("decided-claim").filter({ hasText: denied });
        await closed.getByText("Closed").waitFor();
      });
      await step(session, "on a 360 px screen the insurer workspace does not scroll sideways", async () => {
        await page.setViewportSize({ width: 360, height: 800 });
        await page.getByRole("heading", { name: "Claims pool" }).waitFor();
        await assertNoSidewaysScroll(page);
      });
    });
  }
});

test("a seeded patient reads her claims in the token's own symbol", async () => {
  const alice = walletFor(DEMO_PEOPLE.alice, [localChain(stack)]);
  await withBrowser("patient reads her claims", alice, async (session) => {
    const { page } = session;
    await connectWallet(session, alice, stack.webUrl);
    await step(session, "Coverage & claims labels every amount cUSD, as the pool and the payouts do", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("tab", { name: "Coverage & claims" }).click();
      const section = page.locator("section[aria-labelledby='coverage-title']");
      await section.locator("table").first().waitFor({ timeout: 30_000 });
      const text = await section.innerText();
      assert.match(text, /\d cUSD/);
      assert.doesNotMatch(text, /USDC/);
    });
  });
});

test("the demo insurer funds its pool from what its wallet holds, told how much that is and where more comes from", async () => {
  const meridian = walletFor(DEMO_PEOPLE.meridian, [localChain(stack)]);
  await withBrowser("demo insurer funds the pool", meridian, async (session) => {
    const { page } = session;
    await connectWallet(session, meridian, stack.webUrl);
    await openWorkspace(session, "Insurer");
    let poolBefore = "";
    await step(
      session,
      "the wallet keeps what the seed did not put in the pool; the faucet says when it refills",
      async () => {
        await page.getByTestId("wallet-balance").getByText("4,000.00 cUSD").waitFor();
        await page.getByText("Your wallet holds 4,000.00 cUSD: up to that can go into the pool.").waitFor();
        await page
          .getByTestId("faucet-next")
          .getByText(/gives more at \d+ \w+ \d{4}/)
          .waitFor();
        assert.ok(await page.getByRole("button", { name: /local faucet/ }).isDisabled());
        poolBefore = await page.getByTestId("pool-balance").innerText();
      },
    );
    await step(
      session,
      "more than the wallet holds is refused with the amount held and when the faucet refills",
      async () => {
        const sent = meridian.requests.filter((r) => r.method === "eth_sendTransaction").length;
        await page.getByLabel("Amount to add (cUSD)").fill("5000");
        await page.getByRole("button", { name: "Fund pool" }).click();
        await page
          .getByText(/Your wallet holds 4,000\.00 cUSD, less than 5,000\.00 cUSD\..*The local faucet gives more at/)
          .waitFor();
        assert.equal(meridian.requests.filter((r) => r.method === "eth_sendTransaction").length, sent);
      },
    );
    await step(session, "declining the spending approval funds nothing", async () => {
      await page.getByLabel("Amount to add (cUSD)").fill("1000");
      meridian.rejectNext("eth_sendTransaction");
      await page.getByRole("button", { name: "Fund pool" }).click();
      await page.getByText("You declined the request in your wallet. Nothing was sent.").waitFor();
      assert.equal(await page.getByTestId("pool-balance").innerText(), poolBefore);
      await page.getByTestId("wallet-balance").getByText("4,000.00 cUSD").waitFor();
    });
    await step(session, "1,000 cUSD goes into the pool", async () => {
      await page.getByRole("button", { name: "Fund pool" }).click();
      await confirmed(session, "Funding");
      await page.getByTestId("wallet-balance").getByText("3,000.00 cUSD").waitFor();
      const added = Number(poolBefore.replace(/[^\d.]/g, "")) + 1000;
      const expected = `${added.toLocaleString("en-US", { minimumFractionDigits: 2 })} cUSD`;
      await page.getByTestId("pool-balance").getByText(expected).waitFor();
    });
  });
});

test("a patient reads why a claim was denied, and on a 390 px phone still sees what she owes", async () => {
  const ben = walletFor(DEMO_PEOPLE.ben, [localChain(stack)]);
  await withBrowser("patient reads a denial on a phone", ben, async (session) => {
    const { page } = session;
    await page.setViewportSize({ width: 390, height: 844 });
    await connectWallet(session, ben, stack.webUrl);
    await openWorkspace(session, "Patient");
    await page.getByRole("tab", { name: "Coverage & claims" }).click();
    await step(session, "the denied claim says why, in words, once her key is unlocked", async () => {
      const row = page.getByTestId("patient-claim").filter({ hasText: "Denied" });
      await row.getByTestId("denial-reason").getByText("unlock your key to read it", { exact: false }).waitFor();
      // The workspace's own unlock (no second one in the claims tab).
      assert.equal(await page.getByRole("button", { name: "Unlock with my wallet" }).count(), 1);
      await page.getByRole("button", { name: "Unlock with my wallet" }).click();
      await row.getByTestId("denial-reason").getByText("Not medically necessary", { exact: false }).waitFor();
      await row
        .getByText("The evidence does not show the service was medically necessary.", { exact: false })
        .waitFor();
    });
    await step(session, "every claim's 'You owe' is on screen at 390 px, nothing scrolls sideways", async () => {
      const owed = page.getByTestId("patient-claim").locator("td[data-label='You owe']");
      const count = await owed.count();
      assert.ok(count > 0, "no claims listed");
      for (let i = 0; i < count; i++) {
        await owed.nth(i).scrollIntoViewIfNeeded();
        const box = await owed.nth(i).boundingBox();
        assert.ok(
          box && box.x >= 0 && box.x + box.width <= 390,
          `'You owe' of claim ${i + 1} is off screen: ${JSON.stringify(box)}`,
        );
        // The column's name travels with the cell (the table's header row is hidden on a phone).
        const label = await owed.nth(i).evaluate((cell) => getComputedStyle(cell, "::before").content);
        assert.equal(label, '"You owe"');
      }
      await assertNoSidewaysScroll(page);
    });
  });
});
