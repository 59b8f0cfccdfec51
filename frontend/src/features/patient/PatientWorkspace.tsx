"use client";

import { useConnection } from "wagmi";
import { Address } from "@/components/Address";
import { EmptyState } from "@/components/EmptyState";
import { GUARDIAN_EMERGENCY, GUARDIAN_MANAGE_CONSENT } from "@careledger/sdk/protocol/constants";
import { useGuardianships } from "@/hooks/useGuardianships";
import { useRoles } from "@/hooks/useRoles";

const rightsText = (rights: number) =>
  [
    rights & GUARDIAN_MANAGE_CONSENT ? "manage consent" : undefined,
    rights & GUARDIAN_EMERGENCY ? "emergency summary" : undefined,
  ]
    .filter(Boolean)
    .join(" and ");

const dateText = (seconds: number) =>
  new Date(seconds * 1000).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });

/**
 * The patient workspace, shown by <RoleGate role="patient"> to patients and to guardians (who
 * act for the patients listed here).
 */
export function PatientWorkspace() {
  const { address } = useConnection();
  const roles = useRoles();
  const guardianships = useGuardianships(address);
  const isPatient = roles.status === "ready" && roles.has("patient");
  const actingFor = (guardianships.data ?? []).filter((g) => g.active);

  return (
    <div className="workspace" data-testid="patient-workspace">
      {actingFor.length > 0 ? (
        <section className="card" aria-labelledby="acting-for-title">
          <h2 id="acting-for-title">You are a guardian</h2>
          <p>You may act for these patients, within the rights and period each of them set:</p>
          <ul className="role-list">
            {actingFor.map((g) => (
              <li key={g.patient} className="role-link" data-testid="guardianship">
                <strong>
                  Patient <Address address={g.patient} />
                </strong>
                <span>
                  May {rightsText(g.rights)}, until {dateText(g.validUntil)}.
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {isPatient ? (
        <EmptyState title="No records yet">
          <p>
            When a provider adds a record for you, it appears here, decrypted in this browser only. Consents you grant
            and claims about your care will be listed here too.
          </p>
        </EmptyState>
      ) : null}
    </div>
  );
}
