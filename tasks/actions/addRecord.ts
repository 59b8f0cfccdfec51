import { readFile, stat } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  ACCESS_WRITE,
  Category,
  FHIR_JSON,
  FhirValidationError,
  Purpose,
  assertValidResource,
  categoryForResourceType,
  fromHex,
  keyDomainOf,
  recordRecipients,
  sealAndStore,
  type Resource,
} from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import {
  TaskError,
  eventsNamed,
  identityOf,
  parseAddress,
  parseCategory,
  required,
  send,
  withContext,
} from "../lib/context.js";
import { cidToChain, closeStores, openStores, replicated } from "../lib/records.js";

type Content = { contentType: string; fileName?: string; body: Uint8Array; category: number; describe: string };

/** Reads the file: a FHIR resource or Bundle validated by the SDK, or a PDF carried as an attachment. */
async function loadContent(file: string, categoryOption: string | undefined): Promise<Content> {
  let bytes: Uint8Array;
  try {
    if (!(await stat(file)).isFile()) throw new Error("not a file");
    bytes = new Uint8Array(await readFile(file));
  } catch {
    throw new TaskError(`--file ${file}: cannot read it. Give the path of a FHIR JSON file or a PDF.`);
  }
  const fileName = path.basename(file);
  if (new TextDecoder().decode(bytes.subarray(0, 5)) === "%PDF-") {
    return {
      contentType: "application/pdf",
      fileName,
      body: bytes,
      category: categoryOption ? parseCategory(categoryOption) : Category.Documents,
      describe: `PDF, ${bytes.length} bytes`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new TaskError(
      `--file ${fileName} is neither a PDF nor JSON. Give a FHIR R4 resource or Bundle (.json) or a PDF.`,
    );
  }
  let resource: Resource;
  try {
    resource = await assertValidResource(json);
  } catch (error) {
    if (error instanceof FhirValidationError) {
      const issues = error.issues
        .slice(0, 5)
        .map((i) => `  - ${i.path}: ${i.message}`)
        .join("\n");
      throw new TaskError(
        `--file ${fileName} is not a valid FHIR R4 resource:\n${issues}\nFix the file and try again.`,
      );
    }
    throw error;
  }
  const typeForCategory =
    resource.resourceType === "Bundle"
      ? (resource as { entry?: { resource?: Resource }[] }).entry?.[0]?.resource?.resourceType
      : resource.resourceType;
  const inferred = typeForCategory ? categoryForResourceType(typeForCategory) : undefined;
  const category = categoryOption ? parseCategory(categoryOption) : inferred;
  if (category === undefined) {
    throw new TaskError(`No category is known for ${typeForCategory ?? "an empty Bundle"}; pass --category <name>.`);
  }
  return {
    contentType: FHIR_JSON,
    body: new TextEncoder().encode(JSON.stringify(resource)),
    category,
    describe: `FHIR ${resource.resourceType}`,
  };
}

/**
 * A provider (with write consent) or the patient adds a record: validate, encrypt to the
 * patient's category key and to the author, store on IPFS, put CID + commitment on chain.
 */
export default async function addRecord(
  args: { patient?: string; file?: string; category?: string; ipfsApi: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const patient = parseAddress(args.patient, "--patient");
  const content = await loadContent(required(args.file, "--file", "observation.json"), args.category);
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(4);
    const category = content.category;
    const { key, epoch } = await progress.step("Checking the patient's key and your consent", async (note) => {
      const [publicKey, keyEpoch] = await ctx.records.categoryKey(patient, category);
      if (BigInt(publicKey) === 0n) {
        throw new TaskError(
          `Patient ${patient} has no key for category ${category} on this chain: they are not registered. ` +
            "The patient runs `careledger:register` first.",
        );
      }
      if (
        ctx.patient.toLowerCase() !== patient.toLowerCase() &&
        !(await ctx.consents.hasConsent(patient, ctx.address, category, Purpose.Treatment, ACCESS_WRITE))
      ) {
        throw new TaskError(
          `No consent: ${patient} has not given ${ctx.address} write access to category ${category} for treatment. ` +
            `The patient grants it: \`careledger:grant --grantee ${ctx.address} --categories ${category} --access read,write\`.`,
        );
      }
      note(`${content.describe} → category ${category}, key epoch ${keyEpoch}`);
      return { key: fromHex(publicKey), epoch: Number(keyEpoch) };
    });
    const author = await progress.step("Opening your identity key file (author envelope)", () => identityOf(ctx));
    const stores = await openStores(args.ipfsApi);
    try {
      const stored = await progress.step(
        `Encrypting and storing (${stores.map((s) => s.name).join(", ")})`,
        async (note) => {
          const result = await sealAndStore(replicated(stores), {
            meta: { contentType: content.contentType, ...(content.fileName ? { fileName: content.fileName } : {}) },
            body: content.body,
            bodyLength: content.body.length,
            recipients: recordRecipients({
              ...keyDomainOf(ctx.deployment),
              patient,
              author: ctx.address,
              category,
              epoch,
              categoryPublicKey: key,
              authorPublicKey: author.publicKey,
            }),
          });
          note(`CID ${result.cid} (${result.size} bytes), commitment ${result.commitment}`);
          return result;
        },
      );
      const recordId = await progress.step("Adding the record pointer on chain", async (note) => {
        const { logs } = await send(ctx, "addRecord", () =>
          ctx.records.addRecord(patient, category, cidToChain(stored.cid), stored.commitment, epoch),
        );
        const id = eventsNamed(ctx, logs, "RecordAdded")[0]!.recordId as bigint;
        note(`record id ${id}`);
        return id;
      });
      return { recordId, cid: stored.cid.toString(), commitment: stored.commitment, category };
    } finally {
      await closeStores(stores);
    }
  });
}
