import type { Metadata } from "next";
import { RoleGate } from "@/components/RoleGate";
import { InsurerWorkspace } from "@/features/insurer/InsurerWorkspace";

export const metadata: Metadata = { title: "Insurer" };

export default function Page() {
  return (
    <>
      <h1>Insurer</h1>
      <p className="lede">Plans, coverage, the claims queue and the pool.</p>
      <RoleGate role="insurer">
        <InsurerWorkspace />
      </RoleGate>
    </>
  );
}
