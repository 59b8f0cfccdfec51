/**
 * Imported first by every entry point that runs Hardhat (npm start, npm test, hardhat.config.ts):
 * on a machine that cannot run the project it stops at once with what was found, what is needed
 * and what to do, instead of a Hardhat plugin error minutes later.
 */
import { toolchainProblem } from "./toolchain.js";

const problem = toolchainProblem();
if (problem) {
  process.stderr.write(`\n${problem}\n\n`);
  process.exit(1);
}
