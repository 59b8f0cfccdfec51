/**
 * What every CareLedger task needs: a connection to the selected network, the deployment for the
 * connected chain, the signer, the contracts, argument parsing that says what to do when an
 * argument is wrong, and contract errors decoded into plain language.
 */
import {
  Contract,
  Interface,
  VoidSigner,
  ZeroAddress,
  getAddress,
  isAddress,
  type ContractTransactionResponse,
  type Signer,
} from "ethers";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  CATEGORIES,
  Category,
  EMERGENCY_SCOPE,
  Purpose,
  generateIdentityKey,
  toHex,
  type IdentityKey,
} from "@careledger/sdk";
import { KeyFileError, keyFilePath, keyPassphrase, readKeyFile, writeKeyFile } from "../../scripts/lib/keyFiles.js";

import { readDeploymentFile, type DeploymentFile } from "../../scripts/lib/deployments.js";
import { explainRevert } from "./errors.js";

/**
 * A mistake the user can fix. As a plugin error the Hardhat CLI prints only the message
 * ("Error in community plugin careledger: …"), no stack trace, and exits with code 1.
 */
export class TaskError extends HardhatPluginError {
  constructor(message: string) {
    super("careledger", message);
  }
}

type Ethers = {
  provider: {
    getNetwork(): Promise<{ chainId: bigint }>;
    getBlockNumber(): Promise<number>;
    getLogs(filter: unknown): Promise<{ topics: readonly string[]; data: string; blockNumber: number }[]>;
    send(method: string, params: unknown[]): Promise<unknown>;
  };
  getSigners(): Promise<Signer[]>;
};

export interface CareContext {
  hre: HardhatRuntimeEnvironment;
  networkName: string;
  chainId: number;
  ethers: Ethers;
  deployment: DeploymentFile;
  signer: Signer;
  address: string;
  /**
   * The patient id the signer speaks for (`CareRegistry.actingFor`): the signer's own address
   * unless an account recovery moved a patient's identity to it. Records, grants and category keys
   * stay keyed by this id, so every patient-side task binds and looks up by it, never by `address`.
   */
  patient: string;
  registry: Contract;
  consents: Contract;
  records: Contract;
  claims: Contract;
  stablecoin: Contract;
  /** Every ABI of the deployment in one interface, to decode events and errors from any contract. */
  abi: Interface;
  log(line: string): void;
  close(): Promise<void>;
}

/** Pass as `from` for work that only reads the chain: no account key is needed then. */
export const READ_ONLY = "read-only";

/** Connects to the network chosen with --network and loads the deployment of its chain. */
export async function openContext(
  hre: HardhatRuntimeEnvironment,
  options: { from?: string } = {},
): Promise<CareContext> {
  const networkName = hre.globalOptions.network ?? "default";
  if (!(networkName in hre.config.networks)) {
    throw new TaskError(
      `Unknown network "${networkName}". Configured networks: ${Object.keys(hre.config.networks).join(", ")}. ` +
        "Add it to hardhat.config.ts, or use `--network custom` with CARELEDGER_RPC_URL and CARELEDGER_PRIVATE_KEY set.",
    );
  }
  let connection;
  try {
    connection = await hre.network.create();
  } catch (error) {
    throw new TaskError(`Cannot connect to network "${networkName}": ${withSecretHint(error)}`);
  }
  const ethers = (connection as unknown as { ethers: Ethers }).ethers;
  let chainId: number;
  let deployment: DeploymentFile;
  let signer: Signer;
  try {
    try {
      chainId = Number((await ethers.provider.getNetwork()).chainId);
    } catch (error) {
      if (/configuration variable/i.test((error as Error)?.message ?? "")) {
        throw new TaskError(`Network "${networkName}" is not fully configured: ${withSecretHint(error)}`);
      }
      throw new TaskError(
        `Network "${networkName}" does not answer (${withSecretHint(error).replace(/\.$/, "")}). ` +
          "Is the node running and the RPC URL right? Locally: `npm start`.",
      );
    }
    try {
      deployment = await readDeploymentFile(chainId);
    } catch (error) {
      throw new TaskError((error as Error).message);
    }
    // Read-only work (storage checks, status) needs no key: a void signer reads through the provider.
    signer =
      options.from === READ_ONLY
        ? new VoidSigner(ZeroAddress, ethers.provider as never)
        : await selectSigner(ethers, options.from ?? "0", networkName);
  } catch (error) {
    await connection.close();
    throw error instanceof TaskError ? error : new TaskError(withSecretHint(error));
  }
  const contract = (name: keyof DeploymentFile["contracts"]) =>
    new Contract(deployment.contracts[name].address, deployment.contracts[name].abi as never, signer);
  const abi = combinedInterface(deployment);
  const address = await signer.getAddress();
  const registry = contract("CareRegistry");
  let patient = address;
  if (options.from !== READ_ONLY) {
    try {
      patient = await registry.actingFor(address);
    } catch (error) {
      await connection.close();
      throw explainRevert(error, abi, `Looking up whom ${address} acts for`);
    }
  }
  return {
    hre,
    networkName,
    chainId,
    ethers,
    deployment,
    signer,
    address,
    patient,
    registry,
    consents: contract("ConsentManager"),
    records: contract("RecordRegistry"),
    claims: contract("ClaimsSettlement"),
    stablecoin: contract("Stablecoin"),
    abi,
    log: (line) => process.stdout.write(`${line}\n`),
    close: () => connection.close(),
  };
}

/** Runs `work` with a context and always closes the connection. */
export async function withContext<T>(
  hre: HardhatRuntimeEnvironment,
  from: string | undefined,
  work: (ctx: CareContext) => Promise<T>,
): Promise<T> {
  const ctx = await openContext(hre, { from });
  try {
    return await work(ctx);
  } finally {
    await ctx.close();
  }
}

/** The first line of an error, with the way to set a missing configuration variable. */
function withSecretHint(error: unknown): string {
  const message = ((error as Error)?.message ?? String(error)).split("\n")[0]!;
  const variable = /configuration variable "?([A-Z0-9_]+)"?/i.exec(message)?.[1];
  return variable
    ? `${message} Set it: \`npx hardhat keystore set ${variable}\` (or the ${variable} environment variable).`
    : message;
}

async function selectSigner(ethers: Ethers, from: string, networkName: string): Promise<Signer> {
  const signers = await ethers.getSigners();
  if (signers.length === 0) {
    throw new TaskError(
      `Network "${networkName}" has no account to sign with. Set its key: ` +
        "`npx hardhat keystore set SEPOLIA_PRIVATE_KEY` (or CARELEDGER_PRIVATE_KEY for --network custom).",
    );
  }
  if (/^\d+$/.test(from)) {
    const signer = signers[Number(from)];
    if (!signer)
      throw new TaskError(
        `--from ${from}: network "${networkName}" has only ${signers.length} account(s) (0..${signers.length - 1}).`,
      );
    return signer;
  }
  const wanted = parseAddress(from, "--from");
  for (const signer of signers) if ((await signer.getAddress()) === wanted) return signer;
  throw new TaskError(
    `--from ${wanted}: this account's key is not configured for network "${networkName}". ` +
      "Use an index (0, 1, …) or configure the account's key with the keystore.",
  );
}

function combinedInterface(deployment: DeploymentFile): Interface {
  const seen = new Set<string>();
  const fragments: unknown[] = [];
  for (const { abi } of Object.values(deployment.contracts)) {
    for (const fragment of abi as { type: string; name?: string; inputs?: { type: string }[] }[]) {
      if (fragment.type !== "error" && fragment.type !== "event") continue;
      const key = `${fragment.type}:${fragment.name}(${(fragment.inputs ?? []).map((i) => i.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      fragments.push(fragment);
    }
  }
  return new Interface(fragments as never);
}

/** Sends a transaction, waits for it, and turns a revert into a plain-language TaskError. */
export async function send(
  ctx: CareContext,
  what: string,
  transaction: () => Promise<ContractTransactionResponse>,
): Promise<{ hash: string; logs: readonly { topics: readonly string[]; data: string }[] }> {
  try {
    const response = await transaction();
    const receipt = await response.wait();
    if (!receipt) throw new Error("no receipt");
    ctx.log(`  ${what}: tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`);
    return { hash: receipt.hash, logs: receipt.logs };
  } catch (error) {
    throw explainRevert(error, ctx.abi, what);
  }
}

/** A static call (view), with the same error decoding. */
export async function view<T>(ctx: CareContext, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw explainRevert(error, ctx.abi, what);
  }
}

/** The events named `name` among `logs`, decoded with the deployment's ABIs. */
export function eventsNamed(
  ctx: CareContext,
  logs: readonly { topics: readonly string[]; data: string }[],
  name: string,
) {
  const out = [];
  for (const log of logs) {
    const parsed = (() => {
      try {
        return ctx.abi.parseLog({ topics: [...log.topics], data: log.data });
      } catch {
        return null;
      }
    })();
    if (parsed?.name === name) out.push(parsed.args);
  }
  return out;
}

// --- Keys ------------------------------------------------------------------------------------

/**
 * The signer's identity key, from its encrypted key file (scripts/lib/keyFiles.ts:
 * CARELEDGER_KEY_DIR, CARELEDGER_KEY_PASSPHRASE), never re-derived from a signature. The key must
 * be the one registered for the signer, if any. With `create` (careledger:register), a signer
 * without a file gets a new random key, written to a new file before anything is sent.
 */
export async function identityOf(ctx: CareContext, options: { create?: boolean } = {}): Promise<IdentityKey> {
  try {
    const passphrase = keyPassphrase();
    // After an account recovery the identity key is still the patient's: the new address may keep
    // its own copy, or use the key file exported under the patient id.
    const moved = ctx.patient.toLowerCase() !== ctx.address.toLowerCase();
    const found =
      (await readKeyFile(ctx.address, passphrase)) ?? (moved ? await readKeyFile(ctx.patient, passphrase) : undefined);
    const [registered] = (await ctx.registry.encryptionKey(ctx.patient)) as [string, bigint];
    if (!found) {
      const file = keyFilePath(ctx.address);
      if (!options.create) {
        throw new TaskError(
          `No key file for ${ctx.address} (looked for ${file}). Create one with ` +
            `\`npx hardhat careledger:register --from ${ctx.address}\` (add --key-only unless you are a patient).`,
        );
      }
      if (BigInt(registered) !== 0n) {
        throw new TaskError(
          `${ctx.address} already has an encryption key on chain, but no key file at ${file}. ` +
            "Put that key's file there (export it from the dApp), or point CARELEDGER_KEY_DIR at it.",
        );
      }
      const identity = generateIdentityKey();
      ctx.log(`  wrote a new key file: ${await writeKeyFile(ctx.address, identity, passphrase)}`);
      return identity;
    }
    if (BigInt(registered) !== 0n && registered.toLowerCase() !== toHex(found.identity.publicKey)) {
      throw new TaskError(
        `The key in ${found.file} is not the encryption key registered for ${ctx.patient} (${registered}); ` +
          "use the key file of the key you registered last.",
      );
    }
    return found.identity;
  } catch (error) {
    if (error instanceof KeyFileError) throw new TaskError(error.message);
    throw error;
  }
}

// --- Argument parsing ------------------------------------------------------------------------

export function required(value: string | undefined, option: string, example: string): string {
  if (!value) throw new TaskError(`${option} is required, e.g. ${option} ${example}`);
  return value;
}

export function parseAddress(value: string | undefined, option: string): string {
  if (!value) throw new TaskError(`${option} is required: an account address (0x followed by 40 hex digits).`);
  if (!isAddress(value))
    throw new TaskError(`${option} "${value}" is not an address: expected 0x followed by 40 hex digits.`);
  return getAddress(value.toLowerCase());
}

export function parseId(value: string | undefined, option: string): bigint {
  if (!value) throw new TaskError(`${option} is required (a number, decimal or 0x hex).`);
  try {
    const id = BigInt(value);
    if (id < 0n) throw new Error();
    return id;
  } catch {
    throw new TaskError(`${option} "${value}" is not an id: use a decimal or 0x hex number.`);
  }
}

export function parseIds(value: string | undefined, option: string): bigint[] {
  if (!value) throw new TaskError(`${option} is required: comma-separated ids.`);
  return value.split(",").map((v) => parseId(v.trim(), option));
}

const PURPOSES: Record<string, Purpose> = {
  treatment: Purpose.Treatment,
  claims: Purpose.Claims,
  research: Purpose.Research,
  emergency: Purpose.Emergency,
};

export function parsePurpose(value: string): Purpose {
  const purpose = PURPOSES[value.toLowerCase()];
  if (purpose === undefined)
    throw new TaskError(`--purpose "${value}" is not one of: ${Object.keys(PURPOSES).join(", ")}.`);
  return purpose;
}

export function purposeName(purpose: number): string {
  return Object.keys(PURPOSES).find((k) => PURPOSES[k] === purpose) ?? String(purpose);
}

export function parseCategory(value: string): Category {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed) && CATEGORIES.some((c) => c.id === Number(trimmed))) return Number(trimmed) as Category;
  const byName = Object.entries(Category).find(([name]) => name.toLowerCase() === trimmed.toLowerCase());
  if (byName) return byName[1];
  throw new TaskError(
    `Category "${value}" is unknown. Use a number 0..${CATEGORIES.length - 1} or one of: ${Object.keys(Category).join(", ")}.`,
  );
}

/** A uint16 scope mask from "allergies,medications", "0,1", "emergency" or "all". */
export function parseScope(value: string | undefined): number {
  if (!value)
    throw new TaskError("--categories is required, e.g. --categories allergies,medications (or emergency, all).");
  if (value.toLowerCase() === "emergency") return EMERGENCY_SCOPE;
  if (value.toLowerCase() === "all") return (1 << CATEGORIES.length) - 1;
  return value.split(",").reduce((scope, c) => scope | (1 << parseCategory(c)), 0);
}

export function parseAccess(value: string): number {
  let access = 0;
  for (const part of value.toLowerCase().split(",")) {
    if (part.trim() === "read") access |= 1;
    else if (part.trim() === "write") access |= 2;
    else throw new TaskError(`--access "${value}" must be read, write or read,write.`);
  }
  return access;
}

/** Stablecoin units ("250.5") to the token's integer amount. */
export async function parseAmount(ctx: CareContext, value: string | undefined, option: string): Promise<bigint> {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value))
    throw new TaskError(`${option} "${value}" is not an amount: use e.g. 250 or 99.95.`);
  const decimals = Number(await ctx.stablecoin.decimals());
  const [whole, fraction = ""] = value.split(".");
  if (fraction.length > decimals) throw new TaskError(`${option} "${value}" has more than ${decimals} decimals.`);
  return BigInt(whole) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

export async function formatAmount(ctx: CareContext, amount: bigint): Promise<string> {
  const decimals = BigInt(await ctx.stablecoin.decimals());
  const unit = 10n ** decimals;
  const fraction = (amount % unit).toString().padStart(Number(decimals), "0").replace(/0+$/, "");
  return `${amount / unit}${fraction ? `.${fraction}` : ""}`;
}
