"use client";

import { Purpose } from "@careledger/sdk/protocol/constants";
import dynamic from "next/dynamic";
import { Fragment, useEffect, useState, type FormEvent } from "react";
import type { Address } from "viem";
import { useConnection } from "wagmi";
import { Field } from "@/components/Field";
import { useCareRead } from "@/hooks/useCareRead";
import { useConsentScope } from "@/hooks/useConsentScope";
import { checkAddress } from "@/lib/validation";
import "@/app/workspaces.css";

// The sections below the consent table are their own chunks (record sealing, claims, payouts):
// the first load carries only the patient search.
const loading = () => <p role="status">Loading…</p>;
const Passkeys = dynamic(() => import("@/features/identity/Passkeys").then((m) => m.Passkeys), { ssr: false });
const ConsentedRecords = dynamic(() => import("./ConsentedRecords").then((m) => m.ConsentedRecords), {
  ssr: false,
  loading,
});
const ProviderRecords = dynamic(() => import("./ProviderRecords").then((m) => m.ProviderRecords), {
  ssr: false,
  loading,
});
const PatientClaims = dynamic(() => import("./ProviderClaims").then((m) => m.PatientClaims), { ssr: false, loading });
const ProviderPayouts = dynamic(() => import("./ProviderPayouts").then((m) => m.ProviderPayouts), {
  ssr: false,
  loading,
});

const purposes = [
  { value: Purpose.Treatment, label: "Treatment" },
  { value: Purpose.Claims, label: "Claims" },
  { value: Purpose.Research, label: "Research" },
  { value: Purpose.Emergency, label: "Emergency" },
] as const;

/** The URL's `?patient=0x…&purpose=treatment`, so that a reload (or a shared link) keeps the patient. */
function readLocation(): { patient?: Address; purpose?: Purpose } {
  const params = new URLSearchParams(window.location.search);
  const checked = checkAddress(params.get("patient") ?? "");
  const purpose = purposes.find((p) => p.label.toLowerCase() === params.get("purpose"))?.value;
  return { patient: checked.ok ? checked.value : undefined, purpose };
}

function writeLocation(patient: Address | undefined, purpose: Purpose) {
  const params = new URLSearchParams(window.location.search);
  if (patient) params.set("patient", patient);
  else params.delete("patient");
  params.set("purpose", purposes.find((p) => p.value === purpose)!.label.toLowerCase());
  window.history.replaceState(null, "", `${window.location.pathname}?${params}`);
}

/**
 * The provider workspace: find a patient by address and see, category by category, what the
 * patient's consent allows this provider to read and write for a purpose. Everything below the
 * search is bound to the patient found: it is rebuilt (forms emptied) when the patient changes,
 * so nothing typed for one patient can be saved into another's chart.
 */
export function ProviderWorkspace() {
  const { address: self } = useConnection();
  const [input, setInput] = useState("");
  const [error, setError] = useState<string>();
  const [patient, setPatient] = useState<Address>();
  const [purpose, setPurpose] = useState<Purpose>(Purpose.Treatment);

  const registered = useCareRead({
    contractName: "CareRegistry",
    functionName: "isPatient",
    args: patient ? [patient] : undefined,
  });
  const consent = useConsentScope(registered.data ? patient : undefined, self, purpose);

  useEffect(() => {
    const fromUrl = readLocation();
    if (fromUrl.purpose !== undefined) setPurpose(fromUrl.purpose);
    if (fromUrl.patient) {
      setInput(fromUrl.patient);
      setPatient(fromUrl.patient);
    }
  }, []);

  function find(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkAddress(input, { notSelf: self });
    setError(checked.ok ? undefined : checked.error);
    setPatient(checked.ok ? checked.value : undefined);
    writeLocation(checked.ok ? checked.value : undefined, purpose);
  }

  return (
    <div className="workspace" data-testid="provider-workspace">
      <section className="card" aria-labelledby="find-patient-title">
        <h2 id="find-patient-title">Find a patient</h2>
        <form onSubmit={find} noValidate>
          <Field label="Patient address" hint="The patient's wallet address, as they gave it to you." error={error}>
            <input
              name="patient"
              autoComplete="off"
              spellCheck={false}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              placeholder="0x…"
            />
          </Field>
          <Field label="Purpose">
            <select
              name="purpose"
              value={purpose}
              onChange={(e) => {
                setPurpose(Number(e.target.value) as Purpose);
                writeLocation(patient, Number(e.target.value) as Purpose);
              }}
            >
              {purposes.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button">
            Find
          </button>
        </form>
      </section>

      {!patient ? (
        <p className="field-hint">Enter a patient&apos;s address to see what their consent allows you to do.</p>
      ) : registered.isError || consent.isError ? (
        <p className="field-error" role="alert">
          The patient&apos;s consent could not be read. Try again.
        </p>
      ) : registered.data === false ? (
        <section className="card" aria-label="Patient">
          <p>
            <strong>This address is not a registered patient.</strong> Check the address with the patient; they register
            themselves in the patient workspace.
          </p>
        </section>
      ) : !consent.deployed ? (
        <p className="notice">Consent is not deployed on this network.</p>
      ) : !consent.scope ? (
        <p role="status">Reading the patient&apos;s consent…</p>
      ) : (
        <section className="card" aria-labelledby="consent-title">
          <h2 id="consent-title">What this patient allows you</h2>
          <p className="field-hint">
            For {purposes.find((p) => p.value === purpose)?.label.toLowerCase()}, right now. The patient can change this
            at any time.
          </p>
          <div className="table-scroll">
            <table className="consent-table">
              <thead>
                <tr>
                  <th scope="col">Record category</th>
                  <th scope="col">Read</th>
                  <th scope="col">Add records</th>
                </tr>
              </thead>
              <tbody>
                {consent.scope.map((c) => (
                  <tr key={c.category}>
                    <th scope="row">{c.label}</th>
                    <td className={c.read ? "allowed" : "denied"}>{c.read ? "Allowed" : "Not allowed"}</td>
                    <td className={c.write ? "allowed" : "denied"}>{c.write ? "Allowed" : "Not allowed"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {consent.scope.every((c) => !c.read && !c.write) ? (
            <p>
              <strong>No consent for this purpose.</strong> Ask the patient to grant it from their CareLedger workspace.
            </p>
          ) : null}
        </section>
      )}

      {patient && registered.data === true && consent.scope ? (
        <Fragment key={patient}>
          <ConsentedRecords
            patient={patient}
            title="Read what consent allows"
            purpose="The patient shares records with you by encrypting their keys to your key."
          />
          <ProviderRecords patient={patient} />
          <PatientClaims patient={patient} />
        </Fragment>
      ) : null}

      <ProviderPayouts />
      <Passkeys />
    </div>
  );
}
