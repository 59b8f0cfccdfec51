/**
 * FHIR R4 validation of the resources CareLedger reads and writes. The structure (required
 * elements, cardinality, JSON types, primitive formats, unknown elements, one choice of value[x],
 * the R4 invariants) is checked by @medplum/core's validator against the R4 StructureDefinitions
 * of the supported resource types (sdk/src/fhir/r4.generated.ts, loaded on the first call, so a
 * browser fetches them only when something is validated). Required bindings are checked against
 * the value-set codes generated beside them. CareLedger's own profile is a thin layer on top:
 * quantities in UCUM, attachments that carry data or a url with a media type and stay small, ISO
 * 4217 currencies, and only the supported resource types. Every issue names the offending path
 * (`Observation.valueQuantity.unit`, `Claim.item[0].sequence`) and says what to fix.
 */
import type { OperationOutcomeIssue, Resource } from "@medplum/fhirtypes";
import type { TypedValueWithPath } from "@medplum/core";
import { CareLedgerError } from "../errors.js";
import { SYSTEM } from "./codes.js";
import { SUPPORTED_RESOURCE_TYPES, type R4Definitions } from "./resourceTypes.js";

export { SUPPORTED_RESOURCE_TYPES } from "./resourceTypes.js";

export interface ValidationIssue {
  path: string;
  message: string;
}

export class FhirValidationError extends CareLedgerError {
  constructor(readonly issues: readonly ValidationIssue[]) {
    super(
      "FHIR_INVALID",
      `invalid FHIR resource: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join("; ")}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ""}`,
    );
  }
}

export const UCUM = SYSTEM.UCUM;

/**
 * Inline attachment data (base64) is for small things such as a signature image; a file travels as
 * its own encrypted attachment record, which the DocumentReference points to by url.
 */
export const MAX_INLINE_ATTACHMENT_BYTES = 1024 * 1024;

type Medplum = typeof import("@medplum/core");
let engine: Promise<{ medplum: Medplum; valueSets: R4Definitions["valueSets"] }> | undefined;

/**
 * Loads @medplum/core and the R4 definitions once; later calls reuse them. `validateResource`
 * calls it; a page that will validate soon may call it early so the load is off its critical path.
 */
export function loadFhirValidator() {
  engine ??= Promise.all([import("@medplum/core"), import("./r4.generated.js")]).then(([medplum, r4]) => {
    medplum.indexStructureDefinitionBundle(r4.default.structureDefinitions);
    return { medplum, valueSets: r4.default.valueSets };
  });
  // A failed load (a chunk the network dropped) is retried by the next call, not remembered.
  engine.catch(() => (engine = undefined));
  return engine;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Medplum names a choice element by its definition (`Observation.value[x].value`); the person
 * fixing it knows the property they wrote (`Observation.valueQuantity.value`).
 */
function concretePath(root: unknown, path: string): string {
  const [head, ...rest] = path.split(".");
  let current: unknown = root;
  const out = [head!];
  for (const segment of rest) {
    const match = /^([A-Za-z0-9_]+)(\[x\])?((?:\[\d+\])*)$/.exec(segment);
    if (!match) return [...out, segment].join(".");
    let name = match[1]!;
    if (match[2] && isPlainObject(current)) {
      const object = current;
      const chosen = Object.keys(object).find(
        (k) => k.length > name.length && k.startsWith(name) && /[A-Z]/.test(k[name.length]!) && object[k] !== undefined,
      );
      if (chosen) name = chosen;
      else name = `${name}[x]`;
    }
    current = isPlainObject(current) ? current[name] : undefined;
    for (const [, index] of match[3]!.matchAll(/\[(\d+)\]/g)) {
      current = Array.isArray(current) ? current[Number(index)] : undefined;
    }
    out.push(name + match[3]);
  }
  return out.join(".");
}

/** The value at a concrete path, for messages that quote it. */
function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const segment of path.split(".").slice(1)) {
    const [name, ...indexes] = segment.split(/[[\]]+/).filter(Boolean);
    current = isPlainObject(current) ? current[name!] : undefined;
    for (const index of indexes) current = Array.isArray(current) ? current[Number(index)] : undefined;
  }
  return current;
}

const quote = (value: unknown) => JSON.stringify(value)?.slice(0, 40) ?? String(value);

const FORMAT_EXAMPLES: Record<string, string> = {
  date: "2026-03-04",
  dateTime: "2026-03-04T10:15:00Z",
  instant: "2026-03-04T10:15:00.000Z",
  base64Binary: "base64 text such as SGVsbG8=",
};

/** Medplum's wording of a structural issue, turned into what is wrong and what to do. */
function explain(text: string, value: unknown, type: string): string {
  if (text === "Missing required property") return "is required in FHIR R4; add it";
  if (text === "Expected array of values for property")
    return "must be a list (cardinality 0..*): wrap the value in [ ]";
  if (text === "Expected single value for property") return "must be a single value (cardinality ..1), not a list";
  if (text === "Invalid null value") return "null is not allowed in FHIR JSON; omit the element";
  if (text === "Invalid empty value" || text === "Invalid empty non-primitive value")
    return "empty values are not allowed in FHIR; omit the element or fill it in";
  if (text.startsWith("Invalid additional property"))
    return `is not an element of ${type} in FHIR R4; remove it or check its spelling`;
  const json = /^Invalid JSON type: expected (\w+), but got (\w+)$/.exec(text);
  if (json) return `expected a JSON ${json[1]}, got ${json[2]} ${quote(value)}; write it as a ${json[1]}`;
  const reference = /^Invalid reference: got "(\w+)", expected (.*)$/.exec(text);
  if (reference) {
    const targets = [...reference[2]!.matchAll(/StructureDefinition\/(\w+)/g)].map((m) => m[1]);
    return `refers to a ${reference[1]}; it must refer to a ${targets.join(" or ")}`;
  }
  if (text === "Expected number to be an integer") return `expected a whole number, got ${quote(value)}`;
  if (text.startsWith("Expected number to be in the range"))
    return `${quote(value)} is out of range: ${text.slice(16)}`;
  if (text.startsWith(`base64Binary exceeds`))
    return `inline attachment data exceeds ${MAX_INLINE_ATTACHMENT_BYTES} bytes; add the file as its own attachment record and point to it by url`;
  const format = /^Invalid (\w+) (?:format|value)$/.exec(text)?.[1];
  if (format)
    return `${quote(value)} is not a valid ${format}${FORMAT_EXAMPLES[format] ? ` (e.g. ${FORMAT_EXAMPLES[format]})` : ""}`;
  if (text.startsWith("Conflicting choice of type properties"))
    return `only one ${text.match(/"([a-z]+)[A-Z]/)?.[1] ?? ""}[x] is allowed (${text.slice(text.indexOf(":") + 2)}); keep one`;
  if (text.startsWith("Constraint ")) return `${text.replace(/^Constraint (\S+) not met: (.*)$/, "$2 ($1)")}`;
  return text;
}

/** Paths of the objects under `value` that hold both keys (Medplum reports a choice conflict by key alone). */
function pathsHolding(value: unknown, path: string, keys: string[], out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => pathsHolding(v, `${path}[${i}]`, keys, out));
  else if (isPlainObject(value)) {
    if (keys.every((k) => k in value)) out.push(`${path}.${keys[0]}`);
    for (const [k, v] of Object.entries(value)) if (typeof v === "object") pathsHolding(v, `${path}.${k}`, keys, out);
  }
  return out;
}

function structureIssues(resource: Record<string, unknown>, issues: OperationOutcomeIssue[]): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const issue of issues) {
    const text = issue.details?.text ?? issue.diagnostics ?? "invalid";
    const expression = issue.expression?.[0] ?? String(resource.resourceType);
    const conflict = /^Conflicting choice of type properties: "(\w+)", "(\w+)"$/.exec(text);
    const paths = conflict
      ? pathsHolding(resource, String(resource.resourceType), [conflict[1]!, conflict[2]!])
      : [concretePath(resource, expression)];
    for (const path of paths) {
      const parent = path.replace(/\.[^.]+$/, "");
      const type = /^Invalid additional property/.test(text) ? typeOfPath(resource, parent) : "";
      out.push({ path, message: explain(text, valueAt(resource, path), type) });
    }
  }
  return out;
}

/** The resource or element name an unknown property sits in, for "not an element of …". */
function typeOfPath(resource: Record<string, unknown>, path: string): string {
  const value = valueAt(resource, path);
  if (isPlainObject(value) && typeof value.resourceType === "string") return value.resourceType;
  return path.replace(/\[\d+\]/g, "");
}

/** Required bindings: codes Medplum collected, checked against the generated value sets. */
function bindingIssues(
  resource: Record<string, unknown>,
  tokens: Record<string, TypedValueWithPath[]>,
  valueSets: R4Definitions["valueSets"],
): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const [url, values] of Object.entries(tokens)) {
    const name = url.replace(/^.*\/ValueSet\//, "").replace(/\|.*$/, "");
    for (const token of values) {
      const path = concretePath(resource, token.path);
      if (name === "currencies") {
        if (typeof token.value === "string" && !/^[A-Z]{3}$/.test(token.value))
          out.push({ path, message: `${quote(token.value)} is not an ISO 4217 currency code (e.g. USD)` });
        continue;
      }
      if (name === "mimetypes") {
        if (typeof token.value === "string" && !/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+(;.*)?$/i.test(token.value))
          out.push({ path, message: `${quote(token.value)} is not a media type (e.g. application/pdf)` });
        continue;
      }
      const codes = valueSets[url];
      if (!codes) continue;
      const allowed = codes.length > 12 ? `a code of ${url.replace(/\|.*$/, "")}` : codes.join(" | ");
      if (token.type === "code" || token.type === "string" || token.type === "uri") {
        if (!codes.includes(String(token.value)))
          out.push({ path, message: `${quote(token.value)} is not one of ${allowed}` });
      } else if (token.type === "Coding") {
        const code = (token.value as { code?: unknown }).code;
        if (!codes.includes(String(code)))
          out.push({ path: `${path}.code`, message: `${quote(code)} is not one of ${allowed}` });
      } else if (token.type === "CodeableConcept") {
        const codings = ((token.value as { coding?: { code?: unknown }[] }).coding ?? []) as { code?: unknown }[];
        if (codings.some((c) => codes.includes(String(c.code)))) continue;
        const index = codings.findIndex((c) => c.code !== undefined);
        if (index < 0) out.push({ path: `${path}.coding`, message: `needs a coding with one of ${allowed}` });
        else
          out.push({
            path: `${path}.coding[${index}].code`,
            message: `${quote(codings[index]!.code)} is not one of ${allowed}`,
          });
      }
    }
  }
  return out;
}

/** CareLedger's profile on top of R4: UCUM quantities, usable attachments, supported types. */
function profileIssues(medplum: Medplum, resource: Record<string, unknown>): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  medplum.crawlTypedValue(medplum.toTypedValue(resource), {
    visitProperty(_parent, _key, _path, values) {
      for (const typed of values.flat()) {
        const value = typed.value as Record<string, unknown>;
        if (!isPlainObject(value)) continue;
        const path = concretePath(resource, typed.path);
        if (typed.type === "Quantity") {
          if (value.value === undefined) out.push({ path: `${path}.value`, message: "a quantity needs a value" });
          if (value.unit === undefined)
            out.push({ path: `${path}.unit`, message: "a quantity needs a human-readable unit (e.g. mg/dL)" });
          if (value.system !== UCUM)
            out.push({ path: `${path}.system`, message: `quantities must be coded in UCUM: set system to ${UCUM}` });
          if (value.code === undefined)
            out.push({ path: `${path}.code`, message: "a quantity needs its UCUM unit code (e.g. mg/dL, %)" });
        } else if (typed.type === "Attachment") {
          if (value.data === undefined && value.url === undefined)
            out.push({ path, message: "an attachment needs its data or the url of the attachment record" });
          if (value.data !== undefined && value.contentType === undefined)
            out.push({
              path: `${path}.contentType`,
              message: "attachment data needs a contentType (e.g. application/pdf)",
            });
        } else if (typed.type === "Resource" || path.endsWith(".resource")) {
          const type = value.resourceType;
          if (typeof type === "string" && !(SUPPORTED_RESOURCE_TYPES as readonly string[]).includes(type))
            out.push({ path: `${path}.resourceType`, message: unsupported(type) });
        }
      }
    },
  });
  return out;
}

const unsupported = (type: string) =>
  `${type} is not a resource type CareLedger stores (${SUPPORTED_RESOURCE_TYPES.join(", ")})`;

/** FHIR JSON never holds an empty list (Medplum lets an optional one pass). */
function emptyArrays(value: unknown, path: string, out: ValidationIssue[] = []): ValidationIssue[] {
  if (Array.isArray(value)) value.forEach((v, i) => emptyArrays(v, `${path}[${i}]`, out));
  else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v) && v.length === 0)
        out.push({ path: `${path}.${k}`, message: "empty arrays are not allowed in FHIR; omit the element" });
      else emptyArrays(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/**
 * Resources inside this one (Bundle entries, contained resources) whose type has no loaded
 * definition: Medplum cannot validate inside them, so they are reported before it runs.
 */
function unsupportedInner(resource: Record<string, unknown>, path: string): ValidationIssue[] {
  const inner: [string, unknown][] = [];
  if (resource.resourceType === "Bundle" && Array.isArray(resource.entry))
    resource.entry.forEach((entry, i) => {
      if (isPlainObject(entry) && isPlainObject(entry.resource))
        inner.push([`${path}.entry[${i}].resource`, entry.resource]);
    });
  if (Array.isArray(resource.contained))
    resource.contained.forEach((r, i) => isPlainObject(r) && inner.push([`${path}.contained[${i}]`, r]));
  return inner.flatMap(([at, value]) => {
    const r = value as Record<string, unknown>;
    if (typeof r.resourceType !== "string") return [{ path: `${at}.resourceType`, message: "resourceType is missing" }];
    if (!(SUPPORTED_RESOURCE_TYPES as readonly string[]).includes(r.resourceType))
      return [{ path: `${at}.resourceType`, message: unsupported(r.resourceType) }];
    return unsupportedInner(r, at);
  });
}

/** All problems found, each naming its path and what to fix; empty when the resource is valid. */
export async function validateResource(resource: unknown): Promise<ValidationIssue[]> {
  if (!isPlainObject(resource)) return [{ path: "Resource", message: "a FHIR resource must be a JSON object" }];
  const type = resource.resourceType;
  if (typeof type !== "string") return [{ path: "Resource", message: "resourceType is missing; name the FHIR type" }];
  if (!(SUPPORTED_RESOURCE_TYPES as readonly string[]).includes(type))
    return [{ path: `${type}.resourceType`, message: unsupported(type) }];
  const unknownInner = unsupportedInner(resource, type);
  if (unknownInner.length > 0) return unknownInner;

  const { medplum, valueSets } = await loadFhirValidator();
  const tokens: Record<string, TypedValueWithPath[]> = {};
  let outcome: OperationOutcomeIssue[];
  try {
    outcome = medplum.validateResource(resource as unknown as Resource, {
      collect: { tokens },
      base64BinaryMaxBytes: MAX_INLINE_ATTACHMENT_BYTES,
    });
  } catch (error) {
    if (!(error instanceof medplum.OperationOutcomeError)) throw error;
    outcome = error.outcome.issue ?? [];
  }
  let profile: ValidationIssue[];
  try {
    profile = profileIssues(medplum, resource);
  } catch (error) {
    // The crawler meets what the validator already refused (a type it has no definition for).
    if (!(error instanceof medplum.OperationOutcomeError)) throw error;
    profile = structureIssues(resource, error.outcome.issue ?? []);
  }
  const issues = [
    ...structureIssues(resource, outcome),
    ...bindingIssues(resource, tokens, valueSets),
    ...profile,
    ...emptyArrays(resource, type),
  ];
  const seen = new Set<string>();
  return issues.filter((i) => !seen.has(`${i.path}\n${i.message}`) && seen.add(`${i.path}\n${i.message}`));
}

/** Returns the resource typed, or throws FhirValidationError listing every issue. */
export async function assertValidResource<T extends Resource = Resource>(resource: unknown): Promise<T> {
  const issues = await validateResource(resource);
  if (issues.length > 0) throw new FhirValidationError(issues);
  return resource as T;
}
