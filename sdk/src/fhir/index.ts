export type * from "@medplum/fhirtypes";
export * from "./codes.js";
export * from "./validate.js";
export * from "./builders.js";
export * from "./export.js";
