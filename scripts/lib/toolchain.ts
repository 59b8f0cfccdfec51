/**
 * What the project needs of the machine before anything else runs, and the message a person gets
 * when it is missing. Hardhat 3 needs Node.js 22.13 or newer, and its native binding (EDR) is an
 * optional npm dependency that declares `engines: node >= 22`: an `npm install` run by an older
 * Node skips it without an error, and Hardhat then fails later with an unrelated plugin error.
 *
 * The project carries its own Node 22 (the `node` devDependency puts it in node_modules/.bin,
 * which every npm script and `npx` put first on PATH), so a machine with an older Node still
 * works: `scripts/postinstall.ts` completes an install that an older Node started.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Version = readonly [major: number, minor: number, patch: number];

/** "v22.13.0", "22.13" or ">=22.13" → [22, 13, 0]. */
export function parseVersion(text: string): Version {
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!match) throw new Error(`"${text}" is not a version number.`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

/** True when `found` is older than the minimum `required` (a ">=X.Y" range or a bare version). */
export function isOlder(found: string, required: string): boolean {
  const a = parseVersion(found);
  const b = parseVersion(required);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}

/** The minimum Node.js version from package.json's `engines.node` (">=22.13" → "22.13"). */
export function requiredNode(): string {
  const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    engines: { node: string };
  };
  const range = manifest.engines.node.trim();
  if (!/^>=\s*\d+(\.\d+){0,2}$/.test(range)) throw new Error(`engines.node "${range}" is not a ">=X.Y" minimum.`);
  return range.replace(/^>=\s*/, "");
}

/** The message for a Node.js that is too old to run the project, or undefined when `found` will do. */
export function oldNodeMessage(found: string, required: string = requiredNode()): string | undefined {
  if (!isOlder(found, required)) return undefined;
  return [
    `CareLedger needs Node.js ${required} or newer (Hardhat 3 needs it); this is Node.js ${found.replace(/^v/, "")}.`,
    "",
    "Run the project through npm: `npm install`, then `npm start` or `npm test`. npm puts the project's own",
    "Node 22 (installed into node_modules/.bin by `npm install`) first on PATH for every npm script and `npx`.",
    "If node_modules/.bin/node is missing, `npm install` did not finish: run it again. Or install Node 22",
    "for the whole machine: `nvm install` (reads .nvmrc), or https://nodejs.org/en/download.",
  ].join("\n");
}

/**
 * Why Hardhat's native binding cannot load, or undefined when it loads. `npmNode` is the Node.js
 * that ran the last `npm install`, when known: the usual reason is that it was older than 22.
 */
export function missingHardhatBindingMessage(
  npmNode?: string,
  load: () => unknown = () => createRequire(path.join(ROOT, "package.json"))("@nomicfoundation/edr"),
): string | undefined {
  try {
    load();
    return undefined;
  } catch (error) {
    // The first sentence only: EDR's own message goes on to advise deleting package-lock.json, which is wrong here.
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0].replace(/(\.) .*$/, "$1");
    const platform = `${process.platform}-${process.arch}`;
    return [
      `Hardhat's native binding (@nomicfoundation/edr for ${platform}) cannot be loaded: ${reason}`,
      npmNode && isOlder(npmNode, "22")
        ? `npm runs under Node.js ${npmNode} here, and an npm install run by a Node older than 22 skips that binding.`
        : "npm install may have been interrupted, or run with --no-optional or --omit=optional.",
      "Run `npm install` again: under an older Node it completes itself with the project's Node 22.",
    ].join("\n");
  }
}

/** The Node.js that ran npm, from the user agent npm gives its scripts ("npm/11.1.0 node/v20.20.2 …"). */
export function npmNodeVersion(userAgent = process.env.npm_config_user_agent ?? ""): string | undefined {
  return /\bnode\/v?(\d+\.\d+\.\d+)/.exec(userAgent)?.[1];
}

/** Every problem that stops the project from running here, as one message; undefined when none. */
export function toolchainProblem(found = process.versions.node): string | undefined {
  return oldNodeMessage(found) ?? missingHardhatBindingMessage(npmNodeVersion());
}
