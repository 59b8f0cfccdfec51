/** Node-only: reads deployments/<chainId>.json from disk. */
import { readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseDeployment, type Deployment } from "../deployments.js";
import { DeploymentNotFoundError } from "../errors.js";

export const DEFAULT_DEPLOYMENTS_DIR = "deployments";

/** Every deployments/<chainId>.json in `dir`, keyed by chain id. */
export async function loadDeployments(dir = DEFAULT_DEPLOYMENTS_DIR): Promise<Record<number, Deployment>> {
  const out: Record<number, Deployment> = {};
  let files: string[] = [];
  try {
    files = await readdir(dir);
  } catch {
    return out;
  }
  for (const file of files.filter((f) => /^\d+\.json$/.test(f))) {
    const path = join(dir, file);
    const deployment = parseDeployment(JSON.parse(await readFile(path, "utf8")), path);
    out[deployment.chainId] = deployment;
  }
  return out;
}

/** deployments/<chainId>.json. @throws DeploymentNotFoundError naming the chain id and the folder. */
export async function loadDeployment(chainId: number | bigint, dir = DEFAULT_DEPLOYMENTS_DIR): Promise<Deployment> {
  const id = Number(chainId);
  const path = join(dir, `${id}.json`);
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    const known = Object.keys(await loadDeployments(dir)).map(Number);
    const error = new DeploymentNotFoundError(id, known);
    error.message += ` (looked for ${resolve(path)})`;
    throw error;
  }
  return parseDeployment(JSON.parse(text), path);
}
