/**
 * Claim ids. `ClaimsSettlement` keys a claim by its provider and encounter commitment (`claimId =
 * uint256(keccak256(abi.encode(provider, encounterCommitment)))`), so the provider knows the id before
 * it submits, and a copy of its pending submission sent by another provider gets another id. The id is a
 * 256-bit number: tools print and accept it as 32-byte hex, people see a short form of it.
 */
import { encodeAbiParameters, hexToBigInt, keccak256, numberToHex, type Address, type Hex } from "viem";

/** The id `ClaimsSettlement` gives the claim `provider` submits for `encounterCommitment`. */
export function claimIdOf(provider: Address, encounterCommitment: Hex): bigint {
  return hexToBigInt(
    keccak256(encodeAbiParameters([{ type: "address" }, { type: "bytes32" }], [provider, encounterCommitment])),
  );
}

/** The whole id as 32-byte hex, e.g. for `--claim-id` or a copy button. */
export function claimIdHex(claimId: bigint): Hex {
  return numberToHex(claimId, { size: 32 });
}

/**
 * The short form people see, e.g. "0x3f2a…91bc": the first and last four hex digits. Enough to tell a
 * patient's or a provider's claims apart; show {@link claimIdHex} where the whole id matters.
 */
export function claimLabel(claimId: bigint): string {
  const hex = claimIdHex(claimId);
  return `${hex.slice(0, 6)}…${hex.slice(-4)}`;
}

/**
 * Evidence as `ClaimsSettlement` takes it: record ids strictly ascending, each once (it refuses anything
 * else with `ClaimEvidenceNotAscending`). Every caller builds its evidence list through this.
 */
export function evidenceOrder(recordIds: readonly bigint[]): bigint[] {
  return [...new Set(recordIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
