/**
 * Runs the browser suite: starts the stack once (chain + deployment + dApp on free ports),
 * runs every e2e/*.e2e.ts with node's test runner against it, stops everything it started and
 * exits with the runner's code. Usage: node --import tsx e2e/run.ts [spec files…]
 */
import { spawn } from "node:child_process";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { STACK_ENV, startE2EStack } from "./stack.js";

const here = import.meta.dirname;
const specs = process.argv.slice(2).length
  ? process.argv.slice(2)
  : (await readdir(here)).filter((f) => f.endsWith(".e2e.ts")).map((f) => path.join(here, f));

const stack = await startE2EStack();
let stopping = false;
const stop = async (code: number) => {
  if (stopping) return;
  stopping = true;
  await stack.stop();
  process.exit(code);
};
process.on("SIGINT", () => void stop(130));
process.on("SIGTERM", () => void stop(143));

const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-concurrency=1", ...specs], {
  stdio: "inherit",
  env: {
    ...process.env,
    [STACK_ENV.webUrl]: stack.webUrl,
    [STACK_ENV.rpcUrl]: stack.rpcUrl,
    [STACK_ENV.chainId]: String(stack.chainId),
  },
});
child.on("exit", (code) => void stop(code ?? 1));
