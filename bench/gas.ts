/**
 * `npm run bench:gas` (`hardhat run bench/gas.ts`): deploys the system on the in-process chain,
 * performs each operation of every suite in `bench/gas/suites.ts`, prints a table and writes
 * bench/gas.json (operation -> gas used, plus the budgets). Exits non-zero when a budget is missed.
 */
import { writeFile } from "node:fs/promises";

import { network } from "hardhat";

import { gasSuites } from "./gas/suites.js";
import type { GasMeasurement } from "./gas/types.js";

const measurements: (GasMeasurement & { suite: string })[] = [];
for (const suite of gasSuites) {
  const connection = await network.create();
  for (const measurement of await suite.run(connection)) measurements.push({ ...measurement, suite: suite.name });
  await connection.close();
}

const rows = measurements.map((m) => ({
  suite: m.suite,
  operation: m.operation,
  "gas used": Number(m.gasUsed).toLocaleString("en-US"),
  budget: m.budget === undefined ? "" : Number(m.budget).toLocaleString("en-US"),
  ok: m.budget === undefined ? "" : m.gasUsed <= m.budget ? "yes" : "NO",
  note: m.note ?? "",
}));
console.table(rows);

const json = {
  gasUsed: Object.fromEntries(measurements.map((m) => [m.operation, Number(m.gasUsed)])),
  budgets: Object.fromEntries(
    measurements.filter((m) => m.budget !== undefined).map((m) => [m.operation, Number(m.budget)]),
  ),
};
await writeFile(new URL("./gas.json", import.meta.url), JSON.stringify(json, null, 2) + "\n");

const missed = measurements.filter((m) => m.budget !== undefined && m.gasUsed > m.budget);
if (missed.length > 0) {
  console.error(`Over budget: ${missed.map((m) => m.operation).join(", ")}`);
  process.exitCode = 1;
}
