/**
 * The Hardhat tasks end to end against a second, separately started local node (chain 31338):
 * `npm run deploy` deploys the same Ignition module there and writes deployments/31338.json, then
 * every role's task runs against it (register, credential, add, grant, read, plan, coverage, pool,
 * claim, pay, revoke, storage, admin handover). Each task: its success path and its main bad input.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, HDNodeWallet, JsonRpcProvider, Mnemonic, type InterfaceAbi } from "ethers";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { buildObservation, claimIdHex, demoPdf, openDenialReason } from "@careledger/sdk";
import { startStorageServer, type StorageServer } from "@careledger/sdk/node/index";

import userConfig from "../../hardhat.config.js";
import { readKeyFile } from "../../scripts/lib/keyFiles.js";
import { DEPLOYMENTS_DIR, writeDeploymentsModule, type DeploymentFile } from "../../scripts/lib/deployments.js";
import { freePort, rpc, startProcess, waitFor, type ManagedProcess } from "../../scripts/lib/processes.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");
const CHAIN_ID = 31338;
const JOURNAL = path.join(ROOT, "ignition", "deployments", `chain-${CHAIN_ID}`);
const DEPLOYMENT_FILE = path.join(DEPLOYMENTS_DIR, `${CHAIN_ID}.json`);

// Hardhat's public development accounts (the "test … junk" mnemonic), funded only on local nodes.
const DEV_MNEMONIC = Mnemonic.fromPhrase("test test test test test test test test test test test junk");
const account = (i: number) => HDNodeWallet.fromMnemonic(DEV_MNEMONIC, `m/44'/60'/0'/0/${i}`);
const AUTHORITY = account(0).address;
const PATIENT = account(1).address;
const PROVIDER = account(2).address;
const INSURER = account(3).address;
const NEW_ADMIN = account(4).address;
const STRANGER = account(5).address;

/**
 * Runs a CLI command to completion; resolves with its exit code and output. `hardhat test` has
 * compiled already, so `run --no-compile` (the same script `npm run deploy` runs).
 */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(HARDHAT, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("careledger tasks on a second local node (chain 31338)", function () {
  this.timeout(240_000);

  let node: ManagedProcess;
  let rpcUrl: string;
  let workDir: string;
  let store: StorageServer;
  let spare: StorageServer;
  let hre: HardhatRuntimeEnvironment;
  let deployment: DeploymentFile;
  let output = "";

  /** Runs a task in process against the second node, capturing what it prints. */
  async function run<T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> {
    const write = process.stdout.write.bind(process.stdout);
    output = "";
    process.stdout.write = ((chunk: string | Uint8Array) => {
      output += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    try {
      const task = hre.tasks.getTask(name);
      return (await task.run({ ...(task.options.has("ipfsApi") ? { ipfsApi: store.url } : {}), ...args })) as T;
    } finally {
      process.stdout.write = write;
    }
  }

  async function rejects(name: string, args: Record<string, unknown>, message: RegExp): Promise<void> {
    let failure: unknown;
    try {
      await run(name, args);
    } catch (error) {
      failure = error;
    }
    expect(failure, `${name} should fail`).to.be.instanceOf(Error);
    expect((failure as Error).message).to.match(message);
  }

  /** A read-only handle on a deployed contract of the second node, to check what a task did on chain. */
  function contractAt(name: keyof DeploymentFile["contracts"]) {
    const { address, abi } = deployment.contracts[name];
    return new Contract(address, abi as InterfaceAbi, new JsonRpcProvider(rpcUrl));
  }

  before(async function () {
    workDir = await mkdtemp(path.join(tmpdir(), "careledger-tasks-"));
    // Every signer's identity key lives in an encrypted key file here (careledger:register writes them).
    process.env.CARELEDGER_KEY_DIR = path.join(workDir, "keys");
    process.env.CARELEDGER_KEY_PASSPHRASE = "tasks test passphrase";
    await rm(JOURNAL, { recursive: true, force: true });
    const port = await freePort();
    rpcUrl = `http://127.0.0.1:${port}`;
    node = await startProcess(
      "Hardhat node (chain 31338)",
      HARDHAT,
      ["node", "--hostname", "127.0.0.1", "--port", String(port), "--chain-id", String(CHAIN_ID)],
      { cwd: ROOT, logFile: path.join(workDir, "chain.log") },
    );
    await waitFor(`the chain at ${rpcUrl}`, async () => Boolean(await rpc(rpcUrl, "eth_chainId")), {
      timeoutMs: 60_000,
      process: node,
    });
    [store, spare] = await Promise.all([
      startStorageServer({ dataDir: path.join(workDir, "ipfs"), port: 0 }),
      startStorageServer({ dataDir: path.join(workDir, "ipfs-spare"), port: 0 }),
    ]);
    hre = await createHardhatRuntimeEnvironment(
      {
        ...userConfig,
        networks: { ...userConfig.networks, secondNode: { type: "http", chainType: "l1", url: rpcUrl } },
      },
      { network: "secondNode" },
      ROOT,
    );
  });

  after(async function () {
    await store?.close();
    await node?.stop();
    // Leave no trace of chain 31338: its deployments file, the generated index and Ignition's journal.
    await rm(DEPLOYMENT_FILE, { force: true });
    await rm(JOURNAL, { recursive: true, force: true });
    const remaining = existsSync(DEPLOYMENTS_DIR)
      ? (await readdir(DEPLOYMENTS_DIR)).filter((f) => /^\d+\.json$/.test(f))
      : [];
    if (remaining.length > 0) {
      await writeDeploymentsModule(JSON.parse(await readFile(path.join(DEPLOYMENTS_DIR, remaining[0]!), "utf8")));
    } else {
      await rm(path.join(DEPLOYMENTS_DIR, "index.ts"), { force: true });
      if (existsSync(DEPLOYMENTS_DIR) && (await readdir(DEPLOYMENTS_DIR)).length === 0)
        await rm(DEPLOYMENTS_DIR, { recursive: true });
    }
    await rm(workDir, { recursive: true, force: true });
  });

  describe("deploy (npm run deploy -- --network custom)", function () {
    it("deploys through the Ignition module and writes deployments/31338.json", async function () {
      const { code, output: out } = await runCli(["run", "--no-compile", "scripts/deploy.ts", "--network", "custom"], {
        CARELEDGER_RPC_URL: rpcUrl,
        CARELEDGER_PRIVATE_KEY: account(0).privateKey,
      });
      expect(code, out).to.equal(0);
      expect(out).to.match(/Deploying through CareLedger \(mock stablecoin\)/);
      expect(out).to.match(/skipped: local chain/);
      deployment = JSON.parse(await readFile(DEPLOYMENT_FILE, "utf8"));
      expect(deployment.chainId).to.equal(CHAIN_ID);
      expect(deployment.network).to.equal("custom");
      expect(deployment.rpcUrl).to.equal(rpcUrl);
      for (const { address } of Object.values(deployment.contracts)) {
        expect(await rpc(rpcUrl, "eth_getCode", [address, "latest"])).to.not.equal("0x");
      }
      expect(await readFile(path.join(DEPLOYMENTS_DIR, "index.ts"), "utf8")).to.include(`${CHAIN_ID}: {`);
    });

    it("resumes from Ignition's journal when run again: nothing is deployed twice", async function () {
      const { code, output: out } = await runCli(["run", "--no-compile", "scripts/deploy.ts", "--network", "custom"], {
        CARELEDGER_RPC_URL: rpcUrl,
        CARELEDGER_PRIVATE_KEY: account(0).privateKey,
      });
      expect(code, out).to.equal(0);
      const again: DeploymentFile = JSON.parse(await readFile(DEPLOYMENT_FILE, "utf8"));
      expect(again.contracts.CareRegistry.address).to.equal(deployment.contracts.CareRegistry.address);
      expect(again.contracts.ClaimsSettlement.address).to.equal(deployment.contracts.ClaimsSettlement.address);
    });

    it("names the configured networks for an unknown one", async function () {
      const { code, output: out } = await runCli(["run", "--no-compile", "scripts/deploy.ts", "--network", "nowhere"]);
      expect(code).to.equal(1);
      expect(out).to.match(/Unknown network "nowhere".*localhost, sepolia, custom/);
    });
  });

  describe("register", function () {
    it("refuses to create a key file without a passphrase, naming the variable", async function () {
      const saved = process.env.CARELEDGER_KEY_PASSPHRASE;
      process.env.CARELEDGER_KEY_PASSPHRASE = "short";
      try {
        await rejects("careledger:register", { from: PATIENT, keyOnly: false }, /Set CARELEDGER_KEY_PASSPHRASE/);
      } finally {
        process.env.CARELEDGER_KEY_PASSPHRASE = saved;
      }
    });

    it("creates a key file with a new random key, registers it and publishes category keys", async function () {
      const result = await run<{ publicKey: string }>("careledger:register", { from: PATIENT, keyOnly: false });
      expect(result.publicKey).to.match(/^0x[0-9a-f]{64}$/);
      expect(output).to.match(/wrote a new key file: .*careledger-key\.json/);
      expect(output).to.match(/publishCategoryKeys: tx/);
      const file = JSON.parse(
        await readFile(path.join(workDir, "keys", `${PATIENT.toLowerCase()}.careledger-key.json`), "utf8"),
      ) as { format: string; publicKey: string; kdf: { name: string }; ciphertext: string };
      expect(file.format).to.equal("careledger-key-export");
      expect(file.kdf.name).to.equal("scrypt");
      expect(file.publicKey).to.equal(result.publicKey);
      const again = await run<{ publicKey: string }>("careledger:register", { from: PROVIDER, keyOnly: true });
      expect(again.publicKey).to.not.equal(result.publicKey);
      await run("careledger:register", { from: INSURER, keyOnly: true });
      // The provider's file opens to the same key next time: publishing again changes nothing.
      const same = await run<{ publicKey: string }>("careledger:register", { from: PROVIDER, keyOnly: true });
      expect(same.publicKey).to.equal(again.publicKey);
      expect(output).to.match(/already published/);
    });

    it("refuses a wrong passphrase, an altered key file and a key that is not the registered one", async function () {
      const saved = process.env.CARELEDGER_KEY_PASSPHRASE;
      process.env.CARELEDGER_KEY_PASSPHRASE = "not the passphrase";
      try {
        await rejects(
          "careledger:register",
          { from: PROVIDER, keyOnly: true },
          /wrong passphrase, or the key export file was altered/,
        );
      } finally {
        process.env.CARELEDGER_KEY_PASSPHRASE = saved;
      }
      const providerFile = path.join(workDir, "keys", `${PROVIDER.toLowerCase()}.careledger-key.json`);
      const original = await readFile(providerFile, "utf8");
      const altered = JSON.parse(original) as { createdAt: string };
      altered.createdAt = "2020-01-01T00:00:00.000Z";
      await writeFile(providerFile, JSON.stringify(altered));
      await rejects("careledger:register", { from: PROVIDER, keyOnly: true }, /altered/);
      // The insurer's file in the provider's place: a real key file, but not the provider's registered key.
      await writeFile(
        providerFile,
        await readFile(path.join(workDir, "keys", `${INSURER.toLowerCase()}.careledger-key.json`), "utf8"),
      );
      await rejects("careledger:register", { from: PROVIDER, keyOnly: true }, /is not the encryption key registered/);
      await writeFile(providerFile, original);
    });

    it("tells a signer without a key file how to create one", async function () {
      await rejects(
        "careledger:grant",
        {
          grantee: PROVIDER,
          categories: "observations",
          purpose: "treatment",
          access: "read",
          days: 30,
          from: STRANGER,
        },
        /No key file for .*careledger:register --from/,
      );
    });

    it("refuses a second registration", async function () {
      await rejects("careledger:register", { from: PATIENT, keyOnly: false }, /already registered as a patient/);
    });
  });

  describe("credential", function () {
    it("credentials a provider and an insurer", async function () {
      const result = await run<{ status: string }>("careledger:credential", {
        action: "grant",
        role: "provider",
        account: PROVIDER,
        name: "Riverside Family Practice",
        kind: "practice",
        registryId: "NPI 1234567893",
        from: AUTHORITY,
      });
      expect(result.status).to.equal("active");
      await run("careledger:credential", {
        action: "grant",
        role: "insurer",
        account: INSURER,
        name: "Meridian Health",
        from: AUTHORITY,
      });
      const registry = contractAt("CareRegistry");
      const listed = await registry.profileOf(PROVIDER);
      expect([listed.displayName, listed.kind, listed.registryId]).to.deep.equal([
        "Riverside Family Practice",
        2n,
        "NPI 1234567893",
      ]);
      expect((await registry.profileOf(INSURER)).kind).to.equal(6n); // --kind defaults to insurer for an insurer
    });

    it("renames a listed party, and refuses a grant without a name or with an unknown kind", async function () {
      await run("careledger:credential", {
        action: "profile",
        role: "provider",
        account: PROVIDER,
        name: "Riverside Family Practice (Dr. Okafor)",
        kind: "practice",
        from: AUTHORITY,
      });
      expect((await contractAt("CareRegistry").profileOf(PROVIDER)).displayName).to.equal(
        "Riverside Family Practice (Dr. Okafor)",
      );
      await rejects(
        "careledger:credential",
        { action: "grant", role: "provider", account: STRANGER, from: AUTHORITY },
        /--name is required/,
      );
      await rejects(
        "careledger:credential",
        { action: "grant", role: "provider", account: STRANGER, name: "X", kind: "spaceship", from: AUTHORITY },
        /--kind "spaceship" is not one of/,
      );
    });

    it("explains a bad address and a missing authority", async function () {
      await rejects(
        "careledger:credential",
        { action: "grant", role: "provider", account: "0x1234", name: "Clinic", from: AUTHORITY },
        /not an address/,
      );
      await rejects(
        "careledger:credential",
        { action: "suspend", role: "provider", account: PROVIDER, from: STRANGER },
        /lacks the authority role/,
      );
    });
  });

  let observationFile: string;
  let pdfFile: string;
  let observationId: bigint;
  let pdfId: bigint;

  describe("add-record", function () {
    before(async function () {
      observationFile = path.join(workDir, "hba1c.json");
      pdfFile = path.join(workDir, "discharge.pdf");
      await writeFile(
        observationFile,
        JSON.stringify(buildObservation({ patient: { reference: "Patient/p1" } }, "hba1c", 7.1)),
      );
      await writeFile(pdfFile, demoPdf("Discharge summary"));
    });

    it("refuses a provider without consent, saying how to get it", async function () {
      await rejects(
        "careledger:add-record",
        { patient: PATIENT, file: observationFile, category: "", from: PROVIDER },
        /No consent: .*`careledger:grant --grantee/,
      );
    });

    it("adds a FHIR Observation and a PDF once the patient granted write access", async function () {
      await run("careledger:grant", {
        grantee: PROVIDER,
        categories: "observations,documents",
        purpose: "treatment",
        access: "read,write",
        days: 30,
        from: PATIENT,
      });
      const fhir = await run<{ recordId: bigint; category: number }>("careledger:add-record", {
        patient: PATIENT,
        file: observationFile,
        category: "",
        from: PROVIDER,
      });
      expect(fhir.category).to.equal(4);
      observationId = fhir.recordId;
      const pdf = await run<{ recordId: bigint; category: number }>("careledger:add-record", {
        patient: PATIENT,
        file: pdfFile,
        category: "",
        from: PROVIDER,
      });
      expect(pdf.category).to.equal(6);
      pdfId = pdf.recordId;
    });

    it("rejects a file that is not FHIR", async function () {
      const bad = path.join(workDir, "bad.json");
      await writeFile(bad, JSON.stringify({ resourceType: "Observation", status: "maybe" }));
      await rejects(
        "careledger:add-record",
        { patient: PATIENT, file: bad, category: "", from: PROVIDER },
        /not a valid FHIR R4 resource/,
      );
    });
  });

  describe("grant", function () {
    it("grants the insurer claims-purpose read access to observations", async function () {
      const result = await run<{ scope: number }>("careledger:grant", {
        grantee: INSURER,
        categories: "observations",
        purpose: "claims",
        access: "read",
        days: 30,
        from: PATIENT,
      });
      expect(result.scope).to.equal(1 << 4);
    });

    it("refuses a grantee without an encryption key", async function () {
      await rejects(
        "careledger:grant",
        {
          grantee: STRANGER,
          categories: "observations",
          purpose: "treatment",
          access: "read",
          days: 30,
          from: PATIENT,
        },
        /has no encryption key/,
      );
    });
  });

  describe("read", function () {
    it("verifies and decrypts for a grantee, the author and the patient", async function () {
      const asInsurer = path.join(workDir, "insurer-hba1c.json");
      await run("careledger:read", { record: String(observationId), out: asInsurer, from: INSURER });
      expect(JSON.parse(await readFile(asInsurer, "utf8"))).to.deep.equal(
        JSON.parse(await readFile(observationFile, "utf8")),
      );
      expect(output).to.match(/sha-256 matches/);
      const asPatient = path.join(workDir, "patient.pdf");
      const result = await run<{ contentType: string }>("careledger:read", {
        record: String(pdfId),
        out: asPatient,
        from: PATIENT,
      });
      expect(result.contentType).to.equal("application/pdf");
      expect(await readFile(asPatient)).to.deep.equal(await readFile(pdfFile));
    });

    it("refuses a reader without consent", async function () {
      await rejects(
        "careledger:read",
        { record: String(observationId), out: path.join(workDir, "x.json"), from: STRANGER },
        /No consent: .*`careledger:grant --grantee/,
      );
    });
  });

  let planId: bigint;
  let coverageId: bigint;

  describe("create-plan, coverage, fund-pool", function () {
    it("creates a plan, offers and accepts coverage, funds the pool", async function () {
      ({ planId } = await run<{ planId: bigint }>("careledger:create-plan", {
        share: "80",
        deductible: "0",
        annualLimit: "10000",
        autoApprove: "0",
        preAuthClasses: "",
        reviewWindow: "",
        appealWindow: "",
        from: INSURER,
      }));
      ({ coverageId } = await run<{ coverageId: bigint }>("careledger:coverage", {
        action: "offer",
        patient: PATIENT,
        plan: String(planId),
        days: 365,
        coverageId: "",
        from: INSURER,
      }));
      await run("careledger:coverage", {
        action: "accept",
        patient: "",
        plan: "",
        days: 365,
        coverageId: String(coverageId),
        from: PATIENT,
      });
      const pool = await run<{ balance: bigint }>("careledger:fund-pool", {
        amount: "1000",
        faucet: true,
        from: INSURER,
      });
      expect(pool.balance).to.equal(1000n * 10n ** 6n);
    });

    it("explains bad plan terms, a wrong acceptor and an empty wallet", async function () {
      await rejects(
        "careledger:create-plan",
        {
          share: "150",
          deductible: "0",
          annualLimit: "1",
          autoApprove: "0",
          preAuthClasses: "",
          reviewWindow: "",
          appealWindow: "",
          from: INSURER,
        },
        /--share "150" must be a percentage/,
      );
      await rejects(
        "careledger:coverage",
        { action: "accept", patient: "", plan: "", days: 1, coverageId: String(coverageId), from: PROVIDER },
        /rejected: .*may not accept coverage|not in a state/,
      );
      await rejects(
        "careledger:fund-pool",
        { amount: "5", faucet: false, from: PROVIDER },
        /holds 0 of the stablecoin/,
      );
    });
  });

  let claimId: bigint;

  describe("claim", function () {
    it("submits a claim with evidence, the insurer approves it", async function () {
      const submitted = await run<{ claimId: bigint; status: string }>("careledger:claim", {
        action: "submit",
        coverageId: String(coverageId),
        evidence: String(observationId),
        billed: "100",
        serviceClass: 0,
        encounter: "Encounter/e1",
        preAuth: "0",
        claimId: "",
        allowed: "",
        reason: 0,
        from: PROVIDER,
      });
      expect(submitted.status).to.equal("pending");
      claimId = submitted.claimId;
      // The id is the encounter commitment, printed whole as hex: what an insurer pastes into --claim-id.
      expect(output).to.include(`claim ${claimIdHex(claimId)}: pending`);
      const approved = await run<{ status: string; payerAmount: bigint }>("careledger:claim", {
        action: "approve",
        coverageId: "",
        evidence: "",
        billed: "",
        serviceClass: 0,
        encounter: "",
        preAuth: "0",
        claimId: claimIdHex(claimId),
        allowed: "",
        reason: 0,
        from: INSURER,
      });
      expect(approved.payerAmount).to.equal(80n * 10n ** 6n);
    });

    it("denies a claim with a reason code", async function () {
      const { claimId: second } = await run<{ claimId: bigint }>("careledger:claim", {
        action: "submit",
        coverageId: String(coverageId),
        evidence: String(observationId),
        billed: "50",
        serviceClass: 0,
        encounter: "Encounter/e2",
        preAuth: "0",
        claimId: "",
        allowed: "",
        reason: 0,
        from: PROVIDER,
      });
      const denied = await run<{ status: string }>("careledger:claim", {
        action: "deny",
        coverageId: "",
        evidence: "",
        billed: "",
        serviceClass: 0,
        encounter: "",
        preAuth: "0",
        claimId: String(second),
        allowed: "",
        reason: 96,
        from: INSURER,
      });
      expect(denied.status).to.equal("denied");
      // On chain only the sealed reason: the patient (and provider) open it to 96 with their key files.
      const claims = contractAt("ClaimsSettlement");
      const [event] = await claims.queryFilter(claims.filters.ClaimDenied!(second));
      const sealedReason = (event as unknown as { args: { sealedReason: `0x${string}` } }).args.sealedReason;
      const context = {
        chainId: CHAIN_ID,
        registry: deployment.contracts.CareRegistry.address,
        settlement: deployment.contracts.ClaimsSettlement.address,
        kind: "claim" as const,
        id: second,
        patient: PATIENT,
      };
      for (const reader of [PATIENT, PROVIDER]) {
        const { identity } = (await readKeyFile(reader, process.env.CARELEDGER_KEY_PASSPHRASE!))!;
        expect(await openDenialReason(sealedReason, { account: reader, key: identity }, context)).to.equal(96);
      }
    });

    it("refuses evidence the insurer may not read", async function () {
      await rejects(
        "careledger:claim",
        {
          action: "submit",
          coverageId: String(coverageId),
          evidence: String(pdfId),
          billed: "10",
          serviceClass: 0,
          encounter: "Encounter/e3",
          preAuth: "0",
          claimId: "",
          allowed: "",
          reason: 0,
          from: PROVIDER,
        },
        /No consent: the insurer .*`careledger:grant --grantee .* --purpose claims/,
      );
    });
  });

  describe("withdraw", function () {
    it("pays the provider what the insurer's pool owes", async function () {
      const { amount } = await run<{ amount: bigint }>("careledger:withdraw", {
        insurer: INSURER,
        pool: "",
        from: PROVIDER,
      });
      expect(amount).to.equal(80n * 10n ** 6n);
    });

    it("says when nothing is owed", async function () {
      await rejects("careledger:withdraw", { insurer: INSURER, pool: "", from: PROVIDER }, /Nothing is owed/);
    });
  });

  describe("revoke", function () {
    it("revokes the provider's grant and rotates the category keys in one transaction, re-wrapped to the insurer", async function () {
      const { rotated, rewrappedTo } = await run<{ rotated: number[]; rewrappedTo: string[] }>("careledger:revoke", {
        grantee: PROVIDER,
        purpose: "treatment",
        keepKeys: false,
        from: PATIENT,
      });
      expect(rotated).to.deep.equal([4, 6]);
      // The insurer's claims grant on observations lives on: it got the new observations key.
      expect(rewrappedTo.map((a) => a.toLowerCase())).to.deep.equal([INSURER.toLowerCase()]);
      await rejects(
        "careledger:add-record",
        { patient: PATIENT, file: observationFile, category: "", from: PROVIDER },
        /No consent/,
      );
    });

    it("revokes with --keep-keys, then renew-keys renews the categories in one transaction", async function () {
      await run("careledger:revoke", { grantee: INSURER, purpose: "claims", keepKeys: true, from: PATIENT });
      const { renewed } = await run<{ renewed: number[] }>("careledger:renew-keys", { from: PATIENT });
      expect(renewed).to.deep.equal([4]);
      const again = await run<{ renewed: number[] }>("careledger:renew-keys", { from: PATIENT });
      expect(again.renewed).to.deep.equal([]);
    });

    it("explains a grant that never existed", async function () {
      await rejects(
        "careledger:revoke",
        { grantee: STRANGER, purpose: "research", keepKeys: false, from: PATIENT },
        /never granted/,
      );
    });
  });

  describe("storage", function () {
    it("verifies every pointer and repairs a store that lacks the copies", async function () {
      const both = `${store.url},${spare.url}`;
      const checked = await run<{ records: number; healthyRecords: number }>("careledger:storage", {
        repair: false,
        ipfsApi: both,
        embedded: "",
      });
      expect(checked.records).to.equal(2);
      expect(checked.healthyRecords).to.equal(0);
      expect(output).to.match(/run again with --repair/);
      const repaired = await run<{ repaired: unknown[] }>("careledger:storage", {
        repair: true,
        ipfsApi: both,
        embedded: "",
      });
      expect(repaired.repaired).to.have.length(2);
      const after = await run<{ healthyRecords: number }>("careledger:storage", {
        repair: false,
        ipfsApi: both,
        embedded: "",
      });
      expect(after.healthyRecords).to.equal(2);
    });

    it("collects garbage with --gc, keeping every record", async function () {
      const both = `${store.url},${spare.url}`;
      const garbage = await store.store.put(new Uint8Array(3000).fill(7));
      for await (const _ of store.store.helia.pins.rm(garbage)) {
        // drain: an unpinned blob, as a cut-off upload leaves
      }
      const collected = await run<{ healthyRecords: number }>("careledger:storage", {
        repair: false,
        gc: true,
        ipfsApi: both,
        embedded: "",
      });
      expect(collected.healthyRecords).to.equal(2);
      // One blob of garbage on the first store, none on the spare.
      expect(output).to.match(/: 1 block\(s\) removed/);
      expect(output).to.match(/: 0 block\(s\) removed/);
      expect(await store.store.has(garbage)).to.equal(false);
      const after = await run<{ healthyRecords: number }>("careledger:storage", {
        repair: false,
        ipfsApi: both,
        embedded: "",
      });
      expect(after.healthyRecords).to.equal(2);
    });

    it("checks an embedded store folder directly, e.g. a restored backup", async function () {
      await spare.close();
      const checked = await run<{ healthyRecords: number }>("careledger:storage", {
        repair: false,
        ipfsApi: "",
        embedded: path.join(workDir, "ipfs-spare"),
      });
      expect(checked.healthyRecords).to.equal(2);
      await rejects(
        "careledger:storage",
        { repair: false, ipfsApi: "", embedded: path.join(workDir, "no-such-store") },
        /holds no embedded store/,
      );
    });

    it("rejects a store URL that is not a URL", async function () {
      await rejects("careledger:storage", { repair: false, ipfsApi: "127.0.0.1:5001", embedded: "" }, /is not a URL/);
    });
  });

  describe("handover-admin", function () {
    it("hands the authority to a new admin after the delay", async function () {
      await run("careledger:handover-admin", { action: "begin", to: NEW_ADMIN, calldata: false, from: AUTHORITY });
      await rejects(
        "careledger:handover-admin",
        { action: "accept", to: "", calldata: false, from: NEW_ADMIN },
        /delay runs until/,
      );
      await rpc(rpcUrl, "evm_increaseTime", [86_401]);
      await rpc(rpcUrl, "evm_mine", []);
      const status = await run<{ admin: string }>("careledger:handover-admin", {
        action: "accept",
        to: "",
        calldata: false,
        from: NEW_ADMIN,
      });
      expect(status.admin).to.equal(NEW_ADMIN);
      // The old key is powerless, the new admin credentials.
      await rejects(
        "careledger:credential",
        { action: "grant", role: "provider", account: STRANGER, name: "Clinic", from: AUTHORITY },
        /lacks the authority role/,
      );
      await run("careledger:credential", {
        action: "grant",
        role: "provider",
        account: STRANGER,
        name: "Clinic",
        from: NEW_ADMIN,
      });
    });

    it("rejects a missing new admin address", async function () {
      await rejects(
        "careledger:handover-admin",
        { action: "begin", to: "", calldata: false, from: NEW_ADMIN },
        /--to is required/,
      );
    });
  });

  describe("recover", function () {
    const patient = account(6).address;
    const guardians = [account(7).address, account(8).address];
    const newAddress = account(9).address;

    it("two recovery guardians approve, the delay passes, the patient's grants and guardians answer to the new address", async function () {
      await run("careledger:register", { from: patient, keyOnly: false });
      const provider = new JsonRpcProvider(rpcUrl);
      const registry = contractAt("CareRegistry").connect(await provider.getSigner(patient)) as Contract;
      for (const g of guardians) await (await registry.getFunction("setGuardian")(g, 4, 0, 2n ** 64n - 1n)).wait();
      await (await registry.getFunction("setRecovery")(2, "0x")).wait();
      const args = { patient, newAddress, from: guardians[0] };
      await rejects("careledger:recover", { ...args, action: "approve", from: STRANGER }, /is not a recovery guardian/);
      await run("careledger:recover", { ...args, action: "approve" });
      expect(output).to.match(/1 of 2 guardians so far/);
      await rejects("careledger:recover", { ...args, action: "approve" }, /already approved/);
      const scheduled = await run<{ scheduled: boolean }>("careledger:recover", {
        ...args,
        action: "approve",
        from: guardians[1],
      });
      expect(scheduled.scheduled).to.equal(true);
      await rejects("careledger:recover", { ...args, action: "complete", from: STRANGER }, /can complete from/);
      await rpc(rpcUrl, "evm_increaseTime", [48 * 3_600]);
      await rpc(rpcUrl, "evm_mine", []);
      const done = await run<{ controller: string }>("careledger:recover", {
        ...args,
        action: "complete",
        from: STRANGER,
      });
      expect(done.controller).to.equal(newAddress);
      expect(output).to.match(/syncAccount: tx/);
      const status = await run<{ controller: string; threshold: number }>("careledger:recover", {
        ...args,
        action: "status",
        from: STRANGER,
      });
      expect(status.controller).to.equal(newAddress);
      expect(output).to.match(/speaks through/);
      // The lost wallet is refused with a sentence that says where the identity went.
      await rejects(
        "careledger:recover",
        { ...args, action: "cancel", from: patient },
        /moved to .* by account recovery/,
      );
      expect(await contractAt("ConsentManager").getFunction("controllerOf")(patient)).to.equal(newAddress);

      // The new address acts as the patient id: grants, reads and revocations bind to the patient,
      // not to the new address (the key file is the one exported under the patient id).
      for (const [grantee, purpose, access] of [
        [PROVIDER, "treatment", "read,write"],
        [INSURER, "claims", "read"],
      ]) {
        await run("careledger:grant", {
          grantee,
          categories: "observations",
          purpose,
          access,
          days: 30,
          from: newAddress,
        });
      }
      const consents = contractAt("ConsentManager");
      expect((await consents.getFunction("consentOf")(patient, INSURER, 1)).scope).to.equal(1n << 4n);
      expect((await consents.getFunction("consentOf")(newAddress, INSURER, 1)).scope).to.equal(0n);
      const added = await run<{ recordId: bigint }>("careledger:add-record", {
        patient,
        file: observationFile,
        category: "",
        from: PROVIDER,
      });
      const asInsurer = path.join(workDir, "moved-insurer.json");
      await run("careledger:read", { record: String(added.recordId), out: asInsurer, from: INSURER });
      expect(JSON.parse(await readFile(asInsurer, "utf8"))).to.deep.equal(
        JSON.parse(await readFile(observationFile, "utf8")),
      );
      await run("careledger:read", { record: String(added.recordId), out: asInsurer, from: newAddress });
      const { rewrappedTo } = await run<{ rewrappedTo: string[] }>("careledger:revoke", {
        grantee: PROVIDER,
        purpose: "treatment",
        keepKeys: false,
        from: newAddress,
      });
      expect(rewrappedTo.map((a) => a.toLowerCase())).to.deep.equal([INSURER.toLowerCase()]);
      // A record written after the rotation still opens for the insurer under the re-wrapped key.
      const later = await run<{ recordId: bigint }>("careledger:add-record", {
        patient,
        file: observationFile,
        category: "",
        from: newAddress,
      });
      await run("careledger:read", { record: String(later.recordId), out: asInsurer, from: INSURER });
    });

    it("the patient cancels within the delay, and an unknown action is named", async function () {
      await run("careledger:recover", { patient: PATIENT, newAddress: "", action: "status", from: STRANGER });
      expect(output).to.match(/account recovery is off/);
      await run("careledger:recover", { patient: "", newAddress: "", action: "cancel", from: PATIENT });
      expect(output).to.match(/cancelled/);
      await rejects(
        "careledger:recover",
        { patient: PATIENT, newAddress: "", action: "complete", from: STRANGER },
        /No move of .* has enough approvals/,
      );
      await rejects("careledger:recover", { action: "undo", from: PATIENT }, /use status, approve, cancel or complete/);
    });
  });

  describe("CLI", function () {
    it("prints task help and a clear error for an unknown network", async function () {
      const help = await runCli(["careledger:add-record", "--help"]);
      expect(help.output).to.match(/--patient[\s\S]*--file[\s\S]*--ipfs-api/);
      // What a developer sees in a terminal: on CI servers Hardhat always adds stack traces.
      const unknown = await runCli(["careledger:read", "--network", "nowhere", "--record", "1", "--out", "x"], {
        CI: undefined,
      });
      expect(unknown.code).to.equal(1);
      expect(unknown.output).to.match(/Unknown network "nowhere"/);
      expect(unknown.output).to.not.match(/at openContext/);
    });

    it("reads without a key over --network custom (RPC URL only)", async function () {
      const status = await runCli(["careledger:handover-admin", "status", "--network", "custom"], {
        CARELEDGER_RPC_URL: rpcUrl,
        CARELEDGER_PRIVATE_KEY: "",
      });
      expect(status.code, status.output).to.equal(0);
      expect(status.output).to.include(`admin:   ${NEW_ADMIN}`);
    });
  });
});
