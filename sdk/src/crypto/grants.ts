/**
 * Consent grants as key material: each category of the scope gets its private key wrapped to the
 * grantee's identity key — one envelope per (category, epoch), whatever the number of records.
 * The encoded list goes into ConsentGrant.keyEnvelopes.
 *
 * Revocation = the patient bumps the category's epoch (and registers the new public key): new
 * records are wrapped to a key the revoked grantee never received. What they already decrypted
 * cannot be taken back.
 *
 * Each envelope is HPKE-bound (envelope.ts) to the grant's patient, grantee, chain and registry,
 * and carries category ‖ epoch ‖ key inside, so nothing in the list names a category or epoch.
 */
import { concatBytes, equalBytes } from "../bytes.js";
import { TamperedEnvelopeError, WrongKeyError } from "../errors.js";
import { assertCategory, categoriesInScope } from "../protocol/constants.js";
import { deriveCategoryKey, CategoryKeyring, type CategoryKey } from "./categoryKeys.js";
import {
  decodeKeyEnvelopes,
  encodeKeyEnvelopes,
  EnvelopePurpose,
  unwrapKey,
  wrapKey,
  type EnvelopeBinding,
  type KeyDomain,
} from "./envelope.js";
import { keyIdOf, keyPairFromSecret, type X25519KeyPair } from "./keys.js";

/** What a grant's envelopes are bound to: the deployment, the patient and the grantee (on chain in ConsentGranted). */
export interface GrantBinding extends KeyDomain {
  patient: string;
  grantee: string;
}

export interface GrantKeysArgs {
  patient: { secret: Uint8Array };
  granteePublicKey: Uint8Array;
  binding: GrantBinding;
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

/** The envelope binding of a grant (purpose grant or emergency, for break-glass key release). */
export function grantEnvelopeBinding(
  binding: GrantBinding,
  purpose: typeof EnvelopePurpose.Grant | typeof EnvelopePurpose.Emergency = EnvelopePurpose.Grant,
): EnvelopeBinding {
  return {
    purpose,
    chainId: binding.chainId,
    registry: binding.registry,
    patient: binding.patient,
    recipient: binding.grantee,
  };
}

/** Plaintext of a grant envelope: category u8 ‖ epoch u32 ‖ the category's X25519 private key. */
function grantPlaintext(key: CategoryKey): Uint8Array {
  const head = new Uint8Array(5);
  head[0] = key.category;
  new DataView(head.buffer).setUint32(1, key.epoch);
  return concatBytes([head, key.privateKey]);
}

/** Each key wrapped to `recipientPublicKey` under `binding`, in the grant envelope format. */
function wrapGrantKeys(
  keys: readonly CategoryKey[],
  recipientPublicKey: Uint8Array,
  binding: EnvelopeBinding,
): Promise<Uint8Array[]> {
  return Promise.all(
    keys.map((key) => {
      const plain = grantPlaintext(key);
      return wrapKey(plain, recipientPublicKey, { binding }).finally(() => plain.fill(0));
    }),
  );
}

/** Wraps the scope's category keys to the grantee; returns the individual envelopes. */
export async function wrapCategoryKeys(
  args: GrantKeysArgs,
  purpose: typeof EnvelopePurpose.Grant | typeof EnvelopePurpose.Emergency = EnvelopePurpose.Grant,
): Promise<Uint8Array[]> {
  const keys: CategoryKey[] = [];
  for (const category of categoriesInScope(args.scope)) {
    const current = args.epochs?.[category] ?? 0;
    const first = args.includePastEpochs === false ? current : 0;
    for (let epoch = first; epoch <= current; epoch++) keys.push(deriveCategoryKey(args.patient, category, epoch));
  }
  return wrapGrantKeys(keys, args.granteePublicKey, grantEnvelopeBinding(args.binding, purpose));
}

/**
 * Passes category keys someone holds (a guardian's emergency summary keys, opened from its grant) on
 * to another recipient (the provider of a break-glass): the bytes for `releaseEmergencyKeys`, in the
 * grant format bound to purpose emergency, so the recipient opens them with
 * `openKeyEnvelopes(bytes, key, binding, keyring, EnvelopePurpose.Emergency)`.
 * `binding.grantee` is the recipient (the provider).
 */
export async function releaseHeldKeys(
  keys: readonly CategoryKey[],
  recipientPublicKey: Uint8Array,
  binding: GrantBinding,
): Promise<Uint8Array> {
  if (keys.length === 0) throw new RangeError("releaseHeldKeys: no key to release");
  return encodeKeyEnvelopes(
    await wrapGrantKeys(keys, recipientPublicKey, grantEnvelopeBinding(binding, EnvelopePurpose.Emergency)),
  );
}

/** The bytes for ConsentGrant.keyEnvelopes. */
export async function grantKeyEnvelopes(args: GrantKeysArgs): Promise<Uint8Array> {
  return encodeKeyEnvelopes(await wrapCategoryKeys(args));
}

/**
 * The grantee's side: unwraps every envelope of a grant made to it into a keyring. Envelopes
 * name no recipient in the clear, so every one must open with the grantee's key under the
 * grant's binding (patient, grantee, chain, registry).
 * @throws WrongKeyError when none opens (a grant to another key, patient or chain),
 * TamperedEnvelopeError when some open and others do not, or a key is malformed.
 */
export async function openKeyEnvelopes(
  keyEnvelopes: Uint8Array,
  grantee: X25519KeyPair,
  binding: GrantBinding,
  into: CategoryKeyring = new CategoryKeyring(),
  purpose: typeof EnvelopePurpose.Grant | typeof EnvelopePurpose.Emergency = EnvelopePurpose.Grant,
): Promise<CategoryKeyring> {
  const envelopeBinding = grantEnvelopeBinding(binding, purpose);
  const envelopes = decodeKeyEnvelopes(keyEnvelopes);
  const opened: CategoryKey[] = [];
  let failed = 0;
  for (const envelope of envelopes) {
    let plain: Uint8Array;
    try {
      plain = await unwrapKey(envelope, grantee, { binding: envelopeBinding });
    } catch (error) {
      if (!(error instanceof WrongKeyError)) throw error;
      failed++;
      continue;
    }
    if (plain.length !== 37)
      throw new TamperedEnvelopeError(`grant envelope holds ${plain.length} bytes, not a category key`);
    const category = assertCategory(plain[0]!);
    const epoch = new DataView(plain.buffer, plain.byteOffset).getUint32(1);
    const pair = keyPairFromSecret(plain.slice(5));
    plain.fill(0);
    opened.push({ ...pair, category, epoch, keyId: keyIdOf(pair.publicKey) });
  }
  if (envelopes.length > 0 && opened.length === 0) {
    throw new WrongKeyError(
      `none of the ${envelopes.length} key envelopes of this grant opens with the offered key as a grant from ` +
        `${binding.patient} to ${binding.grantee} on chain ${binding.chainId}`,
    );
  }
  if (failed > 0) {
    throw new TamperedEnvelopeError(
      `${failed} of the ${envelopes.length} key envelopes of this grant do not open with the grantee's key: the list was altered`,
    );
  }
  for (const key of opened) into.add(key);
  return into;
}

/** Checks that an unwrapped category key is the one the patient registered on chain. */
export function matchesRegisteredKey(key: CategoryKey, registeredPublicKey: Uint8Array): boolean {
  return equalBytes(key.publicKey, registeredPublicKey);
}
