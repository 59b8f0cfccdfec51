import {
  CREDENTIAL_ADMIN_ROLE,
  DISTRIBUTOR_ROLE,
  ETHICS_BOARD_ROLE,
  INSURER_ROLE,
  MANUFACTURER_ROLE,
  PHARMACY_ROLE,
  PROVIDER_ROLE,
  REGULATOR_ROLE,
  RESEARCHER_ROLE,
  SPONSOR_ROLE,
  credentialRole,
} from "@careledger/sdk/protocol/constants";
import type { Hex } from "viem";

/** The role ids of contracts/libraries/CareTypes.sol, from the SDK's tested mirror. */
export const roleIds = {
  PROVIDER_ROLE,
  INSURER_ROLE,
  RESEARCHER_ROLE,
  SPONSOR_ROLE,
  ETHICS_BOARD_ROLE,
  REGULATOR_ROLE,
  MANUFACTURER_ROLE,
  DISTRIBUTOR_ROLE,
  PHARMACY_ROLE,
  CREDENTIAL_ADMIN_ROLE,
} as const;

export type Role = "patient" | "provider" | "insurer" | "authority" | "guardian";

export type RoleInfo = {
  role: Role;
  title: string;
  /** The route of the role's workspace. Guardians work from the patient workspace, marked as acting-for. */
  href: "/patient" | "/provider" | "/insurer" | "/authority";
  summary: string;
};

export const roleInfo: Record<Role, RoleInfo> = {
  patient: {
    role: "patient",
    title: "Patient",
    href: "/patient",
    summary: "Your records, who may see them, and your claims.",
  },
  guardian: {
    role: "guardian",
    title: "Guardian",
    href: "/patient",
    summary: "Act for a patient within the rights they gave you.",
  },
  provider: {
    role: "provider",
    title: "Provider",
    href: "/provider",
    summary: "Add and read records under consent, submit claims.",
  },
  insurer: {
    role: "insurer",
    title: "Insurer",
    href: "/insurer",
    summary: "Plans, the claims queue and the pool.",
  },
  authority: {
    role: "authority",
    title: "Credentialing authority",
    href: "/authority",
    summary: "Credential, suspend and revoke providers and insurers.",
  },
};

/** Human name of a role id, for error messages and the credential history. */
export function roleName(id: Hex): string {
  if (id.toLowerCase() === CREDENTIAL_ADMIN_ROLE) return "credential admin";
  return credentialRole(id)?.noun ?? "an unknown role";
}
