"use client";

import type { Address } from "viem";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";

const when = (seconds: number) =>
  new Date(seconds * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * What the address speaking for a patient sees while someone asks to take the account over: every
 * request and approval of the current round, the scheduled move and when it can complete, and one
 * button that cancels them all (a new round; guardians must approve again).
 */
export function PendingMove({ patient }: { patient: Address }) {
  const recovery = useCareRead({ contractName: "CareRegistry", functionName: "recoveryOf", args: [patient] });
  const requests = useCareEvents({ contractName: "CareRegistry", eventName: "RecoveryRequested", args: { patient } });
  const approvals = useCareEvents({ contractName: "CareRegistry", eventName: "RecoveryApproved", args: { patient } });
  const registry = useCareWrite("CareRegistry");
  const r = recovery.data;
  if (!r || r.threshold === 0) return <TransactionStatus state={registry.state} label="Cancelling the move" />;
  const round = r.round;
  const asked = [
    ...new Set((requests.data ?? []).filter((e) => e.args.round === round).map((e) => e.args.newAccount as Address)),
  ];
  const approved = (approvals.data ?? []).filter((e) => e.args.round === round);
  const scheduled = /^0x0{40}$/.test(r.scheduledTo) ? undefined : r.scheduledTo;
  if (asked.length === 0 && approved.length === 0 && !scheduled) {
    return <TransactionStatus state={registry.state} label="Cancelling the move" />;
  }
  return (
    <section className="banner banner--warning" role="alert" data-testid="pending-move">
      <h2>Someone asked to move your account</h2>
      {asked.map((to) => (
        <p key={to}>
          A request to move your records, consents and claims to <Party address={to} />:{" "}
          {approved.filter((e) => e.args.newAccount === to).length} of {r.threshold} guardians approved.
        </p>
      ))}
      {scheduled ? (
        <p data-testid="pending-move-scheduled">
          The move to <Party address={scheduled} /> is scheduled and can complete from {when(Number(r.readyAt))}.
        </p>
      ) : null}
      <p>If this is not you (or you found your wallet), cancel: every approval is voided.</p>
      <button
        type="button"
        className="button button--danger"
        disabled={registry.busy}
        onClick={() => registry.write({ functionName: "cancelRecovery", args: [] })}
      >
        Cancel the move
      </button>
      <TransactionStatus state={registry.state} label="Cancelling the move" />
    </section>
  );
}
