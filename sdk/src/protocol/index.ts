export * from "./claimIds.js";
export * from "./constants.js";
export * from "./typedData.js";
