"use client";

import { CATEGORIES, EMERGENCY_SCOPE, Purpose, categoriesInScope } from "@careledger/sdk/protocol/constants";
import type { Address } from "viem";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { ConsentGrantForm } from "./ConsentGrantForm";

/** Emergency summary sharing and the break-glass opt-out. */
export function Emergency({ patient, actingAsGuardian = false }: { patient: Address; actingAsGuardian?: boolean }) {
  const optedOut = useCareRead({ contractName: "ConsentManager", functionName: "breakGlassOptedOut", args: [patient] });
  const consent = useCareWrite("ConsentManager");
  const next = !optedOut.data;
  return (
    <>
      <section className="card" aria-labelledby="breakglass-title">
        <h2 id="breakglass-title">Emergency access (break-glass)</h2>
        <p>
          In an emergency a credentialed provider may open read access to your emergency summary (
          {categoriesInScope(EMERGENCY_SCOPE)
            .map((c) => CATEGORIES[c].label.toLowerCase())
            .join(", ")}
          ) for at most 24 hours, with a recorded reason. Every opening appears in your audit trail. The keys that open
          the records come only from people you pre-share them with below.
        </p>
        <p role="status">
          Emergency access is <strong>{optedOut.data ? "turned off (opted out)" : "allowed"}</strong>.
        </p>
        <button
          type="button"
          className="button button--quiet"
          disabled={consent.busy || optedOut.data === undefined}
          onClick={() =>
            actingAsGuardian
              ? consent.write({ functionName: "setBreakGlassOptOutFor", args: [patient, next] })
              : consent.write({ functionName: "setBreakGlassOptOut", args: [next] })
          }
        >
          {optedOut.data ? "Allow emergency access again" : "Opt out of emergency access"}
        </button>
        <TransactionStatus state={consent.state} label="Emergency setting" />
      </section>
      <ConsentGrantForm
        patient={patient}
        actingAsGuardian={actingAsGuardian}
        preset={{
          purpose: Purpose.Emergency,
          categories: categoriesInScope(EMERGENCY_SCOPE),
          title: "Pre-share your emergency summary",
          intro:
            "Give a guardian or a trusted contact the keys to your emergency summary now, so it can be read when you cannot unlock it yourself.",
        }}
      />
    </>
  );
}
