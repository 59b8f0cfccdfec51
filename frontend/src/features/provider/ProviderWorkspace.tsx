"use client";

import { EmptyState } from "@/components/EmptyState";

/** The provider workspace, shown by <RoleGate role="provider"> to accounts that hold the role. */
export function ProviderWorkspace() {
  return (
    <div className="workspace" data-testid="provider-workspace">
      <EmptyState title="No patients yet">
        <p>Find a patient by their address to see what their consent allows, add records and submit claims.</p>
      </EmptyState>
    </div>
  );
}
