import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The SDK ships TypeScript sources (browser-safe crypto, storage, FHIR, typed data).
  transpilePackages: ["@careledger/sdk"],
  poweredByHeader: false,
};

export default nextConfig;
