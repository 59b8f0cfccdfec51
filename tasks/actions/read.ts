import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getBytes, zeroPadValue } from "ethers";

import {
  ACCESS_READ,
  CategoryKeyring,
  FHIR_JSON,
  Purpose,
  assertValidResource,
  getRecord,
  keyDomainOf,
  openKeyEnvelopes,
  openRecord,
  type X25519KeyPair,
} from "@careledger/sdk";

import { Progress } from "../../scripts/lib/progress.js";
import { TaskError, identityOf, parseId, required, view, withContext, type CareContext } from "../lib/context.js";
import { closeStores, logsSince, openStores, recordPointers, replicated, subjectOf } from "../lib/records.js";

/**
 * Reads a record: finds its pointer on chain, fetches the blob, verifies it against the on-chain
 * commitment before anything else (the SDK tries the next store on a mismatch), unwraps the
 * content key with a key the signer legitimately holds, decrypts and writes the content.
 */
export default async function read(
  args: { record?: string; out?: string; ipfsApi: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const recordId = parseId(args.record, "--record");
  const out = required(args.out, "--out", "record.json");
  return withContext(hre, args.from, async (ctx) => {
    const progress = new Progress(4);
    const { patient, category } = subjectOf(recordId);
    const stored = await view(ctx, "record", () => ctx.records.record(recordId));
    const keys = await progress.step("Collecting the keys you hold for this record", async (note) => {
      const isPatient = ctx.patient.toLowerCase() === patient.toLowerCase();
      const isAuthor = stored.author.toLowerCase() === ctx.address.toLowerCase();
      const purposes = isPatient || isAuthor ? [] : await readPurposes(ctx, patient, category);
      if (!isPatient && !isAuthor && purposes.length === 0) {
        throw new TaskError(
          `No consent: ${patient} has not given ${ctx.address} read access to category ${category} (or it expired or was revoked). ` +
            `Ask the patient to run \`careledger:grant --grantee ${ctx.address} --categories ${category}\`.`,
        );
      }
      const identity = await identityOf(ctx);
      const found: X25519KeyPair[] = [identity];
      if (isPatient) {
        const [, epoch] = await ctx.records.categoryKey(patient, category);
        found.push(...CategoryKeyring.forPatient(identity, { [category]: Number(epoch) }));
        note("you are the patient");
      } else if (!isAuthor) {
        const keyring = await grantedKeys(ctx, patient, identity);
        found.push(...keyring);
        note(`consent for ${purposes.join(", ")}; ${keyring.size} category key(s) from grants`);
      } else {
        note("you are the author");
      }
      return found;
    });
    const pointer = await progress.step("Finding the record pointer on chain", async (note) => {
      for await (const p of recordPointers(ctx, { patient })) {
        if (BigInt(p.recordId) === recordId) {
          note(`CID ${p.cid}`);
          return p;
        }
      }
      throw new TaskError(`No RecordAdded event for record ${recordId} since block ${ctx.deployment.deploymentBlock}.`);
    });
    const stores = await openStores(args.ipfsApi);
    try {
      const blob = await progress.step("Fetching and verifying against the on-chain commitment", async (note) => {
        const bytes = await getRecord(replicated(stores), pointer.cid, stored.commitment);
        note(`${bytes.length} bytes, sha-256 matches ${stored.commitment}`);
        return bytes;
      });
      const opened = await progress.step("Decrypting", async (note) => {
        let record;
        try {
          record = await openRecord(blob, keys, {
            ...keyDomainOf(ctx.deployment),
            patient,
            author: stored.author,
            category,
            epoch: Number(stored.keyEpoch),
          });
        } catch (error) {
          if ((error as { code?: string }).code === "WRONG_KEY" || (error as Error).name === "WrongKeyError") {
            throw new TaskError(
              `None of your keys opens record ${recordId}: it was written at key epoch ${stored.keyEpoch}, after your grant ended or before it was shared. Ask the patient to grant again.`,
            );
          }
          throw error;
        }
        if (record.meta.contentType === FHIR_JSON) {
          const resource = await assertValidResource(JSON.parse(new TextDecoder().decode(record.bytes)));
          note(`FHIR ${resource.resourceType}, valid`);
        } else {
          note(`${record.meta.contentType}${record.meta.fileName ? ` (${record.meta.fileName})` : ""}`);
        }
        return record;
      });
      await writeFile(out, opened.bytes);
      ctx.log(`wrote ${out} (${opened.bytes.length} bytes, ${opened.meta.contentType})`);
      return { out, contentType: opened.meta.contentType, bytes: opened.bytes.length };
    } finally {
      await closeStores(stores);
    }
  });
}

async function readPurposes(ctx: CareContext, patient: string, category: number): Promise<string[]> {
  const live: string[] = [];
  for (const [name, purpose] of Object.entries(Purpose)) {
    if (await ctx.consents.hasConsent(patient, ctx.address, category, purpose, ACCESS_READ))
      live.push(name.toLowerCase());
  }
  return live;
}

/** Opens the key envelopes from `patient` to the signer: its grants and every re-wrap after a rotation. */
async function grantedKeys(ctx: CareContext, patient: string, identity: X25519KeyPair): Promise<CategoryKeyring> {
  const keyring = new CategoryKeyring();
  // The keys of the grant itself, then those re-wrapped to this grantee when the patient rotated
  // categories it keeps reading (a revocation of someone else, a renewal): both bound alike.
  for (const name of ["ConsentGranted", "CategoryKeysRewrapped"]) {
    const event = ctx.consents.interface.getEvent(name)!;
    const topics = [event.topicHash, zeroPadValue(patient, 32), zeroPadValue(ctx.address, 32)];
    for await (const log of logsSince(ctx, ctx.deployment.contracts.ConsentManager.address, topics)) {
      const parsed = ctx.consents.interface.parseLog({ topics: [...log.topics], data: log.data })!;
      const envelopes = getBytes(parsed.args.keyEnvelopes);
      if (envelopes.length > 0)
        await openKeyEnvelopes(
          envelopes,
          identity,
          { ...keyDomainOf(ctx.deployment), patient, grantee: ctx.address },
          keyring,
        );
    }
  }
  return keyring;
}
