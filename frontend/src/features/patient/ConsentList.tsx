"use client";

import { CATEGORIES, categoriesInScope } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import type { Address as AddressType } from "viem";
import { useChainId, useConfig } from "wagmi";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { PURPOSES } from "./ConsentGrantForm";
import { buildRotation } from "./rotation";
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

/**
 * Active, expiring, revoked and expired grants; revoke (with the new keys, re-wrapped to everyone who
 * keeps reading, in the same transaction: one wallet confirmation); FHIR Consent export.
 */
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
            grants={grants.data ?? []}
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
  grants,
  patient,
  actingAsGuardian,
  onBusy,
}: {
  grant: GrantRow;
  grants: readonly GrantRow[];
  patient: AddressType;
  actingAsGuardian: boolean;
  onBusy: (on: boolean) => void;
}) {
  const chainId = useChainId();
  const config = useConfig();
  const { identity } = useIdentity();
  const consent = useCareWrite("ConsentManager");
  const [confirming, setConfirming] = useState(false);
  const [preparing, setPreparing] = useState(false);
  const [prepareError, setPrepareError] = useState<string>();
  const [outcome, setOutcome] = useState<{ rotated: boolean; keptReaders: AddressType[]; withoutKey: AddressType[] }>();
  const categories = categoriesInScope(grant.scope);

  async function revoke() {
    // Stays listed (with its outcome) after the revocation, until the page is left.
    onBusy(true);
    setPrepareError(undefined);
    if (actingAsGuardian) {
      // A guardian holds no keys: the categories then need new keys, which the patient renews at next unlock.
      const receipt = await consent.write({
        functionName: "revokeConsentFor",
        args: [patient, grant.grantee, grant.purpose],
      });
      if (receipt) setOutcome({ rotated: false, keptReaders: [], withoutKey: [] });
      return;
    }
    if (!identity) {
      const receipt = await consent.write({ functionName: "revokeConsent", args: [grant.grantee, grant.purpose] });
      if (receipt) setOutcome({ rotated: false, keptReaders: [], withoutKey: [] });
      return;
    }
    setPreparing(true);
    let rotation: Awaited<ReturnType<typeof buildRotation>>;
    try {
      rotation = await buildRotation(config, chainId, {
        patient,
        identity,
        categories,
        grants,
        excluding: { grantee: grant.grantee, purpose: grant.purpose },
      });
    } catch (error) {
      setPrepareError(
        `The new keys could not be prepared (${error instanceof Error ? error.message : String(error)}). Nothing was sent: access is unchanged. Try again.`,
      );
      return;
    } finally {
      setPreparing(false);
    }
    const receipt =
      rotation.rotations.length === 0
        ? await consent.write({ functionName: "revokeConsent", args: [grant.grantee, grant.purpose] })
        : await consent.write({
            functionName: "revokeAndRotate",
            args: [grant.grantee, grant.purpose, rotation.rotations, rotation.rewraps],
          });
    if (receipt) setOutcome({ rotated: rotation.rotations.length > 0, ...rotation });
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
            {actingAsGuardian || !identity
              ? "Revoking stops access from now on. These categories then take no new records until the patient renews their keys (CareLedger asks when the patient next unlocks), so that records added later cannot be opened with the old keys."
              : "Revoking stops access from now on and, in the same confirmation, gives these categories new keys, passed on to everyone else who may still read them, so records added later cannot be opened with the old keys."}{" "}
            <strong>What this account already downloaded and decrypted cannot be taken back.</strong>
          </p>
          <div className="button-row">
            <button type="button" className="button" disabled={consent.busy || preparing} onClick={revoke}>
              Revoke access
            </button>
            <button type="button" className="button button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {preparing ? (
        <p role="status" className="tx">
          <span className="spinner" aria-hidden="true" /> Preparing the new keys for those who keep reading…
        </p>
      ) : null}
      {prepareError ? (
        <p role="alert" className="tx tx--failed">
          {prepareError}
        </p>
      ) : null}
      {outcome ? (
        <div role="status" className="tx tx--confirmed">
          {outcome.rotated ? (
            <p>
              Access revoked and new keys issued in the same transaction: records added from now on cannot be opened by
              this account.{" "}
              {outcome.keptReaders.length > 0 ? (
                <>
                  Still reading with the new keys:{" "}
                  {outcome.keptReaders.map((a, i) => (
                    <span key={a}>
                      {i > 0 ? ", " : ""}
                      <Party address={a} />
                    </span>
                  ))}
                  .
                </>
              ) : (
                "Nobody else reads these categories."
              )}
            </p>
          ) : (
            <p>
              Access revoked. These categories take no new records until{" "}
              {actingAsGuardian
                ? "the patient renews their keys at next unlock"
                : "you renew their keys (unlock your keys on this page)"}
              .
            </p>
          )}
          {outcome.withoutKey.length > 0 ? (
            <p>
              {outcome.withoutKey.map((a, i) => (
                <span key={a}>
                  {i > 0 ? ", " : ""}
                  <Party address={a} />
                </span>
              ))}{" "}
              published no encryption key, so cannot read records added from now on.
            </p>
          ) : null}
        </div>
      ) : null}
      {consent.state.status === "failed" ? (
        <p className="tx">Nothing changed: access is still granted. Revoke again to finish.</p>
      ) : null}
      <TransactionStatus state={consent.state} label="Revocation" />
    </li>
  );
}
