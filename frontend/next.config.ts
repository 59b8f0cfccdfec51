import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { NextConfig } from "next";

/**
 * INTERIM (see src/contracts/interim.ts): the address book of every deployments/<chainId>.json,
 * without the ABIs, inlined into the bundle at build time. Goes away once the generated
 * deployments/index.ts is committed and imported directly.
 */
function addressBook(): string {
  const dir = path.resolve(process.cwd(), "..", "deployments");
  if (!existsSync(dir)) return "{}";
  const book: Record<number, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => /^\d+\.json$/.test(f))) {
    const d = JSON.parse(readFileSync(path.join(dir, file), "utf8"));
    book[d.chainId] = {
      chainId: d.chainId,
      network: d.network,
      rpcUrl: d.rpcUrl,
      deploymentBlock: d.deploymentBlock,
      contracts: Object.fromEntries(
        Object.entries(d.contracts as Record<string, { address: string }>).map(([name, c]) => [name, c.address]),
      ),
    };
  }
  return JSON.stringify(book);
}

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The SDK ships TypeScript sources (browser-safe crypto, storage, FHIR, typed data).
  transpilePackages: ["@careledger/sdk"],
  poweredByHeader: false,
  // A pre-set value wins: lets a build target deployments kept outside deployments/.
  env: { NEXT_PUBLIC_CARELEDGER_DEPLOYMENTS: process.env.NEXT_PUBLIC_CARELEDGER_DEPLOYMENTS || addressBook() },
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
