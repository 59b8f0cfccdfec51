import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { INSURER_ROLE, PROVIDER_ROLE, RESEARCHER_ROLE } from "@careledger/sdk";

import { TaskError, parseAddress, send, withContext } from "../lib/context.js";

const ROLES: Record<string, string> = { provider: PROVIDER_ROLE, insurer: INSURER_ROLE, researcher: RESEARCHER_ROLE };
const ACTIONS = {
  grant: "grantCredential",
  suspend: "suspendCredential",
  reinstate: "reinstateCredential",
  revoke: "revokeCredential",
} as const;
const STATUS = ["none", "active", "suspended", "revoked"];

/** The credentialing authority grants, suspends, reinstates or revokes a credential. */
export default async function credential(
  args: { action: string; role: string; account?: string; from: string },
  hre: HardhatRuntimeEnvironment,
) {
  const method = ACTIONS[args.action as keyof typeof ACTIONS];
  if (!method) throw new TaskError(`Unknown action "${args.action}": use grant, suspend, reinstate or revoke.`);
  const role = ROLES[args.role.toLowerCase()];
  if (!role) throw new TaskError(`--role "${args.role}" is not one of: ${Object.keys(ROLES).join(", ")}.`);
  const account = parseAddress(args.account, "--account");
  return withContext(hre, args.from, async (ctx) => {
    await send(ctx, `${method}(${args.role}, ${account})`, () => ctx.registry[method](role, account));
    const status = STATUS[Number(await ctx.registry.credentialStatus(role, account))];
    ctx.log(`${args.role} credential of ${account}: ${status}`);
    return { account, role: args.role, status };
  });
}
