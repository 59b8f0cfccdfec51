import path from "node:path";
import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The SDK ships TypeScript sources (browser-safe crypto, storage, FHIR, typed data).
  transpilePackages: ["@careledger/sdk"],
  poweredByHeader: false,
  turbopack: {
    rules: {
      "*.ts": {
        condition: { path: /(^|\/)sdk\/src\// },
        loaders: [path.resolve(process.cwd(), "build", "sdk-import-specifiers.cjs")],
      },
    },
  },
};

export default nextConfig;
