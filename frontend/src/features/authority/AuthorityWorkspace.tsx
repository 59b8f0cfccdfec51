"use client";

import dynamic from "next/dynamic";
import { useState, type FormEvent } from "react";
import { encodeFunctionData, type Address } from "viem";
import { useConnection } from "wagmi";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { checkAddress } from "@/lib/validation";
import { contractAbis } from "@/contracts/deployments";
import { useDirectory } from "@/hooks/useDirectory";
import {
  CREDENTIAL_ROLES,
  MAX_PROFILE_TEXT,
  PARTY_KIND_LABEL,
  PartyKind,
  profileTextProblems,
} from "@careledger/sdk/protocol/constants";
import { Party } from "@/components/Party";

/** CredentialStatus of ICareRegistry: None, Active, Suspended, Revoked. */
const statusText = ["Not credentialed", "Active", "Suspended", "Revoked for good"] as const;

type Action = "grantCredential" | "suspendCredential" | "reinstateCredential" | "revokeCredential";
const actionsByStatus: Record<number, { action: Action; label: string; quiet?: boolean }[]> = {
  0: [{ action: "grantCredential", label: "Grant credential and list" }],
  1: [
    { action: "suspendCredential", label: "Suspend" },
    { action: "revokeCredential", label: "Revoke for good", quiet: true },
  ],
  2: [
    { action: "reinstateCredential", label: "Reinstate" },
    { action: "revokeCredential", label: "Revoke for good", quiet: true },
  ],
  3: [],
};

/** The public listing patients will see: checked here, so the transaction cannot fail on it. */
function checkListing(listing: { displayName: string; registryId: string }): Record<string, string> {
  const problems = profileTextProblems({
    displayName: listing.displayName.trim(),
    registryId: listing.registryId.trim(),
  });
  const errors: Record<string, string> = {};
  if (problems.displayName === "empty") errors.displayName = "Enter the name patients know this party by.";
  else if (problems.displayName) errors.displayName = `Keep the name within ${MAX_PROFILE_TEXT} bytes.`;
  if (problems.registryId) errors.registryId = `Keep the identifier within ${MAX_PROFILE_TEXT} bytes.`;
  return errors;
}

// The history (events, block times) is its own chunk: the first load carries only the credential form.
const CredentialHistory = dynamic(() => import("./CredentialHistory").then((m) => m.CredentialHistory), {
  ssr: false,
  loading: () => <p role="status">Loading the credential history…</p>,
});

/**
 * The credentialing authority's workspace: look up an account's credential for a role, then
 * grant, suspend, reinstate or revoke it. Every write shows its life through <TransactionStatus>.
 */
export function AuthorityWorkspace() {
  const { address: self } = useConnection();
  const [input, setInput] = useState("");
  const [roleIndex, setRoleIndex] = useState(0);
  const [account, setAccount] = useState<Address>();
  const [error, setError] = useState<string>();
  const [confirmingRevoke, setConfirmingRevoke] = useState(false);
  const role = CREDENTIAL_ROLES[roleIndex];
  const registry = useCareWrite("CareRegistry");
  const directory = useDirectory();
  const listed = directory.listingOf(account);
  const [listing, setListing] = useState({ displayName: "", kind: PartyKind.Clinician as number, registryId: "" });
  const [listingErrors, setListingErrors] = useState<Record<string, string>>({});
  const [editingListing, setEditingListing] = useState(false);

  /** Credentialing and listing in one transaction (CareRegistry.multicall), or the listing alone. */
  async function writeListing(withCredential: boolean) {
    const errors = checkListing(listing);
    setListingErrors(errors);
    if (Object.keys(errors).length > 0 || !account) return;
    const profile = {
      displayName: listing.displayName.trim(),
      kind: listing.kind,
      registryId: listing.registryId.trim(),
    };
    const setProfile = encodeFunctionData({
      abi: contractAbis.CareRegistry,
      functionName: "setProfile",
      args: [account, profile],
    });
    const receipt = withCredential
      ? await registry.write({
          functionName: "multicall",
          args: [
            [
              encodeFunctionData({
                abi: contractAbis.CareRegistry,
                functionName: "grantCredential",
                args: [role.id, account],
              }),
              setProfile,
            ],
          ],
        })
      : await registry.write({ functionName: "setProfile", args: [account, profile] });
    if (receipt) setEditingListing(false);
  }

  const status = useCareRead({
    contractName: "CareRegistry",
    functionName: "credentialStatus",
    args: account ? [role.id, account] : undefined,
  });

  function lookUp(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    registry.reset();
    setConfirmingRevoke(false);
    const checked = checkAddress(input);
    if (!checked.ok) {
      setError(checked.error);
      setAccount(undefined);
      return;
    }
    setError(undefined);
    setAccount(checked.value);
    setEditingListing(false);
    setListingErrors({});
    const known = directory.listingOf(checked.value);
    setListing(
      known
        ? { displayName: known.displayName, kind: known.kind, registryId: known.registryId }
        : {
            displayName: "",
            kind: role.defaultKind,
            registryId: "",
          },
    );
  }

  const current = status.data === undefined ? undefined : Number(status.data);

  return (
    <div className="workspace" data-testid="authority-workspace">
      <section className="card" aria-labelledby="credential-title">
        <h2 id="credential-title">Credentials</h2>
        <form onSubmit={lookUp} noValidate className="form">
          <Field label="Account address" hint="The wallet address of the party to credential." error={error}>
            <input
              name="account"
              autoComplete="off"
              spellCheck={false}
              value={input}
              onChange={(e) => setInput(e.target.value)}
              placeholder="0x…"
            />
          </Field>
          <Field label="Credential">
            <select
              name="role"
              value={roleIndex}
              onChange={(e) => {
                registry.reset();
                setRoleIndex(Number(e.target.value));
              }}
            >
              {CREDENTIAL_ROLES.map((r, i) => (
                <option key={r.id} value={i}>
                  {r.label}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="button">
            Look up
          </button>
        </form>

        {account ? (
          <div className="credential" aria-live="polite">
            <p>
              <code className="hash">{account}</code>
              {self && account === self ? " (you)" : null}
            </p>
            {status.isError ? (
              <p className="field-error">The credential could not be read. Try again.</p>
            ) : current === undefined ? (
              <p role="status">Reading the credential…</p>
            ) : (
              <>
                <p>
                  {role.noun[0].toUpperCase() + role.noun.slice(1)} credential:{" "}
                  <strong data-testid="credential-status">{statusText[current]}</strong>
                </p>
                {listed && !editingListing ? (
                  <p>
                    Listed as <strong data-testid="listing">{listed.displayName}</strong> ({listed.kindLabel}
                    {listed.registryId ? `, ${listed.registryId}` : ""}).{" "}
                    <button
                      type="button"
                      className="button button--quiet"
                      onClick={() => {
                        // From the listing as the directory holds it now: it may have loaded after the look-up.
                        setListing({
                          displayName: listed.displayName,
                          kind: listed.kind,
                          registryId: listed.registryId,
                        });
                        setEditingListing(true);
                      }}
                    >
                      Edit listing
                    </button>
                  </p>
                ) : null}
                {current === 0 || editingListing || (!listed && current !== 3) ? (
                  <fieldset className="listing" aria-label="Directory listing">
                    <legend>Directory listing (public: patients find and recognise this party by it)</legend>
                    <Field
                      label="Display name"
                      hint="e.g. Northside Labs, Dr. Amara Okafor"
                      error={listingErrors.displayName}
                    >
                      <input
                        name="displayName"
                        autoComplete="off"
                        value={listing.displayName}
                        onChange={(e) => setListing({ ...listing, displayName: e.target.value })}
                      />
                    </Field>
                    <Field label="Kind of party">
                      <select
                        name="kind"
                        value={listing.kind}
                        onChange={(e) => setListing({ ...listing, kind: Number(e.target.value) })}
                      >
                        {Object.values(PartyKind).map((k) => (
                          <option key={k} value={k}>
                            {PARTY_KIND_LABEL[k]}
                          </option>
                        ))}
                      </select>
                    </Field>
                    <Field
                      label="Registry identifier (optional)"
                      hint="A professional registry number patients can check, e.g. NPI 1234567893."
                      error={listingErrors.registryId}
                    >
                      <input
                        name="registryId"
                        autoComplete="off"
                        value={listing.registryId}
                        onChange={(e) => setListing({ ...listing, registryId: e.target.value })}
                      />
                    </Field>
                    {current !== 0 ? (
                      <button
                        type="button"
                        className="button"
                        disabled={registry.busy}
                        onClick={() => void writeListing(false)}
                      >
                        Save listing
                      </button>
                    ) : null}
                  </fieldset>
                ) : null}
                <div className="button-row">
                  {actionsByStatus[current].map(({ action, label, quiet }) => (
                    <button
                      key={action}
                      type="button"
                      className={quiet ? "button button--quiet" : "button"}
                      disabled={registry.busy}
                      onClick={() => {
                        if (action === "revokeCredential") return setConfirmingRevoke(true);
                        setConfirmingRevoke(false);
                        if (action === "grantCredential") return void writeListing(true);
                        void registry.write({ functionName: action, args: [role.id, account] });
                      }}
                    >
                      {label}
                    </button>
                  ))}
                </div>
                {confirmingRevoke && current !== 3 ? (
                  <div className="notice" role="alertdialog" aria-labelledby="revoke-confirm-title">
                    <p id="revoke-confirm-title">
                      <strong>Revoke for good?</strong> <Party address={account} /> loses its {role.noun} credential at
                      once and can never be credentialed again for this role. Suspend instead if this may be temporary.
                    </p>
                    <div className="button-row">
                      <button
                        type="button"
                        className="button button--danger"
                        disabled={registry.busy}
                        onClick={async () => {
                          // A declined or failed request keeps the question open beside the failure.
                          const receipt = await registry.write({
                            functionName: "revokeCredential",
                            args: [role.id, account],
                          });
                          if (receipt) setConfirmingRevoke(false);
                        }}
                      >
                        Yes, revoke for good
                      </button>
                      <button type="button" className="button button--quiet" onClick={() => setConfirmingRevoke(false)}>
                        Keep the credential
                      </button>
                    </div>
                  </div>
                ) : null}
              </>
            )}
          </div>
        ) : (
          <p className="field-hint">
            Look up an account to see its credential. Suspending is temporary; revoking is permanent.
          </p>
        )}
        <TransactionStatus state={registry.state} label="Credential change" />
      </section>
      <CredentialHistory />
    </div>
  );
}
