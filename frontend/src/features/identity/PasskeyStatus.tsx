"use client";

import { useCallback, useState } from "react";
import { KeySigningStatus, type KeySigning } from "@/components/KeySigningStatus";
import { passkeyProblem } from "./webauthn";

/** The state of a passkey request: the browser's prompt is open ("signing"), or it stopped with a reason. */
export type PasskeyStep = KeySigning;

/** What the browser is asking for while a passkey prompt is open, and why it stopped if it did. */
export function PasskeyStatus({ state, failedTitle }: { state: PasskeyStep; failedTitle: string }) {
  return (
    <KeySigningStatus
      state={state}
      failedTitle={failedTitle}
      waiting="Confirm with your passkey (fingerprint, face or device PIN)…"
    />
  );
}

/** Runs a passkey action with its step shown: the prompt while it runs, a plain reason if it stops. */
export function usePasskeyStep() {
  const [step, setStep] = useState<PasskeyStep>({ status: "idle" });
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setStep({ status: "signing" });
    try {
      await action();
      setStep({ status: "idle" });
    } catch (error) {
      setStep({ status: "failed", message: passkeyProblem(error) });
    }
  }, []);
  return { step, run, busy: step.status === "signing" };
}

/** The name a person gives a passkey, shown when they later remove one ("This laptop", "Phone"). */
export function PasskeyLabel({ id, value, onChange }: { id: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Name this passkey</label>
      <input id={id} value={value} maxLength={64} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
