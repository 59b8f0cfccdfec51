/** The state of a key-message signature: asked for in the wallet, or stopped with a reason. */
export type KeySigning = { status: "idle" } | { status: "signing" } | { status: "failed"; message: string };

/**
 * What the wallet is being asked for while the CareLedger key message is signed (twice, so the
 * dApp can check the wallet signs deterministically), and why it stopped if it did.
 */
export function KeySigningStatus({
  state,
  failedTitle,
  waiting = "Sign the CareLedger key message in your wallet (twice)…",
}: {
  state: KeySigning;
  failedTitle: string;
  /** What the person is asked to do meanwhile (a passkey prompt says so instead). */
  waiting?: string;
}) {
  if (state.status === "signing")
    return (
      <p role="status" className="tx">
        <span className="spinner" aria-hidden="true" /> {waiting}
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
