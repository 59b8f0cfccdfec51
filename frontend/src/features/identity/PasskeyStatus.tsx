/** The state of a passkey request: the browser's prompt is open, or it stopped with a reason. */
export type PasskeyStep = { status: "idle" } | { status: "prompt" } | { status: "failed"; message: string };

/** What the browser is asking for while a passkey prompt is open, and why it stopped if it did. */
export function PasskeyStatus({ state, failedTitle }: { state: PasskeyStep; failedTitle: string }) {
  if (state.status === "prompt")
    return (
      <p role="status" className="tx">
        <span className="spinner" aria-hidden="true" /> Confirm with your passkey (fingerprint, face or device PIN)…
      </p>
    );
  if (state.status === "failed")
    return (
      <p role="alert" className="tx tx--failed">
        <strong>{failedTitle}</strong> {state.message}
      </p>
    );
  return null;
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
