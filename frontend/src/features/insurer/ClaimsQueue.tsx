"use client";

import { claimLabel } from "@careledger/sdk/protocol/claimIds";
import { Purpose } from "@careledger/sdk/protocol/constants";
import dynamic from "next/dynamic";
import { useState } from "react";
import type { Address } from "viem";
import { ClaimId } from "@/components/ClaimId";
import { Party } from "@/components/Party";
import { PatientName } from "@/features/records/read/PatientName";
import { TransactionStatus } from "@/components/TransactionStatus";
import { REASON_CODES, reasonTitle, sealedReasonText } from "@/errors/reasonCodes";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite, type TransactionState } from "@/hooks/useCareWrite";
import { useClaimDenialReasons, useSealDenial } from "@/hooks/useDenialReasons";
import { SealedReasonUnlock } from "@/features/records/read/SealedReasonUnlock";
import { useMoney } from "@/hooks/useMoney";
import { useConsentScope } from "@/hooks/useConsentScope";
import { useRecordDetails } from "@/hooks/useRecordDetails";
import { CLAIM_STATUS, formatDay, PREAUTH_STATUS, TOKEN_DECIMALS } from "@/lib/money";
import { recordLabel } from "@/lib/recordLabel";
import { serviceClassName } from "@/lib/serviceClasses";
import { checkAmount, checkFutureDate } from "@/lib/validation";
import { formatUnits } from "viem";
import type { InsurerBook } from "./useInsurerBook";

// The decrypting reader loads only when an insurer opens a claim's evidence.
const EvidenceReader = dynamic(
  () =>
    Promise.all([import("@/features/records/read/RecordTimeline"), import("@/features/records/read/UnlockKey")]).then(
      ([{ RecordTimeline }, { UnlockKey }]) =>
        function EvidenceReader({ patient, evidence }: { patient: Address; evidence: readonly bigint[] }) {
          return (
            <>
              <UnlockKey purpose="The patient shares claim evidence with you by encrypting its keys to your key." />
              <RecordTimeline patient={patient} only={evidence} />
            </>
          );
        },
    ),
  { ssr: false, loading: () => <p role="status">Loading the record reader…</p> },
);

type BookClaim = InsurerBook["claims"][number];
/** A card decided from this page stays, with its confirmation, until the insurer dismisses it. */
type Keeping = { keep: () => void; dismiss: () => void };

/** What was decided, under the transaction's confirmation, until dismissed. */
function Decided({
  state,
  label,
  summary,
  dismiss,
}: { state: TransactionState; label: string; summary?: string } & Pick<Keeping, "dismiss">) {
  return (
    <div className="decided" data-testid="decision-confirmed">
      <TransactionStatus state={state} label={label} />
      {summary ? <p>{summary}</p> : null}
      <button type="button" className="button button--quiet" onClick={dismiss}>
        Dismiss<span className="visually-hidden"> the confirmation of {label.toLowerCase()}</span>
      </button>
    </div>
  );
}

/**
 * One card's decision: the write, and what it decided in words. Deciding keeps the card on the page
 * (it would otherwise leave its list as soon as the chain says it is decided) until dismissed.
 */
function useDecision(keeping: Keeping) {
  const write = useCareWrite("ClaimsSettlement");
  const [summary, setSummary] = useState<string>();
  const [sealError, setSealError] = useState<string>();
  const seal = useSealDenial();
  const decide = (call: Parameters<typeof write.write>[0], what: string) => {
    keeping.keep();
    setSummary(what);
    void write.write(call);
  };
  /** Seals the reason to patient, provider and insurer first; a failed sealing sends nothing. */
  const deny = async (
    kind: "claim" | "preauth",
    id: bigint,
    parties: { patient: Address; provider: Address },
    code: number,
    what: string,
  ) => {
    setSealError(undefined);
    let sealed: `0x${string}`;
    try {
      sealed = await seal(kind, id, parties, code);
    } catch (error) {
      setSealError(`The reason could not be sealed, nothing was sent: ${(error as Error).message}`);
      return;
    }
    decide(
      kind === "claim"
        ? { functionName: "denyClaim", args: [id, sealed] }
        : { functionName: "denyPreAuth", args: [id, sealed] },
      what,
    );
  };
  return { write, summary, decide, deny, sealError };
}

/** The reason an insurer gives for a denial (the provider and the patient read it). */
function DenialReason({
  id,
  value,
  onChange,
  error,
}: {
  id: string;
  value: string;
  onChange: (code: string) => void;
  error?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={id}>Reason for denial</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={error ? true : undefined}>
        <option value="">Choose…</option>
        {REASON_CODES.map((r) => (
          <option key={r.code} value={r.code}>
            {r.title}
          </option>
        ))}
      </select>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}

/** Keys of the cards decided from this page (kept in place until dismissed). */
function useKeptCards() {
  const [kept, setKept] = useState<ReadonlySet<string>>(new Set());
  return {
    has: (key: string) => kept.has(key),
    for: (key: string): Keeping => ({
      keep: () => setKept((s) => new Set(s).add(key)),
      dismiss: () =>
        setKept((s) => {
          const next = new Set(s);
          next.delete(key);
          return next;
        }),
    }),
  };
}

/** The evidence records of a claim, with what the patient's Claims consent lets this insurer read. */
function Evidence({ patient, evidence, self }: { patient: Address; evidence: readonly bigint[]; self?: Address }) {
  const consent = useConsentScope(patient, self, Purpose.Claims);
  const records = useRecordDetails(evidence);
  return (
    <div>
      <h4>Evidence</h4>
      <ul>
        {evidence.map((id, i) => {
          const category = Number((records.data?.[i] as { category?: number } | undefined)?.category ?? -1);
          const access = consent.scope?.find((c) => c.category === category);
          return (
            <li key={id.toString()}>
              Record {recordLabel(id)} · {access?.label ?? "…"} ·{" "}
              {access
                ? access.read
                  ? "readable under the patient's Claims consent"
                  : "not readable: no Claims consent"
                : "checking consent…"}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** A pending claim: evidence, the quote for an allowed amount, approve (full / partial) or deny with a reason. */
function PendingClaim({ claim, self, keeping }: { claim: BookClaim; self?: Address; keeping: Keeping }) {
  const { money, symbol } = useMoney();
  const [allowed, setAllowed] = useState(formatUnits(claim.billed, TOKEN_DECIMALS));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string>();
  const [reading, setReading] = useState(false);
  const checked = checkAmount(allowed, TOKEN_DECIMALS, { max: claim.billed });
  const quote = useCareRead({
    contractName: "ClaimsSettlement",
    functionName: "quote",
    args: checked.ok ? [claim.coverageId, claim.serviceDate, checked.value] : undefined,
  });
  const { write, summary, decide, deny, sealError } = useDecision(keeping);
  const q = quote.data as readonly [bigint, bigint] | undefined;
  const id = claim.claimId.toString();
  const label = claimLabel(claim.claimId);

  return (
    <article className="claim-card" aria-labelledby={`claim-${id}`} data-testid="pending-claim">
      <h3 id={`claim-${id}`}>
        Claim <ClaimId claimId={claim.claimId} />
      </h3>
      <p>
        {serviceClassName(claim.serviceClass)} on {formatDay(claim.serviceDate)} for patient{" "}
        <PatientName patient={claim.patient} /> by <Party address={claim.provider} />. Billed{" "}
        <strong>{money(claim.billed)}</strong>.
      </p>
      <Evidence patient={claim.patient} evidence={claim.evidence} self={self} />
      {reading ? (
        <EvidenceReader patient={claim.patient} evidence={claim.evidence} />
      ) : (
        <button type="button" className="button button--quiet" onClick={() => setReading(true)}>
          Read this claim&apos;s evidence under the patient&apos;s Claims consent
        </button>
      )}
      {write.state.status === "confirmed" ? (
        <Decided state={write.state} label={`Decision on claim ${label}`} summary={summary} dismiss={keeping.dismiss} />
      ) : (
        <>
          <div className="field">
            <label htmlFor={`allowed-${id}`}>{`Allowed amount (${symbol})`}</label>
            <p className="field-hint" id={`allowed-${id}-hint`}>
              The billed amount for a full approval; less for a partial one.
            </p>
            <input
              id={`allowed-${id}`}
              inputMode="decimal"
              value={allowed}
              aria-describedby={`allowed-${id}-hint`}
              aria-invalid={checked.ok ? undefined : true}
              onChange={(e) => setAllowed(e.target.value)}
            />
            {!checked.ok ? <p className="field-error">{checked.error}</p> : null}
          </div>
          <p role="status" data-testid="quote">
            {q ? (
              <>
                Insurer pays <strong>{money(q[0])}</strong> · patient share <strong>{money(q[1])}</strong>
              </>
            ) : checked.ok ? (
              "Working out the quote…"
            ) : null}
          </p>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={!checked.ok || write.busy}
              onClick={() =>
                checked.ok &&
                decide(
                  { functionName: "approveClaim", args: [claim.claimId, checked.value] },
                  q
                    ? `Approved: the insurer pays ${money(q[0])}, the patient's share is ${money(q[1])}.`
                    : `Approved on an allowed amount of ${money(checked.value)}.`,
                )
              }
            >
              {checked.ok && checked.value < claim.billed ? "Approve partially" : "Approve"}
              <span className="visually-hidden"> claim {label}</span>
            </button>
          </div>
          <div className="inline-form">
            <DenialReason id={`reason-${id}`} value={reason} onChange={setReason} error={error} />
            <button
              type="button"
              className="button button--quiet"
              disabled={write.busy}
              onClick={() => {
                if (!reason) return setError("Choose a reason: the provider and the patient see it.");
                setError(undefined);
                void deny(
                  "claim",
                  claim.claimId,
                  { patient: claim.patient, provider: claim.provider },
                  Number(reason),
                  `Denied: ${reasonTitle(Number(reason))}. The reason is sealed to the provider and the patient, who read it; the provider may appeal.`,
                );
              }}
            >
              Deny<span className="visually-hidden"> claim {label}</span>
            </button>
          </div>
          {sealError ? (
            <p className="field-error" role="alert">
              {sealError}
            </p>
          ) : null}
          <TransactionStatus state={write.state} label={`Decision on claim ${label}`} />
        </>
      )}
    </article>
  );
}

/** An appealed claim: overturn with a new allowed amount, or uphold. */
function AppealedClaim({ claim, keeping }: { claim: BookClaim; keeping: Keeping }) {
  const { money, symbol } = useMoney();
  const [allowed, setAllowed] = useState(formatUnits(claim.billed, TOKEN_DECIMALS));
  const checked = checkAmount(allowed, TOKEN_DECIMALS, { max: claim.billed });
  const { write, summary, decide: decideCall } = useDecision(keeping);
  const id = claim.claimId.toString();
  const label = claimLabel(claim.claimId);
  const decide = (overturn: boolean, newAllowed: bigint) =>
    decideCall(
      { functionName: "decideAppeal", args: [claim.claimId, overturn, newAllowed] },
      overturn
        ? `Overturned: the claim is paid on an allowed amount of ${money(newAllowed)}.`
        : "Upheld: the earlier decision stands.",
    );
  return (
    <article className="claim-card" aria-labelledby={`appeal-${id}`} data-testid="appealed-claim">
      <h3 id={`appeal-${id}`}>
        Appeal of claim <ClaimId claimId={claim.claimId} />
      </h3>
      <p>
        Billed {money(claim.billed)}; allowed so far {money(claim.allowed)} (insurer paid {money(claim.payerAmount)}).
      </p>
      {write.state.status === "confirmed" ? (
        <Decided
          state={write.state}
          label={`Appeal decision on claim ${label}`}
          summary={summary}
          dismiss={keeping.dismiss}
        />
      ) : (
        <>
          <div className="field">
            <label htmlFor={`new-allowed-${id}`}>{`New allowed amount if overturned (${symbol})`}</label>
            <input
              id={`new-allowed-${id}`}
              inputMode="decimal"
              value={allowed}
              onChange={(e) => setAllowed(e.target.value)}
            />
            {!checked.ok ? <p className="field-error">{checked.error}</p> : null}
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={!checked.ok || write.busy}
              onClick={() => checked.ok && decide(true, checked.value)}
            >
              Overturn and pay<span className="visually-hidden"> claim {label}</span>
            </button>
            <button
              type="button"
              className="button button--quiet"
              disabled={write.busy}
              onClick={() => decide(false, 0n)}
            >
              Uphold decision<span className="visually-hidden"> on claim {label}</span>
            </button>
          </div>
          <TransactionStatus state={write.state} label={`Appeal decision on claim ${label}`} />
        </>
      )}
    </article>
  );
}

/** A requested pre-authorisation: approve up to an amount until a date, or deny with a reason. */
function PreAuthRequest({ preAuth, keeping }: { preAuth: InsurerBook["preAuths"][number]; keeping: Keeping }) {
  const { money, symbol } = useMoney();
  const [amount, setAmount] = useState(formatUnits(preAuth.estimate, TOKEN_DECIMALS));
  const [expires, setExpires] = useState(new Date(Date.now() + 90 * 86400_000).toISOString().slice(0, 10));
  const [reason, setReason] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const { write, summary, decide, deny, sealError } = useDecision(keeping);
  const id = preAuth.preAuthId.toString();
  return (
    <article className="claim-card" aria-labelledby={`preauth-${id}`} data-testid="preauth-request">
      <h3 id={`preauth-${id}`}>Pre-authorisation #{id}</h3>
      <p>
        {serviceClassName(preAuth.serviceClass)} under coverage #{preAuth.coverageId.toString()}, estimate{" "}
        {money(preAuth.estimate)}, from <Party address={preAuth.provider} />. {preAuth.evidence.length} evidence
        record(s).
      </p>
      {write.state.status === "confirmed" ? (
        <Decided
          state={write.state}
          label={`Decision on pre-authorisation ${id}`}
          summary={summary}
          dismiss={keeping.dismiss}
        />
      ) : (
        <>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={`pa-amount-${id}`}>{`Authorised up to (${symbol})`}</label>
              <input
                id={`pa-amount-${id}`}
                inputMode="decimal"
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
              {errors.amount ? <p className="field-error">{errors.amount}</p> : null}
            </div>
            <div className="field">
              <label htmlFor={`pa-exp-${id}`}>Valid until</label>
              <input id={`pa-exp-${id}`} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
              {errors.expires ? <p className="field-error">{errors.expires}</p> : null}
            </div>
            <button
              type="button"
              className="button"
              disabled={write.busy}
              onClick={() => {
                const a = checkAmount(amount, TOKEN_DECIMALS);
                const d = checkFutureDate(expires);
                setErrors({ ...(a.ok ? {} : { amount: a.error }), ...(d.ok ? {} : { expires: d.error }) });
                if (a.ok && d.ok)
                  decide(
                    { functionName: "approvePreAuth", args: [preAuth.preAuthId, a.value, Number(d.value)] },
                    `Approved up to ${money(a.value)} until ${formatDay(d.value)}. The provider can now claim against it.`,
                  );
              }}
            >
              Approve<span className="visually-hidden"> pre-authorisation {id}</span>
            </button>
          </div>
          <div className="inline-form">
            <DenialReason id={`pa-reason-${id}`} value={reason} onChange={setReason} error={errors.reason} />
            <button
              type="button"
              className="button button--quiet"
              disabled={write.busy}
              onClick={() => {
                if (!reason) return setErrors({ reason: "Choose a reason." });
                void deny(
                  "preauth",
                  preAuth.preAuthId,
                  { patient: preAuth.patient, provider: preAuth.provider },
                  Number(reason),
                  `Denied: ${reasonTitle(Number(reason))}. The reason is sealed to the provider and the patient, who read it.`,
                );
              }}
            >
              Deny<span className="visually-hidden"> pre-authorisation {id}</span>
            </button>
          </div>
          {sealError ? (
            <p className="field-error" role="alert">
              {sealError}
            </p>
          ) : null}
          <TransactionStatus state={write.state} label={`Decision on pre-authorisation ${id}`} />
        </>
      )}
    </article>
  );
}

export function ClaimsQueue({ book }: { book: InsurerBook }) {
  const { money } = useMoney();
  // Each reason is sealed to patient, provider and this insurer: opened with the insurer's key.
  const { reasons, locked } = useClaimDenialReasons(book.claims);
  const kept = useKeptCards();
  const claimKey = (c: BookClaim) => `claim:${c.claimId}`;
  const appealKey = (c: BookClaim) => `appeal:${c.claimId}`;
  const preAuthKey = (p: InsurerBook["preAuths"][number]) => `preauth:${p.preAuthId}`;
  const pending = book.claims.filter((c) => c.status === 1 || kept.has(claimKey(c)));
  const appealed = book.claims.filter((c) => c.status === 4 || kept.has(appealKey(c)));
  const decided = book.claims.filter((c) => c.status !== 1 && c.status !== 4);
  const preAuths = book.preAuths.filter((p) => p.status === 1 || kept.has(preAuthKey(p)));
  return (
    <>
      <section className="card" aria-labelledby="queue-title">
        <h2 id="queue-title">Claims awaiting review</h2>
        {pending.length === 0 ? (
          <p>No claims are waiting for you.</p>
        ) : (
          pending.map((c) => (
            <PendingClaim key={claimKey(c)} claim={c} self={book.self} keeping={kept.for(claimKey(c))} />
          ))
        )}
      </section>
      <section className="card" aria-labelledby="appeals-title">
        <h2 id="appeals-title">Appeals</h2>
        {appealed.length === 0 ? (
          <p>No open appeals.</p>
        ) : (
          appealed.map((c) => <AppealedClaim key={appealKey(c)} claim={c} keeping={kept.for(appealKey(c))} />)
        )}
      </section>
      <section className="card" aria-labelledby="preauths-title">
        <h2 id="preauths-title">Pre-authorisation requests</h2>
        {preAuths.length === 0 ? (
          <p>No requests are waiting.</p>
        ) : (
          preAuths.map((p) => <PreAuthRequest key={preAuthKey(p)} preAuth={p} keeping={kept.for(preAuthKey(p))} />)
        )}
        {book.preAuths.some((p) => p.status !== 1 && !kept.has(preAuthKey(p))) ? (
          <p className="field-hint">
            Decided:{" "}
            {book.preAuths
              .filter((p) => p.status !== 1 && !kept.has(preAuthKey(p)))
              .map((p) => `#${p.preAuthId} ${PREAUTH_STATUS[p.status].toLowerCase()}`)
              .join(", ")}
          </p>
        ) : null}
      </section>
      <section className="card" aria-labelledby="decided-title">
        <h2 id="decided-title">Decided claims</h2>
        {decided.length === 0 ? (
          <p>None yet.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Decided claims">
              <thead>
                <tr>
                  <th scope="col">Claim</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Billed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Insurer pays</th>
                  <th scope="col">Patient share</th>
                </tr>
              </thead>
              <tbody>
                {[...decided].reverse().map((c) => (
                  <tr key={c.claimId.toString()} data-testid="decided-claim">
                    <th scope="row">
                      <ClaimId claimId={c.claimId} />
                    </th>
                    <td>
                      <PatientName patient={c.patient} />
                    </td>
                    <td>{money(c.billed)}</td>
                    <td>
                      {CLAIM_STATUS[c.status]}
                      {c.status === 3 && reasons.has(c.claimId.toString()) ? (
                        <span className="field-hint" data-testid="denial-reason">
                          {" "}
                          — {sealedReasonText(reasons.get(c.claimId.toString()))}
                        </span>
                      ) : null}
                    </td>
                    <td>{money(c.payerAmount)}</td>
                    <td>{money(c.allowed - c.payerAmount)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <SealedReasonUnlock locked={locked} />
      </section>
    </>
  );
}
