"use client";

import Link from "next/link";
import { useConnection } from "wagmi";
import { useRoles } from "@/hooks/useRoles";
import { chainName, isSupportedChain } from "@/lib/networks";
import { roleInfo } from "@/lib/roles";
import { Address } from "./Address";

/** After connecting: who this account is on CareLedger and where to go. */
export function RoleSummary() {
  const { address, chainId } = useConnection();
  const roles = useRoles();
  if (!address) return null;

  return (
    <section className="card" aria-labelledby="account-title">
      <h2 id="account-title">Your account</h2>
      <p>
        Connected as <Address address={address} /> on <strong>{chainName(chainId)}</strong>.
      </p>
      {!isSupportedChain(chainId) ? null : roles.status === "loading" ? (
        <p role="status">Checking your roles on CareLedger…</p>
      ) : roles.status === "not-deployed" ? (
        <p className="notice">CareLedger is not deployed on this network yet.</p>
      ) : roles.status === "error" ? (
        <div className="notice" role="alert">
          <p>{roles.message}</p>
          <button type="button" className="button" onClick={roles.retry}>
            Try again
          </button>
        </div>
      ) : roles.status === "ready" && roles.roles.length === 0 ? (
        <div data-testid="role-summary" data-roles="">
          <p>
            <strong>This account is not registered on CareLedger.</strong>
          </p>
          <p>
            Patients register themselves from the patient workspace. Providers and insurers are credentialed by the
            credentialing authority.
          </p>
          <Link href="/patient" className="button">
            Register as a patient
          </Link>
        </div>
      ) : roles.status === "ready" ? (
        <div data-testid="role-summary" data-roles={roles.roles.join(" ")}>
          <p>This account is registered as:</p>
          <ul className="role-list">
            {roles.roles.map((role) => (
              <li key={role}>
                <Link href={roleInfo[role].href} className="role-link">
                  <strong>{roleInfo[role].title}</strong>
                  <span>{roleInfo[role].summary}</span>
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}
