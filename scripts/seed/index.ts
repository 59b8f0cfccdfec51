/**
 * The demo world `npm start` and the browser tests run after deploying: people with roles and
 * keys, encrypted FHIR records on the embedded IPFS store, consents (one gasless, one expiring,
 * one revoked), a guardian, and an insurer with a funded pool and claims paid, pending and denied.
 * The chain is fresh on every start, so this is not idempotent; the store persists, and putting
 * the same blob again is harmless (same bytes, same CID).
 */
import { KuboBlobStore, Purpose, claimLabel } from "@careledger/sdk";

import type { DeploymentFile } from "../lib/deployments.js";
import { SeedChain } from "./chain.js";
import { CUSD, seedClaims, type SeededInsurance } from "./claims.js";
import { ConsentBook, PURPOSE_NAMES, seedConsents, type SeededConsent } from "./consents.js";
import { seedPeople, type DemoPeople, type SeedKeys } from "./people.js";
import { DEFAULT_KEY_DIR, DEMO_KEY_PASSPHRASE } from "../lib/keyFiles.js";
import { seedFollowUp, seedRecords, type SeededRecord } from "./records.js";
import { verifySeededBlobs, type BlobCheck } from "./verify.js";

export interface SeedOptions {
  rpcUrl: string;
  deployment: DeploymentFile;
  /** Kubo-compatible RPC URL of the store the records go to (the embedded one: `stack.ipfsApiUrl`). */
  ipfsApiUrl: string;
  /** The people's encrypted key files (default: written to .careledger/keys for the tasks). */
  keys?: SeedKeys;
  /** One line per seeded item, e.g. Progress's `note`. */
  onProgress?: (detail: string) => void;
}

export interface DemoWorld {
  people: DemoPeople;
  records: SeededRecord[];
  consents: SeededConsent[];
  insurance: SeededInsurance;
  blobs: BlobCheck;
  transactions: number;
  durationMs: number;
  /** A short who-has-what table for the console. */
  summary: string[];
}

export async function seedDemoWorld(options: SeedOptions): Promise<DemoWorld> {
  const started = performance.now();
  const note = options.onProgress ?? (() => {});
  const chain = new SeedChain(options.deployment, options.rpcUrl);
  const store = new KuboBlobStore({ url: options.ipfsApiUrl, name: "embedded store" });

  const keys = options.keys ?? { dir: DEFAULT_KEY_DIR };
  const people = await seedPeople(chain, note, keys);
  const book = new ConsentBook(chain, people);
  await seedConsents(book, people, note);

  const writer = { chain, people, store, epochs: book.epochs };
  const records = await seedRecords(writer, note);

  // Chloe revokes the lab: in the same transaction her lab categories move to new keys, re-wrapped
  // to her GP (who keeps reading); the GP's next record is one the lab can no longer open.
  const { chloe, northside } = people;
  const { rotated, rewrappedTo } = await book.revokeAndRotate(chloe, northside, Purpose.Treatment);
  records.push(...(await seedFollowUp(writer)));
  note(
    `${chloe.name} revoked ${northside.name}; categories ${rotated.join(", ")} rotated to epoch 2 and re-wrapped to ` +
      `${rewrappedTo.map((p) => p.name).join(", ") || "nobody"}; 1 record written after`,
  );

  const insurance = await seedClaims(chain, people, records, note);

  const blobs = await verifySeededBlobs(chain, store, records.length);
  note(`${blobs.records} blobs fetched from the store and verified against their on-chain commitments`);

  const world: DemoWorld = {
    people,
    records,
    consents: book.consents,
    insurance,
    blobs,
    transactions: chain.transactions,
    durationMs: Math.round(performance.now() - started),
    summary: [],
  };
  world.summary = summarize(world);
  if (!keys.fromFiles) {
    world.summary.push(`key files for the tasks: ${keys.dir} (passphrase "${keys.passphrase ?? DEMO_KEY_PASSPHRASE}")`);
  }
  return world;
}

function summarize(world: DemoWorld): string[] {
  const { people, records, consents, insurance } = world;
  const rows: [string, string][] = [
    [people.authority.name, `credentialed ${people.okafor.name}, ${people.northside.name}, ${people.meridian.name}`],
  ];
  for (const provider of [people.okafor, people.northside]) {
    const wrote = records.filter((r) => r.author === provider);
    const paid = insurance.claims.filter((c) => c.provider === provider);
    rows.push([
      provider.name,
      `wrote ${wrote.length} records; claims ${paid.map((c) => `${claimLabel(c.claimId)} ${c.status}`).join(", ")}`,
    ]);
  }
  rows.push([
    people.meridian.name,
    `plan ${insurance.planId}, pool ${insurance.poolFunded / CUSD} cUSD, ${insurance.coverage.size} members`,
  ]);
  for (const patient of [people.alice, people.ben, people.chloe]) {
    const own = records.filter((r) => r.patient === patient);
    const grants = consents
      .filter((c) => c.patient === patient)
      .map((c) => {
        const flags = [c.revoked ? "revoked" : "", c.note ?? ""].filter(Boolean).join(", ");
        return `${c.grantee.name} (${PURPOSE_NAMES[c.purpose]}${flags ? `, ${flags}` : ""})`;
      });
    rows.push([patient.name, `${own.length} records; consents: ${grants.join("; ")}`]);
  }
  rows.push([people.daniel.name, `guardian of ${people.chloe.name}; holds her emergency summary keys`]);
  rows.push([people.relayer.name, `submitted ${people.alice.name}'s gasless grant to ${people.northside.name}`]);
  const width = Math.max(...rows.map(([who]) => who.length));
  return [
    `${"who".padEnd(width)}  what`,
    ...rows.map(([who, what]) => `${who.padEnd(width)}  ${what}`),
    `${world.transactions} transactions, ${world.blobs.records} blobs verified, ${(world.durationMs / 1000).toFixed(1)} s`,
  ];
}

export { DEMO_ACCOUNTS, demoAccount, demoWallet } from "./accounts.js";
