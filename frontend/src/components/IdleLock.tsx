"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useIdentity } from "@/features/identity/IdentityProvider";

/** Minutes without a key press, click, scroll or touch before unlocked keys are dropped. */
export const IDLE_LOCK_MINUTES = Number(process.env.NEXT_PUBLIC_CARELEDGER_IDLE_LOCK_MINUTES ?? 15);
const ACTIVITY = ["pointerdown", "keydown", "wheel", "touchstart"] as const;

/**
 * The idle lock: after IDLE_LOCK_MINUTES without activity the unlocked identity key is dropped,
 * and with it every cached CareLedger query (key rings unwrapped from grants, decrypted records,
 * a record opened for amendment), so a tab left open shows nothing and can decrypt nothing until
 * the person unlocks again. Chain reads held by wagmi stay: they are public. Background tabs
 * throttle timers, so the elapsed time is checked again when the tab comes back into view.
 */
export function IdleLock() {
  const { identity, setIdentity } = useIdentity();
  const queryClient = useQueryClient();
  const lastActive = useRef(0);
  const [locked, setLocked] = useState(false);

  useEffect(() => {
    if (!identity) return;
    setLocked(false);
    lastActive.current = Date.now();
    const limit = IDLE_LOCK_MINUTES * 60_000;
    const touch = () => (lastActive.current = Date.now());
    const check = () => {
      if (Date.now() - lastActive.current < limit) return;
      setIdentity(undefined);
      queryClient.removeQueries({ queryKey: ["careledger"] });
      setLocked(true);
    };
    for (const event of ACTIVITY) window.addEventListener(event, touch, { passive: true });
    document.addEventListener("visibilitychange", check);
    const timer = window.setInterval(check, Math.min(limit, 15_000));
    return () => {
      for (const event of ACTIVITY) window.removeEventListener(event, touch);
      document.removeEventListener("visibilitychange", check);
      window.clearInterval(timer);
    };
  }, [identity, queryClient, setIdentity]);

  if (!locked || identity) return null;
  return (
    <p className="notice" role="status" data-testid="idle-lock">
      Locked after {IDLE_LOCK_MINUTES} minutes without activity: your key and everything decrypted in this tab were
      dropped. Unlock again to read records.{" "}
      <button type="button" className="button button--quiet" onClick={() => setLocked(false)}>
        Dismiss
      </button>
    </p>
  );
}
