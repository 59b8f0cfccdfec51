"use client";

import { useState, type FormEvent } from "react";
import type { Address } from "viem";
import { Field } from "@/components/Field";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useMoney } from "@/hooks/useMoney";
import { COVERAGE_STATUS_LABEL } from "./labels";
import { dayToSeconds, formatDay, TOKEN_DECIMALS } from "@/lib/money";
import { SERVICE_CLASSES, serviceClassName } from "@/lib/serviceClasses";
import { checkAddress, checkAmount } from "@/lib/validation";
import type { InsurerBook } from "./useInsurerBook";

const DAY = 24 * 3600;

function amountOrZero(input: string) {
  return input.trim() === "" || Number(input) === 0
    ? ({ ok: true, value: 0n } as const)
    : checkAmount(input, TOKEN_DECIMALS);
}

/** Creates a plan from its terms (coverage share, deductible, annual limit, pre-auth classes, auto-approval, windows). */
function CreatePlan() {
  const { symbol } = useMoney();
  const [v, setV] = useState({
    share: "80",
    deductible: "100",
    limit: "10000",
    auto: "500",
    review: "14",
    appeal: "30",
  });
  const [classes, setClasses] = useState<number[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const claims = useCareWrite("ClaimsSettlement");
  const set = (k: keyof typeof v) => (e: { target: { value: string } }) => setV({ ...v, [k]: e.target.value });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const share = Number(v.share);
    if (!/^\d+(\.\d{1,2})?$/.test(v.share.trim()) || share < 0 || share > 100)
      found.share = "Enter a percentage from 0 to 100.";
    const deductible = amountOrZero(v.deductible);
    const limit = checkAmount(v.limit, TOKEN_DECIMALS);
    const auto = amountOrZero(v.auto);
    if (!deductible.ok) found.deductible = deductible.error;
    if (!limit.ok) found.limit = limit.error;
    if (!auto.ok) found.auto = auto.error;
    const review = Number(v.review);
    const appeal = Number(v.appeal);
    if (!Number.isInteger(review) || review < 1 || review > 365) found.review = "Enter whole days from 1 to 365.";
    if (!Number.isInteger(appeal) || appeal < 1 || appeal > 365) found.appeal = "Enter whole days from 1 to 365.";
    setErrors(found);
    if (Object.keys(found).length || !deductible.ok || !limit.ok || !auto.ok) return;
    await claims.write({
      functionName: "createPlan",
      args: [
        {
          coverageBps: Math.round(share * 100),
          preAuthClasses: classes.reduce((m, c) => m | (1 << c), 0),
          deductible: deductible.value,
          annualLimit: limit.value,
          autoApproveThreshold: auto.value,
          reviewWindow: review * DAY,
          appealWindow: appeal * DAY,
          // Claims within 90 days of the service; automatic approvals up to four at the threshold per
          // member and year, past that the insurer reviews (split or repeated bills cannot bypass review).
          filingWindow: 90 * DAY,
          autoApproveAnnualCap: auto.value * 4n,
        },
      ],
    });
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create a plan">
      <div className="inline-form">
        <Field label="Coverage share (%)" hint="What the plan pays after the deductible." error={errors.share}>
          <input inputMode="decimal" value={v.share} onChange={set("share")} />
        </Field>
        <Field label={`Deductible (${symbol})`} hint="Per member per plan year." error={errors.deductible}>
          <input inputMode="decimal" value={v.deductible} onChange={set("deductible")} />
        </Field>
        <Field label={`Annual limit (${symbol})`} error={errors.limit}>
          <input inputMode="decimal" value={v.limit} onChange={set("limit")} />
        </Field>
        <Field
          label={`Auto-approval threshold (${symbol})`}
          hint="Claims billed at or below are approved at once; 0 for none."
          error={errors.auto}
        >
          <input inputMode="decimal" value={v.auto} onChange={set("auto")} />
        </Field>
        <Field label="Review window (days)" error={errors.review}>
          <input inputMode="numeric" value={v.review} onChange={set("review")} />
        </Field>
        <Field label="Appeal window (days)" error={errors.appeal}>
          <input inputMode="numeric" value={v.appeal} onChange={set("appeal")} />
        </Field>
      </div>
      <fieldset className="checkbox-list">
        <legend>Service classes that need pre-authorisation</legend>
        {SERVICE_CLASSES.map((name, i) => (
          <label key={name}>
            <input
              type="checkbox"
              checked={classes.includes(i)}
              onChange={() => setClasses(classes.includes(i) ? classes.filter((c) => c !== i) : [...classes, i])}
            />
            {name}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="button" disabled={claims.busy}>
        Create plan
      </button>
      <TransactionStatus state={claims.state} label="Plan" />
    </form>
  );
}

/** Offers a patient coverage under one of the insurer's plans for a period. */
function OfferCoverage({ book }: { book: InsurerBook }) {
  const [patient, setPatient] = useState("");
  const [plan, setPlan] = useState("");
  const today = new Date().toISOString().slice(0, 10);
  const nextYear = new Date(Date.now() + 365 * DAY * 1000).toISOString().slice(0, 10);
  const [start, setStart] = useState(today);
  const [end, setEnd] = useState(nextYear);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const claims = useCareWrite("ClaimsSettlement");

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Record<string, string> = {};
    const address = checkAddress(patient, { notSelf: book.self });
    if (!address.ok) found.patient = address.error;
    if (!plan) found.plan = "Choose a plan.";
    if (!start) found.start = "Choose a start date.";
    if (!end) found.end = "Choose an end date.";
    else if (end <= start) found.end = "The coverage must end after it starts.";
    setErrors(found);
    if (Object.keys(found).length || !address.ok) return;
    // Coverage starts at the beginning of the start day so services given that day are covered.
    const startSeconds = dayToSeconds(start) - 12 * 3600;
    const receipt = await claims.write({
      functionName: "offerCoverage",
      args: [address.value as Address, BigInt(plan), startSeconds, dayToSeconds(end)],
    });
    if (receipt) setPatient("");
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Offer coverage">
      <Field label="Patient address" hint="The patient accepts the offer in their workspace." error={errors.patient}>
        <input
          value={patient}
          onChange={(e) => setPatient(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="0x…"
        />
      </Field>
      <div className="inline-form">
        <Field label="Plan" error={errors.plan}>
          <select value={plan} onChange={(e) => setPlan(e.target.value)}>
            <option value="">Choose…</option>
            {book.plans.map((p) => (
              <option key={p.planId.toString()} value={p.planId.toString()}>
                Plan {p.planId.toString()} · {p.coverageBps / 100}%
              </option>
            ))}
          </select>
        </Field>
        <Field label="Coverage starts" error={errors.start}>
          <input type="date" value={start} onChange={(e) => setStart(e.target.value)} />
        </Field>
        <Field label="Coverage ends" error={errors.end}>
          <input type="date" value={end} onChange={(e) => setEnd(e.target.value)} />
        </Field>
      </div>
      <button type="submit" className="button" disabled={claims.busy || book.plans.length === 0}>
        Offer coverage
      </button>
      <TransactionStatus state={claims.state} label="Coverage offer" />
    </form>
  );
}

export function InsurerPlans({ book }: { book: InsurerBook }) {
  const { money } = useMoney();
  return (
    <>
      <section className="card" aria-labelledby="plans-title">
        <h2 id="plans-title">Plans</h2>
        {book.plans.length === 0 ? (
          <p>No plans yet. Create one below.</p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" aria-label="Your plans">
              <thead>
                <tr>
                  <th scope="col">Plan</th>
                  <th scope="col">Share</th>
                  <th scope="col">Deductible</th>
                  <th scope="col">Annual limit</th>
                  <th scope="col">Auto-approval up to</th>
                  <th scope="col">Pre-authorisation for</th>
                </tr>
              </thead>
              <tbody>
                {book.plans.map((p) => (
                  <tr key={p.planId.toString()}>
                    <th scope="row">Plan {p.planId.toString()}</th>
                    <td>{p.coverageBps / 100}%</td>
                    <td>{money(p.deductible)}</td>
                    <td>{money(p.annualLimit)}</td>
                    <td>{money(p.autoApproveThreshold)}</td>
                    <td>
                      {SERVICE_CLASSES.map((_, i) => i)
                        .filter((i) => p.preAuthClasses & (1 << i))
                        .map(serviceClassName)
                        .join(", ") || "None"}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <h3>Create a plan</h3>
        <CreatePlan />
      </section>
      <section className="card" aria-labelledby="coverage-title">
        <h2 id="coverage-title">Coverage</h2>
        {book.coverages.length ? (
          <div className="table-scroll">
            <table className="data-table" aria-label="Coverage offered">
              <thead>
                <tr>
                  <th scope="col">Coverage</th>
                  <th scope="col">Patient</th>
                  <th scope="col">Plan</th>
                  <th scope="col">Period</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {book.coverages.map((c) => (
                  <tr key={c.coverageId.toString()}>
                    <th scope="row">#{c.coverageId.toString()}</th>
                    <td>
                      <code>{`${c.patient.slice(0, 6)}…${c.patient.slice(-4)}`}</code>
                    </td>
                    <td>Plan {c.planId.toString()}</td>
                    <td>
                      {formatDay(c.start)} – {formatDay(c.end)}
                    </td>
                    <td>{COVERAGE_STATUS_LABEL[c.status] ?? "Unknown"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <h3>Offer coverage</h3>
        <OfferCoverage book={book} />
      </section>
    </>
  );
}
