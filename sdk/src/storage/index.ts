export * from "./blobStore.js";
export * from "./kubo.js";
export * from "./replicated.js";
export * from "./verifyAndRepair.js";
export * from "./records.js";
