"use client";

import { ClaimsQueue } from "./ClaimsQueue";
import { InsurerPlans } from "./InsurerPlans";
import { InsurerPool } from "./InsurerPool";
import { useInsurerBook } from "./useInsurerBook";
import "@/app/workspaces.css";

/** The insurer workspace, shown by <RoleGate role="insurer"> to accounts that hold the role. */
export function InsurerWorkspace() {
  const book = useInsurerBook();
  return (
    <div className="workspace" data-testid="insurer-workspace">
      <InsurerPool book={book} />
      <ClaimsQueue book={book} />
      <InsurerPlans book={book} />
    </div>
  );
}
