export * from "./claimIds.js";
export * from "./constants.js";
export * from "./typedData.js";
export * from "./commitments.js";
