/**
 * Consent grants as key material: each category of the scope gets its private key wrapped to the
 * grantee's identity key — one envelope per (category, epoch), whatever the number of records.
 * The encoded list goes into ConsentGrant.keyEnvelopes.
 *
 * Revocation = the patient bumps the category's epoch (and registers the new public key): new
 * records are wrapped to a key the revoked grantee never received. What they already decrypted
 * cannot be taken back.
 */
import { categoriesInScope } from "../protocol/constants.js";
import { utf8 } from "../bytes.js";
import { TamperedEnvelopeError } from "../errors.js";
import { deriveCategoryKey, CategoryKeyring, type CategoryKey } from "./categoryKeys.js";
import {
  decodeKeyEnvelopes,
  encodeKeyEnvelopes,
  EnvelopeKind,
  isAddressedTo,
  parseEnvelopeHeader,
  unwrapKey,
  wrapKey,
} from "./envelope.js";
import { keyIdOf, keyPairFromSecret, type X25519KeyPair } from "./keys.js";
import { equalBytes } from "../bytes.js";

const GRANT_CONTEXT = utf8.encode("CareLedger category grant v1");

export interface GrantKeysArgs {
  patient: { secret: Uint8Array };
  granteePublicKey: Uint8Array;
  /** uint16 bit mask over categories. */
  scope: number;
  /** The current epoch of each category (missing = 0). */
  epochs?: Readonly<Record<number, number>>;
  /**
   * Also hand over earlier epochs, so the grantee can read records written before the last
   * revocation (default true). false = only records written from now on.
   */
  includePastEpochs?: boolean;
}

/** One category key wrapped to a recipient, as every grant envelope is. */
function wrapGrantKey(key: CategoryKey, recipientPublicKey: Uint8Array): Promise<Uint8Array> {
  return wrapKey(key.privateKey, recipientPublicKey, {
    kind: EnvelopeKind.CategoryGrant,
    category: key.category,
    epoch: key.epoch,
    context: GRANT_CONTEXT,
  });
}

/** Wraps the scope's category keys to the grantee; returns the individual envelopes. */
export async function wrapCategoryKeys(args: GrantKeysArgs): Promise<Uint8Array[]> {
  const jobs: Promise<Uint8Array>[] = [];
  for (const category of categoriesInScope(args.scope)) {
    const current = args.epochs?.[category] ?? 0;
    const first = args.includePastEpochs === false ? current : 0;
    for (let epoch = first; epoch <= current; epoch++) {
      jobs.push(wrapGrantKey(deriveCategoryKey(args.patient, category, epoch), args.granteePublicKey));
    }
  }
  return Promise.all(jobs);
}

/**
 * Passes category keys someone holds (a guardian's emergency summary keys, opened from its grant) on
 * to another recipient (the provider of a break-glass): the bytes for `releaseEmergencyKeys`, in the
 * grant format, so the recipient opens them with `openKeyEnvelopes`.
 */
export async function releaseHeldKeys(
  keys: readonly CategoryKey[],
  recipientPublicKey: Uint8Array,
): Promise<Uint8Array> {
  if (keys.length === 0) throw new RangeError("releaseHeldKeys: no key to release");
  return encodeKeyEnvelopes(await Promise.all(keys.map((key) => wrapGrantKey(key, recipientPublicKey))));
}

/** The bytes for ConsentGrant.keyEnvelopes. */
export async function grantKeyEnvelopes(args: GrantKeysArgs): Promise<Uint8Array> {
  return encodeKeyEnvelopes(await wrapCategoryKeys(args));
}

/**
 * The grantee's side: unwraps every envelope addressed to it into a keyring.
 * @throws TamperedEnvelopeError when an envelope fails, or its key does not match its header.
 */
export async function openKeyEnvelopes(
  keyEnvelopes: Uint8Array,
  grantee: X25519KeyPair,
  into: CategoryKeyring = new CategoryKeyring(),
): Promise<CategoryKeyring> {
  for (const envelope of decodeKeyEnvelopes(keyEnvelopes)) {
    if (!isAddressedTo(envelope, grantee.publicKey)) continue;
    const header = parseEnvelopeHeader(envelope);
    if (header.kind !== EnvelopeKind.CategoryGrant || header.category === undefined) {
      throw new TamperedEnvelopeError(`grant holds an envelope of kind ${header.kind}, not a category key`);
    }
    const pair = keyPairFromSecret(await unwrapKey(envelope, grantee, { context: GRANT_CONTEXT }));
    const key: CategoryKey = {
      ...pair,
      category: header.category as CategoryKey["category"],
      epoch: header.epoch,
      keyId: keyIdOf(pair.publicKey),
    };
    into.add(key);
  }
  return into;
}

/** Checks that an unwrapped category key is the one the patient registered on chain. */
export function matchesRegisteredKey(key: CategoryKey, registeredPublicKey: Uint8Array): boolean {
  return equalBytes(key.publicKey, registeredPublicKey);
}
