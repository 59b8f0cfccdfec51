/**
 * Encrypted identity-key files for the command line and servers: the Hardhat tasks read the
 * signer's key from one, the seed writes one per demo person. The format is the SDK's key export
 * (`exportKeyFile` / `importKeyFile`: scrypt from @noble/hashes, then AES-256-GCM with every header
 * field — format, versions, public key, KDF parameters, nonce, date — as associated data), one file
 * per account: `<key dir>/<address>.careledger-key.json`, written 0600 and never overwritten.
 *
 *   CARELEDGER_KEY_DIR         where the files are (default .careledger/keys, next to `npm start`'s data)
 *   CARELEDGER_KEY_PASSPHRASE  the passphrase that opens them (8 characters or more)
 */
import { constants } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { exportKeyFile, importKeyFile, type IdentityKey } from "@careledger/sdk";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const DEFAULT_KEY_DIR = path.join(ROOT, ".careledger", "keys");
export const KEY_DIR_ENV = "CARELEDGER_KEY_DIR";
export const KEY_PASSPHRASE_ENV = "CARELEDGER_KEY_PASSPHRASE";
/**
 * The passphrase of the seeded demo people's key files. Their keys come from Hardhat's public
 * development accounts, so they protect nothing; never use either on a real network.
 */
export const DEMO_KEY_PASSPHRASE = "careledger local demo only";
/** scrypt cost of the demo files (2^14: their keys are public anyway); every other file uses the SDK's 2^17. */
export const DEMO_SCRYPT_N = 2 ** 14;

export class KeyFileError extends Error {}

export function keyDirectory(): string {
  return process.env[KEY_DIR_ENV] || DEFAULT_KEY_DIR;
}

export function keyFilePath(address: string, dir = keyDirectory()): string {
  if (!/^0x[0-9a-fA-F]{40}$/.test(address)) throw new KeyFileError(`${address} is not an account address`);
  return path.join(dir, `${address.toLowerCase()}.careledger-key.json`);
}

/** The passphrase from CARELEDGER_KEY_PASSPHRASE. @throws KeyFileError naming the variable. */
export function keyPassphrase(): string {
  const passphrase = process.env[KEY_PASSPHRASE_ENV];
  if (!passphrase || passphrase.length < 8) {
    throw new KeyFileError(
      `Set ${KEY_PASSPHRASE_ENV} to the passphrase of your key file (8 characters or more); ` +
        `the seeded demo people's files use "${DEMO_KEY_PASSPHRASE}".`,
    );
  }
  return passphrase;
}

/**
 * The identity key in `address`'s key file, or undefined when there is none.
 * @throws KeyFileError for a wrong passphrase, an altered file or one that is not a key file.
 */
export async function readKeyFile(address: string, passphrase: string, dir = keyDirectory()) {
  const file = keyFilePath(address, dir);
  let json: string;
  try {
    json = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    return { identity: await importKeyFile(json, passphrase), file };
  } catch (error) {
    throw new KeyFileError(`${file}: ${(error as Error).message}`);
  }
}

/** Writes `identity` to `address`'s key file (0600); refuses to overwrite one. Resolves to its path. */
export async function writeKeyFile(
  address: string,
  identity: IdentityKey,
  passphrase: string,
  options: { dir?: string; scryptN?: number } = {},
): Promise<string> {
  const file = keyFilePath(address, options.dir);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const json = await exportKeyFile(identity, passphrase, { scryptN: options.scryptN });
  try {
    await writeFile(file, json, { mode: 0o600, flag: constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") {
      throw new KeyFileError(`${file} already exists; move it away first if you mean to replace that key`);
    }
    throw error;
  }
  return file;
}
