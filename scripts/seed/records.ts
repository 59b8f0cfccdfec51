/**
 * Clinical records, written as the providers' browsers would: FHIR R4 resources built with the
 * SDK's coded builders (SNOMED CT, LOINC, RxNorm, CVX, UCUM), sealed to the patient's on-chain
 * category key and to the author, stored through the Kubo RPC of the embedded IPFS store, then
 * pointed to on chain with one `addRecords` batch per author and patient.
 */
import type { Address } from "viem";

import {
  Category,
  buildAllergyIntolerance,
  buildBloodPressure,
  buildCondition,
  buildDiagnosticReport,
  buildDocumentReference,
  buildEncounter,
  buildImmunization,
  buildMedicationStatement,
  buildObservation,
  buildPatient,
  categoryOf,
  demoPatientHistory,
  demoPdf,
  fromHex,
  keyDomainOf,
  toHex,
  walletIdentifier,
  writeAttachmentRecord,
  writeFhirRecord,
  type BlobStore,
  type DemoContext,
  type Resource,
  type WrittenRecord,
} from "@careledger/sdk";

import type { Person, SeedChain } from "./chain.js";
import type { Epochs } from "./consents.js";
import { DAY, type DemoPeople } from "./people.js";

export interface SeededRecord {
  recordId: bigint;
  patient: Person;
  author: Person;
  category: number;
  keyEpoch: number;
  /** FHIR resource type, or the attachment's content type. */
  kind: string;
  label: string;
  cid: string;
  commitment: `0x${string}`;
}

/** One record to write: a FHIR resource, or a file carried as an attachment. */
type Draft =
  | { author: Person; label: string; resource: Resource }
  | {
      author: Person;
      label: string;
      file: { category: number; contentType: string; fileName: string; body: Uint8Array };
    };

const isoDaysAgo = (now: bigint, days: number) =>
  new Date(Number(now - BigInt(days) * DAY) * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

export function reference(chain: SeedChain, person: Person) {
  return { identifier: walletIdentifier(person.address, chain.chainId), display: person.name };
}

/** Each patient's history, with who wrote what: the GP the visits and summaries, the lab the results. */
function histories(chain: SeedChain, people: DemoPeople, now: bigint): Map<Person, Draft[]> {
  const { okafor, northside, alice, ben, chloe } = people;
  const ctx = (patient: Person, author: Person, daysAgo: number): DemoContext => ({
    patient: reference(chain, patient),
    performer: reference(chain, author),
    when: isoDaysAgo(now, daysAgo),
  });
  // Laboratory results and reports come from the lab; vitals, visits and everything else from the GP.
  const isLabWork = (resource: Resource) =>
    resource.resourceType === "DiagnosticReport" ||
    (resource.resourceType === "Observation" && resource.category?.[0]?.coding?.[0]?.code === "laboratory");

  // Alice, 58: hypertension and type 2 diabetes — the SDK's reference history, labs by Northside.
  const aliceHistory: Draft[] = demoPatientHistory(ctx(alice, okafor, 0)).map(({ resource }) => {
    const author = isLabWork(resource) ? northside : okafor;
    const withAuthor = retarget(resource, reference(chain, author));
    return { author, label: describe(withAuthor), resource: withAuthor };
  });
  aliceHistory.push({
    author: northside,
    label: "Lab report (PDF)",
    file: {
      category: Category.Documents,
      contentType: "application/pdf",
      fileName: "northside-labs-hba1c-report.pdf",
      body: demoPdf("Northside Labs - HbA1c 6.8 % - reference 4.0-5.6 % - Alice Moreau"),
    },
  });

  // Ben, 41: asthma, penicillin allergy, borderline cholesterol.
  const benHistory: Draft[] = [
    { author: okafor, resource: buildAllergyIntolerance(ctx(ben, okafor, 1200), "penicillin") },
    { author: okafor, resource: buildCondition(ctx(ben, okafor, 2000), "asthma") },
    { author: okafor, resource: buildMedicationStatement(ctx(ben, okafor, 1990), "albuterol") },
    { author: okafor, resource: buildImmunization(ctx(ben, okafor, 700), "tdap") },
    { author: okafor, resource: buildImmunization(ctx(ben, okafor, 150), "covid19") },
    { author: okafor, resource: buildObservation(ctx(ben, okafor, 12), "heartRate", 76) },
    { author: okafor, resource: buildObservation(ctx(ben, okafor, 12), "bodyWeight", 84.2) },
    { author: okafor, resource: buildEncounter(ctx(ben, okafor, 12), "asthma") },
    {
      author: okafor,
      resource: buildDocumentReference(ctx(ben, okafor, 12), {
        contentType: "application/pdf",
        data: demoPdf("Asthma action plan - Ben Carter - Dr. Amara Okafor"),
        title: "Asthma action plan",
      }),
    },
    { author: northside, resource: buildObservation(ctx(ben, northside, 10), "cholesterol", 228) },
    { author: northside, resource: buildObservation(ctx(ben, northside, 10), "glucose", 94) },
    {
      author: northside,
      resource: buildDiagnosticReport(
        ctx(ben, northside, 9),
        [],
        "Total cholesterol above target; fasting glucose normal.",
      ),
    },
  ].map((d) => ({ ...d, label: describe(d.resource) }));

  // Chloe, 9: peanut allergy and asthma.
  const chloeHistory: Draft[] = [
    { author: okafor, resource: buildAllergyIntolerance(ctx(chloe, okafor, 1500), "peanut") },
    { author: okafor, resource: buildCondition(ctx(chloe, okafor, 800), "asthma") },
    { author: okafor, resource: buildMedicationStatement(ctx(chloe, okafor, 790), "albuterol") },
    { author: okafor, resource: buildImmunization(ctx(chloe, okafor, 60), "influenza") },
    { author: okafor, resource: buildImmunization(ctx(chloe, okafor, 400), "tdap") },
    { author: okafor, resource: buildBloodPressure(ctx(chloe, okafor, 20), 102, 64) },
    { author: okafor, resource: buildObservation(ctx(chloe, okafor, 20), "bodyWeight", 31.4) },
    { author: okafor, resource: buildEncounter(ctx(chloe, okafor, 20), "asthma") },
    { author: northside, resource: buildObservation(ctx(chloe, northside, 18), "glucose", 88) },
    {
      author: northside,
      resource: buildDiagnosticReport(ctx(chloe, northside, 17), [], "Metabolic panel within normal limits."),
    },
  ].map((d) => ({ ...d, label: describe(d.resource) }));

  // Each patient's own Patient resource: the one place their name is written, encrypted to the
  // Encounters key, so only those they granted that category read it (never on chain, not in the directory).
  const own = (patient: Person, details: { birthDate: string; gender: "male" | "female" }): Draft => {
    const [given, ...family] = patient.name.split(" ");
    const resource = buildPatient({
      identifier: walletIdentifier(patient.address, chain.chainId),
      given: [given!],
      family: family.join(" "),
      ...details,
    });
    return { author: patient, label: `Patient: ${patient.name}`, resource };
  };
  return new Map([
    [alice, [own(alice, { birthDate: "1968-03-14", gender: "female" }), ...aliceHistory]],
    [ben, [own(ben, { birthDate: "1985-07-02", gender: "male" }), ...benHistory]],
    [chloe, [own(chloe, { birthDate: "2017-05-21", gender: "female" }), ...chloeHistory]],
  ]);
}

/** demoPatientHistory names one performer; the lab's results name the lab. */
function retarget(resource: Resource, performer: ReturnType<typeof reference>): Resource {
  const r = structuredClone(resource) as Resource & Record<string, unknown>;
  if ("performer" in r) r.performer = [performer];
  if ("recorder" in r) r.recorder = performer;
  if ("author" in r) r.author = [performer];
  if ("informationSource" in r) r.informationSource = performer;
  if (r.resourceType === "Encounter") r.participant = [{ individual: performer }];
  return r;
}

/** A short human label: "Observation: Hemoglobin A1c … 6.8 %". */
export function describe(resource: Resource): string {
  const r = resource as Record<string, unknown> & { resourceType: string };
  const text = (cc: unknown) =>
    (cc as { text?: string; coding?: { display?: string }[] } | undefined)?.text ??
    (cc as { coding?: { display?: string }[] })?.coding?.[0]?.display;
  const name =
    text(r.code) ??
    text(r.vaccineCode) ??
    text(r.medicationCodeableConcept) ??
    text(r.type && Array.isArray(r.type) ? r.type[0] : r.type) ??
    (r.description as string | undefined) ??
    "";
  const q = r.valueQuantity as { value?: number; unit?: string } | undefined;
  return `${r.resourceType}: ${name}${q ? ` ${q.value} ${q.unit}` : ""}`.slice(0, 90);
}

export interface RecordWriter {
  chain: SeedChain;
  people: DemoPeople;
  store: BlobStore;
  epochs: Epochs;
}

/**
 * Encrypts and stores every draft (in parallel), then adds the pointers with one `addRecords`
 * per (patient, author) — batches of at most MAX_BATCH.
 */
export async function writeRecords(writer: RecordWriter, patient: Person, drafts: Draft[]): Promise<SeededRecord[]> {
  const { chain, people, store } = writer;
  const categoryKeys = new Map<number, { publicKey: `0x${string}`; epoch: number }>();
  const categoryKey = async (category: number) => {
    // A writer encrypts to what the chain says is the patient's current key of the category.
    if (!categoryKeys.has(category)) {
      const [publicKey, epoch] = await chain.read<[`0x${string}`, number]>("RecordRegistry", "categoryKey", [
        patient.address,
        category,
      ]);
      categoryKeys.set(category, { publicKey, epoch: Number(epoch) });
    }
    return categoryKeys.get(category)!;
  };

  const written = await Promise.all(
    drafts.map(async (draft): Promise<{ draft: Draft; stored: WrittenRecord; epoch: number }> => {
      const category = "resource" in draft ? categoryOf(draft.resource) : draft.file.category;
      const key = await categoryKey(category);
      const target = {
        store,
        categoryPublicKey: fromHex(key.publicKey),
        epoch: key.epoch,
        authorPublicKey: people.keys.get(draft.author.address)!.publicKey,
        binding: { ...keyDomainOf(chain.deployment), patient: patient.address, author: draft.author.address },
      };
      const stored =
        "resource" in draft
          ? await writeFhirRecord({ ...target, resource: draft.resource })
          : await writeAttachmentRecord({ ...target, ...draft.file, bodyLength: draft.file.body.length });
      return { draft, stored, epoch: key.epoch };
    }),
  );

  const maxBatch = Number(await chain.read<bigint>("RecordRegistry", "MAX_BATCH"));
  const byAuthor = new Map<Address, typeof written>();
  for (const w of written) byAuthor.set(w.draft.author.address, [...(byAuthor.get(w.draft.author.address) ?? []), w]);

  const seeded: SeededRecord[] = [];
  await Promise.all(
    [...byAuthor.values()].map(async (items) => {
      for (let i = 0; i < items.length; i += maxBatch) {
        const batch = items.slice(i, i + maxBatch);
        const author = batch[0]!.draft.author;
        const receipt = await chain.send(author, "RecordRegistry", "addRecords", [
          patient.address,
          batch.map(({ stored, epoch }) => ({
            category: stored.category,
            keyEpoch: epoch,
            commitment: stored.commitment,
            // CIDs go on chain in their binary form (CIDv1, 36 bytes for sha2-256), as the dApp and tasks write them.
            cid: toHex(stored.cid.bytes),
          })),
        ]);
        const added = chain.events<{ recordId: bigint }>(receipt, "RecordAdded");
        batch.forEach(({ draft, stored, epoch }, k) =>
          seeded.push({
            recordId: added[k]!.recordId,
            patient,
            author,
            category: stored.category,
            keyEpoch: epoch,
            kind: "resource" in draft ? draft.resource.resourceType : draft.file.contentType,
            label: draft.label,
            cid: stored.cid.toString(),
            commitment: stored.commitment,
          }),
        );
      }
    }),
  );
  return seeded;
}

/** Writes every patient's history. */
export async function seedRecords(writer: RecordWriter, note: (detail: string) => void): Promise<SeededRecord[]> {
  const now = await writer.chain.now();
  const all: SeededRecord[] = [];
  for (const [patient, drafts] of histories(writer.chain, writer.people, now)) {
    const seeded = await writeRecords(writer, patient, drafts);
    const authors = [...new Set(seeded.map((r) => r.author.name))].join(" and ");
    note(`${patient.name}: ${seeded.length} encrypted records by ${authors}`);
    all.push(...seeded);
  }
  return all;
}

/** The GP's follow-up for Chloe after she revoked the lab: wrapped to the rotated key. */
export async function seedFollowUp(writer: RecordWriter): Promise<SeededRecord[]> {
  const { chain, people } = writer;
  const now = await chain.now();
  const { chloe, okafor } = people;
  const resource = buildObservation(
    { patient: reference(chain, chloe), performer: reference(chain, okafor), when: isoDaysAgo(now, 1) },
    "heartRate",
    84,
  );
  return writeRecords(writer, chloe, [
    { author: okafor, label: `${describe(resource)} (after the lab's revocation)`, resource },
  ]);
}
