"use client";

import type { Address } from "viem";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useSubjectWords } from "./subject";

/**
 * A signed (gasless) consent can sit with a provider or relayer until its deadline. This voids
 * every signature not yet submitted, grants and revocations alike, by moving the patient's
 * signature nonce past them (ConsentManager.invalidateNonces): one transaction, nothing else changes.
 */
export function CancelSignedConsents({ patient, actingAsGuardian }: { patient: Address; actingAsGuardian: boolean }) {
  const words = useSubjectWords();
  const nonce = useCareRead({ contractName: "ConsentManager", functionName: "nonces", args: [patient] });
  const consent = useCareWrite("ConsentManager");
  const next = nonce.data === undefined ? undefined : BigInt(nonce.data) + 1n;

  async function cancel() {
    if (next === undefined) return;
    const receipt = actingAsGuardian
      ? await consent.write({ functionName: "invalidateNoncesFor", args: [patient, next] })
      : await consent.write({ functionName: "invalidateNonces", args: [next] });
    if (receipt) void nonce.refetch();
  }

  return (
    <section className="card" aria-labelledby="cancel-signed-title">
      <h3 id="cancel-signed-title">Signed consents not yet submitted</h3>
      <p>
        A consent signed without a fee stays usable by whoever holds it until its deadline. Cancel {words.your} signed
        consents that nobody has submitted yet; consents already in force are not touched (revoke those above).
      </p>
      <button
        type="button"
        className="button button--quiet"
        disabled={consent.busy || next === undefined}
        onClick={cancel}
      >
        Cancel unsubmitted signed consents
      </button>
      <TransactionStatus state={consent.state} label="Cancellation" />
    </section>
  );
}
