/** Node-only parts of the SDK (filesystem, HTTP server). Never import from browser code. */
export * from "./helia.js";
export * from "./storageServer.js";
export * from "./deployments.js";
