"use client";

import dynamic from "next/dynamic";
import { useState } from "react";
import type { Address as AddressType } from "viem";
import { useConnection } from "wagmi";
import "@/features/records/read/records.css";
import { Address } from "@/components/Address";
import { GUARDIAN_EMERGENCY, GUARDIAN_MANAGE_CONSENT, GUARDIAN_RECOVERY } from "@careledger/sdk/protocol/constants";
import { useGuardianships } from "@/hooks/useGuardianships";
import { useRoles } from "@/hooks/useRoles";
import { dayText } from "@/lib/dates";
import { useSelf } from "@/hooks/useSelf";
import { UnlockKey } from "@/features/records/read/UnlockKey";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { SubjectProvider } from "./subject";

const loading = () => (
  <p className="loading" role="status">
    <span className="spinner" aria-hidden="true" /> Loading…
  </p>
);
// Each tab is its own chunk: the first load carries only the shell.
const RecordTimeline = dynamic(() => import("@/features/records/read/RecordTimeline").then((m) => m.RecordTimeline), {
  ssr: false,
  loading,
});
const Consents = dynamic(() => import("./Consents").then((m) => m.Consents), { ssr: false, loading });
const Guardians = dynamic(() => import("./Guardians").then((m) => m.Guardians), { ssr: false, loading });
const Recovery = dynamic(() => import("./Recovery").then((m) => m.Recovery), { ssr: false, loading });
const Emergency = dynamic(() => import("./Emergency").then((m) => m.Emergency), { ssr: false, loading });
const AuditTrail = dynamic(() => import("./AuditTrail").then((m) => m.AuditTrail), { ssr: false, loading });
const Coverage = dynamic(() => import("./Coverage").then((m) => m.Coverage), { ssr: false, loading });
const RecoveryRequests = dynamic(() => import("@/features/recovery/RecoveryRequests").then((m) => m.RecoveryRequests), {
  ssr: false,
});
const PendingMove = dynamic(() => import("@/features/recovery/PendingMove").then((m) => m.PendingMove), {
  ssr: false,
});
const RecoverAccount = dynamic(() => import("@/features/recovery/RecoverAccount").then((m) => m.RecoverAccount), {
  ssr: false,
});
const YourName = dynamic(() => import("./YourName").then((m) => m.YourName), { ssr: false });
const Passkeys = dynamic(() => import("@/features/identity/Passkeys").then((m) => m.Passkeys), { ssr: false });
const CategoryKeys = dynamic(() => import("./CategoryKeys").then((m) => m.CategoryKeys), { ssr: false });

const rightsText = (rights: number) =>
  [
    rights & GUARDIAN_MANAGE_CONSENT ? "manage consent" : undefined,
    rights & GUARDIAN_EMERGENCY ? "emergency summary" : undefined,
    rights & GUARDIAN_RECOVERY ? "approve an account recovery" : undefined,
  ]
    .filter(Boolean)
    .join(" and ");

const TABS = [
  { id: "records", label: "Records" },
  { id: "consents", label: "Consents" },
  { id: "guardians", label: "Guardians", ownOnly: true },
  { id: "emergency", label: "Emergency" },
  { id: "audit", label: "Audit trail" },
  { id: "coverage", label: "Coverage & claims" },
] as const;
type TabId = (typeof TABS)[number]["id"];

/**
 * The patient workspace, shown by <RoleGate role="patient"> to patients and to guardians (who
 * act for the patients listed here, within their rights).
 */
export function PatientWorkspace() {
  const { address } = useConnection();
  const roles = useRoles();
  const { identity } = useIdentity();
  const { self, movedAway } = useSelf();
  const guardianships = useGuardianships(address);
  const isPatient = roles.status === "ready" && roles.has("patient");
  const actingFor = (guardianships.data ?? []).filter((g) => g.active);
  const [selected, setSelected] = useState<AddressType>();
  const [tab, setTab] = useState<TabId>("records");
  const guardianship = actingFor.find((g) => g.patient === selected);
  const subject: AddressType | undefined = guardianship ? guardianship.patient : isPatient ? self : undefined;
  const asGuardian = Boolean(guardianship);
  const recoveryOf = actingFor.filter((g) => g.rights & GUARDIAN_RECOVERY).map((g) => g.patient);
  const tabs = TABS.filter((t) => !(asGuardian && "ownOnly" in t));

  return (
    <div className="workspace" data-testid="patient-workspace">
      {movedAway ? (
        <p className="banner banner--warning" role="status" data-testid="moved-away">
          Your patient account moved to another wallet by account recovery: this address can no longer read or change
          it. Connect the new wallet.
        </p>
      ) : null}
      {isPatient && self && !asGuardian ? <PendingMove patient={self} /> : null}
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
                  May {rightsText(g.rights)}, until {dayText(g.validUntil, "they are revoked")}.
                </span>
                <button
                  type="button"
                  className="button button--quiet"
                  aria-pressed={selected === g.patient}
                  onClick={() => setSelected(selected === g.patient ? undefined : g.patient)}
                >
                  {selected === g.patient ? "Stop acting for this patient" : "Act for this patient"}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {recoveryOf.length > 0 && !subject ? (
        <UnlockKey purpose="To release your share when a patient you guard recovers their account, unlock your own key." />
      ) : null}
      {recoveryOf.length > 0 ? <RecoveryRequests patients={recoveryOf} /> : null}
      {subject ? (
        <>
          {asGuardian ? (
            <p className="banner banner--warning" role="status" data-testid="acting-for">
              Acting for patient <Address address={subject} /> as their guardian ({rightsText(guardianship!.rights)}).
            </p>
          ) : null}
          {!asGuardian && !identity && self !== address ? <RecoverAccount onlyUnderWay /> : null}
          <UnlockKey
            purpose={
              asGuardian
                ? "To read what this patient shared with you (such as their emergency summary), unlock your own key."
                : "Unlock to read your records and to share them."
            }
          />
          {!asGuardian && identity ? <CategoryKeys patient={subject} /> : null}
          {!asGuardian && identity ? <Passkeys /> : null}
          <div className="tabs" role="tablist" aria-label="Patient sections">
            {tabs.map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                id={`tab-${t.id}`}
                aria-selected={tab === t.id}
                aria-controls="patient-panel"
                className="tab"
                onClick={() => setTab(t.id)}
                onKeyDown={(e) => {
                  const i = tabs.findIndex((x) => x.id === t.id);
                  const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : undefined;
                  if (next === undefined) return;
                  const target = tabs[(next + tabs.length) % tabs.length];
                  setTab(target.id);
                  document.getElementById(`tab-${target.id}`)?.focus();
                }}
                tabIndex={tab === t.id ? 0 : -1}
              >
                {t.label}
              </button>
            ))}
          </div>
          <SubjectProvider value={{ asGuardian }}>
            <div id="patient-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-panel">
              {tab === "records" && !asGuardian ? <YourName patient={subject} /> : null}
              {tab === "records" ? <RecordTimeline patient={subject} /> : null}
              {tab === "consents" ? <Consents patient={subject} actingAsGuardian={asGuardian} /> : null}
              {tab === "guardians" && !asGuardian ? <Guardians patient={subject} /> : null}
              {tab === "guardians" && !asGuardian ? <Recovery patient={subject} /> : null}
              {tab === "emergency" ? <Emergency patient={subject} actingAsGuardian={asGuardian} /> : null}
              {tab === "audit" ? <AuditTrail patient={subject} /> : null}
              {tab === "coverage" ? <Coverage patient={subject} /> : null}
            </div>
          </SubjectProvider>
        </>
      ) : null}
    </div>
  );
}
