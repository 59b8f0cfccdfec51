import { coreGasSuite } from "./core.js";
import type { GasSuite } from "./types.js";

/** Every gas suite `bench/gas.ts` runs, in order. Append new suites (e.g. claims) here. */
export const gasSuites: GasSuite[] = [coreGasSuite];
