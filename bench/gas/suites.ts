import { claimsGasSuite } from "./claims.js";
import { coreGasSuite } from "./core.js";
import { recoveryGasSuite } from "./recovery.js";
import type { GasSuite } from "./types.js";

/**
 * Every gas suite `bench/gas.ts` runs, in order: the core contracts, then claims settlement against
 * the real core (the whole system deployed through the `CareLedger` Ignition module), then account
 * recovery.
 */
export const gasSuites: GasSuite[] = [coreGasSuite, claimsGasSuite, recoveryGasSuite];
