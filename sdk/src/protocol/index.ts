export * from "./constants.js";
export * from "./typedData.js";
