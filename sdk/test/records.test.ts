import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { randomBytes } from "../src/bytes.js";
import { CategoryKeyring, deriveCategoryKey } from "../src/crypto/categoryKeys.js";
import { grantKeyEnvelopes, openKeyEnvelopes } from "../src/crypto/grants.js";
import { identityKeyFromSecret } from "../src/crypto/identity.js";
import { IntegrityError, WrongKeyError } from "../src/errors.js";
import { FhirValidationError } from "../src/fhir/validate.js";
import { buildBundle, buildCondition, buildObservation, demoPatientHistory } from "../src/fhir/builders.js";
import { HeliaBlobStore } from "../src/node/helia.js";
import { Category, scopeOf } from "../src/protocol/constants.js";
import { categoryOf, readFhirRecord, readRecord, writeAttachmentRecord, writeFhirRecord } from "../src/records.js";

describe("record write and read paths", () => {
  let dir: string;
  let store: HeliaBlobStore;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "careledger-records-"));
    store = await HeliaBlobStore.open({ dataDir: dir });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const patient = identityKeyFromSecret(randomBytes(32));
  const provider = identityKeyFromSecret(randomBytes(32));
  const ctx = { patient: { reference: "Patient/p1" }, performer: { reference: "Practitioner/dr1" } };
  const domain = { chainId: 31337, registry: `0x${"c1".repeat(20)}` };
  const people = { patient: `0x${"a1".repeat(20)}`, author: `0x${"d1".repeat(20)}` };
  const target = (category: number) => ({
    store,
    epoch: 0,
    categoryPublicKey: deriveCategoryKey(patient, category, 0).publicKey,
    authorPublicKey: provider.publicKey,
    binding: { ...domain, ...people },
  });
  /** What the chain would say of a written record. */
  const onChain = (w: { category: number }) => ({ ...domain, ...people, category: w.category, epoch: 0 });
  const grantBinding = { ...domain, patient: people.patient, grantee: `0x${"b1".repeat(20)}` };

  it("writes the demo history and reads every record back through a grant", async () => {
    const written = [];
    for (const { category, resource } of demoPatientHistory(ctx)) {
      written.push({ ...(await writeFhirRecord({ ...target(category), resource })), resource });
    }
    const doctor = identityKeyFromSecret(randomBytes(32));
    const ring = await openKeyEnvelopes(
      await grantKeyEnvelopes({
        patient,
        granteePublicKey: doctor.publicKey,
        binding: grantBinding,
        scope: scopeOf([0, 1, 2, 3, 4, 5, 6, 7]),
      }),
      doctor,
      grantBinding,
    );
    for (const w of written) {
      assert.deepEqual(
        await readFhirRecord({ store, cid: w.cid, commitment: w.commitment, keys: ring, binding: onChain(w) }),
        w.resource,
      );
    }
  });

  it("files resources and Bundles by category, and refuses invalid FHIR before sealing", async () => {
    assert.equal(categoryOf(buildBundle([buildObservation(ctx)])), Category.Observations);
    const bad = { ...buildCondition(ctx), subject: undefined } as never;
    await assert.rejects(writeFhirRecord({ ...target(Category.Conditions), resource: bad }), FhirValidationError);
  });

  it("streams an attachment in and reads it back; a wrong commitment or key is refused", async () => {
    const body = randomBytes(2 * 1024 * 1024 + 9);
    const w = await writeAttachmentRecord({
      ...target(Category.Documents),
      category: Category.Documents,
      contentType: "application/pdf",
      fileName: "mri.pdf",
      body,
      bodyLength: body.length,
    });
    const own = CategoryKeyring.forPatient(patient, { [Category.Documents]: 0 });
    const binding = onChain(w);
    const opened = await readRecord({ store, cid: w.cid, commitment: w.commitment, keys: own, binding });
    assert.equal(opened.meta.fileName, "mri.pdf");
    assert.ok(Buffer.from(opened.bytes).equals(Buffer.from(body)));
    await assert.rejects(
      readRecord({ store, cid: w.cid, commitment: `0x${"00".repeat(32)}`, keys: own, binding }),
      IntegrityError,
    );
    await assert.rejects(
      readRecord({
        store,
        cid: w.cid,
        commitment: w.commitment,
        keys: identityKeyFromSecret(randomBytes(32)),
        binding,
      }),
      WrongKeyError,
    );
  });
});
