import type { Metadata } from "next";
import { RoleGate } from "@/components/RoleGate";
import { ProviderWorkspace } from "@/features/provider/ProviderWorkspace";

export const metadata: Metadata = { title: "Provider" };

export default function Page() {
  return (
    <>
      <h1>Provider</h1>
      <p className="lede">Records you may read and write under your patients' consent, and your claims.</p>
      <RoleGate role="provider">
        <ProviderWorkspace />
      </RoleGate>
    </>
  );
}
