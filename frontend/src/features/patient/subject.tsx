"use client";

import { createContext, useContext } from "react";

/**
 * Whose workspace this is: the patient's own, or a patient a guardian acts for. Sections speak to
 * the patient ("your records") or, to a guardian, about the patient ("this patient's records").
 */
const SubjectContext = createContext<{ asGuardian: boolean }>({ asGuardian: false });

export const SubjectProvider = SubjectContext.Provider;

export function useSubjectWords() {
  const { asGuardian } = useContext(SubjectContext);
  return asGuardian
    ? { your: "this patient's", Your: "This patient's", you: "this patient" }
    : { your: "your", Your: "Your", you: "you" };
}
