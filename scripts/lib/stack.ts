import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import hre from "hardhat";
import { FileBuildResultType } from "hardhat/types/solidity";

import { startStorageServer, type StorageServer } from "@careledger/sdk/node/index";

import { seedDemoWorld, type DemoWorld } from "../seed/index.js";
import { deployCareLedger } from "./deploy.js";
import type { DeploymentFile } from "./deployments.js";
import { assertPortFree, type ManagedProcess, rpc, startProcess, waitFor } from "./processes.js";
import { Progress } from "./progress.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "node_modules", ".bin");
const FRONTEND = path.join(ROOT, "frontend");
/** Next.js is a dependency of the frontend workspace: resolve its CLI from there, run it with this Node. */
const NEXT_CLI = createRequire(path.join(FRONTEND, "package.json")).resolve("next/dist/bin/next");

export interface StackOptions {
  chainPort?: number;
  chainId?: number;
  webPort?: number;
  /** The embedded IPFS store's Kubo-compatible RPC port. */
  storagePort?: number;
  /** Where logs and the embedded IPFS store live. */
  dataDir?: string;
  /** Start the Next.js dApp (built first when its sources changed). */
  web?: boolean;
  /** Seed the demo world after the store starts (default true). */
  seed?: boolean;
  out?: NodeJS.WritableStream;
}

export interface Stack {
  rpcUrl: string;
  webUrl?: string;
  /** Kubo-compatible RPC URL of the embedded IPFS store (give it to KuboBlobStore). */
  ipfsApiUrl: string;
  chainId: number;
  deployment: DeploymentFile;
  dataDir: string;
  /** What the seed created (undefined with `seed: false`). */
  world?: DemoWorld;
  stop(): Promise<void>;
}

/**
 * Starts the local CareLedger stack: a Hardhat node, the whole system deployed through the
 * Ignition module, deployments/<chainId>.json, and the Next.js dApp. `npm start` and the
 * browser tests both use it. Everything it starts is stopped by `stop()`, also after a failure.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const chainPort = options.chainPort ?? 8545;
  const webPort = options.webPort ?? 3000;
  const storagePort = options.storagePort ?? 5001;
  const web = options.web ?? true;
  const dataDir = options.dataDir ?? path.join(ROOT, ".careledger");
  const logs = path.join(dataDir, "logs");
  const rpcUrl = `http://127.0.0.1:${chainPort}`;
  const seed = options.seed ?? true;
  const progress = new Progress(4 + (web ? 2 : 0) + (seed ? 1 : 0), options.out);
  const started: ManagedProcess[] = [];
  let storage: StorageServer | undefined;
  const stop = async () => {
    for (const p of started.reverse()) await p.stop();
    await storage?.close();
  };

  try {
    await assertPortFree(chainPort, "local chain", "CARELEDGER_CHAIN_PORT");
    await assertPortFree(storagePort, "embedded IPFS store", "CARELEDGER_IPFS_PORT");
    if (web) await assertPortFree(webPort, "dApp", "CARELEDGER_WEB_PORT");

    await progress.step("Compiling the contracts (skipped when nothing changed)", async (note) => {
      note(await compileContractsIfChanged());
    });

    const chainId = await progress.step(`Starting the local chain on ${rpcUrl}`, async () => {
      const args = ["node", "--hostname", "127.0.0.1", "--port", String(chainPort)];
      if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
      const node = await startProcess("Hardhat node", path.join(BIN, "hardhat"), args, {
        cwd: ROOT,
        logFile: path.join(logs, "chain.log"),
      });
      started.push(node);
      await waitFor(`the chain at ${rpcUrl}`, async () => Boolean(await rpc(rpcUrl, "eth_chainId")), {
        timeoutMs: 60_000,
        process: node,
      });
      return Number(await rpc(rpcUrl, "eth_chainId"));
    });

    const deployment = await progress.step("Deploying CareLedger through the Ignition module", async (note) => {
      const connection = await hre.network.create({ network: "localhost", override: { url: rpcUrl } });
      try {
        const result = await deployCareLedger(connection as never, hre, {
          networkName: "localhost",
          rpcUrl,
          fresh: true,
        });
        for (const [name, { address }] of Object.entries(result.contracts)) note(`${name.padEnd(17)} ${address}`);
        note(`wrote deployments/${chainId}.json`);
        return result;
      } finally {
        await connection.close();
      }
    });

    const ipfsDir = path.join(dataDir, "ipfs");
    const store = await progress.step(
      `Starting the embedded IPFS store on http://127.0.0.1:${storagePort}`,
      async (note) => {
        const server = await startStorageServer({
          dataDir: ipfsDir,
          port: storagePort,
          corsOrigins: [`http://127.0.0.1:${webPort}`, `http://localhost:${webPort}`],
        });
        note(`Helia, offline, blocks under ${path.relative(ROOT, ipfsDir) || ipfsDir} (kept across restarts)`);
        return server;
      },
    );

    storage = store;
    const ipfsApiUrl = store.url;
    const world = seed
      ? await progress.step("Seeding the demo world", async (note) => {
          const keys = { dir: path.join(dataDir, "keys") };
          const seeded = await seedDemoWorld({ rpcUrl, deployment, ipfsApiUrl, keys, onProgress: note });
          for (const line of seeded.summary) note(line);
          return seeded;
        })
      : undefined;

    let webUrl: string | undefined;
    if (web) {
      await progress.step("Building the dApp (skipped when nothing changed)", async (note) => {
        note(await buildFrontendIfChanged(path.join(logs, "web-build.log")));
      });
      webUrl = await progress.step(`Starting the dApp on http://127.0.0.1:${webPort}`, async () => {
        const url = `http://127.0.0.1:${webPort}`;
        const server = await startProcess(
          "Next.js",
          process.execPath,
          [NEXT_CLI, "start", "--hostname", "127.0.0.1", "--port", String(webPort)],
          {
            cwd: FRONTEND,
            logFile: path.join(logs, "web.log"),
            env: { NEXT_TELEMETRY_DISABLED: "1", PORT: String(webPort), CARELEDGER_IPFS_API: ipfsApiUrl },
          },
        );
        started.push(server);
        await waitFor(`the dApp at ${url}`, async () => (await fetch(url)).ok, { timeoutMs: 60_000, process: server });
        return url;
      });
    }

    return { rpcUrl, webUrl, ipfsApiUrl, chainId, deployment, dataDir, world, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Hardhat's incremental build: solc runs only for sources (or compiler settings) that changed since
 * the artifacts were written, so a warm checkout pays a cache check and a fresh clone compiles.
 */
async function compileContractsIfChanged(): Promise<string> {
  const roots = await hre.solidity.getRootFilePaths();
  const results = await hre.solidity.build(roots, { quiet: true, cleanupArtifacts: true });
  if (!hre.solidity.isSuccessfulBuildResult(results)) {
    throw new Error(`Cannot compile ${results.rootFilePath}: ${results.formattedReason}`);
  }
  const outcomes = [...results.values()];
  const failed = outcomes.flatMap((r) =>
    r.type === FileBuildResultType.BUILD_FAILURE ? r.errors.filter((e) => e.severity === "error") : [],
  );
  if (failed.length > 0) {
    throw new Error(`Solidity compilation failed:\n${failed.map((e) => e.formattedMessage ?? e.message).join("\n")}`);
  }
  const compiled = outcomes.filter((r) => r.type === FileBuildResultType.BUILD_SUCCESS).length;
  return compiled === 0 ? `up to date (${outcomes.length} files)` : `compiled ${compiled} of ${outcomes.length} files`;
}

const BUILD_STAMP = path.join(FRONTEND, ".next", "careledger-build-hash");

/** Runs `next build` unless the sources, the SDK and the deployments are unchanged since the last build. */
async function buildFrontendIfChanged(logFile: string): Promise<string> {
  const hash = await hashSources([FRONTEND, path.join(ROOT, "sdk", "src"), path.join(ROOT, "deployments")]);
  if (existsSync(BUILD_STAMP) && (await readFile(BUILD_STAMP, "utf8")) === hash) return "up to date";
  const build = await startProcess("next build", process.execPath, [NEXT_CLI, "build"], {
    cwd: FRONTEND,
    logFile,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  });
  const code = await build.exited;
  if (code !== 0) throw new Error(`next build failed (exit ${code}); see ${logFile}`);
  await writeFile(BUILD_STAMP, hash);
  return "built";
}

async function hashSources(dirs: string[]): Promise<string> {
  const hash = createHash("sha256");
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if ((await stat(full)).isFile()) hash.update(full).update(await readFile(full));
    }
  };
  for (const dir of dirs) if (existsSync(dir)) await walk(dir);
  return hash.digest("hex");
}
