/**
 * Deploys the CareLedger core through its Ignition module and hands back TypeChain-typed
 * contracts and named accounts. Shared by the contract tests and `bench/gas`.
 */
import { hexlify, id, randomBytes } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import CareLedgerCore from "../../ignition/modules/CareLedgerCore.js";
import type { CareRegistry, ConsentManager, RecordRegistry } from "../../types/ethers-contracts/index.js";
import { consentManagerDomain } from "./consentTypedData.js";

export const Purpose = {
  Treatment: 0,
  Claims: 1,
  Research: 2,
  Emergency: 3,
} as const;
export const ACCESS_READ = 1;
export const ACCESS_WRITE = 2;
export const CATEGORY_COUNT = 9;
export const EMERGENCY_SCOPE = 0b1111;
export const GUARDIAN_MANAGE_CONSENT = 1;
export const GUARDIAN_EMERGENCY = 2;
export const GUARDIAN_RECOVERY = 4;
export const MAX_UINT64 = 2n ** 64n - 1n;

/** A CIDv1 (raw, sha2-256) in binary form: 36 bytes; deterministic per `label`. */
export function cidOf(label: string): string {
  return "0x01551220" + id(label).slice(2);
}

/** 32 bytes, deterministic per `label` (commitments, public keys). */
export function bytes32Of(label: string): string {
  return id(label);
}

/** 32 random bytes. */
export function randomBytes32(): string {
  return hexlify(randomBytes(32));
}

/**
 * Key envelopes as the SDK sizes them, one per category: version, category, ephemeral X25519
 * key, nonce, wrapped key, tag = 94 bytes each; deterministic per `label`.
 */
export function envelopesOf(label: string, categories = 1): string {
  let hex = "";
  for (let i = 0; hex.length < 94 * 2 * categories; i++) hex += id(`${label}/${i}`).slice(2);
  return "0x" + hex.slice(0, 94 * 2 * categories);
}

export async function deployCore(connection: NetworkConnection) {
  const { ethers, ignition } = connection;
  const deployed = await ignition.deploy(CareLedgerCore);
  const careRegistry = deployed.careRegistry as unknown as CareRegistry;
  const consentManager = deployed.consentManager as unknown as ConsentManager;
  const recordRegistry = deployed.recordRegistry as unknown as RecordRegistry;
  const [admin, patient, provider, insurer, guardian, relayer, stranger, patient2, provider2] =
    await ethers.getSigners();
  const roles = {
    PROVIDER_ROLE: ethers.id("PROVIDER_ROLE"),
    INSURER_ROLE: ethers.id("INSURER_ROLE"),
    RESEARCHER_ROLE: ethers.id("RESEARCHER_ROLE"),
    SPONSOR_ROLE: ethers.id("SPONSOR_ROLE"),
    ETHICS_BOARD_ROLE: ethers.id("ETHICS_BOARD_ROLE"),
    REGULATOR_ROLE: ethers.id("REGULATOR_ROLE"),
    MANUFACTURER_ROLE: ethers.id("MANUFACTURER_ROLE"),
    DISTRIBUTOR_ROLE: ethers.id("DISTRIBUTOR_ROLE"),
    PHARMACY_ROLE: ethers.id("PHARMACY_ROLE"),
    CREDENTIAL_ADMIN_ROLE: ethers.id("CREDENTIAL_ADMIN_ROLE"),
    DEFAULT_ADMIN_ROLE: ethers.ZeroHash,
  };
  const { chainId } = await ethers.provider.getNetwork();
  const domain = consentManagerDomain(chainId, await consentManager.getAddress());
  return {
    careRegistry,
    consentManager,
    recordRegistry,
    accounts: {
      admin,
      patient,
      provider,
      insurer,
      guardian,
      relayer,
      stranger,
      patient2,
      provider2,
    },
    roles,
    chainId,
    domain,
  };
}

export type Core = Awaited<ReturnType<typeof deployCore>>;
