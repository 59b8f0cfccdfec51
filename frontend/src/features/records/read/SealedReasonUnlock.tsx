"use client";

import dynamic from "next/dynamic";

// The key-unlock card loads only when a sealed denial reason waits for the reader's key.
const UnlockKey = dynamic(() => import("./UnlockKey").then((m) => m.UnlockKey), {
  ssr: false,
  loading: () => <p role="status">Loading the key unlock…</p>,
});

/** Offers to unlock the reader's key when a denial reason sealed to it is still locked. */
export function SealedReasonUnlock({ locked }: { locked: boolean }) {
  if (!locked) return null;
  return (
    <UnlockKey purpose="A denial's reason is sealed to the patient, the provider and the insurer: unlock your key to read it." />
  );
}
