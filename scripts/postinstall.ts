/**
 * `npm install`'s last step. npm runs it with node_modules/.bin first on PATH, so this runs under
 * the project's own Node 22 (the `node` devDependency) even when npm itself runs under an older
 * Node. An older Node makes npm skip Hardhat's native binding (an optional dependency that needs
 * Node >= 22): this step notices and completes the install under Node 22, so `npm install` then
 * `npm start` work on a machine whose default Node is older. Anything it cannot fix fails the
 * install here, with what to do, rather than `npm start` later.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { missingHardhatBindingMessage, npmNodeVersion, oldNodeMessage, isOlder } from "./lib/toolchain.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const fail = (message: string) => {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
};

const tooOld = oldNodeMessage(process.versions.node);
if (tooOld) fail(tooOld);

const npmNode = npmNodeVersion();
if (missingHardhatBindingMessage(npmNode) && npmNode && isOlder(npmNode, "22") && process.env.npm_execpath) {
  process.stdout.write(
    `npm ran under Node.js ${npmNode}, so it skipped Hardhat's native binding (it needs Node 22).\n` +
      `Completing the install under the project's Node ${process.versions.node} (node_modules/.bin/node) …\n`,
  );
  const again = spawnSync(process.execPath, [process.env.npm_execpath, "install", "--no-audit", "--no-fund"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` },
  });
  if (again.status !== 0)
    fail(`Completing the install under Node ${process.versions.node} failed (exit ${again.status}).`);
}

const stillMissing = missingHardhatBindingMessage(npmNode);
if (stillMissing) fail(stillMissing);
