/**
 * Category keys: per patient, category and epoch an X25519 key pair that only the patient can
 * derive (HKDF from the identity secret). The public halves go on chain so any writer can encrypt
 * to them; a grant hands the private half to a grantee; revocation bumps the epoch.
 */
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { utf8 } from "../bytes.js";
import { assertCategory, type Category } from "../protocol/constants.js";
import { keyIdOf, keyPairFromSecret, type X25519KeyPair } from "./keys.js";

export interface CategoryKey extends X25519KeyPair {
  readonly category: Category;
  readonly epoch: number;
  readonly keyId: Uint8Array;
}

const CATEGORY_SALT = utf8.encode("CareLedger category key v1");

export function deriveCategoryKey(identity: { secret: Uint8Array }, category: number, epoch: number): CategoryKey {
  assertCategory(category);
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > 0xffffffff) throw new RangeError(`bad epoch ${epoch}`);
  const secret = hkdf(sha256, identity.secret, CATEGORY_SALT, utf8.encode(`category:${category}|epoch:${epoch}`), 32);
  const pair = keyPairFromSecret(secret);
  return { ...pair, category: category as Category, epoch, keyId: keyIdOf(pair.publicKey) };
}

/** Every category key a holder has: the patient's own, or those unwrapped from grants. */
export class CategoryKeyring implements Iterable<CategoryKey> {
  private readonly keys = new Map<string, CategoryKey>();

  add(key: CategoryKey): this {
    this.keys.set(`${key.category}:${key.epoch}`, key);
    return this;
  }

  get(category: number, epoch: number): CategoryKey | undefined {
    return this.keys.get(`${category}:${epoch}`);
  }

  has(category: number, epoch: number): boolean {
    return this.keys.has(`${category}:${epoch}`);
  }

  get size(): number {
    return this.keys.size;
  }

  [Symbol.iterator](): Iterator<CategoryKey> {
    return this.keys.values();
  }

  /** The patient's own keyring: every category at every epoch up to the current one. */
  static forPatient(
    identity: { secret: Uint8Array },
    currentEpochs: Readonly<Record<number, number>>,
  ): CategoryKeyring {
    const ring = new CategoryKeyring();
    for (const [category, epoch] of Object.entries(currentEpochs)) {
      for (let e = 0; e <= epoch; e++) ring.add(deriveCategoryKey(identity, Number(category), e));
    }
    return ring;
  }
}
