/**
 * `npm test`: every test the project has, in order, each stage run even when an earlier one
 * failed. Ends with one summary line `N passed, N failed` and a non-zero exit on any failure.
 */
import "./lib/preflight.js";

import { spawn } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "node_modules", ".bin");

interface Stage {
  name: string;
  command: string;
  args: string[];
  /** Reads passed / failed test counts from the stage's output; a stage without counts counts as one check. */
  count?: (output: string) => { passed: number; failed: number } | undefined;
}

const lastNumber = (output: string, pattern: RegExp) => {
  const matches = [...output.matchAll(pattern)];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
};

const hardhatCounts = (output: string) => {
  const passed = lastNumber(output, /^(\d+) passing/gm);
  const failed = lastNumber(output, /^(\d+) failing/gm);
  return passed + failed > 0 ? { passed, failed } : undefined;
};

const nodeTestCounts = (output: string) => {
  // node --test prints "ℹ pass N" to a terminal and TAP ("# pass N") otherwise.
  const passed = lastNumber(output, /^(?:ℹ|#) pass (\d+)/gm);
  const failed = lastNumber(output, /^(?:ℹ|#) fail (\d+)/gm);
  return passed + failed > 0 ? { passed, failed } : undefined;
};

const node = process.execPath;
const STAGES: Stage[] = [
  { name: "lint (solhint, prettier, eslint)", command: "npm", args: ["run", "--silent", "lint"] },
  {
    name: "contracts (Solidity + TypeScript tests)",
    command: path.join(BIN, "hardhat"),
    args: ["test"],
    count: hardhatCounts,
  },
  {
    name: "sdk (crypto, FHIR, storage)",
    command: node,
    args: ["--import", "tsx", "--test", "--test-concurrency=1", "sdk/test/**/*.test.ts"],
    count: nodeTestCounts,
  },
  {
    name: "typecheck (scripts, tests, sdk)",
    command: path.join(BIN, "tsc"),
    args: ["--noEmit", "-p", "tsconfig.json"],
  },
  { name: "dApp typecheck and production build", command: "npm", args: ["run", "--silent", "build:web"] },
  {
    name: "browser end-to-end (Chromium, real chain, store and dApp)",
    command: node,
    args: ["--import", "tsx", "e2e/run.ts"],
    count: nodeTestCounts,
  },
];

function run(stage: Stage): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(stage.command, stage.args, { cwd: ROOT, env: { ...process.env, FORCE_COLOR: "0" } });
    let output = "";
    const tee = (stream: NodeJS.WritableStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", tee(process.stdout));
    child.stderr.on("data", tee(process.stderr));
    child.on("error", (error) => resolve({ code: 1, output: output + String(error) }));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const results: { name: string; ok: boolean; passed: number; failed: number; seconds: number }[] = [];
for (const stage of STAGES) {
  process.stdout.write(`\n━━ ${stage.name} ━━\n`);
  const started = performance.now();
  const { code, output } = await run(stage);
  const counts = stage.count?.(output) ?? (code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 });
  // A stage that exits non-zero fails even if its runner counted no failing test (e.g. a compile error).
  const failed = code !== 0 && counts.failed === 0 ? 1 : counts.failed;
  results.push({
    name: stage.name,
    ok: code === 0,
    passed: counts.passed,
    failed,
    seconds: (performance.now() - started) / 1000,
  });
}

process.stdout.write("\n━━ summary ━━\n");
for (const r of results) {
  process.stdout.write(
    `${r.ok ? "ok  " : "FAIL"}  ${r.name.padEnd(58)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${r.seconds.toFixed(0)} s\n`,
  );
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
