/**
 * Runs the claims gas bench alone against test doubles of the core contracts:
 *   npx hardhat run bench/gas-claims.ts
 * `bench/gas.ts` (the project's bench runner) calls `measureClaimsGas` against the real deployment.
 */
import { network } from "hardhat";

import { formatGasTable, measureClaimsGas } from "./gas/claims.js";

const { ethers, networkHelpers } = await network.create();
const [, insurer, provider, patient] = await ethers.getSigners();

const PROVIDER_ROLE = ethers.id("PROVIDER_ROLE");
const INSURER_ROLE = ethers.id("INSURER_ROLE");
const PURPOSE_CLAIMS = 1;
const ACCESS_READ = 1;

const registry = await ethers.deployContract("CareRegistryDouble");
const consents = await ethers.deployContract("ConsentDouble");
const records = await ethers.deployContract("RecordsDouble");
const stablecoin = await ethers.deployContract("MockStablecoin");
const claims = await ethers.deployContract("ClaimsSettlement", [registry, consents, records, stablecoin]);

await (await registry.setCredentialed(INSURER_ROLE, insurer.address, true)).wait();
await (await registry.setCredentialed(PROVIDER_ROLE, provider.address, true)).wait();
await (await registry.setPatient(patient.address, true)).wait();
const evidenceRecordIds = [1n, 2n, 3n];
for (const [i, id] of evidenceRecordIds.entries()) {
  const category = [7, 5, 8][i]; // encounters, diagnostics, financial
  await (await records.setRecord(id, patient.address, category)).wait();
  await (await consents.setConsent(patient.address, insurer.address, category, PURPOSE_CLAIMS, ACCESS_READ)).wait();
}

const measurements = await measureClaimsGas({
  claims,
  stablecoin,
  insurer,
  provider,
  patient,
  evidenceRecordIds,
  now: () => networkHelpers.time.latest(),
});
console.log(formatGasTable(measurements));
const over = measurements.filter((m) => m.budget !== 0n && m.gasUsed > m.budget);
if (over.length > 0) process.exitCode = 1;
