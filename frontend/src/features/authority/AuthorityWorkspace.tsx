"use client";

import { EmptyState } from "@/components/EmptyState";

/** The authority workspace, shown by <RoleGate role="authority"> to accounts that hold the role. */
export function AuthorityWorkspace() {
  return (
    <div className="workspace" data-testid="authority-workspace">
      <EmptyState title="No credentials issued yet">
        <p>Credential providers and insurers by address. You can suspend or revoke a credential at any time.</p>
      </EmptyState>
    </div>
  );
}
