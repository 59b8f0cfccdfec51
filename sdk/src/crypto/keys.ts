/** X25519 key pairs and the short key ids envelopes are addressed by. */
import { x25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { concatBytes, utf8 } from "../bytes.js";

export interface X25519KeyPair {
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export const KEY_ID_LENGTH = 8;

/** First 8 bytes of sha-256("CareLedger key id" ‖ publicKey): names a recipient without revealing it. */
export function keyIdOf(publicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes([utf8.encode("CareLedger key id"), publicKey])).subarray(0, KEY_ID_LENGTH);
}

export function keyPairFromSecret(privateKey: Uint8Array): X25519KeyPair {
  if (privateKey.length !== 32) throw new RangeError(`an X25519 private key is 32 bytes, got ${privateKey.length}`);
  return { privateKey, publicKey: x25519.getPublicKey(privateKey) };
}

export function generateKeyPair(): X25519KeyPair {
  return keyPairFromSecret(x25519.utils.randomSecretKey());
}
