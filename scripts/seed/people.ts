/**
 * Who is who: the authority credentials the providers and the insurer, everyone publishes the
 * X25519 key derived from their own wallet's signature (as the dApp does), the patients register
 * and publish their category keys, and Chloe names her father Daniel guardian.
 */
import {
  CATEGORIES,
  GUARDIAN_EMERGENCY,
  GUARDIAN_MANAGE_CONSENT,
  INSURER_ROLE,
  PROVIDER_ROLE,
  deriveCategoryKey,
  deriveIdentityKey,
  toHex,
  type IdentityKey,
} from "@careledger/sdk";
import { rm } from "node:fs/promises";
import { encodeFunctionData } from "viem";

import {
  DEMO_KEY_PASSPHRASE,
  DEMO_SCRYPT_N,
  KeyFileError,
  keyFilePath,
  readKeyFile,
  writeKeyFile,
} from "../lib/keyFiles.js";

import { DEMO_PEOPLE } from "./accounts.js";
import type { Person, SeedChain } from "./chain.js";

/** The first publication of a patient's category keys is epoch 1 (RecordRegistry counts from 1). */
export const FIRST_EPOCH = 1;

export interface DemoPeople {
  authority: Person;
  okafor: Person;
  northside: Person;
  meridian: Person;
  alice: Person;
  ben: Person;
  chloe: Person;
  daniel: Person;
  relayer: Person;
  /** Each person's identity key, derived from their wallet's EIP-712 signature of the SDK's key message. */
  keys: Map<string, IdentityKey>;
}

export const DAY = 86_400n;

/**
 * Where the seed's people keep their identity keys: encrypted key files (scripts/lib/keyFiles.ts).
 * `fromFiles`: every person's key is taken from its file in `dir` (a world seeded with keys made
 * elsewhere; nothing is derived from a signature). Otherwise, the local demo: each demo wallet's
 * key is derived once as the dApp's wallet fallback derives it (so the demo accounts unlock in the
 * browser with MetaMask), and written to `dir` for the tasks, replacing the previous run's file.
 */
export interface SeedKeys {
  dir: string;
  passphrase?: string;
  fromFiles?: boolean;
}

/** The identity key of one person, from its key file or (local demo) its wallet, written to a file. */
export async function identityOf(chain: SeedChain, person: Person, keys: SeedKeys): Promise<IdentityKey> {
  const passphrase = keys.passphrase ?? DEMO_KEY_PASSPHRASE;
  if (keys.fromFiles) {
    const found = await readKeyFile(person.address, passphrase, keys.dir);
    if (!found) throw new KeyFileError(`no key file for ${person.name} (${person.address}) in ${keys.dir}`);
    return found.identity;
  }
  const identity = await deriveIdentityKey((typedData) => person.account.signTypedData(typedData), {
    chainId: chain.chainId,
    verifyingContract: chain.deployment.contracts.CareRegistry.address,
    account: person.address,
    getCode: (address) => chain.client.getCode({ address }),
  });
  await rm(keyFilePath(person.address, keys.dir), { force: true });
  await writeKeyFile(person.address, identity, passphrase, { dir: keys.dir, scryptN: DEMO_SCRYPT_N });
  return identity;
}

export async function seedPeople(
  chain: SeedChain,
  note: (detail: string) => void,
  keys: SeedKeys,
): Promise<DemoPeople> {
  const byIndex = (index: number) => chain.people.find((p) => p.index === index)!;
  const people = {
    ...(Object.fromEntries(Object.entries(DEMO_PEOPLE).map(([key, index]) => [key, byIndex(index)])) as Record<
      keyof typeof DEMO_PEOPLE,
      Person
    >),
    keys: new Map<string, IdentityKey>(),
  } satisfies DemoPeople;
  const { authority, okafor, northside, meridian, alice, ben, chloe, daniel } = people;

  await Promise.all(
    chain.people.map(async (person) => people.keys.set(person.address, await identityOf(chain, person, keys))),
  );
  const key = (person: Person) => toHex(people.keys.get(person.address)!.publicKey);

  // Credentialing and the public directory listing go together, in one transaction per party.
  const registryAbi = chain.deployment.contracts.CareRegistry.abi;
  const credentials = (
    [
      [PROVIDER_ROLE, okafor],
      [PROVIDER_ROLE, northside],
      [INSURER_ROLE, meridian],
    ] as const
  ).map(([role, party]) =>
    chain.send(authority, "CareRegistry", "multicall", [
      [
        encodeFunctionData({ abi: registryAbi, functionName: "grantCredential", args: [role, party.address] }),
        encodeFunctionData({
          abi: registryAbi,
          functionName: "setProfile",
          args: [
            party.address,
            { displayName: party.name, kind: party.listing!.kind, registryId: party.listing!.registryId },
          ],
        }),
      ],
    ]),
  );
  const nonPatients = chain.people.filter((p) => p.role !== "patient");
  const encryptionKeys = nonPatients.map((p) => chain.send(p, "CareRegistry", "setEncryptionKey", [key(p)]));
  const patients = [alice, ben, chloe].map(async (patient) => {
    await chain.send(patient, "CareRegistry", "registerPatient", [key(patient)]);
    const identity = people.keys.get(patient.address)!;
    await chain.send(patient, "RecordRegistry", "publishCategoryKeys", [
      CATEGORIES.map((c) => c.id),
      CATEGORIES.map((c) => toHex(deriveCategoryKey(identity, c.id, FIRST_EPOCH).publicKey)),
    ]);
  });
  await Promise.all([...credentials, ...encryptionKeys, ...patients]);
  note(`credentialed ${okafor.name} and ${northside.name} (providers), ${meridian.name} (insurer)`);
  note(
    `${nonPatients.length} encryption keys published; ${alice.name}, ${ben.name}, ${chloe.name} registered with ${CATEGORIES.length} category keys each`,
  );

  // Chloe is a minor: her father manages her consents and holds emergency rights until she turns 18.
  const now = await chain.now();
  await chain.send(chloe, "CareRegistry", "setGuardian", [
    daniel.address,
    GUARDIAN_MANAGE_CONSENT | GUARDIAN_EMERGENCY,
    now - DAY,
    now + 3n * 365n * DAY,
  ]);
  note(`${chloe.name} named ${daniel.name} guardian (manage consent + emergency, 3 years)`);
  return people;
}
