/**
 * Commitments of text a person could guess (an encounter, what a claim covers, an appeal note):
 * the chain holds only keccak256 of the text with 256 random bits of salt, under a label and the
 * deployment, so a dictionary of likely texts ("hypertension check-up") recovers nothing from the
 * events. Whoever keeps the salt (the encrypted claim carries it) can open the commitment later.
 *
 *   commitment = keccak256(abi.encode(string label, uint256 chainId, address contract, string text, bytes32 salt))
 *
 * The one helper the seed, the tasks and the dApp use; never hash guessable text without it.
 */
import { encodeAbiParameters, getAddress, keccak256, toHex, type Address, type Hex } from "viem";
import { MalformedInputError } from "../errors.js";

/** What the committed text is: part of the hash, so a commitment of one kind never opens as another. */
export type CommitmentPurpose = "encounter" | "claim" | "appeal";

export interface CommitmentScope {
  purpose: CommitmentPurpose;
  chainId: number | bigint;
  /** The contract the commitment is published to (ClaimsSettlement). */
  contract: Address | string;
}

export interface SaltedCommitment {
  commitment: Hex;
  /** 32 random bytes, 0x hex: keep it (off chain, encrypted) to open the commitment. */
  salt: Hex;
}

export const SALT_BYTES = 32;

/** 256 fresh random bits. */
export function newSalt(): Hex {
  return toHex(globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES)));
}

const PARAMS = [
  { type: "string" },
  { type: "uint256" },
  { type: "address" },
  { type: "string" },
  { type: "bytes32" },
] as const;

function commit(scope: CommitmentScope, text: string, salt: Hex): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(salt)) {
    throw new MalformedInputError(`a commitment salt is 32 bytes of 0x hex (256 bits), got ${JSON.stringify(salt)}`);
  }
  return keccak256(
    encodeAbiParameters(PARAMS, [
      `careledger:${scope.purpose}`,
      BigInt(scope.chainId),
      getAddress(scope.contract),
      text,
      salt,
    ]),
  );
}

/** Commits to `text` with a fresh 256-bit salt (or the given one, to recompute). */
export function saltedCommitment(scope: CommitmentScope, text: string, salt: Hex = newSalt()): SaltedCommitment {
  return { commitment: commit(scope, text, salt), salt };
}

/** Whether `commitment` opens to `text` with `salt` under `scope`. */
export function opensCommitment(scope: CommitmentScope, text: string, salt: Hex, commitment: Hex): boolean {
  return commit(scope, text, salt).toLowerCase() === commitment.toLowerCase();
}
