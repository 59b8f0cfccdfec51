"use client";

import { CATEGORY_COUNT } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import { toHex, type Address } from "viem";
import { TransactionStatus } from "@/components/TransactionStatus";
import { useCareWrite } from "@/hooks/useCareWrite";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCategoryEpochs } from "@/features/records/read/keys";

/**
 * Providers encrypt each record to the patient's public key for its category, so those keys must
 * be on chain before the first record can be written: one transaction publishes all of them (the
 * second and last step of registering). Its confirmation stays until the patient dismisses it.
 */
export function CategoryKeys({ patient }: { patient: Address }) {
  const { identity } = useIdentity();
  const epochs = useCategoryEpochs(patient);
  const records = useCareWrite("RecordRegistry");
  const [dismissed, setDismissed] = useState(false);
  const missing = (epochs.data ?? []).filter((k) => !k.published).map((k) => k.category);
  if (!identity || !epochs.data) return null;
  if (missing.length === 0) {
    if (records.state.status !== "confirmed" || dismissed) return null;
    return (
      <section className="card" aria-labelledby="category-keys-title" role="status">
        <h2 id="category-keys-title">Your record keys are published</h2>
        <p>
          Registration is complete. Providers you allow can now add records for you, encrypted so that only you and
          those you choose can open them.
        </p>
        <TransactionStatus state={records.state} label="Key publication" />
        <button type="button" className="button button--quiet" onClick={() => setDismissed(true)}>
          Dismiss
        </button>
      </section>
    );
  }

  async function publish() {
    const { deriveCategoryKey } = await import("@careledger/sdk/crypto/categoryKeys");
    // The contract counts epochs from 1: the first published key of a category is epoch 1.
    const keys = missing.map((c) =>
      toHex(deriveCategoryKey(identity!, c, (epochs.data?.[c]?.epoch ?? 0) + 1).publicKey),
    );
    await records.write({ functionName: "publishCategoryKeys", args: [missing, keys] });
  }

  return (
    <section className="card" aria-labelledby="category-keys-title">
      <h2 id="category-keys-title">Let providers add records for you</h2>
      <p>
        Each kind of record (allergies, medications, lab results…) has its own key, derived from yours. Publishing the
        public halves ({missing.length} of {CATEGORY_COUNT} missing) lets providers encrypt new records so that only
        you, and those you choose, can open them. This is the second and last step of registering: one transaction.
      </p>
      <button type="button" className="button" disabled={records.busy} onClick={publish}>
        Publish my record keys
      </button>
      <TransactionStatus state={records.state} label="Key publication" />
    </section>
  );
}
