/**
 * Web bench (issue 6): first-load JavaScript per route (gzip) and the time for the patient timeline
 * to show 200 decrypted records. Uses the running e2e stack when CARELEDGER_E2E_* is set, else
 * starts one (chain + deploy + storage + next build/start on 8545/3000).
 *
 *   node --import tsx bench/web.ts          → prints a table, writes bench/web.json
 *
 * First load = every <script src> (not `nomodule`) of the route's server-rendered HTML, fetched
 * from `next start` and gzipped (level 9); lazy chunks loaded after hydration are not counted.
 * Timeline = a fresh patient with 200 FHIR records (sealed with the SDK, stored through /api/blobs,
 * pointed to on chain in batches of 20); Chromium (playwright-core) with the patient's wallet
 * clicks "Unlock with my wallet" and waits for "200 of 200 records decrypted". Measured from the
 * click (two wallet signatures included) to that text.
 * Upload = a credentialed provider with write consent uploads a 20 MiB PDF in the dApp: from the
 * click on "Encrypt and upload" to "Documents confirmed in block" (encryption, the upload through
 * /api/blobs, the CID recomputed in the browser, addRecord mined), as a multiple of the time the
 * same page takes to AES-256-GCM-encrypt and SHA-256-hash the same bytes right after (target ≤ 3×).
 * BENCH_WEB_PROFILE=<dir>: also records Chromium CPU profiles of the timeline and the upload
 * (timeline.cpuprofile, upload.cpuprofile; open them in Chrome DevTools) and prints the functions
 * with the most self time in each. Profiling slows the page, so those runs' times are not results.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import {
  buildAllergyIntolerance,
  buildCondition,
  buildImmunization,
  buildMedicationStatement,
  buildObservation,
} from "../sdk/src/fhir/builders.js";
import { demoPdf } from "../sdk/src/fhir/builders.js";
import { Purpose } from "../sdk/src/protocol/constants.js";
import { freshActor, grantAll, registerPatientWithKeys } from "../e2e/actors.js";
import { connectWallet, openWorkspace, withBrowser } from "../e2e/helpers.js";
import { newActor, sealForPatient } from "../e2e/patient-world.js";
import { useStack } from "../e2e/stack.js";

const ROUTES = ["/", "/patient", "/provider", "/insurer", "/authority", "/records"];
const RECORDS = Number(process.env.BENCH_WEB_RECORDS ?? 200);
const TARGET_KB = 250;
/** Issue 18: 200 records shown within 1.0 s of the click (issue 6 had asked 3 s). */
const TARGET_MS = 1000;
const UPLOAD_BYTES = 20 * 1024 * 1024;
const UPLOAD_TARGET_MULTIPLE = 3;

const PROFILE_DIR = process.env.BENCH_WEB_PROFILE;

/** Starts a CPU profile of the page when BENCH_WEB_PROFILE is set; the returned stop writes it. */
async function profile(page: import("playwright-core").Page, name: string) {
  if (!PROFILE_DIR) return async () => undefined;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  await cdp.send("Profiler.start");
  return async () => {
    const { profile: data } = await cdp.send("Profiler.stop");
    await mkdir(PROFILE_DIR, { recursive: true });
    await writeFile(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(data));
    const dt = new Map<number, number>();
    data.samples?.forEach((id, i) => dt.set(id, (dt.get(id) ?? 0) + (data.timeDeltas?.[i] ?? 0)));
    const self = new Map<string, number>();
    for (const node of data.nodes) {
      const f = node.callFrame;
      const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").pop()}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + (dt.get(node.id) ?? 0) / 1000);
    }
    console.log(`\n${name}: most self time (ms, sampled)`);
    for (const [key, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
      console.log(`${ms.toFixed(1).padStart(8)}  ${key}`);
    }
  };
}

const stack = await useStack();
try {
  // 1. First-load JS per route.
  const sizes: { route: string; scripts: number; gzipKB: number }[] = [];
  const cache = new Map<string, number>();
  for (const route of ROUTES) {
    const html = await (await fetch(new URL(route, stack.webUrl))).text();
    const srcs = [...html.matchAll(/<script\b([^>]*)>/g)]
      .map((m) => m[1])
      .filter((attrs) => !/\bnomodule\b/i.test(attrs))
      .map((attrs) => /\bsrc="([^"]+)"/.exec(attrs)?.[1])
      .filter((s): s is string => Boolean(s));
    let total = 0;
    for (const src of new Set(srcs)) {
      if (!cache.has(src)) {
        const body = new Uint8Array(await (await fetch(new URL(src, stack.webUrl))).arrayBuffer());
        cache.set(src, gzipSync(body, { level: 9 }).length);
      }
      total += cache.get(src)!;
    }
    sizes.push({ route, scripts: new Set(srcs).size, gzipKB: Math.round((total / 1024) * 10) / 10 });
  }

  // 2. A fresh patient with RECORDS records.
  const patient = await newActor(stack);
  await patient.registerAsPatient();
  const ctx = { patient: { reference: `Patient/${patient.address}` } };
  const builders = [
    () => buildAllergyIntolerance(ctx, "peanut"),
    () => buildMedicationStatement(ctx, "metformin"),
    () => buildCondition(ctx, "diabetes"),
    () => buildImmunization(ctx, "influenza"),
    () => buildObservation(ctx, "hba1c", 5 + Math.round(Math.random() * 30) / 10),
  ];
  const sealStart = performance.now();
  const sealed = [];
  for (let i = 0; i < RECORDS; i += 10) {
    sealed.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(10, RECORDS - i) }, (_, j) =>
          sealForPatient(stack, patient, patient.address, {
            kind: "fhir",
            resource: builders[(i + j) % builders.length](),
          }),
        ),
      )),
    );
  }
  for (let i = 0; i < sealed.length; i += 20) {
    await patient.send({
      address: patient.contract("RecordRegistry"),
      functionName: "addRecords",
      args: [patient.address, sealed.slice(i, i + 20)],
    });
  }
  const seedMs = Math.round(performance.now() - sealStart);

  // 3. Time to 200 decrypted records in Chromium.
  let timelineMs = NaN;
  let fromOpenMs = NaN;
  let blobNote = "";
  let rpcNote = "";
  const wallet = patient.browserWallet();
  await withBrowser("bench timeline", wallet, async (session) => {
    const { page } = session;
    await connectWallet(session, wallet, stack.webUrl);
    const blobTimes: number[] = [];
    const rpcTimes: number[] = [];
    page.on("requestfinished", (request) => {
      if (request.url().includes("/api/blobs/")) blobTimes.push(performance.now());
      else if (request.method() === "POST" && request.url().startsWith(stack.rpcUrl)) rpcTimes.push(performance.now());
    });
    const opened = performance.now();
    await openWorkspace(session, "Patient");
    const unlock = page.getByRole("button", { name: "Unlock with my wallet" });
    await unlock.waitFor({ timeout: 30_000 });
    const stopProfile = await profile(page, "timeline");
    const start = performance.now();
    await unlock.click();
    await page.getByText(`${RECORDS} of ${RECORDS} records decrypted in this browser.`).waitFor({ timeout: 120_000 });
    timelineMs = Math.round(performance.now() - start);
    await stopProfile();
    fromOpenMs = Math.round(performance.now() - opened);
    const before = blobTimes.filter((t) => t < start).length;
    rpcNote = `${rpcTimes.filter((t) => t >= start).length} RPC requests after the click, last at ${Math.round((rpcTimes.at(-1) ?? start) - start)} ms`;
    const rel = (t: number | undefined) => (t === undefined ? "—" : `${Math.round(t - start)} ms`);
    blobNote = `${blobTimes.length} requests to /api/blobs (batched, 50 blobs each; every blob verified against its commitment), ${before} of them while the unlock button was shown; first answered at ${rel(blobTimes[0])}, last at ${rel(blobTimes.at(-1))} after the click`;
  });

  // 4. A 20 MiB PDF uploaded by a provider, against the same browser's AES-GCM + SHA-256 of it.
  type Phases = { sealedAndSendingMs: number; storedMs: number; confirmedMs: number };
  let upload: { ms: number; cryptoMs: number; multiple: number; ok: boolean; phases: Phases } | { error: string };
  try {
    const clinician = await freshActor(stack);
    await clinician.credential("provider");
    const owner = await freshActor(stack);
    await registerPatientWithKeys(owner);
    await grantAll(owner, clinician.address, Purpose.Treatment, 3);
    const head = demoPdf("CareLedger bench: a 20 MiB scan");
    const pdf = new Uint8Array(UPLOAD_BYTES);
    pdf.set(head);
    for (let i = head.length; i < pdf.length; i += 65536) crypto.getRandomValues(pdf.subarray(i, i + 65536));
    const clinicianWallet = clinician.browserWallet();
    let measured: { ms: number; cryptoMs: number; phases: Phases } | undefined;
    await withBrowser("bench upload", clinicianWallet, async (session) => {
      const { page } = session;
      await connectWallet(session, clinicianWallet, stack.webUrl);
      await openWorkspace(session, "Provider");
      await page.getByLabel("Patient address").fill(owner.address);
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await page.getByRole("heading", { name: "Records on chain" }).waitFor({ timeout: 60_000 });
      await page.getByRole("button", { name: "Upload PDF or image" }).click();
      await page
        .getByLabel("Documents", { exact: true })
        .setInputFiles({ name: "scan.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
      await page.getByText("scan.pdf").waitFor();
      // Where the time goes: the POST to /api/blobs (sent once the browser has sealed the file,
      // answered once the store has imported and pinned it); the rest is the commitment, the
      // test wallet's signature and the transaction until its receipt.
      const marks: { blobSent?: number; blobAnswered?: number } = {};
      page.on("request", (request) => {
        if (request.method() === "POST" && new URL(request.url()).pathname === "/api/blobs")
          marks.blobSent ??= performance.now();
      });
      page.on("requestfinished", (request) => {
        if (request.method() === "POST" && new URL(request.url()).pathname === "/api/blobs")
          marks.blobAnswered ??= performance.now();
      });
      const stopProfile = await profile(page, "upload");
      const start = performance.now();
      await page.getByRole("button", { name: "Encrypt and upload" }).click();
      await page.getByText(/Documents confirmed in block/).waitFor({ timeout: 180_000 });
      const ms = Math.round(performance.now() - start);
      await stopProfile();
      // The same bytes' AES-GCM and SHA-256 in the same page (best of three, after a warm-up).
      // A string, not a function: tsx would wrap a function's inner functions in a helper the page lacks.
      const cryptoMs = (await page.evaluate(`(async (size) => {
        const bytes = new Uint8Array(size);
        for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
        const key = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt"]);
        const iv = crypto.getRandomValues(new Uint8Array(12));
        const once = async () => {
          const t = performance.now();
          await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes);
          await crypto.subtle.digest("SHA-256", bytes);
          return performance.now() - t;
        };
        await once();
        return Math.min(await once(), await once(), await once());
      })(${UPLOAD_BYTES})`)) as number;
      const at = (t: number | undefined) => (t === undefined ? NaN : Math.round(t - start));
      measured = {
        ms,
        cryptoMs: Math.round(cryptoMs),
        phases: {
          sealedAndSendingMs: at(marks.blobSent),
          storedMs: at(marks.blobAnswered),
          confirmedMs: ms,
        },
      };
    });
    const { ms, cryptoMs, phases } = measured!;
    const multiple = +(ms / cryptoMs).toFixed(1);
    upload = { ms, cryptoMs, multiple, ok: multiple <= UPLOAD_TARGET_MULTIPLE, phases };
  } catch (error) {
    upload = { error: (error as Error).message.split("\n")[0]! };
  }

  const rows = sizes.map((s) => ({ ...s, ok: s.gzipKB <= TARGET_KB }));
  console.log("\nFirst-load JavaScript (gzip)");
  console.log("route        scripts   gzip kB   ≤ 250 kB");
  for (const r of rows) {
    console.log(
      `${r.route.padEnd(12)} ${String(r.scripts).padStart(7)}   ${r.gzipKB.toFixed(1).padStart(7)}   ${r.ok ? "yes" : "NO"}`,
    );
  }
  console.log(
    `\nPatient timeline: ${RECORDS} records decrypted and shown in ${timelineMs} ms (target ≤ ${TARGET_MS} ms: ${timelineMs <= TARGET_MS ? "yes" : "NO"})`,
  );
  console.log(`(from opening the Patient page, unlock included: ${fromOpenMs} ms; ${blobNote})`);
  console.log(`(${rpcNote})`);
  console.log(`(seeding ${RECORDS} records took ${seedMs} ms, not counted)`);
  console.log(
    "error" in upload
      ? `\n20 MiB PDF upload: not measured (${upload.error})`
      : `\n20 MiB PDF upload, click to confirmed addRecord: ${upload.ms} ms = ${upload.multiple}× the ${upload.cryptoMs} ms this browser takes to AES-GCM-encrypt and SHA-256-hash it (target ≤ ${UPLOAD_TARGET_MULTIPLE}×: ${upload.ok ? "yes" : "NO"})` +
          `\n(after the click: sealed and sending to /api/blobs at ${upload.phases.sealedAndSendingMs} ms, stored and pinned at ${upload.phases.storedMs} ms, addRecord confirmed at ${upload.phases.confirmedMs} ms)`,
  );
  const result = {
    date: new Date().toISOString(),
    firstLoadJs: { targetKB: TARGET_KB, routes: rows },
    patientTimeline: {
      records: RECORDS,
      ms: timelineMs,
      fromOpeningThePageMs: fromOpenMs,
      note: `measured from the click on "Unlock with my wallet" (two signatures, key derivation, decryption of every record, rendering); ${blobNote}`,
      targetMs: TARGET_MS,
      ok: timelineMs <= TARGET_MS,
    },
    upload20MiB: {
      bytes: UPLOAD_BYTES,
      note: 'from the click on "Encrypt and upload" to "Documents confirmed in block", as a multiple of the same page\'s AES-256-GCM encrypt + SHA-256 of the same size (best of three)',
      targetMultiple: UPLOAD_TARGET_MULTIPLE,
      ...upload,
    },
  };
  await writeFile(path.join(import.meta.dirname, "web.json"), `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await stack.stop();
}
