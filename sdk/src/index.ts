/**
 * @careledger/sdk — the browser-safe API shared by the dApp, scripts, tasks and tests.
 * Node-only pieces (embedded Helia store, storage server, deployments from disk) live in
 * `@careledger/sdk/node/index`.
 */
export * from "./errors.js";
export {
  concatBytes,
  equalBytes,
  fromBase64,
  fromHex,
  randomBytes,
  sha256,
  toBase64,
  toHex,
  utf8,
  type ByteSource,
} from "./bytes.js";
export * from "./protocol/index.js";
export * from "./crypto/index.js";
export * from "./storage/index.js";
export * from "./fhir/index.js";
export * from "./deployments.js";
export * from "./records.js";
