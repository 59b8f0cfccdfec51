import { RoleSummary } from "@/components/RoleSummary";
import { WalletPicker } from "@/components/WalletPicker";

export default function ConnectPage() {
  return (
    <>
      <h1>Your health records, under your control</h1>
      <p className="lede">
        CareLedger lets patients decide who reads their medical records and for how long. Records are encrypted in the
        browser; the blockchain keeps only consent, pointers and claims.
      </p>
      <WalletPicker />
      <RoleSummary />
    </>
  );
}
