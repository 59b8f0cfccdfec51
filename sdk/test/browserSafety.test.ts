import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");
const NODE_ONLY = /^(node:|fs$|path$|http$|os$|child_process$|blockstore-fs|datastore-fs|helia$|@helia\/)/;

/** Walks the relative imports from src/index.ts and lists every external specifier. */
function importGraph(entry: string) {
  const seen = new Set<string>();
  const external = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) visit(join(dirname(file), spec.replace(/\.js$/, ".ts")));
      else external.set(spec, file);
    }
  };
  visit(entry);
  return { files: [...seen], external };
}

describe("browser safety", () => {
  it("the public entry point never reaches Node-only modules or sdk/src/node", () => {
    const { files, external } = importGraph(join(src, "index.ts"));
    assert.ok(files.length > 20);
    assert.deepEqual(
      files.filter((f) => f.includes(`${join(src, "node")}`)),
      [],
    );
    const offenders = [...external].filter(([spec]) => NODE_ONLY.test(spec));
    assert.deepEqual(offenders, []);
  });
});
