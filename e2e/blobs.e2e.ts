import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { recordRecipients, sealRecord } from "../sdk/src/crypto/container.js";
import { generateKeyPair } from "../sdk/src/crypto/keys.js";
import { cidOf } from "../sdk/src/storage/blobStore.js";
import { useStack, type E2EStack } from "./stack.js";

let stack: E2EStack;
before(async () => {
  stack = await useStack();
});
after(async () => {
  await stack?.stop();
});

const upload = (body: Uint8Array | string, type = "application/octet-stream") =>
  fetch(`${stack.webUrl}/api/blobs`, {
    method: "POST",
    headers: { "content-type": type },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });

async function sealedAllergy() {
  const recipients = recordRecipients({
    chainId: stack.chainId,
    registry: `0x${"11".repeat(20)}`,
    patient: `0x${"22".repeat(20)}`,
    author: `0x${"33".repeat(20)}`,
    category: 0,
    epoch: 1,
    categoryPublicKey: generateKeyPair().publicKey,
    authorPublicKey: generateKeyPair().publicKey,
  });
  return sealRecord(
    { kind: "fhir", resource: { resourceType: "AllergyIntolerance", code: { text: "Peanut" } } as never },
    recipients,
  );
}

test("the blob route refuses anything that is not an encrypted record", async () => {
  const cases: [string, Uint8Array | string, RegExp][] = [
    ["FHIR JSON", JSON.stringify({ resourceType: "Patient", name: [{ family: "Moreau" }] }), /unencrypted JSON/],
    ["a PDF", new TextEncoder().encode("%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), /unencrypted PDF document/],
    ["random bytes without the container header", crypto.getRandomValues(new Uint8Array(512)), /not a CareLedger/],
    [
      "a container header over plaintext",
      new Uint8Array([...new TextEncoder().encode("CLRC"), 2, ...new TextEncoder().encode("a".repeat(600))]),
      /content is not encrypted/,
    ],
    [
      "a version 1 container (the old hand-made envelopes)",
      new Uint8Array([...new TextEncoder().encode("CLRC"), 1, ...crypto.getRandomValues(new Uint8Array(600))]),
      /version 1 is not supported.*reseeded/,
    ],
  ];
  for (const [what, body, reason] of cases) {
    const response = await upload(body);
    assert.equal(response.status, 415, `${what} was not refused`);
    assert.match(((await response.json()) as { error: string }).error, reason, what);
  }
  const wrongType = await upload(await sealedAllergy(), "application/json");
  assert.equal(wrongType.status, 415, "a non-octet-stream upload was accepted");
});

test("a sealed record goes to the store and comes back byte for byte", async (t) => {
  const sealed = await sealedAllergy();
  const response = await upload(sealed);
  if (response.status === 502) {
    t.skip(`no storage server behind the dApp yet: ${((await response.json()) as { error: string }).error}`);
    return;
  }
  assert.equal(response.status, 201);
  const { cid, size } = (await response.json()) as { cid: string; size: number };
  assert.equal(size, sealed.length);
  assert.match(cid, /^b[a-z2-7]+$/, "expected a CIDv1 in base32");
  const back = await fetch(`${stack.webUrl}/api/blobs/${cid}`);
  assert.equal(back.status, 200);
  assert.equal(back.headers.get("content-type"), "application/octet-stream");
  assert.deepEqual(new Uint8Array(await back.arrayBuffer()), sealed);

  const missing = await fetch(`${stack.webUrl}/api/blobs/not-a-cid`);
  assert.equal(missing.status, 400);
});

test("an upload streams through to the store: a multi-MiB record round-trips, one past the limit is cut off", async (t) => {
  // A real 5 MiB record (several 1 MiB blocks: the route forwards it after judging its first MiB).
  const recipients = recordRecipients({
    chainId: stack.chainId,
    registry: `0x${"11".repeat(20)}`,
    patient: `0x${"22".repeat(20)}`,
    author: `0x${"33".repeat(20)}`,
    category: 7,
    epoch: 1,
    categoryPublicKey: generateKeyPair().publicKey,
    authorPublicKey: generateKeyPair().publicKey,
  });
  const body = crypto.getRandomValues(new Uint8Array(65536));
  const file = new Uint8Array(5 * 1024 * 1024);
  for (let i = 0; i < file.length; i += body.length) file.set(body, i);
  const sealed = await sealRecord({ kind: "attachment", contentType: "application/pdf", bytes: file }, recipients);
  const response = await upload(sealed);
  if (response.status === 502) {
    t.skip(`no storage server behind the dApp yet: ${((await response.json()) as { error: string }).error}`);
    return;
  }
  assert.equal(response.status, 201);
  const { cid } = (await response.json()) as { cid: string };
  const back = await fetch(`${stack.webUrl}/api/blobs/${cid}`);
  assert.deepEqual(new Uint8Array(await back.arrayBuffer()), sealed);

  // Past 64 MiB without a content-length (a chunked body): refused once the limit is crossed.
  const header = sealed.subarray(0, 4096);
  let sent = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent > 70 * 1024 * 1024) return controller.close();
      const chunk = sent === 0 ? header : crypto.getRandomValues(new Uint8Array(65536));
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  const tooLarge = await fetch(`${stack.webUrl}/api/blobs`, {
    method: "POST",
    headers: { "content-type": "application/octet-stream" },
    body: endless,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  assert.equal(tooLarge.status, 413);
  assert.match(((await tooLarge.json()) as { error: string }).error, /limited to 64 MiB/);
});

test("every page carries a strict Content-Security-Policy with a fresh nonce, and the route's CID is the bytes' CID", async (t) => {
  const policies: string[] = [];
  for (const route of ["/", "/patient", "/provider"]) {
    const page = await fetch(`${stack.webUrl}${route}`);
    const policy = page.headers.get("content-security-policy") ?? "";
    assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/, route);
    assert.match(policy, /object-src 'none'/, route);
    assert.match(policy, /frame-ancestors 'none'/, route);
    assert.doesNotMatch(policy, /script-src[^;]*'unsafe-inline'/, route);
    // Next.js puts the request's nonce on its own inline scripts.
    const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
    assert.ok((await page.text()).includes(`nonce="${nonce}"`), `${route}: scripts carry the nonce`);
    policies.push(nonce);
  }
  assert.equal(new Set(policies).size, policies.length, "a nonce is never reused");

  const sealed = await sealedAllergy();
  const response = await upload(sealed);
  if (response.status === 502) return t.skip("no storage server behind the dApp yet");
  const { cid } = (await response.json()) as { cid: string };
  assert.equal(cid, (await cidOf(sealed)).toString(), "the route answers the unixfs-v1-2025 CID of what it stored");
});
