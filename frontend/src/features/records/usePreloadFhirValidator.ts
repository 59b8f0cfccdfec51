"use client";

import { useEffect } from "react";

/**
 * Starts loading the FHIR validator (@medplum/core and the R4 definitions, a chunk of its own)
 * once `soon` is true, so a form's first check or a timeline's first record does not wait for
 * it. A failed load is left to the validation that needs it, which retries and reports it.
 */
export function usePreloadFhirValidator(soon: boolean) {
  useEffect(() => {
    if (!soon) return;
    import("@careledger/sdk/fhir/validate").then((m) => m.loadFhirValidator()).catch(() => undefined);
  }, [soon]);
}
