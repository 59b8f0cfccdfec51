"use client";

import Link from "next/link";
import type { ReactNode } from "react";
import { useConnection } from "wagmi";
import { useCareRead } from "@/hooks/useCareRead";
import { useRoles } from "@/hooks/useRoles";
import { chainName, isSupportedChain } from "@/lib/networks";
import { roleIds, roleInfo, type Role } from "@/lib/roles";
import { EmptyState } from "./EmptyState";

type GatedRole = Exclude<Role, "guardian">;

const missingRole: Record<GatedRole, { title: string; body: ReactNode }> = {
  patient: {
    title: "This account is not registered as a patient",
    body: (
      <p>
        Registering creates your personal encryption key from a wallet signature and records its public half on
        CareLedger, so providers can write records only you (and those you allow) can read. It takes two transactions:
        one registers your key, the next publishes the keys of your record categories.
      </p>
    ),
  },
  provider: {
    title: "This account is not a credentialed provider",
    body: (
      <p>
        Clinicians, hospitals and labs are credentialed by the credentialing authority. Give the authority this
        account&apos;s address; the provider workspace opens once the credential is active.
      </p>
    ),
  },
  insurer: {
    title: "This account is not a credentialed insurer",
    body: (
      <p>
        Insurers are credentialed by the credentialing authority. Give the authority this account&apos;s address; the
        insurer workspace opens once the credential is active.
      </p>
    ),
  },
  authority: {
    title: "This account is not the credentialing authority",
    body: (
      <p>
        Only the credentialing authority (a multisig or timelock on public networks) can credential, suspend and revoke
        providers and insurers.
      </p>
    ),
  },
};

/** CredentialStatus of ICareRegistry: None, Active, Suspended, Revoked. */
const SUSPENDED = 2;
const REVOKED = 3;

/**
 * What a provider or insurer whose credential exists but is not active is told: suspended (for now,
 * by the authority) or revoked (for good), never "not credentialed" as if they had never been.
 */
function credentialEnded(role: "provider" | "insurer", status: number | undefined) {
  const work =
    role === "provider"
      ? "read or add records, open emergency access, request pre-authorisations or submit claims"
      : "offer coverage, fund the pool, or decide claims and appeals";
  if (status === SUSPENDED) {
    return {
      title: `Your ${role} credential is suspended`,
      body: (
        <p>
          The credentialing authority has suspended this account&apos;s {role} credential. While it is suspended you
          cannot {work}. Suspension is temporary: ask the authority why, and to reinstate it; the {role} workspace opens
          again as soon as it does.
        </p>
      ),
    };
  }
  if (status === REVOKED) {
    return {
      title: `Your ${role} credential was revoked`,
      body: (
        <p>
          The credentialing authority has revoked this account&apos;s {role} credential for good: it cannot be
          reinstated, and this account can no longer {work}. If this is a mistake, speak to the authority; a new
          credential needs a new account.
        </p>
      ),
    };
  }
  return undefined;
}

/** Opens a role's workspace only for an account that holds the role, and says plainly why not otherwise. */
export function RoleGate({
  role,
  children,
  whenMissing,
}: {
  role: GatedRole;
  children: ReactNode;
  /** Shown under the explanation when the account lacks the role, e.g. the patient registration. */
  whenMissing?: ReactNode;
}) {
  const { chainId } = useConnection();
  const roles = useRoles();
  const info = roleInfo[role];
  const credentialed = role === "provider" || role === "insurer";
  const status = useCareRead({
    contractName: "CareRegistry",
    functionName: "credentialStatus",
    args:
      credentialed && roles.status === "ready" && !roles.has(role)
        ? [role === "provider" ? roleIds.PROVIDER_ROLE : roleIds.INSURER_ROLE, roles.account]
        : undefined,
  });

  if (roles.status === "disconnected") {
    return (
      <EmptyState
        title={`Connect a wallet to open the ${info.title.toLowerCase()} workspace`}
        action={
          <Link href="/" className="button">
            Connect wallet
          </Link>
        }
      >
        <p>{info.summary}</p>
      </EmptyState>
    );
  }
  if (!isSupportedChain(chainId)) {
    return (
      <EmptyState title="Switch network to continue">
        <p>Your wallet is on {chainName(chainId)}. Use the switch button above.</p>
      </EmptyState>
    );
  }
  if (roles.status === "not-deployed") {
    return (
      <EmptyState title="CareLedger is not deployed on this network">
        <p>Start the local stack with npm start, or switch to a network with a CareLedger deployment.</p>
      </EmptyState>
    );
  }
  if (roles.status === "loading") {
    return (
      <p role="status" className="loading">
        Checking your roles on CareLedger…
      </p>
    );
  }
  if (roles.status === "error") {
    return (
      <EmptyState
        title="Your roles could not be read"
        action={
          <button type="button" className="button" onClick={roles.retry}>
            Try again
          </button>
        }
      >
        <p>{roles.message}</p>
      </EmptyState>
    );
  }
  // Guardians act for their patients from the patient workspace.
  const allowed = roles.has(role) || (role === "patient" && roles.has("guardian"));
  if (!allowed) {
    const others = roles.roles.filter((r) => r !== role);
    const missing =
      (credentialed && credentialEnded(role, status.data === undefined ? undefined : Number(status.data))) ||
      missingRole[role];
    return (
      <>
        <EmptyState
          title={missing.title}
          action={
            others.length > 0 ? (
              <p>
                This account is a{" "}
                {others.map((r, i) => (
                  <span key={r}>
                    {i > 0 ? ", " : null}
                    <Link href={roleInfo[r].href}>{roleInfo[r].title.toLowerCase()}</Link>
                  </span>
                ))}
                .
              </p>
            ) : null
          }
        >
          {missing.body}
        </EmptyState>
        {whenMissing}
      </>
    );
  }
  return <>{children}</>;
}
