/**
 * The demo world, seeded against a real stack (Hardhat node, Ignition deployment, embedded IPFS
 * store) on free ports and its own chain id, checked for what its users rely on: roles, records the
 * patient and granted providers can open and others cannot, consent states, claims and balances,
 * and every blob matching its on-chain commitment.
 *
 *   npx hardhat test mocha test/seed/seed.test.ts
 */
import path from "node:path";

import { expect } from "chai";

import {
  ACCESS_READ,
  CATEGORY_COUNT,
  Category,
  CategoryKeyring,
  GUARDIAN_EMERGENCY,
  GUARDIAN_MANAGE_CONSENT,
  INSURER_ROLE,
  KuboBlobStore,
  PROVIDER_ROLE,
  Purpose,
  WrongKeyError,
  deriveIdentityKey,
  keyDomainOf,
  openDenialReason,
  openKeyEnvelopes,
  readRecord,
  toHex,
  utf8,
  verifyAndRepair,
  type AllergyIntolerance,
  type DocumentReference,
  type Observation,
  type Patient,
  type Resource,
  patientDisplayName,
} from "@careledger/sdk";

import type { Stack } from "../../scripts/lib/stack.js";
import { SeedChain, type Person } from "../../scripts/seed/chain.js";
import { CUSD } from "../../scripts/seed/claims.js";
import { publishedEnvelopes } from "../../scripts/seed/consents.js";
import type { DemoWorld } from "../../scripts/seed/index.js";
import { DAY, identityOf } from "../../scripts/seed/people.js";
import { DEMO_KEY_PASSPHRASE, readKeyFile } from "../../scripts/lib/keyFiles.js";
import type { SeededRecord } from "../../scripts/seed/records.js";
import { onChainPointers } from "../../scripts/seed/verify.js";
import { startSeededStack } from "../helpers/seededStack.js";

/** Not 31337: the deploy step writes deployments/<chainId>.json, and the committed local one must stay put. */
const CHAIN_ID = 31339;
const CLAIM = { pending: 1, approved: 2, denied: 3 } as const;

describe("demo world seed", function () {
  let stack: Stack;
  let stop: (() => Promise<void>) | undefined;
  let dataDir: string;
  let world: DemoWorld;
  let chain: SeedChain;
  let store: KuboBlobStore;

  async function expectRejection(promise: Promise<unknown>, message: RegExp) {
    let failure: unknown;
    await promise.catch((error: unknown) => (failure = error));
    expect(failure).to.be.instanceOf(Error);
    expect((failure as Error).message).to.match(message);
  }

  before(async function () {
    this.timeout(240_000);
    ({ stack, stop, dataDir } = await startSeededStack(CHAIN_ID));
    world = stack.world!;
    chain = new SeedChain(stack.deployment, stack.rpcUrl);
    store = new KuboBlobStore({ url: stack.ipfsApiUrl });
  });

  after(async function () {
    this.timeout(60_000);
    await stop?.();
  });

  const person = (name: string): Person => chain.person(name);
  const recordsOf = (patient: Person, kind?: string) =>
    world.records.filter((r) => r.patient.address === patient.address && (!kind || r.kind === kind));
  const open = (record: SeededRecord, keys: Parameters<typeof readRecord>[0]["keys"]) =>
    readRecord({
      store,
      cid: record.cid,
      commitment: record.commitment,
      keys,
      binding: {
        ...keyDomainOf(stack.deployment),
        patient: record.patient.address,
        author: record.author.address,
        category: record.category,
        epoch: record.keyEpoch,
      },
    });
  const openFhir = async <T extends Resource>(record: SeededRecord, keys: Parameters<typeof readRecord>[0]["keys"]) =>
    JSON.parse(utf8.decode((await open(record, keys)).bytes)) as T;

  /** The patient's own keyring: every category at every epoch the chain says is current. */
  const patientKeyring = async (patient: Person) => {
    const epochs: Record<number, number> = {};
    for (let c = 0; c < CATEGORY_COUNT; c++) {
      const [, epoch] = await chain.read<[string, number]>("RecordRegistry", "categoryKey", [patient.address, c]);
      epochs[c] = Number(epoch);
    }
    return CategoryKeyring.forPatient(world.people.keys.get(patient.address)!, epochs);
  };
  /** What a grantee can open: the envelopes the patient published to it (its grant, later re-wraps). */
  const granteeKeyring = async (patient: Person, grantee: Person, purpose: number) => {
    const keyring = new CategoryKeyring();
    const binding = { ...keyDomainOf(stack.deployment), patient: patient.address, grantee: grantee.address };
    for (const envelopes of await publishedEnvelopes(chain, patient.address, grantee.address, purpose)) {
      await openKeyEnvelopes(envelopes, world.people.keys.get(grantee.address)!, binding, keyring);
    }
    return keyring;
  };

  it("finishes well within the start-up budget", function () {
    expect(world.durationMs).to.be.below(30_000);
  });

  it("credentials the providers and the insurer, registers the patients and names Chloe's guardian", async function () {
    for (const name of ["Dr. Amara Okafor", "Northside Labs"]) {
      expect(await chain.read("CareRegistry", "isCredentialed", [PROVIDER_ROLE, person(name).address])).to.equal(true);
    }
    expect(
      await chain.read("CareRegistry", "isCredentialed", [INSURER_ROLE, person("Meridian Health").address]),
    ).to.equal(true);
    for (const name of ["Alice Moreau", "Ben Carter", "Chloe Nguyen"]) {
      expect(await chain.read("CareRegistry", "isPatient", [person(name).address])).to.equal(true);
    }
    const [chloe, daniel] = [person("Chloe Nguyen"), person("Daniel Nguyen")];
    const rights = GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY;
    expect(await chain.read("CareRegistry", "isGuardian", [chloe.address, daniel.address, rights])).to.equal(true);
  });

  it("publishes, for every person, the X25519 key the dApp's wallet fallback derives, and writes it to an encrypted key file", async function () {
    for (const p of chain.people) {
      const [key] = await chain.read<[string, number]>("CareRegistry", "encryptionKey", [p.address]);
      expect(key.toLowerCase(), p.name).to.equal(toHex(world.people.keys.get(p.address)!.publicKey));
      const derived = await deriveIdentityKey((typedData) => p.account.signTypedData(typedData), {
        chainId: chain.chainId,
        verifyingContract: stack.deployment.contracts.CareRegistry.address,
        account: p.address,
        getCode: async () => undefined,
      });
      expect(toHex(derived.publicKey), p.name).to.equal(key.toLowerCase());
      const file = await readKeyFile(p.address, DEMO_KEY_PASSPHRASE, path.join(dataDir, "keys"));
      expect(file && toHex(file.identity.publicKey), `${p.name}'s key file`).to.equal(key.toLowerCase());
      await expectRejection(
        readKeyFile(p.address, "a wrong passphrase", path.join(dataDir, "keys")),
        /wrong passphrase/,
      );
    }
  });

  it("seeds from key files alone when told to, deriving nothing from a signature", async function () {
    const keys = { dir: path.join(dataDir, "keys"), fromFiles: true };
    const signer = chain.people[0]!;
    const fromFile = await identityOf(
      chain,
      { ...signer, account: { ...signer.account, signTypedData: () => Promise.reject(new Error("no signing")) } },
      keys,
    );
    expect(toHex(fromFile.publicKey)).to.equal(toHex(world.people.keys.get(signer.address)!.publicKey));
    await expectRejection(
      identityOf(chain, signer, { dir: path.join(dataDir, "no-keys"), fromFiles: true }),
      /no key file for CareLedger Authority/,
    );
  });

  it("lets each patient open every one of their records, including the PDFs", async function () {
    for (const name of ["Alice Moreau", "Ben Carter", "Chloe Nguyen"]) {
      const patient = person(name);
      const keyring = await patientKeyring(patient);
      const records = recordsOf(patient);
      expect(records.length, name).to.be.at.least(10);
      for (const record of records) {
        const opened = await open(record, keyring);
        expect(opened.meta.contentType, record.label).to.equal(
          record.kind === "application/pdf" ? "application/pdf" : "application/fhir+json",
        );
      }
    }
    const alice = person("Alice Moreau");
    const pdf = recordsOf(alice, "application/pdf")[0]!;
    expect(utf8.decode((await open(pdf, await patientKeyring(alice))).bytes.subarray(0, 5))).to.equal("%PDF-");
    const document = await openFhir<DocumentReference>(
      recordsOf(alice, "DocumentReference")[0]!,
      await patientKeyring(alice),
    );
    const attachment = document.content[0]!.attachment;
    expect(attachment.contentType).to.equal("application/pdf");
    expect(utf8.decode(Buffer.from(attachment.data!, "base64").subarray(0, 5))).to.equal("%PDF-");
  });

  it("lets a granted provider read a record another provider wrote, with labs in UCUM units", async function () {
    const [alice, okafor, northside] = [person("Alice Moreau"), person("Dr. Amara Okafor"), person("Northside Labs")];
    const hba1c = recordsOf(alice, "Observation").find(
      (r) => r.author.address === northside.address && /A1c/.test(r.label),
    )!;
    const observation = await openFhir<Observation>(hba1c, await granteeKeyring(alice, okafor, Purpose.Treatment));
    expect(observation.valueQuantity).to.deep.include({ value: 6.8, unit: "%", code: "%" });
  });

  it("writes each patient's name only in their own encrypted Patient record, read by those they granted encounters", async function () {
    const [ben, okafor, northside] = [person("Ben Carter"), person("Dr. Amara Okafor"), person("Northside Labs")];
    for (const name of ["Alice Moreau", "Ben Carter", "Chloe Nguyen"]) {
      const patient = person(name);
      const [own] = recordsOf(patient, "Patient");
      expect(own, name).to.not.equal(undefined);
      expect(own!.author.address, name).to.equal(patient.address);
      expect(own!.category, name).to.equal(Category.Encounters);
      expect(patientDisplayName(await openFhir<Patient>(own!, await patientKeyring(patient)))).to.equal(name);
    }
    const record = recordsOf(ben, "Patient")[0]!;
    // His GP (Treatment, every clinical category) reads the name; the lab (results only) cannot.
    const read = await openFhir<Patient>(record, await granteeKeyring(ben, okafor, Purpose.Treatment));
    expect(patientDisplayName(read)).to.equal("Ben Carter");
    let failure: unknown;
    await open(record, [
      ...(await granteeKeyring(ben, northside, Purpose.Treatment)),
      world.people.keys.get(northside.address)!,
    ]).catch((e) => (failure = e));
    expect(failure).to.be.instanceOf(WrongKeyError);
  });

  it("keeps a provider out of categories it was never granted", async function () {
    const [ben, northside] = [person("Ben Carter"), person("Northside Labs")];
    expect(
      await chain.read("ConsentManager", "hasConsent", [
        ben.address,
        northside.address,
        Category.Allergies,
        Purpose.Treatment,
        ACCESS_READ,
      ]),
    ).to.equal(false);
    const keyring = await granteeKeyring(ben, northside, Purpose.Treatment);
    const allergy = recordsOf(ben, "AllergyIntolerance")[0]!;
    let failure: unknown;
    await open(allergy, [...keyring, world.people.keys.get(northside.address)!]).catch((e) => (failure = e));
    expect(failure).to.be.instanceOf(WrongKeyError);
  });

  it("revokes the lab's access to Chloe's records and rotates her keys, so later records stay closed to it", async function () {
    const [chloe, okafor, northside] = [person("Chloe Nguyen"), person("Dr. Amara Okafor"), person("Northside Labs")];
    expect(
      await chain.read("ConsentManager", "hasConsent", [
        chloe.address,
        northside.address,
        Category.Observations,
        Purpose.Treatment,
        ACCESS_READ,
      ]),
    ).to.equal(false);
    const grant = await chain.read<{ revoked: boolean }>("ConsentManager", "consentOf", [
      chloe.address,
      northside.address,
      Purpose.Treatment,
    ]);
    expect(grant.revoked).to.equal(true);
    const [, epoch] = await chain.read<[string, number]>("RecordRegistry", "categoryKey", [
      chloe.address,
      Category.Observations,
    ]);
    expect(Number(epoch)).to.equal(2);

    const afterRevocation = recordsOf(chloe).find((r) => r.keyEpoch === 2)!;
    let failure: unknown;
    await open(afterRevocation, [
      ...(await granteeKeyring(chloe, northside, Purpose.Treatment)),
      world.people.keys.get(northside.address)!,
    ]).catch((e) => (failure = e));
    expect(failure).to.be.instanceOf(WrongKeyError);
    // The GP, whose grant lives on, got the rotated keys in the revoking transaction: it reads both the
    // lab's earlier result and the new record, with no new grant.
    const gp = await granteeKeyring(chloe, okafor, Purpose.Treatment);
    const labResult = recordsOf(chloe, "Observation").find((r) => r.author.address === northside.address)!;
    expect((await openFhir<Observation>(labResult, gp)).valueQuantity?.unit).to.equal("mg/dL");
    expect((await openFhir<Observation>(afterRevocation, gp)).resourceType).to.equal("Observation");
  });

  it("shares Chloe's emergency summary with her guardian", async function () {
    const [chloe, daniel] = [person("Chloe Nguyen"), person("Daniel Nguyen")];
    const allergy = await openFhir<AllergyIntolerance>(
      recordsOf(chloe, "AllergyIntolerance")[0]!,
      await granteeKeyring(chloe, daniel, Purpose.Emergency),
    );
    expect(allergy.code?.text).to.match(/peanut/i);
  });

  it("has one consent expiring within two days and one granted gaslessly through the Relayer", async function () {
    const [alice, ben, northside, relayer] = [
      person("Alice Moreau"),
      person("Ben Carter"),
      person("Northside Labs"),
      person("Relayer"),
    ];
    const now = await chain.now();
    const expiring = await chain.read<{ expiresAt: bigint }>("ConsentManager", "consentOf", [
      ben.address,
      northside.address,
      Purpose.Treatment,
    ]);
    expect(expiring.expiresAt > now && expiring.expiresAt <= now + 2n * DAY).to.equal(true);
    expect(
      await chain.read("ConsentManager", "hasConsent", [
        ben.address,
        northside.address,
        Category.Observations,
        Purpose.Treatment,
        ACCESS_READ,
      ]),
    ).to.equal(true);

    const { address, abi } = stack.deployment.contracts.ConsentManager;
    const [gasless] = await chain.client.getContractEvents({
      address,
      abi,
      eventName: "ConsentGranted",
      args: { patient: alice.address, grantee: northside.address },
      fromBlock: BigInt(stack.deployment.deploymentBlock),
    });
    // Signed by Alice, submitted by the Relayer: the event names both.
    const { grantedBy, submittedBy } = (gasless as unknown as { args: { grantedBy: string; submittedBy: string } })
      .args;
    expect(grantedBy).to.equal(alice.address);
    expect(submittedBy).to.equal(relayer.address);
  });

  it("settles claims: one paid and withdrawn, one awaiting review, one denied with a reason", async function () {
    const [okafor, meridian] = [person("Dr. Amara Okafor"), person("Meridian Health")];
    const [paid, pending, denied] = world.insurance.claims;
    const status = async (claimId: bigint) =>
      Number((await chain.read<{ status: number }>("ClaimsSettlement", "getClaim", [claimId])).status);
    expect(await status(paid!.claimId)).to.equal(CLAIM.approved);
    expect(await status(pending!.claimId)).to.equal(CLAIM.pending);
    expect(await status(denied!.claimId)).to.equal(CLAIM.denied);

    const { address, abi } = stack.deployment.contracts.ClaimsSettlement;
    const [denial] = await chain.client.getContractEvents({
      address,
      abi,
      eventName: "ClaimDenied",
      args: { claimId: denied!.claimId },
      fromBlock: BigInt(stack.deployment.deploymentBlock),
    });
    // The reason is sealed: Ben, his GP and Meridian each open it to 50 with their own key; Chloe cannot.
    const sealedReason = (denial as unknown as { args: { sealedReason: `0x${string}` } }).args.sealedReason;
    const context = {
      chainId: chain.chainId,
      registry: stack.deployment.contracts.CareRegistry.address,
      settlement: address,
      kind: "claim" as const,
      id: denied!.claimId,
      patient: denied!.patient.address,
    };
    for (const reader of [denied!.patient, okafor, meridian]) {
      const key = world.people.keys.get(reader.address)!;
      expect(await openDenialReason(sealedReason, { account: reader.address, key }, context), reader.name).to.equal(50);
    }
    const chloe = person("Chloe Nguyen");
    await expectRejection(
      openDenialReason(sealedReason, { account: chloe.address, key: world.people.keys.get(chloe.address)! }, context),
      /not sealed to/,
    );

    // 180 billed, 50 deductible, 80 % of the rest: 104 cUSD paid to the GP, who withdrew it.
    expect(paid!.payerAmount).to.equal(104n * CUSD);
    expect(await chain.read("Stablecoin", "balanceOf", [okafor.address])).to.equal(104n * CUSD);
    expect(await chain.read("ClaimsSettlement", "creditOf", [okafor.address, meridian.address])).to.equal(0n);
    const pool = await chain.read<{ balance: bigint; reserved: bigint }>("ClaimsSettlement", "getPool", [
      meridian.address,
    ]);
    expect(pool.balance).to.equal(world.insurance.poolFunded - 104n * CUSD);
    // The insurer keeps the rest of its faucet draw, so it can fund the pool while the faucet cools down.
    const drawn = await chain.read<bigint>("Stablecoin", "FAUCET_AMOUNT");
    expect(world.insurance.poolFunded).to.be.lessThan(drawn);
    expect(await chain.read("Stablecoin", "balanceOf", [meridian.address])).to.equal(
      drawn - world.insurance.poolFunded,
    );
    // Nothing owed to the GP any more; the pending (640) and the denied, still appealable (420) claims hold
    // their worst case, 80 % of the bill each: 512 + 336.
    expect(pool.reserved).to.equal(848n * CUSD);
    for (const [patient, coverageId] of world.insurance.coverage) {
      const coverage = await chain.read<{ status: number }>("ClaimsSettlement", "getCoverage", [coverageId]);
      expect(Number(coverage.status), patient.name).to.equal(2);
    }
  });

  it("stores every blob intact: each matches its on-chain commitment", async function () {
    const pointers = await onChainPointers(chain);
    expect(pointers.length).to.equal(world.records.length);
    const report = await verifyAndRepair({ pointers, stores: [store], dryRun: true });
    expect(report.healthyRecords).to.equal(pointers.length);
    expect(report.unrecoverable).to.deep.equal([]);
  });
});
