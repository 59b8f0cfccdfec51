"use client";

import dynamic from "next/dynamic";
import { InsurerPool } from "./InsurerPool";
import { useInsurerBook } from "./useInsurerBook";

// The claims queue and the plan forms are their own chunks; the pool dashboard comes first.
const loading = () => <p role="status">Loading…</p>;
const ClaimsQueue = dynamic(() => import("./ClaimsQueue").then((m) => m.ClaimsQueue), { ssr: false, loading });
const InsurerPlans = dynamic(() => import("./InsurerPlans").then((m) => m.InsurerPlans), { ssr: false, loading });
const Passkeys = dynamic(() => import("@/features/identity/Passkeys").then((m) => m.Passkeys), { ssr: false });
import "@/app/workspaces.css";

/** The insurer workspace, shown by <RoleGate role="insurer"> to accounts that hold the role. */
export function InsurerWorkspace() {
  const book = useInsurerBook();
  return (
    <div className="workspace" data-testid="insurer-workspace">
      <InsurerPool book={book} />
      <ClaimsQueue book={book} />
      <InsurerPlans book={book} />
      <Passkeys />
    </div>
  );
}
