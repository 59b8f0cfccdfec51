import type { NetworkConnection } from "hardhat/types/network";

/** One measured operation: the L1 gas of its transaction (intrinsic 21,000 included). */
export interface GasMeasurement {
  operation: string;
  gasUsed: bigint;
  /** The budget this operation must meet, if it has one. */
  budget?: bigint;
  /** What was measured, when the operation name alone does not say. */
  note?: string;
}

/**
 * A group of operations measured on a fresh in-process chain. Add a suite (e.g. claims) to
 * `bench/gas/suites.ts`; `bench/gas.ts` runs them all, prints one table and writes bench/gas.json.
 */
export interface GasSuite {
  name: string;
  run(connection: NetworkConnection): Promise<GasMeasurement[]>;
}

/** Waits for a transaction and returns its gas used. */
export async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was dropped");
  return receipt.gasUsed;
}
