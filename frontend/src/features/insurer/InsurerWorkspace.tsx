"use client";

import { EmptyState } from "@/components/EmptyState";

/** The insurer workspace, shown by <RoleGate role="insurer"> to accounts that hold the role. */
export function InsurerWorkspace() {
  return (
    <div className="workspace" data-testid="insurer-workspace">
      <EmptyState title="No plans yet">
        <p>Create a plan, offer coverage and fund the claims pool. Submitted claims will wait here for review.</p>
      </EmptyState>
    </div>
  );
}
