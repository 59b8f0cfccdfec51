"use client";

import { EmptyState } from "@/components/EmptyState";

/** The patient workspace, shown by <RoleGate role="patient"> to accounts that hold the role. */
export function PatientWorkspace() {
  return (
    <div className="workspace" data-testid="patient-workspace">
      <EmptyState title="No records yet">
        <p>
          When a provider adds a record for you, it appears here, decrypted in this browser only. Consents you grant and
          claims about your care will be listed here too.
        </p>
      </EmptyState>
    </div>
  );
}
