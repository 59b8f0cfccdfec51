/**
 * Claim ids. `ClaimsSettlement` keys a claim by its encounter commitment (`claimId =
 * uint256(encounterCommitment)`), so the id is known before the claim is submitted and is a 256-bit
 * number: tools print and accept it as 32-byte hex, people see a short form of it.
 */
import { hexToBigInt, numberToHex, type Hex } from "viem";

/** The id `ClaimsSettlement` gives the claim of `encounterCommitment`. */
export function claimIdOf(encounterCommitment: Hex): bigint {
  return hexToBigInt(encounterCommitment);
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
