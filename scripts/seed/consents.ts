/**
 * Consent: who may read or write which of a patient's categories, why, until when. Every grant
 * carries the category keys wrapped to the grantee's published X25519 key (SDK `grantKeyEnvelopes`),
 * as the dApp's grant form does; one grant is submitted by the Relayer with the patient's EIP-712
 * signature (gasless); one is revoked, and in the same transaction the affected category keys rotate
 * and are re-wrapped to the grantees who keep reading (SDK `planKeyRotation`), as the dApp does.
 */
import type { Address, Hex } from "viem";

import {
  ACCESS_READ,
  ACCESS_WRITE,
  Category,
  EMERGENCY_SCOPE,
  Purpose,
  categoriesInScope,
  consentGrantTypedData,
  fromHex,
  keyDomainOf,
  grantKeyEnvelopes,
  planKeyRotation,
  rewrapTargets,
  scopeOf,
  toHex,
} from "@careledger/sdk";

import type { Person, SeedChain } from "./chain.js";
import { DAY, FIRST_EPOCH, type DemoPeople } from "./people.js";

/** Every clinical category (all but Financial): what a treating GP sees. */
export const CLINICAL_SCOPE = scopeOf([0, 1, 2, 3, 4, 5, 6, 7]);
/** What a laboratory reads and writes: labs, reports, documents. */
export const LAB_SCOPE = scopeOf([Category.Observations, Category.Diagnostics, Category.Documents]);
/** What an insurer reads to adjudicate claims: labs, reports, documents, encounters. */
export const CLAIMS_EVIDENCE_SCOPE = scopeOf([
  Category.Observations,
  Category.Diagnostics,
  Category.Documents,
  Category.Encounters,
]);

export const PURPOSE_NAMES = ["treatment", "claims", "research", "emergency"] as const;

export interface SeededConsent {
  patient: Person;
  grantee: Person;
  purpose: number;
  scope: number;
  access: number;
  expiresAt: bigint;
  /** How it reached the chain. */
  via: "patient" | "relayer (signed by the patient)";
  revoked: boolean;
  note?: string;
}

/** The current epoch of every category of every patient, as the patient knows it. */
export type Epochs = Map<Address, Record<number, number>>;

export class ConsentBook {
  readonly consents: SeededConsent[] = [];
  readonly epochs: Epochs = new Map();

  constructor(
    private readonly chain: SeedChain,
    private readonly people: DemoPeople,
  ) {
    for (const patient of [people.alice, people.ben, people.chloe]) {
      this.epochs.set(patient.address, Object.fromEntries(Array.from({ length: 9 }, (_, c) => [c, FIRST_EPOCH])));
    }
  }

  private async envelopes(patient: Person, grantee: Person, scope: number): Promise<Hex> {
    const epochs = this.epochs.get(patient.address)!;
    const bytes = await grantKeyEnvelopes({
      patient: this.people.keys.get(patient.address)!,
      granteePublicKey: this.people.keys.get(grantee.address)!.publicKey,
      binding: { ...keyDomainOf(this.chain.deployment), patient: patient.address, grantee: grantee.address },
      scope,
      epochs,
      // After a rotation the grantee also gets the earlier epochs, to read the older records.
      includePastEpochs: categoriesInScope(scope).some((c) => epochs[c]! > FIRST_EPOCH),
    });
    return toHex(bytes);
  }

  /** The patient signs the grant transaction, or (gasless) an EIP-712 ConsentGrant the Relayer submits. */
  async grant(
    patient: Person,
    grantee: Person,
    terms: { purpose: number; scope: number; access: number; days: bigint; note?: string },
    options: { gasless?: boolean } = {},
  ): Promise<SeededConsent> {
    const now = await this.chain.now();
    const expiresAt = now + terms.days * DAY;
    const onChainTerms = {
      grantee: grantee.address,
      scope: terms.scope,
      purpose: terms.purpose,
      access: terms.access,
      notBefore: 0n,
      expiresAt,
    };
    const keyEnvelopes = await this.envelopes(patient, grantee, terms.scope);
    if (options.gasless) {
      const nonce = await this.chain.read<bigint>("ConsentManager", "nonces", [patient.address]);
      const deadline = now + DAY;
      const signature = await patient.account.signTypedData(
        consentGrantTypedData({
          chainId: this.chain.chainId,
          verifyingContract: this.chain.address("ConsentManager"),
          message: { patient: patient.address, ...onChainTerms, keyEnvelopes, issuedAt: now, nonce, deadline },
        }),
      );
      await this.chain.send(this.people.relayer, "ConsentManager", "grantConsentBySig", [
        patient.address,
        onChainTerms,
        keyEnvelopes,
        now,
        nonce,
        deadline,
        signature,
      ]);
    } else {
      await this.chain.send(patient, "ConsentManager", "grantConsent", [onChainTerms, keyEnvelopes]);
    }
    const consent: SeededConsent = {
      patient,
      grantee,
      purpose: terms.purpose,
      scope: terms.scope,
      access: terms.access,
      expiresAt,
      via: options.gasless ? "relayer (signed by the patient)" : "patient",
      revoked: false,
      note: terms.note,
    };
    // A new grant for the same (patient, grantee, purpose) replaces the earlier one.
    const replaced = this.consents.findIndex(
      (c) => c.patient === patient && c.grantee === grantee && c.purpose === terms.purpose,
    );
    if (replaced >= 0) this.consents.splice(replaced, 1);
    this.consents.push(consent);
    return consent;
  }

  /**
   * Revokes a grant and, in the same transaction, rotates the keys of the categories it covered,
   * re-wrapped to every grantee that keeps a live grant on them: records written from now on are
   * wrapped to keys the former grantee never received, and nobody else is cut off.
   */
  async revokeAndRotate(
    patient: Person,
    grantee: Person,
    purpose: number,
  ): Promise<{ rotated: number[]; rewrappedTo: Person[] }> {
    const consent = this.consents.find((c) => c.patient === patient && c.grantee === grantee && c.purpose === purpose);
    if (!consent) throw new Error(`${patient.name} never granted ${grantee.name} ${PURPOSE_NAMES[purpose]} consent`);
    const epochs = this.epochs.get(patient.address)!;
    const rotated = categoriesInScope(consent.scope);
    const mine = this.consents.filter((c) => c.patient === patient);
    const targets = rewrapTargets(
      mine.map((c) => ({
        grantee: c.grantee.address,
        purpose: c.purpose,
        scope: c.scope,
        expiresAt: c.expiresAt,
        revoked: c.revoked,
      })),
      rotated,
      await this.chain.now(),
      { grantee: grantee.address, purpose },
    );
    const plan = await planKeyRotation({
      patient: this.people.keys.get(patient.address)!,
      binding: { ...keyDomainOf(this.chain.deployment), patient: patient.address },
      categories: rotated,
      epochs,
      targets: targets.map((t) => ({ ...t, publicKey: this.people.keys.get(t.grantee)!.publicKey })),
    });
    await this.chain.send(patient, "ConsentManager", "revokeAndRotate", [
      grantee.address,
      purpose,
      plan.rotations.map((r) => ({ ...r, publicKey: toHex(r.publicKey) })),
      plan.rewraps.map((r) => ({ ...r, keyEnvelopes: toHex(r.keyEnvelopes) })),
    ]);
    consent.revoked = true;
    Object.assign(epochs, plan.nextEpochs);
    return { rotated, rewrappedTo: targets.map((t) => mine.find((c) => c.grantee.address === t.grantee)!.grantee) };
  }
}

/** The grants the demo world starts with (before any record is written). */
export async function seedConsents(
  book: ConsentBook,
  people: DemoPeople,
  note: (detail: string) => void,
): Promise<void> {
  const { okafor, northside, meridian, alice, ben, chloe, daniel } = people;
  const readWrite = ACCESS_READ | ACCESS_WRITE;
  const treatment = Purpose.Treatment;
  await Promise.all([
    // Alice: her GP for everything clinical; the lab by a gasless signature the Relayer submits.
    book.grant(alice, okafor, { purpose: treatment, scope: CLINICAL_SCOPE, access: readWrite, days: 365n }),
    book.grant(
      alice,
      northside,
      { purpose: treatment, scope: LAB_SCOPE, access: readWrite, days: 180n, note: "gasless" },
      { gasless: true },
    ),
    book.grant(alice, meridian, {
      purpose: Purpose.Claims,
      scope: CLAIMS_EVIDENCE_SCOPE,
      access: ACCESS_READ,
      days: 365n,
    }),
    // Ben: his GP; the lab only for the next two days (expiring soon).
    book.grant(ben, okafor, { purpose: treatment, scope: CLINICAL_SCOPE, access: readWrite, days: 365n }),
    book.grant(ben, northside, {
      purpose: treatment,
      scope: scopeOf([Category.Observations, Category.Diagnostics]),
      access: readWrite,
      days: 2n,
      note: "expires in 2 days",
    }),
    book.grant(ben, meridian, {
      purpose: Purpose.Claims,
      scope: CLAIMS_EVIDENCE_SCOPE,
      access: ACCESS_READ,
      days: 365n,
    }),
    // Chloe: her GP; the lab (revoked later); her emergency summary pre-shared with her guardian.
    book.grant(chloe, okafor, { purpose: treatment, scope: CLINICAL_SCOPE, access: readWrite, days: 365n }),
    book.grant(chloe, northside, {
      purpose: treatment,
      scope: scopeOf([Category.Observations, Category.Diagnostics]),
      access: readWrite,
      days: 90n,
    }),
    book.grant(chloe, daniel, {
      purpose: Purpose.Emergency,
      scope: EMERGENCY_SCOPE,
      access: ACCESS_READ,
      days: 3n * 365n,
      note: "emergency summary for the guardian",
    }),
    book.grant(chloe, meridian, {
      purpose: Purpose.Claims,
      scope: CLAIMS_EVIDENCE_SCOPE,
      access: ACCESS_READ,
      days: 365n,
    }),
  ]);
  note(
    `${book.consents.length} consents granted with key envelopes (1 gasless via ${people.relayer.name}, 1 expiring in 2 days)`,
  );
}

/**
 * Every key-envelope list published to a grantee for (patient, purpose): the last grant's
 * (ConsentGranted.keyEnvelopes) and the re-wraps of later rotations (CategoryKeysRewrapped), oldest
 * first, e.g. to open them as the grantee.
 */
export async function publishedEnvelopes(
  chain: SeedChain,
  patient: Address,
  grantee: Address,
  purpose: number,
): Promise<Uint8Array[]> {
  const { address, abi } = chain.deployment.contracts.ConsentManager;
  const fromBlock = BigInt(chain.deployment.deploymentBlock);
  type Logged = { blockNumber: bigint; logIndex: number; args: { purpose: number; keyEnvelopes: Hex } };
  const [granted, rewrapped] = (await Promise.all(
    (["ConsentGranted", "CategoryKeysRewrapped"] as const).map((eventName) =>
      chain.client.getContractEvents({ address, abi, eventName, args: { patient, grantee }, fromBlock }),
    ),
  )) as unknown as [Logged[], Logged[]];
  const ofPurpose = (logs: Logged[]) => logs.filter((log) => Number(log.args.purpose) === purpose);
  const last = ofPurpose(granted).at(-1);
  if (!last) throw new Error(`no ConsentGranted from ${patient} to ${grantee} for ${PURPOSE_NAMES[purpose]}`);
  const later = ofPurpose(rewrapped).filter(
    (log) =>
      log.blockNumber > last.blockNumber || (log.blockNumber === last.blockNumber && log.logIndex > last.logIndex),
  );
  return [last, ...later].map((log) => fromHex(log.args.keyEnvelopes));
}
