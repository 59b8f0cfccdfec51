"use client";

import { useCallback, useEffect, useState } from "react";

const PREFIX = "careledger:draft:";

/**
 * A form's half-typed values, kept in this tab's sessionStorage under `key` so that a reload does
 * not lose them. The key names whose chart the form writes to: a draft is only ever restored into
 * the form of the same patient (and record type), never into another patient's. sessionStorage
 * stays in this tab and ends with it; `clear()` drops the draft once the record is saved.
 */
export function useFormDraft(
  key: string,
  /** What the form starts from when no draft is kept (an amendment: the current version's values). */
  initial?: Record<string, string>,
): {
  values: Record<string, string>;
  setValues: (values: Record<string, string>) => void;
  clear: () => void;
} {
  const [values, setState] = useState<Record<string, string>>(initial ?? {});

  // Read after mount (sessionStorage does not exist on the server), and again whenever the key changes.
  useEffect(() => {
    let restored: Record<string, string> = initial ?? {};
    try {
      const raw = window.sessionStorage.getItem(PREFIX + key);
      if (raw) restored = JSON.parse(raw) as Record<string, string>;
    } catch {
      /* storage unavailable or a damaged draft: start empty */
    }
    setState(restored);
    // `initial` is read once per key: a parent re-rendering with a new object must not wipe what was typed.
  }, [key]);

  const setValues = useCallback(
    (next: Record<string, string>) => {
      setState(next);
      try {
        if (Object.values(next).some((v) => v !== ""))
          window.sessionStorage.setItem(PREFIX + key, JSON.stringify(next));
        else window.sessionStorage.removeItem(PREFIX + key);
      } catch {
        /* storage full or unavailable: the draft lives in memory only */
      }
    },
    [key],
  );

  const clear = useCallback(() => setValues({}), [setValues]);
  return { values, setValues, clear };
}
