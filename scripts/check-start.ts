/**
 * `npm run check:start`: the newcomer's path, checked as a person would take it. Runs `npm start`
 * on this checkout (with whatever Node.js runs npm), waits for it to come up, checks that the dApp
 * answers on its port, fetches one seeded record through the dApp's blob route and through the
 * store and verifies both against the record's on-chain commitment, then presses Ctrl-C (SIGINT
 * to `npm start`'s process group, as a terminal does) and checks that no process it started and
 * no port it used is left behind. `.ci/run` runs it on a fresh clone before `npm test`.
 */
import "./lib/preflight.js";

import { spawn } from "node:child_process";
import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { CID } from "multiformats/cid";
import { createPublicClient, http, type Hex } from "viem";

import { commitmentOf, fromHex, getRecord, KuboBlobStore } from "@careledger/sdk";

import { readDeploymentFile } from "./lib/deployments.js";
import { assertPortFree } from "./lib/processes.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const READY_TIMEOUT_MS = 20 * 60_000; // a fresh clone compiles the contracts and builds the dApp first
const STOP_TIMEOUT_MS = 30_000;
const PORTS = [
  { port: Number(process.env.CARELEDGER_CHAIN_PORT ?? 8545), what: "local chain", env: "CARELEDGER_CHAIN_PORT" },
  { port: Number(process.env.CARELEDGER_IPFS_PORT ?? 5001), what: "embedded IPFS store", env: "CARELEDGER_IPFS_PORT" },
  { port: Number(process.env.CARELEDGER_WEB_PORT ?? 3000), what: "dApp", env: "CARELEDGER_WEB_PORT" },
];

let passed = 0;
const ok = (what: string) => {
  passed += 1;
  process.stdout.write(`ok ${passed} - ${what}\n`);
};

/** Every live process whose parent chain leads to `root` (root included), read from /proc. */
async function processTree(root: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(entry), ppid);
    } catch {
      /* exited while listing */
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of parents) if (ppid === tree[i] && !tree.includes(pid)) tree.push(pid);
  }
  return tree.filter((pid) => parents.has(pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  for (const { port, what, env } of PORTS) await assertPortFree(port, what, env);

  process.stdout.write("Starting `npm start` (its output follows, indented) …\n");
  const started = performance.now();
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    detached: true, // its own process group, so SIGINT reaches it the way a terminal's Ctrl-C does
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const exited = new Promise<string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ? `ended by ${signal}` : `exit code ${code}`)),
  );
  let output = "";
  const tee = (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(
      chunk
        .toString()
        .split("\n")
        .map((line, i, all) => (i === all.length - 1 && line === "" ? "" : `  │ ${line}`))
        .join("\n"),
    );
  };
  child.stdout.on("data", tee);
  child.stderr.on("data", tee);

  let tree: number[] = [];
  try {
    await Promise.race([
      new Promise<true>((resolve) => {
        const poll = setInterval(() => {
          if (/CareLedger is running/.test(output)) {
            clearInterval(poll);
            resolve(true);
          }
        }, 200);
        void exited.then(() => clearInterval(poll));
      }),
      exited.then((code) => {
        throw new Error(`npm start stopped (${code}) before it was ready`);
      }),
      new Promise<never>((_, reject) =>
        setTimeout(
          () => reject(new Error(`npm start was not ready after ${READY_TIMEOUT_MS / 60_000} min`)),
          READY_TIMEOUT_MS,
        ).unref(),
      ),
    ]);
    ok(`npm start came up in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    const webUrl = /^\s*dApp\s+(http\S+)/m.exec(output)?.[1];
    const rpcUrl = /^\s*Chain RPC\s+(http\S+)/m.exec(output)?.[1];
    const ipfsUrl = /^\s*IPFS store\s+(http\S+)/m.exec(output)?.[1];
    const chainId = Number(/chain id (\d+)/.exec(output)?.[1]);
    if (!webUrl || !rpcUrl || !ipfsUrl || !chainId)
      throw new Error("npm start's banner lacks the dApp, chain or store URL");

    const page = await fetch(webUrl);
    const html = await page.text();
    if (!page.ok || !html.includes("CareLedger")) throw new Error(`${webUrl} answered ${page.status} without the dApp`);
    ok(`the dApp answers on ${webUrl}`);

    const deployment = await readDeploymentFile(chainId);
    const client = createPublicClient({ transport: http(rpcUrl) });
    const registry = deployment.contracts.RecordRegistry;
    const latest = await client.getBlockNumber();
    const [added] = await client.getContractEvents({
      address: registry.address,
      abi: registry.abi,
      eventName: "RecordAdded",
      fromBlock: BigInt(deployment.deploymentBlock),
      toBlock: latest,
    });
    if (!added) throw new Error("the seeded chain has no RecordAdded event");
    const { recordId, cid: cidBytes } = (added as unknown as { args: { recordId: bigint; cid: Hex } }).args;
    const { commitment } = (await client.readContract({
      address: registry.address,
      abi: registry.abi,
      functionName: "record",
      args: [recordId],
    })) as { commitment: Hex };
    const cid = CID.decode(fromHex(cidBytes));

    const viaDapp = await fetch(`${webUrl}/api/blobs/${cid}`);
    if (!viaDapp.ok) throw new Error(`${webUrl}/api/blobs/${cid} answered ${viaDapp.status}`);
    const bytes = new Uint8Array(await viaDapp.arrayBuffer());
    const fetchedCommitment = await commitmentOf(bytes);
    if (fetchedCommitment !== commitment) {
      throw new Error(
        `record ${recordId} (${cid}) from the dApp hashes to ${fetchedCommitment}, the chain holds ${commitment}`,
      );
    }
    const viaStore = await getRecord(new KuboBlobStore({ url: ipfsUrl }), cid, commitment);
    if (viaStore.length !== bytes.length)
      throw new Error(`the store and the dApp served record ${recordId} differently`);
    ok(
      `seeded record ${cid} (${bytes.length} bytes) fetched through the dApp and the store, matches its on-chain commitment`,
    );

    tree = await processTree(child.pid!);
    process.stdout.write(`Pressing Ctrl-C (SIGINT to npm start's process group; ${tree.length} processes running) …\n`);
    process.kill(-child.pid!, "SIGINT");
    const code = await Promise.race([
      exited,
      new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), STOP_TIMEOUT_MS).unref()),
    ]);
    if (code === "timeout") throw new Error(`npm start was still running ${STOP_TIMEOUT_MS / 1000} s after Ctrl-C`);
    if (!/Stopped\./.test(output))
      throw new Error(`npm start stopped (${code}) without saying it had stopped everything`);
    ok(`Ctrl-C stopped npm start (${code})`);

    // The chain, the store and the dApp run in process groups of their own: give them a moment to go.
    const deadline = Date.now() + 10_000;
    let left = tree.filter(alive);
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      left = tree.filter(alive);
    }
    if (left.length > 0) throw new Error(`processes left running after Ctrl-C: ${left.join(", ")}`);
    ok(`no process left behind (${tree.length} checked)`);
    for (const { port, what, env } of PORTS) await assertPortFree(port, what, env);
    ok(`ports ${PORTS.map((p) => p.port).join(", ")} are free again`);
  } finally {
    for (const pid of [...tree, child.pid!].filter(alive)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* gone */
      }
    }
  }
  process.stdout.write(`${passed} passed, 0 failed\n`);
}

main().catch((error) => {
  process.stdout.write(`not ok ${passed + 1} - ${error instanceof Error ? error.message : String(error)}\n`);
  process.stdout.write(`${passed} passed, 1 failed\n`);
  process.exit(1);
});
