"use client";

import { GUARDIAN_EMERGENCY, GUARDIAN_MANAGE_CONSENT, GUARDIAN_RECOVERY } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import type { Address as AddressType } from "viem";
import { Party } from "@/components/Party";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";
import { usePatientGuardians } from "@/hooks/usePatientGuardians";
import { dayText } from "@/lib/dates";
import { checkAddress, checkFutureDate } from "@/lib/validation";

const rightsText = (r: number) =>
  [
    r & GUARDIAN_MANAGE_CONSENT ? "manage consent" : "",
    r & GUARDIAN_EMERGENCY ? "emergency decisions" : "",
    r & GUARDIAN_RECOVERY ? "approve an account recovery" : "",
  ]
    .filter(Boolean)
    .join(" and ");

/** Name a guardian (rights, period), list and revoke guardians. */
export function Guardians({ patient }: { patient: AddressType }) {
  const registry = useCareWrite("CareRegistry");
  const [guardian, setGuardian] = useState("");
  const [manage, setManage] = useState(true);
  const [emergency, setEmergency] = useState(true);
  const [recovery, setRecovery] = useState(false);
  const [until, setUntil] = useState("");
  const [errors, setErrors] = useState<Partial<Record<"guardian" | "until" | "rights", string>>>({});
  const list = usePatientGuardians(patient);

  async function name() {
    const g = checkAddress(guardian, { notSelf: patient });
    const u = checkFutureDate(until);
    const rights =
      (manage ? GUARDIAN_MANAGE_CONSENT : 0) |
      (emergency ? GUARDIAN_EMERGENCY : 0) |
      (recovery ? GUARDIAN_RECOVERY : 0);
    setErrors({
      guardian: g.ok ? undefined : g.error,
      until: u.ok ? undefined : u.error,
      rights: rights ? undefined : "Choose at least one right.",
    });
    if (!g.ok || !u.ok || !rights) return;
    await registry.write({ functionName: "setGuardian", args: [g.value, rights, 0n, u.value] });
  }

  return (
    <section className="card" aria-labelledby="guardians-title">
      <h2 id="guardians-title">Guardians</h2>
      <p>A guardian can act for you within the rights and period you set, for example a parent or a carer.</p>
      <ul className="grant-list">
        {(list.data ?? [])
          .filter((g) => Number(g.validUntil) * 1000 > Date.now())
          .map((g) => (
            <li key={g.guardian} className="grant" data-testid="guardian">
              <p>
                <Party address={g.guardian} /> may {rightsText(g.rights)} until{" "}
                {dayText(g.validUntil, "you revoke them")}.
              </p>
              <button
                type="button"
                className="button button--quiet"
                disabled={registry.busy}
                onClick={() => registry.write({ functionName: "revokeGuardian", args: [g.guardian] })}
              >
                Remove guardian
              </button>
            </li>
          ))}
      </ul>
      {list.data && list.data.length === 0 ? <p>No guardian named.</p> : null}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void name();
        }}
      >
        <Field label="Guardian address" error={errors.guardian}>
          <input value={guardian} onChange={(e) => setGuardian(e.target.value)} autoComplete="off" spellCheck={false} />
        </Field>
        <fieldset className={`field${errors.rights ? " field--invalid" : ""}`}>
          <legend>Rights</legend>
          <label className="checkbox">
            <input type="checkbox" checked={manage} onChange={(e) => setManage(e.target.checked)} /> Manage consent
            (grant and revoke access, accept coverage)
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={emergency} onChange={(e) => setEmergency(e.target.checked)} /> Emergency
            decisions (close emergency access, opt out)
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={recovery} onChange={(e) => setRecovery(e.target.checked)} /> Account
            recovery (hold a share of your key and, with others, approve moving your account to a new wallet)
          </label>
          {errors.rights ? <p className="field-error">{errors.rights}</p> : null}
        </fieldset>
        <Field label="Guardian until" error={errors.until}>
          <input type="date" value={until} onChange={(e) => setUntil(e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={registry.busy}>
          Name guardian
        </button>
      </form>
      <TransactionStatus state={registry.state} label="Guardian change" />
    </section>
  );
}
