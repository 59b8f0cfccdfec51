"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useConnection, useDisconnect } from "wagmi";
import { chainName } from "@/lib/networks";
import { Address } from "./Address";

const links = [
  { href: "/patient", label: "Patient" },
  { href: "/provider", label: "Provider" },
  { href: "/insurer", label: "Insurer" },
  { href: "/authority", label: "Authority" },
] as const;

export function AppHeader() {
  const pathname = usePathname();
  const { address, chainId, isConnected } = useConnection();
  const disconnect = useDisconnect();
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link href="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            +
          </span>
          CareLedger
        </Link>
        <nav aria-label="Workspaces">
          <ul className="nav-list">
            {links.map((link) => (
              <li key={link.href}>
                <Link href={link.href} aria-current={pathname === link.href ? "page" : undefined}>
                  {link.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account" aria-live="polite">
          {isConnected && address ? (
            <>
              <span className="account__chain">{chainName(chainId)}</span>
              <Address address={address} />
              <button type="button" className="button button--quiet" onClick={() => disconnect.mutate()}>
                Disconnect
              </button>
            </>
          ) : (
            <Link href="/" className="button button--quiet">
              Connect wallet
            </Link>
          )}
        </div>
      </div>
    </header>
  );
}
