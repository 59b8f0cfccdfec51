import { HDNodeWallet, Mnemonic } from "ethers";

import { PartyKind } from "@careledger/sdk/protocol/constants";

/**
 * The demo world's people. They are Hardhat's default development accounts (the well-known
 * "test … junk" mnemonic): public knowledge, funded only on the local chain. Never send real
 * funds to them or use them on a public network.
 */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export type DemoRole = "authority" | "provider" | "insurer" | "patient" | "guardian" | "relayer";

export interface DemoAccount {
  index: number;
  name: string;
  role: DemoRole;
  about: string;
  /** The public directory listing the authority records for a credentialed party (a made-up identifier). */
  listing?: { kind: PartyKind; registryId: string };
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { index: 0, name: "CareLedger Authority", role: "authority", about: "credentials providers and insurers" },
  {
    index: 1,
    name: "Dr. Amara Okafor",
    role: "provider",
    about: "GP, Riverside Family Practice",
    listing: { kind: PartyKind.Clinician, registryId: "NPI 1234567893" },
  },
  {
    index: 2,
    name: "Northside Labs",
    role: "provider",
    about: "clinical laboratory and imaging",
    listing: { kind: PartyKind.Laboratory, registryId: "CLIA 05D0987654" },
  },
  {
    index: 3,
    name: "Meridian Health",
    role: "insurer",
    about: "insurer with a funded claims pool",
    listing: { kind: PartyKind.Insurer, registryId: "NAIC 99999" },
  },
  { index: 4, name: "Alice Moreau", role: "patient", about: "records, consents and claims" },
  { index: 5, name: "Ben Carter", role: "patient", about: "records and a denied claim" },
  { index: 6, name: "Chloe Nguyen", role: "patient", about: "minor with a guardian" },
  { index: 7, name: "Daniel Nguyen", role: "guardian", about: "guardian of Chloe" },
  { index: 8, name: "Relayer", role: "relayer", about: "submits gasless (signed) consents" },
];

/** Who is who in the seeded world, by account index (scripts/seed seeds them in these roles). */
export const DEMO_PEOPLE = {
  authority: 0,
  okafor: 1,
  northside: 2,
  meridian: 3,
  alice: 4,
  ben: 5,
  chloe: 6,
  daniel: 7,
  relayer: 8,
} as const satisfies Record<string, number>;

export function demoWallet(index: number): HDNodeWallet {
  return HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${index}`);
}

export function demoAccount(role: DemoRole, nth = 0): DemoAccount & { address: string; privateKey: string } {
  const account = DEMO_ACCOUNTS.filter((a) => a.role === role)[nth];
  if (!account) throw new Error(`The demo world has no ${role} number ${nth + 1}`);
  const wallet = demoWallet(account.index);
  return { ...account, address: wallet.address, privateKey: wallet.privateKey };
}
