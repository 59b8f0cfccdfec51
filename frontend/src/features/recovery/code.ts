import { concat, keccak256, type Address, type Hex } from "viem";

/**
 * The code a recovering patient reads out to each guardian (by phone, in person): it names both the
 * new address and the key the shares are re-wrapped to, so a guardian who sees the same code on
 * their screen knows the request on chain is the patient's and not an impostor's.
 */
export function recoveryCode(newAccount: Address, recoveryKey: Hex): string {
  const digest = keccak256(concat([newAccount, recoveryKey]))
    .slice(2, 14)
    .toUpperCase();
  return `${digest.slice(0, 4)}-${digest.slice(4, 8)}-${digest.slice(8, 12)}`;
}
