"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import { CATEGORIES, categoriesInScope } from "@careledger/sdk/protocol/constants";
import type { ReactNode } from "react";
import { getAddress, type Address as AddressType } from "viem";
import { useChainId, useConfig } from "wagmi";
import { ClaimId } from "@/components/ClaimId";
import { ScanProgress } from "@/components/ScanProgress";
import { getContract, type ContractName } from "@/contracts/deployments";
import { blockTimes } from "@/features/records/read/pointers";
import { PURPOSES } from "./ConsentGrantForm";
import { useSubjectWords } from "./subject";
import { Party } from "@/components/Party";
import { Money } from "@/components/Money";
import { formatDay, formatMoment } from "@/lib/money";

type Entry = { key: string; block: bigint; logIndex: number; kind: string; what: ReactNode; time?: number };

const purpose = (p: unknown) => PURPOSES.find((x) => x.id === Number(p))?.label.toLowerCase() ?? `purpose ${p}`;
const scopeText = (s: unknown) =>
  categoriesInScope(Number(s))
    .map((c) => CATEGORIES[c].label.toLowerCase())
    .join(", ");
const category = (c: number) => CATEGORIES[c]?.label.toLowerCase() ?? `category ${c}`;
const money = (v: unknown) => <Money units={BigInt(v as bigint)} />;
const day = (s: unknown) => formatDay(Number(s));
const recordCategory = (id: bigint) => Number((id >> 88n) & 0xffn);
const recordPatient = (id: bigint) => getAddress(`0x${(id >> 96n).toString(16).padStart(40, "0")}`);

/** Every access-relevant event for a patient, newest first, in plain language: who, what, when. */
export function AuditTrail({ patient }: { patient: AddressType }) {
  const words = useSubjectWords();
  const config = useConfig();
  const chainId = useChainId();
  const trail = useQuery({
    queryKey: ["careledger", "audit", chainId, patient],
    queryFn: async () => {
      const get = async (name: ContractName, eventName: string, args?: Record<string, unknown>) => {
        const c = getContract(name, chainId);
        if (!c) return [];
        const logs = await readContractEvents(
          config,
          {
            chainId,
            address: c.address,
            abi: c.abi,
            eventName,
            args,
          } as never,
          "audit",
        );
        return logs as unknown as {
          blockNumber: bigint;
          logIndex: number;
          transactionHash: string;
          args: Record<string, unknown>;
        }[];
      };
      const p = { patient };
      const [
        registered,
        gSet,
        gRevoked,
        granted,
        revoked,
        bgOpen,
        bgClose,
        optOut,
        added,
        amended,
        offered,
        accepted,
        submitted,
        keysPublished,
        keysNeeded,
        rewrapped,
        released,
        agentSet,
      ] = await Promise.all([
        get("CareRegistry", "PatientRegistered", p),
        get("CareRegistry", "GuardianSet", p),
        get("CareRegistry", "GuardianRevoked", p),
        get("ConsentManager", "ConsentGranted", p),
        get("ConsentManager", "ConsentRevoked", p),
        get("ConsentManager", "BreakGlassOpened", p),
        get("ConsentManager", "BreakGlassClosed", p),
        get("ConsentManager", "BreakGlassOptOutUpdated", p),
        get("RecordRegistry", "RecordAdded", p),
        get("RecordRegistry", "RecordAmended"),
        get("ClaimsSettlement", "CoverageOffered", p),
        get("ClaimsSettlement", "CoverageAccepted", p),
        get("ClaimsSettlement", "ClaimSubmitted", p),
        get("RecordRegistry", "CategoryKeyPublished", p),
        get("RecordRegistry", "CategoryKeysNeeded", p),
        get("ConsentManager", "CategoryKeysRewrapped", p),
        get("ConsentManager", "EmergencyKeysReleased", p),
        get("ConsentManager", "EmergencyReleaseAgentSet", p),
      ]);
      const claimIds = submitted.map((l) => String(l.args.claimId));
      const [approved, denied, paid, appealed] = claimIds.length
        ? await Promise.all(
            ["ClaimApproved", "ClaimDenied", "ClaimPaid", "ClaimAppealed"].map((n) => get("ClaimsSettlement", n)),
          )
        : [[], [], [], []];
      const mine = (l: { args: Record<string, unknown> }) => claimIds.includes(String(l.args.claimId));
      const entries: Entry[] = [];
      const push = (kind: string, logs: typeof added, what: (a: Record<string, unknown>) => ReactNode) =>
        logs.forEach((l) =>
          entries.push({
            key: `${l.transactionHash}:${l.logIndex}`,
            block: l.blockNumber,
            logIndex: l.logIndex,
            kind,
            what: what(l.args),
          }),
        );
      const who = (a: unknown) => <Party address={a as AddressType} />;
      // A signed (gasless) consent names its signer; whoever sent the transaction is "submitted by".
      const submitted_ = (a: Record<string, unknown>, by: unknown) =>
        a.submittedBy && String(a.submittedBy).toLowerCase() !== String(by).toLowerCase() ? (
          <> (submitted by {who(a.submittedBy)})</>
        ) : null;
      push("Registration", registered, () => <>You registered as a patient.</>);
      push("Guardian", gSet, (a) => (
        <>
          {who(a.guardian)} was named guardian until {day(a.validUntil)}.
        </>
      ));
      push("Guardian", gRevoked, (a) => <>Guardian {who(a.guardian)} was removed.</>);
      push("Consent granted", granted, (a) => (
        <>
          {who(a.grantedBy)} allowed {who(a.grantee)} to {Number(a.access) & 2 ? "read and add" : "read"}{" "}
          {scopeText(a.scope)} for {purpose(a.purpose)}, until {day(a.expiresAt)}
          {submitted_(a, a.grantedBy)}.
        </>
      ));
      push("Consent revoked", revoked, (a) => (
        <>
          {who(a.revokedBy)} revoked {who(a.grantee)}&rsquo;s access for {purpose(a.purpose)}
          {submitted_(a, a.revokedBy)}.
        </>
      ));
      push(
        "New keys",
        keysPublished.filter((l) => Number(l.args.epoch) > 1),
        (a) => (
          <>
            {category(Number(a.category))} moved to new keys (version {String(a.epoch)}): records added from then on are
            encrypted to them.
          </>
        ),
      );
      push("Keys needed", keysNeeded, (a) => (
        <>
          {scopeText(a.scope)} needed new keys (a grantee holding them was revoked); no records could be added to them
          until renewed.
        </>
      ));
      push("Keys passed on", rewrapped, (a) => (
        <>
          {who(a.grantee)} received the new keys of {scopeText(a.categories)} (keeps its {purpose(a.purpose)} access).
        </>
      ));
      push("Emergency keys released", released, (a) => (
        <>
          {who(a.releasedBy)} released the emergency summary keys to {who(a.provider)}, usable for new records until{" "}
          {day(a.until)}.
        </>
      ));
      push("Emergency release agent", agentSet, (a) =>
        BigInt(String(a.agent)) === 0n ? (
          <>You removed your emergency release agent.</>
        ) : (
          <>You chose {who(a.agent)} to release your emergency keys to a provider who opens emergency access.</>
        ),
      );
      push("Break-glass opened", bgOpen, (a) => (
        <>
          Emergency access opened by {who(a.provider)} (reason code {String(a.reasonCode)}) until {day(a.expiresAt)}.
        </>
      ));
      push("Break-glass closed", bgClose, (a) => (
        <>
          Emergency access of {who(a.provider)} closed by {who(a.closedBy)}.
        </>
      ));
      push("Break-glass setting", optOut, (a) => (
        <>
          {who(a.updatedBy)} {a.optedOut ? "opted you out of" : "opted you back into"} emergency access.
        </>
      ));
      push("Record added", added, (a) => (
        <>
          {who(a.author)} added a record to {category(recordCategory(a.recordId as bigint))}.
        </>
      ));
      push(
        "Record amended",
        amended.filter((l) => recordPatient(l.args.recordId as bigint) === getAddress(patient)),
        (a) => (
          <>
            {who(a.author)} amended a {category(recordCategory(a.recordId as bigint))} record (new version).
          </>
        ),
      );
      push("Coverage", offered, (a) => (
        <>
          Coverage #{String(a.coverageId)} offered, {day(a.start)} – {day(a.end)}.
        </>
      ));
      push("Coverage", accepted, (a) => (
        <>
          Coverage #{String(a.coverageId)} accepted by {who(a.acceptedBy)}.
        </>
      ));
      push("Claim", submitted, (a) => (
        <>
          {who(a.provider)} submitted claim <ClaimId claimId={a.claimId as bigint} /> for {money(a.billed)}.
        </>
      ));
      push("Claim", approved.filter(mine), (a) => (
        <>
          Claim <ClaimId claimId={a.claimId as bigint} /> approved{a.automatic ? " automatically" : ""}: insurer pays{" "}
          {money(a.payerAmount)}, your share {money(a.patientShare)}.
        </>
      ));
      push("Claim", denied.filter(mine), (a) => (
        <>
          Claim <ClaimId claimId={a.claimId as bigint} /> denied (its reason is sealed to you: Coverage &amp; claims
          reads it).
        </>
      ));
      push("Claim", paid.filter(mine), (a) => (
        <>
          Claim <ClaimId claimId={a.claimId as bigint} /> paid: {money(a.amount)} to {who(a.provider)}.
        </>
      ));
      push("Claim", appealed.filter(mine), (a) => (
        <>
          Claim <ClaimId claimId={a.claimId as bigint} /> appealed by {who(a.appellant)}.
        </>
      ));
      const times = await blockTimes(
        config,
        chainId,
        entries.map((e) => e.block),
      );
      for (const e of entries) e.time = times.get(String(e.block));
      return entries.sort((a, b) => Number(b.block - a.block) || b.logIndex - a.logIndex);
    },
  });

  return (
    <section className="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Audit trail</h2>
      <p>Everything that touched access to {words.your} records, as recorded on chain.</p>
      {trail.isPending ? <p className="loading">Loading the audit trail…</p> : null}
      <ScanProgress scope="audit" />
      {trail.isError ? <p role="alert">The audit trail could not be loaded: {trail.error.message}</p> : null}
      {trail.data ? (
        <ol className="audit-list" data-testid="audit-trail">
          {trail.data.map((e) => (
            <li key={e.key}>
              <time dateTime={e.time ? new Date(e.time * 1000).toISOString() : undefined}>
                {e.time ? formatMoment(e.time) : ""}
              </time>{" "}
              <strong>{e.kind}</strong>: {e.what}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
