/**
 * Passkey custody of the identity key, in Chromium with CDP virtual authenticators (ctap2, PRF,
 * resident keys, user verification; stable PRF outputs per credential and origin). The dApp is
 * opened on `localhost`: a passkey's relying party must be a domain name, never 127.0.0.1.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { toHex, type Address, type Hex } from "viem";
import { keyCustodyCid, openKeyCustody, readKeyCustody, type KeyCustody } from "../sdk/src/crypto/passkey.js";
import { WrongKeyError } from "../sdk/src/errors.js";
import { freshActor, registerPatientWithKeys, walletIdentityOf, type Actor } from "./actors.js";
import { step, type Session } from "./browser.js";
import { careLedgerAbi, connectWallet, openWorkspace, withBrowser } from "./helpers.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

/** The dApp under another host name on the same server (`*.localhost` is loopback in Chromium). */
function onHost(host: string): string {
  const url = new URL(stack.webUrl);
  url.hostname = host;
  return url.origin;
}

/** Virtual authenticators on the session's tab, and the WebAuthn requests the dApp made since the page loaded. */
async function authenticators(session: Session) {
  await session.context.addInitScript(() => {
    const w = window as unknown as { passkeyPrompts: string[] };
    w.passkeyPrompts = [];
    const credentials = navigator.credentials;
    const get = credentials.get.bind(credentials);
    const create = credentials.create.bind(credentials);
    credentials.get = (options) => (w.passkeyPrompts.push("get"), get(options));
    credentials.create = (options) => (w.passkeyPrompts.push("create"), create(options));
  });
  const cdp = await session.context.newCDPSession(session.page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  return {
    /** An authenticator on this device ("internal") or a security key ("usb"). */
    async add(transport: "internal" | "usb", hasPrf = true): Promise<string> {
      const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
        options: {
          protocol: "ctap2",
          ctap2Version: "ctap2_1",
          transport,
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          hasPrf,
          automaticPresenceSimulation: true,
        },
      });
      return authenticatorId;
    },
    /** Whether the authenticator answers (a device at hand) or not (a device elsewhere). */
    present: (authenticatorId: string, enabled: boolean) =>
      cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled }),
    /** The person fails or refuses the fingerprint / PIN check (Chromium's authenticator then refuses for good). */
    verified: (authenticatorId: string, isUserVerified: boolean) =>
      cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified }),
    remove: (authenticatorId: string) => cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId }),
    prompts: () => session.page.evaluate(() => (window as unknown as { passkeyPrompts: string[] }).passkeyPrompts),
  };
}

async function onChain(actor: Actor) {
  const registry = actor.contract("CareRegistry") as Address;
  const [key] = (await actor.client.readContract({
    address: registry,
    abi: careLedgerAbi,
    functionName: "encryptionKey",
    args: [actor.address],
  })) as readonly [Hex, number];
  const digest = (await actor.client.readContract({
    address: registry,
    abi: careLedgerAbi,
    functionName: "keyCustody",
    args: [actor.address],
  })) as Hex;
  return { key, digest };
}

/** The key-custody document the chain points at, fetched through the dApp's storage route and checked. */
async function custodyOf(actor: Actor): Promise<{ key: Hex; custody: KeyCustody }> {
  const { key, digest } = await onChain(actor);
  assert.ok(!/^0x0+$/.test(digest), "a key-custody digest is on chain");
  const response = await fetch(`${stack.webUrl}/api/blobs/${keyCustodyCid(digest)}`);
  assert.equal(response.status, 200);
  return { key, custody: await readKeyCustody(new Uint8Array(await response.arrayBuffer()), digest) };
}

const signatures = (actor: { requests: { method: string }[] }) =>
  actor.requests.filter((r) => r.method === "eth_signTypedData_v4").length;
const transactions = (actor: { requests: { method: string }[] }) =>
  actor.requests.filter((r) => r.method === "eth_sendTransaction").length;

test("a patient keeps the key with passkeys: register, unlock after a reload with one prompt, a second passkey, removal, and nothing for another origin", async () => {
  const patient = await freshActor(stack);
  const wallet = patient.browserWallet();
  const web = onHost("localhost");
  await withBrowser("passkey patient", wallet, async (session) => {
    const { page } = session;
    const auth = await authenticators(session);
    const refusing = await auth.add("internal");
    const unlockButton = page.getByRole("button", { name: "Unlock with my passkey" });
    const passkeys = page.getByTestId("passkeys");
    await connectWallet(session, wallet, web);

    await step(session, "declining the passkey check stops registration and sends nothing", async () => {
      await openWorkspace(session, "Patient");
      await auth.verified(refusing, false);
      await page.getByRole("button", { name: "Create my key with a passkey and register" }).click();
      await page.getByRole("alert").getByText("The passkey request was declined or timed out.").waitFor();
      assert.equal(transactions(wallet), 0);
      await auth.remove(refusing);
    });
    const laptop = await auth.add("internal");

    await step(session, "declining the transaction leaves the patient unregistered, and says so", async () => {
      wallet.rejectNext("eth_sendTransaction");
      await page.getByRole("button", { name: "Create my key with a passkey and register" }).click();
      await page.getByRole("alert").getByText("You declined the request in your wallet.").waitFor();
      assert.equal((await onChain(patient)).key, `0x${"00".repeat(32)}`);
      assert.equal(await page.getByText("Registration confirmed").count(), 0);
    });

    await step(session, "registering with a passkey: one passkey creation, no signature, one transaction", async () => {
      const [signed, sent] = [signatures(wallet), transactions(wallet)];
      await page.getByRole("button", { name: "Create my key with a passkey and register" }).click();
      await page.getByTestId("patient-workspace").waitFor({ timeout: 60_000 });
      assert.equal(signatures(wallet) - signed, 0, "no wallet signature is asked for");
      assert.equal(transactions(wallet) - sent, 1, "key and custody are registered in one transaction");
      const { key, custody } = await custodyOf(patient);
      assert.equal(custody.publicKey, key.toLowerCase());
      assert.equal(custody.account, patient.address.toLowerCase());
      assert.deepEqual(
        custody.passkeys.map((p) => p.label),
        ["This device"],
      );
      // The key is random, not the wallet's: a phished wallet signature derives nothing of use.
      assert.notEqual(toHex((await walletIdentityOf(stack, patient.account)).publicKey), key.toLowerCase());
      await passkeys.getByTestId("passkey").first().waitFor();
    });

    await step(session, "after a reload, one passkey prompt unlocks the key, with no wallet signature", async () => {
      const signed = signatures(wallet);
      await page.reload();
      await unlockButton.click({ timeout: 30_000 });
      await passkeys.waitFor();
      assert.deepEqual(await auth.prompts(), ["get"]);
      assert.equal(signatures(wallet), signed);
      assert.equal(await page.getByRole("heading", { name: "Unlock your records" }).count(), 0);
    });

    const securityKey = await auth.add("usb");
    await step(session, "a second passkey (a security key) is added with one transaction", async () => {
      await auth.present(laptop, false);
      await passkeys.getByLabel("Name this passkey").fill("Security key");
      await passkeys.getByRole("button", { name: "Add another passkey" }).click();
      await page.getByText("Passkey change confirmed").waitFor({ timeout: 60_000 });
      await passkeys.getByTestId("passkey").nth(1).waitFor();
      const { custody } = await custodyOf(patient);
      assert.deepEqual(
        custody.passkeys.map((p) => p.label),
        ["This device", "Security key"],
      );
    });

    await step(session, "the security key alone unlocks after a reload (the laptop's passkey is away)", async () => {
      await page.reload();
      await unlockButton.click({ timeout: 30_000 });
      await passkeys.waitFor();
      assert.deepEqual(await auth.prompts(), ["get"]);
    });

    await step(session, "removing the laptop's passkey: it no longer unlocks", async () => {
      await passkeys.getByRole("button", { name: "Remove This device" }).click();
      await page.getByText("Passkey change confirmed").waitFor({ timeout: 60_000 });
      await passkeys.getByRole("button", { name: "Remove This device" }).waitFor({ state: "detached" });
      assert.ok(await passkeys.getByRole("button", { name: "Remove Security key" }).isDisabled(), "never the last");
      const { custody } = await custodyOf(patient);
      assert.deepEqual(
        custody.passkeys.map((p) => p.label),
        ["Security key"],
      );
      await page.reload();
      await auth.present(securityKey, false);
      await auth.present(laptop, true);
      await unlockButton.click({ timeout: 30_000 });
      await page.getByRole("alert").getByText("Not unlocked.").waitFor();
      await page.getByRole("heading", { name: "Unlock your records" }).waitFor();
    });

    await step(session, "another origin gets nothing usable from the person's passkeys", async () => {
      await auth.present(securityKey, true);
      const other = onHost("careledger.localhost");
      // The test wallet is already authorised (it does not tell sites apart); a phishing copy of the dApp.
      await page.goto(other);
      await page.getByText("Connected as").waitFor();
      await openWorkspace(session, "Patient");
      await unlockButton.click({ timeout: 30_000 });
      await page.getByRole("alert").getByText("Not unlocked.").waitFor();
      const { custody } = await custodyOf(patient);
      const held = custody.passkeys[0]!.credentialId;
      // The security key's passkey belongs to localhost: asked for from here, the authenticator has nothing.
      const asked = await page.evaluate(async (id) => {
        const raw = Uint8Array.from(atob(id.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0));
        try {
          await navigator.credentials.get({
            publicKey: {
              challenge: crypto.getRandomValues(new Uint8Array(32)),
              allowCredentials: [{ type: "public-key", id: raw }],
              timeout: 10_000,
            },
          });
          return "answered";
        } catch (error) {
          return (error as Error).name;
        }
      }, held);
      assert.equal(asked, "NotAllowedError");
      // A passkey this origin makes for itself gives another PRF secret, which opens nothing.
      const prf = await page.evaluate(async () => {
        const first = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode("x")));
        const made = (await navigator.credentials.create({
          publicKey: {
            rp: { name: "Not CareLedger" },
            user: { id: crypto.getRandomValues(new Uint8Array(16)), name: "phish", displayName: "phish" },
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            pubKeyCredParams: [{ type: "public-key", alg: -7 }],
            authenticatorSelection: { residentKey: "required", userVerification: "required" },
            extensions: { prf: { eval: { first } } } as AuthenticationExtensionsClientInputs,
          },
        })) as PublicKeyCredential;
        const out = (made.getClientExtensionResults() as { prf?: { results?: { first?: ArrayBuffer } } }).prf;
        return Array.from(new Uint8Array(out?.results?.first ?? new ArrayBuffer(0)));
      });
      assert.equal(prf.length, 32);
      await assert.rejects(
        openKeyCustody(custody, { credentialId: held, prfOutput: new Uint8Array(prf) }, custody),
        WrongKeyError,
      );
    });
  });
});

test("a provider creates its key with a passkey where it first reads, and unlocks it after a reload", async () => {
  const [provider, patient] = await Promise.all([freshActor(stack), freshActor(stack)]);
  await provider.credential("provider", "Dr Amara Passkey");
  await registerPatientWithKeys(patient);
  const wallet = provider.browserWallet();
  await withBrowser("passkey provider", wallet, async (session) => {
    const { page } = session;
    const auth = await authenticators(session);
    await auth.add("internal");
    await connectWallet(session, wallet, onHost("localhost"));
    const openRecords = async () => {
      await openWorkspace(session, "Provider");
      await page.getByLabel("Patient address").fill(patient.address);
      await page.getByRole("button", { name: "Find" }).click();
      await page.getByRole("button", { name: "Open and decrypt the records you may read" }).click();
    };
    await step(session, "a provider without a key creates one with a passkey, in one transaction", async () => {
      await openRecords();
      const sent = transactions(wallet);
      await page.getByRole("button", { name: "Create my key with a passkey" }).click();
      // Published: the unlock card gives way to the card listing the passkey that holds the key.
      await page.getByTestId("passkeys").getByTestId("passkey").first().waitFor({ timeout: 60_000 });
      assert.equal(transactions(wallet) - sent, 1);
      assert.equal(signatures(wallet), 0);
      const { key, custody } = await custodyOf(provider);
      assert.equal(custody.publicKey, key.toLowerCase());
    });
    await step(session, "after a reload the provider unlocks with one passkey prompt", async () => {
      await page.reload();
      await page.getByRole("button", { name: "Open and decrypt the records you may read" }).click({ timeout: 30_000 });
      await page.getByRole("button", { name: "Unlock with my passkey" }).click();
      await page.getByTestId("passkeys").waitFor();
      assert.deepEqual(await auth.prompts(), ["get"]);
    });
  });
});

test("without passkey PRF support the dApp says so and offers the wallet fallback with its phishing warning", async () => {
  const patient = await freshActor(stack);
  const wallet = patient.browserWallet();
  await withBrowser("passkey without prf", wallet, async (session) => {
    const { page } = session;
    const auth = await authenticators(session);
    await auth.add("internal", false);
    await connectWallet(session, wallet, onHost("localhost"));
    await step(session, "a passkey without PRF is refused with the way out named", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Create my key with a passkey and register" }).click();
      await page
        .getByRole("alert")
        .getByText(/no PRF support\)\. Use the wallet fallback/)
        .waitFor();
      assert.equal(transactions(wallet), 0);
    });
    await step(session, "the wallet fallback warns it can be phished, then registers with two signatures", async () => {
      const fallback = page.getByRole("group", { name: "No passkey support? Use a wallet signature instead" });
      assert.match(await fallback.getByTestId("wallet-key-warning").innerText(), /can be phished/);
      await fallback.getByRole("button", { name: "Register with a wallet signature" }).click();
      await page.getByTestId("patient-workspace").waitFor({ timeout: 60_000 });
      assert.equal(signatures(wallet), 2);
      const { key, digest } = await onChain(patient);
      assert.equal(key, toHex((await walletIdentityOf(stack, patient.account)).publicKey));
      assert.match(digest, /^0x0+$/);
    });
  });
});

test("a smart-contract account is refused by the wallet fallback with a clear message, before any signature", async () => {
  const account = await freshActor(stack);
  // Contract code at the address, as a smart-contract wallet has (any runtime code will do).
  await account.client.request({
    method: "hardhat_setCode" as never,
    params: [account.address, "0x600160005260206000f3"] as never,
  });
  const wallet = account.browserWallet();
  await withBrowser("contract account", wallet, async (session) => {
    const { page } = session;
    await connectWallet(session, wallet, onHost("localhost"));
    await step(session, "registering with a wallet signature names the problem and the passkey way", async () => {
      await openWorkspace(session, "Patient");
      await page.getByRole("button", { name: "Register with a wallet signature" }).click();
      await page
        .getByRole("alert")
        .getByText(/This account is a smart-contract wallet\..*Keep your key with a passkey instead\./)
        .waitFor();
      assert.equal(signatures(wallet), 0, "no signature is asked of a contract account");
      assert.equal(transactions(wallet), 0);
    });
  });
});
