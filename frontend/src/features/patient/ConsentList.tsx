"use client";

import { CATEGORIES, categoriesInScope } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import { toHex, type Address as AddressType } from "viem";
import { useChainId } from "wagmi";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCategoryEpochs } from "@/features/records/read/keys";
import { PURPOSES } from "./ConsentGrantForm";
import { useGrants, type GrantRow, type GrantStatus } from "./useGrants";
import { useSubjectWords } from "./subject";
import { Party } from "@/components/Party";

const STATUS_TEXT: Record<GrantStatus, string> = {
  active: "Active",
  expiring: "Expiring soon",
  "not-yet": "Not yet active",
  revoked: "Revoked",
  expired: "Expired",
};
const day = (s: bigint) =>
  s === 0n || s === 2n ** 64n - 1n
    ? "no end"
    : new Date(Number(s) * 1000).toLocaleDateString("en-GB", { dateStyle: "medium", timeZone: "UTC" });
const purposeText = (p: number) => PURPOSES.find((x) => x.id === p)?.label ?? `Purpose ${p}`;

/** Active, expiring, revoked and expired grants; revoke (and rotate the keys); FHIR Consent export. */
export function ConsentList({
  patient,
  actingAsGuardian = false,
}: {
  patient: AddressType;
  actingAsGuardian?: boolean;
}) {
  const grants = useGrants(patient);
  const words = useSubjectWords();
  const [filter, setFilter] = useState<"current" | "ended">("current");
  // A grant revoked here stays in view until its categories have new keys.
  const [busy, setBusy] = useState<string[]>([]);
  const rows = (grants.data ?? []).filter(
    (g) =>
      busy.includes(`${g.grantee}:${g.purpose}`) ||
      (filter === "current"
        ? g.status !== "revoked" && g.status !== "expired"
        : g.status === "revoked" || g.status === "expired"),
  );
  return (
    <section className="card" aria-labelledby="consents-title">
      <h3 id="consents-title">Who may see {words.your} records</h3>
      <div className="button-row" role="group" aria-label="Show consents">
        <button
          type="button"
          className="button button--quiet"
          aria-pressed={filter === "current"}
          onClick={() => setFilter("current")}
        >
          Active and expiring
        </button>
        <button
          type="button"
          className="button button--quiet"
          aria-pressed={filter === "ended"}
          onClick={() => setFilter("ended")}
        >
          Revoked and expired
        </button>
      </div>
      {grants.isPending ? <p className="loading">Loading consents…</p> : null}
      {grants.data && rows.length === 0 ? <p>No consents here.</p> : null}
      <ul className="grant-list">
        {rows.map((g) => (
          <GrantItem
            key={`${g.grantee}:${g.purpose}`}
            grant={g}
            patient={patient}
            actingAsGuardian={actingAsGuardian}
            onBusy={(on) =>
              setBusy((list) =>
                on ? [...list, `${g.grantee}:${g.purpose}`] : list.filter((k) => k !== `${g.grantee}:${g.purpose}`),
              )
            }
          />
        ))}
      </ul>
    </section>
  );
}

function GrantItem({
  grant,
  patient,
  actingAsGuardian,
  onBusy,
}: {
  grant: GrantRow;
  patient: AddressType;
  actingAsGuardian: boolean;
  onBusy: (on: boolean) => void;
}) {
  const chainId = useChainId();
  const { identity } = useIdentity();
  const epochs = useCategoryEpochs(patient);
  const consent = useCareWrite("ConsentManager");
  const records = useCareWrite("RecordRegistry");
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState<string>();
  const [done, setDone] = useState(false);
  const categories = categoriesInScope(grant.scope);

  async function revoke() {
    // Stays listed (with its outcome) after the revocation, until the page is left.
    onBusy(true);
    await revokeAndRotate();
  }

  async function revokeAndRotate() {
    const receipt = actingAsGuardian
      ? await consent.write({ functionName: "revokeConsentFor", args: [patient, grant.grantee, grant.purpose] })
      : await consent.write({ functionName: "revokeConsent", args: [grant.grantee, grant.purpose] });
    if (!receipt || actingAsGuardian || !identity) return;
    // New key versions for the revoked categories: later records are unreadable to the former grantee.
    const { deriveCategoryKey } = await import("@careledger/sdk/crypto/categoryKeys");
    for (const c of categories) {
      const current = epochs.data?.[c]?.epoch ?? 0;
      setRotating(
        `Issuing a new key for ${CATEGORIES[c].label} (${categories.indexOf(c) + 1} of ${categories.length})…`,
      );
      const key = deriveCategoryKey(identity, c, current + 1);
      const ok = await records.write({ functionName: "rotateCategoryKey", args: [c, toHex(key.publicKey)] });
      if (!ok) break;
    }
    setRotating(undefined);
    setDone(true);
  }

  async function exportFhir() {
    const { consentGrantToFhirConsent } = await import("@careledger/sdk/fhir/export");
    const manager = getContract("ConsentManager", chainId)!;
    const resource = consentGrantToFhirConsent(
      { grantId: grant.grantedAt, patient, ...grant },
      { chainId, consentManager: manager.address },
    );
    const url = URL.createObjectURL(new Blob([JSON.stringify(resource, null, 2)], { type: "application/fhir+json" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = `consent-${grant.grantee.slice(2, 8)}-${purposeText(grant.purpose).split(" ")[0].toLowerCase()}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const live = grant.status !== "revoked" && grant.status !== "expired";
  return (
    <li className={`grant grant--${grant.status}`} data-testid="grant">
      <p>
        <strong>
          <Party address={grant.grantee} />
        </strong>{" "}
        · {purposeText(grant.purpose)} ·{" "}
        <span className={`badge badge--${grant.status}`}>{STATUS_TEXT[grant.status]}</span>
      </p>
      <p>
        {grant.access & 2 ? "Read and add" : "Read"}: {categories.map((c) => CATEGORIES[c].label).join(", ")}. Until{" "}
        {day(grant.expiresAt)}.
      </p>
      <div className="button-row">
        {live ? (
          confirming ? null : (
            <button type="button" className="button button--quiet" onClick={() => setConfirming(true)}>
              Revoke…
            </button>
          )
        ) : null}
        <button type="button" className="button button--quiet" onClick={exportFhir}>
          Export FHIR Consent
        </button>
      </div>
      {confirming && live ? (
        <div className="notice" role="group" aria-label="Confirm revocation">
          <p>
            Revoking stops access from now on, and {actingAsGuardian ? "the patient should" : "CareLedger will"} issue
            new keys for these categories so that records added later cannot be opened with the old ones.{" "}
            <strong>What this account already downloaded and decrypted cannot be taken back.</strong> Others you share
            these categories with need a new grant to read records added after this.
          </p>
          <div className="button-row">
            <button type="button" className="button" disabled={consent.busy || records.busy} onClick={revoke}>
              Revoke access
            </button>
            <button type="button" className="button button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {rotating ? (
        <p role="status" className="tx">
          <span className="spinner" aria-hidden="true" /> {rotating}
        </p>
      ) : null}
      {done ? (
        <p role="status" className="tx tx--confirmed">
          Access revoked and new keys issued: records added from now on cannot be opened by this account.
        </p>
      ) : null}
      <TransactionStatus state={consent.state} label="Revocation" />
      <TransactionStatus state={records.state} label="New category key" />
    </li>
  );
}
