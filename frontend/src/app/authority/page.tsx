import type { Metadata } from "next";
import { RoleGate } from "@/components/RoleGate";
import { AuthorityWorkspace } from "@/features/authority/AuthorityWorkspace";

export const metadata: Metadata = { title: "Credentialing authority" };

export default function Page() {
  return (
    <>
      <h1>Credentialing authority</h1>
      <p className="lede">Credential, suspend and revoke providers and insurers.</p>
      <RoleGate role="authority">
        <AuthorityWorkspace />
      </RoleGate>
    </>
  );
}
