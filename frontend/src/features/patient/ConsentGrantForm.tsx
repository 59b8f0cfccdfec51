"use client";

import Link from "next/link";
import { ACCESS_READ, ACCESS_WRITE, CATEGORIES, Purpose, categoriesInScope } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import { toHex, type Address, type Hex } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { getBlock, readContract, signTypedData } from "wagmi/actions";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { explainError } from "@/errors/explain";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";
import type { SignedGrant } from "./SubmitSignedGrant";

import { checkCategories, checkFutureDate, checkParty } from "@/lib/validation";
import { Party } from "@/components/Party";
import { useDirectory } from "@/hooks/useDirectory";
import { useCategoryEpochs } from "@/features/records/read/keys";

export const PURPOSES = [
  { id: Purpose.Treatment, label: "Treatment" },
  { id: Purpose.Claims, label: "Claims (insurance)" },
  { id: Purpose.Research, label: "Research" },
  { id: Purpose.Emergency, label: "Emergency" },
] as const;

type Errors = Partial<Record<"grantee" | "categories" | "expiry" | "form", string>>;

/**
 * Grant consent: the category keys of the chosen categories are wrapped in this browser to the
 * grantee's published encryption key (one envelope per category and key version), then either
 * sent in a transaction or signed only (gasless) for someone else to submit.
 */
export function ConsentGrantForm({
  patient,
  actingAsGuardian = false,
  preset,
}: {
  patient: Address;
  actingAsGuardian?: boolean;
  preset?: { purpose: number; categories: number[]; title: string; intro: string };
}) {
  const config = useConfig();
  const chainId = useChainId();
  const { address } = useConnection();
  const { identity } = useIdentity();
  const epochs = useCategoryEpochs(patient);
  const consent = useCareWrite("ConsentManager");
  const [grantee, setGrantee] = useState("");
  const directory = useDirectory();
  const chosen = checkParty(grantee, directory.listings, { notSelf: patient });
  const [categories, setCategories] = useState<number[]>(preset?.categories ?? []);
  const [purpose, setPurpose] = useState<number>(preset?.purpose ?? Purpose.Treatment);
  const [write, setWrite] = useState(false);
  const [expiry, setExpiry] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [working, setWorking] = useState<string>();
  const [signed, setSigned] = useState<SignedGrant>();
  const [copied, setCopied] = useState(false);
  const ownKeys = !actingAsGuardian;

  async function prepare() {
    const g = chosen;
    const c = checkCategories(categories);
    const e = checkFutureDate(expiry);
    const next: Errors = {
      grantee: g.ok ? undefined : g.error,
      categories: c.ok ? undefined : c.error,
      expiry: e.ok ? undefined : e.error,
    };
    setErrors(next);
    if (!g.ok || !c.ok || !e.ok) return undefined;
    const registry = getContract("CareRegistry", chainId);
    if (!registry) return undefined;
    if (actingAsGuardian && address) {
      // The contract refuses both; saying so here names the field to fix.
      if (g.value.toLowerCase() === address.toLowerCase()) {
        setErrors({ grantee: "A guardian cannot grant consent to itself. Enter another grantee." });
        return undefined;
      }
      const { validUntil } = await readContract(config, {
        chainId,
        address: registry.address,
        abi: registry.abi,
        functionName: "guardianOf",
        args: [patient, address],
      });
      if (e.value > validUntil) {
        setErrors({
          expiry: `Your guardianship ends on ${new Date(Number(validUntil) * 1000).toLocaleDateString()}: the consent must end by then.`,
        });
        return undefined;
      }
    }
    let keyEnvelopes: Hex = "0x";
    if (ownKeys) {
      if (!identity) {
        setErrors({ form: "Unlock your records first: the category keys are derived from your key." });
        return undefined;
      }
      const [granteeKey] = await readContract(config, {
        chainId,
        address: registry.address,
        abi: registry.abi,
        functionName: "encryptionKey",
        args: [g.value],
      });
      if (BigInt(granteeKey) === 0n) {
        setErrors({
          grantee:
            "This account has not published an encryption key, so your records cannot be shared with it. Ask them to open CareLedger and publish their key first.",
        });
        return undefined;
      }
      setWorking("Wrapping your category keys to the grantee's key in this browser…");
      const { grantKeyEnvelopes } = await import("@careledger/sdk/crypto/grants");
      const { fromHex } = await import("@careledger/sdk/bytes");
      const current = Object.fromEntries((epochs.data ?? []).map((k) => [k.category, k.epoch]));
      keyEnvelopes = toHex(
        await grantKeyEnvelopes({
          patient: identity,
          granteePublicKey: fromHex(granteeKey),
          // Bound to this network's CareRegistry, the patient and the grantee: the envelopes open
          // for nobody else and in no other grant.
          binding: { chainId, registry: registry.address, patient, grantee: g.value },
          scope: c.value,
          epochs: current,
        }),
      );
    }
    const terms = {
      grantee: g.value,
      scope: c.value,
      purpose,
      access: ACCESS_READ | (write ? ACCESS_WRITE : 0),
      notBefore: 0n,
      expiresAt: e.value,
    };
    return { terms, keyEnvelopes };
  }

  async function grant() {
    consent.reset();
    setSigned(undefined);
    try {
      const prepared = await prepare();
      setWorking(undefined);
      if (!prepared) return;
      if (actingAsGuardian) {
        await consent.write({
          functionName: "grantConsentFor",
          args: [patient, prepared.terms, prepared.keyEnvelopes],
        });
      } else {
        await consent.write({ functionName: "grantConsent", args: [prepared.terms, prepared.keyEnvelopes] });
      }
    } catch (error) {
      setWorking(undefined);
      setErrors({ form: explainError(error).message });
    }
  }

  async function signOnly() {
    consent.reset();
    setSigned(undefined);
    try {
      const prepared = await prepare();
      if (!prepared || !address) return setWorking(undefined);
      const manager = getContract("ConsentManager", chainId)!;
      const nonce = await readContract(config, {
        chainId,
        address: manager.address,
        abi: manager.abi,
        functionName: "nonces",
        args: [patient],
      });
      const deadline = BigInt(Math.floor(Date.now() / 1000) + 7 * 24 * 3600);
      // When the patient signs, by the chain's clock (never ahead of it): a later revocation of the
      // same grantee and purpose voids this signature.
      const { timestamp: issuedAt } = await getBlock(config, { chainId });
      const { consentGrantTypedData } = await import("@careledger/sdk/protocol/typedData");
      setWorking("Sign the consent in your wallet (no transaction, no fee)…");
      const typed = consentGrantTypedData({
        chainId,
        verifyingContract: manager.address,
        message: { patient, ...prepared.terms, keyEnvelopes: prepared.keyEnvelopes, issuedAt, nonce, deadline },
      });
      const signature = await signTypedData(config, { account: address, ...typed });
      setSigned({
        kind: "careledger-signed-grant",
        chainId,
        patient,
        terms: {
          ...prepared.terms,
          notBefore: prepared.terms.notBefore.toString(),
          expiresAt: prepared.terms.expiresAt.toString(),
        },
        keyEnvelopes: prepared.keyEnvelopes,
        issuedAt: issuedAt.toString(),
        nonce: nonce.toString(),
        deadline: deadline.toString(),
        signature,
      });
      setWorking(undefined);
    } catch (error) {
      setWorking(undefined);
      setErrors({ form: explainError(error).message });
    }
  }

  const toggle = (c: number) =>
    setCategories((list) => (list.includes(c) ? list.filter((x) => x !== c) : [...list, c].sort((a, b) => a - b)));
  const payload = signed ? JSON.stringify(signed, null, 2) : "";

  return (
    <section className="card" aria-labelledby={`grant-title-${preset?.purpose ?? "any"}`}>
      <h3 id={`grant-title-${preset?.purpose ?? "any"}`}>{preset?.title ?? "Grant access"}</h3>
      {preset ? <p>{preset.intro}</p> : null}
      {actingAsGuardian ? (
        <p className="notice">
          You act as guardian: the grant gives permission on chain, but only the patient can share the keys that open
          their records.
        </p>
      ) : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void grant();
        }}
        noValidate
      >
        <Field
          label="Grantee"
          hint="Type the name of a provider or insurer from the directory, or paste the address of anyone you allow."
          error={errors.grantee}
        >
          <input
            value={grantee}
            onChange={(e) => setGrantee(e.target.value)}
            autoComplete="off"
            spellCheck={false}
            list={`grantee-directory-${preset?.purpose ?? "any"}`}
          />
        </Field>
        <datalist id={`grantee-directory-${preset?.purpose ?? "any"}`}>
          {directory.listings.map((l) => (
            <option key={l.address} value={l.displayName}>
              {l.kindLabel} · {l.address.slice(0, 6)}…{l.address.slice(-4)}
            </option>
          ))}
        </datalist>
        {chosen.ok ? (
          <p className="field-hint" data-testid="grantee-chosen">
            Granting to <Party address={chosen.value} />
          </p>
        ) : null}
        {preset ? null : (
          <>
            <fieldset className={`field${errors.categories ? " field--invalid" : ""}`}>
              <legend>Record categories</legend>
              <div className="checkbox-grid">
                {CATEGORIES.map((c) => (
                  <label key={c.id} className="checkbox">
                    <input type="checkbox" checked={categories.includes(c.id)} onChange={() => toggle(c.id)} />{" "}
                    {c.label}
                  </label>
                ))}
              </div>
              {errors.categories ? <p className="field-error">{errors.categories}</p> : null}
            </fieldset>
            <Field label="Purpose" hint="One grant per grantee and purpose: a new grant replaces the previous one.">
              <select value={purpose} onChange={(e) => setPurpose(Number(e.target.value))}>
                {PURPOSES.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </Field>
            <label className="checkbox">
              <input type="checkbox" checked={write} onChange={(e) => setWrite(e.target.checked)} /> Also allow adding
              records (write)
            </label>
          </>
        )}
        {preset ? (
          <p className="field-hint">
            Shares:{" "}
            {categoriesInScope(categories.reduce((m, c) => m | (1 << c), 0))
              .map((c) => CATEGORIES[c].label)
              .join(", ")}
            .
          </p>
        ) : null}
        <Field label="Access until" hint="Access ends at the end of this day (UTC)." error={errors.expiry}>
          <input type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
        </Field>
        <div className="button-row">
          <button type="submit" className="button" disabled={consent.busy || Boolean(working)}>
            Grant access
          </button>
          {actingAsGuardian ? null : (
            <button
              type="button"
              className="button button--quiet"
              disabled={consent.busy || Boolean(working)}
              onClick={signOnly}
            >
              Sign only (gasless)
            </button>
          )}
        </div>
      </form>
      {working ? (
        <p role="status" className="tx">
          <span className="spinner" aria-hidden="true" /> {working}
        </p>
      ) : null}
      {errors.form ? (
        <p role="alert" className="tx tx--failed">
          {errors.form}
        </p>
      ) : null}
      <TransactionStatus state={consent.state} label="Consent grant" />
      {signed ? (
        <div className="signed-grant">
          <p role="status">
            <strong>Signed consent ready.</strong> Give this payload to the provider or a relayer: anyone can submit it
            on the <Link href="/records">Shared records</Link> page (they pay the fee) until{" "}
            {new Date(Number(signed.deadline) * 1000).toUTCString()}. Changed your mind? Revoking this grantee for this
            purpose voids the signature.
          </p>
          <Field label="Signed consent payload">
            <textarea readOnly value={payload} rows={8} data-testid="signed-grant" />
          </Field>
          <button
            type="button"
            className="button button--quiet"
            onClick={() =>
              navigator.clipboard?.writeText(payload).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? "Copied" : "Copy payload"}
          </button>
        </div>
      ) : null}
    </section>
  );
}
