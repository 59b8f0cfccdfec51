"use client";

import { useScanProgress } from "@/lib/logs";

/** "Reading the chain… 42 %" while a bounded event scan of `scope` runs; nothing otherwise. */
export function ScanProgress({ scope }: { scope: string }) {
  const percent = useScanProgress(scope);
  if (percent === undefined) return null;
  return (
    <p role="status" className="loading" data-testid={`scan-progress-${scope}`}>
      <span className="spinner" aria-hidden="true" /> Reading the chain… {percent} %{" "}
      <progress max={100} value={percent} aria-label="Blocks read" />
    </p>
  );
}
