import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { contractOf, getDeployment, parseDeployment, CONTRACT_NAMES } from "../src/deployments.js";
import { DeploymentNotFoundError, MalformedInputError } from "../src/errors.js";
import { loadDeployment, loadDeployments } from "../src/node/deployments.js";

function sample(chainId = 31337) {
  return {
    chainId,
    network: "localhost",
    rpcUrl: "http://127.0.0.1:8545",
    deploymentBlock: 1,
    contracts: Object.fromEntries(
      CONTRACT_NAMES.map((name, i) => [name, { address: `0x${String(i + 1).padStart(40, "0")}`, abi: [] }]),
    ),
  };
}

describe("deployments", () => {
  it("parses and looks up a deployment by chain id", () => {
    const deployment = parseDeployment(sample());
    assert.equal(getDeployment([deployment], 31337n).network, "localhost");
    assert.equal(getDeployment({ 31337: deployment }, 31337), deployment);
    assert.equal(contractOf(deployment, "ConsentManager").address, "0x0000000000000000000000000000000000000002");
  });

  it("names the chain id (and the known ones) when a deployment is missing", () => {
    const error = (() => {
      try {
        getDeployment([parseDeployment(sample())], 11155111);
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof DeploymentNotFoundError);
    assert.equal(error.chainId, 11155111);
    assert.match(error.message, /chain 11155111/);
    assert.match(error.message, /31337/);
  });

  it("rejects malformed files naming the field", () => {
    const bad = sample();
    (bad.contracts as Record<string, { address: string }>).RecordRegistry!.address = "0x123";
    assert.throws(
      () => parseDeployment(bad, "deployments/31337.json"),
      (e: Error) =>
        e instanceof MalformedInputError &&
        /deployments\/31337\.json: contracts\.RecordRegistry\.address/.test(e.message),
    );
  });

  it("loads deployments/<chainId>.json from disk (Node)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "deployments-"));
    try {
      await writeFile(join(dir, "31337.json"), JSON.stringify(sample()));
      assert.deepEqual(Object.keys(await loadDeployments(dir)), ["31337"]);
      assert.equal((await loadDeployment(31337, dir)).chainId, 31337);
      await assert.rejects(
        loadDeployment(1, dir),
        (e: Error) => e instanceof DeploymentNotFoundError && /chain 1 /.test(e.message),
      );
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it("reads the repository deployment file when present", async () => {
    const repo = await loadDeployments(join(import.meta.dirname, "../../deployments"));
    for (const d of Object.values(repo)) assert.ok(d.contracts.ConsentManager.address);
  });
});
