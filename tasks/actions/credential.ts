import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  CREDENTIAL_ROLES,
  MAX_PROFILE_TEXT,
  PartyKind,
  profileTextProblems,
  type CredentialRoleInfo,
} from "@careledger/sdk";

import { TaskError, parseAddress, send, withContext } from "../lib/context.js";

const ACTIONS = {
  grant: "grantCredential",
  suspend: "suspendCredential",
  reinstate: "reinstateCredential",
  revoke: "revokeCredential",
} as const;
const STATUS = ["none", "active", "suspended", "revoked"];
const KINDS: Record<string, number> = {
  other: PartyKind.Other,
  clinician: PartyKind.Clinician,
  practice: PartyKind.Practice,
  hospital: PartyKind.Hospital,
  laboratory: PartyKind.Laboratory,
  pharmacy: PartyKind.Pharmacy,
  insurer: PartyKind.Insurer,
  research: PartyKind.ResearchInstitution,
  sponsor: PartyKind.Sponsor,
  "ethics-board": PartyKind.EthicsBoard,
  regulator: PartyKind.Regulator,
  manufacturer: PartyKind.Manufacturer,
  distributor: PartyKind.Distributor,
};

/** The directory listing from --name, --kind and --registry-id, checked before anything is sent. */
function listingOf(args: { name: string; kind: string; registryId: string }, role: CredentialRoleInfo) {
  const displayName = args.name.trim();
  const registryId = args.registryId.trim();
  const problems = profileTextProblems({ displayName, registryId });
  if (problems.displayName === "empty") {
    throw new TaskError(
      '--name is required: the name patients will see in the directory, e.g. --name "Northside Labs".',
    );
  }
  if (problems.displayName) throw new TaskError(`--name is over ${MAX_PROFILE_TEXT} bytes: shorten it.`);
  if (problems.registryId) throw new TaskError(`--registry-id is over ${MAX_PROFILE_TEXT} bytes: shorten it.`);
  const kind = args.kind ? KINDS[args.kind.toLowerCase()] : role.defaultKind;
  if (kind === undefined) throw new TaskError(`--kind "${args.kind}" is not one of: ${Object.keys(KINDS).join(", ")}.`);
  return { displayName, kind, registryId };
}

/**
 * The credentialing authority grants (together with the party's public directory listing, in one
 * transaction), suspends, reinstates or revokes a credential, or updates a listing (`profile`).
 */
export default async function credential(
  args: {
    action: string;
    role: string;
    account?: string;
    name: string;
    kind: string;
    registryId: string;
    from: string;
  },
  hre: HardhatRuntimeEnvironment,
) {
  const method = args.action === "profile" ? "setProfile" : ACTIONS[args.action as keyof typeof ACTIONS];
  if (!method)
    throw new TaskError(`Unknown action "${args.action}": use grant, suspend, reinstate, revoke or profile.`);
  const info = CREDENTIAL_ROLES.find((r) => r.flag === args.role.toLowerCase());
  if (!info) {
    throw new TaskError(`--role "${args.role}" is not one of: ${CREDENTIAL_ROLES.map((r) => r.flag).join(", ")}.`);
  }
  const role = info.id;
  const account = parseAddress(args.account, "--account");
  const listing = method === "grantCredential" || method === "setProfile" ? listingOf(args, info) : undefined;
  return withContext(hre, args.from, async (ctx) => {
    if (method === "setProfile") {
      await send(ctx, `setProfile(${account}, "${listing!.displayName}")`, () =>
        ctx.registry.setProfile(account, listing!),
      );
      ctx.log(`directory listing of ${account}: ${listing!.displayName}`);
      return { account, role: args.role, listing };
    }
    if (method === "grantCredential") {
      const calls = [
        ctx.registry.interface.encodeFunctionData("grantCredential", [role, account]),
        ctx.registry.interface.encodeFunctionData("setProfile", [account, listing!]),
      ];
      await send(ctx, `grantCredential(${args.role}, ${account}) + setProfile("${listing!.displayName}")`, () =>
        ctx.registry.multicall(calls),
      );
    } else {
      await send(ctx, `${method}(${args.role}, ${account})`, () => ctx.registry[method](role, account));
    }
    const status = STATUS[Number(await ctx.registry.credentialStatus(role, account))];
    ctx.log(`${args.role} credential of ${account}: ${status}`);
    return { account, role: args.role, status };
  });
}
