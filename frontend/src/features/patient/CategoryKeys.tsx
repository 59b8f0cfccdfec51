"use client";

import { readContractEvents } from "@/lib/logs";
import { CATEGORIES, CATEGORY_COUNT, categoriesInScope } from "@careledger/sdk/protocol/constants";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toHex, type Address } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract } from "@/contracts/deployments";
import { useCareWrite } from "@/hooks/useCareWrite";
import { formatMoment } from "@/lib/money";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCategoryEpochs } from "@/features/records/read/keys";
import { buildRotation } from "./rotation";
import { useGrants } from "./useGrants";

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
    if (records.state.status !== "confirmed" || dismissed) return <RenewKeys patient={patient} />;
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

/** Why categories need new keys: the revocations by someone else than the patient (or without rotation). */
function usePendingKeys(patient: Address) {
  const config = useConfig();
  const chainId = useChainId();
  const records = getContract("RecordRegistry", chainId);
  const consents = getContract("ConsentManager", chainId);
  return useQuery({
    queryKey: ["careledger", "pending-keys", chainId, records?.address, patient],
    enabled: Boolean(records && consents),
    queryFn: async () => {
      const mask = await readContract(config, {
        chainId,
        address: records!.address,
        abi: records!.abi,
        functionName: "categoriesNeedingKeys",
        args: [patient],
      });
      if (Number(mask) === 0) return { categories: [] as number[], reasons: [] as Reason[] };
      const revoked = await readContractEvents(config, {
        chainId,
        address: consents!.address,
        abi: consents!.abi,
        eventName: "ConsentRevoked",
        args: { patient },
      });
      const reasons: Reason[] = [];
      for (const log of revoked.slice(-10).reverse()) {
        const block = await import("wagmi/actions").then(({ getBlock }) =>
          getBlock(config, { chainId, blockNumber: log.blockNumber! }),
        );
        reasons.push({
          grantee: log.args.grantee!,
          revokedBy: log.args.revokedBy!,
          submittedBy: log.args.submittedBy!,
          at: Number(block.timestamp),
        });
      }
      return { categories: categoriesInScope(Number(mask)), reasons };
    },
  });
}

type Reason = { grantee: Address; revokedBy: Address; submittedBy: Address; at: number };

/**
 * The renewal flow at unlock: which categories need new keys and why (a guardian revoked X on date
 * Y; a grant ended), renewed all at once in one confirmation, re-wrapped to everyone who keeps a live
 * grant. Until then, nobody can add records to them.
 */
function RenewKeys({ patient }: { patient: Address }) {
  const config = useConfig();
  const chainId = useChainId();
  const { identity } = useIdentity();
  const pending = usePendingKeys(patient);
  const grants = useGrants(patient);
  const consent = useCareWrite("ConsentManager");
  const [preparing, setPreparing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [renewed, setRenewed] = useState<Address[]>();
  const categories = pending.data?.categories ?? [];
  if (!identity || (categories.length === 0 && !renewed)) return null;
  if (renewed) {
    return (
      <section className="card" role="status" aria-labelledby="renew-title">
        <h2 id="renew-title">New keys issued</h2>
        <p>
          Records can be added again.{" "}
          {renewed.length > 0 ? (
            <>
              Reading on with the new keys:{" "}
              {renewed.map((a, i) => (
                <span key={a}>
                  {i > 0 ? ", " : ""}
                  <Party address={a} />
                </span>
              ))}
              .
            </>
          ) : null}
        </p>
        <TransactionStatus state={consent.state} label="Key renewal" />
      </section>
    );
  }

  async function renew() {
    setProblem(undefined);
    setPreparing(true);
    let rotation: Awaited<ReturnType<typeof buildRotation>>;
    try {
      rotation = await buildRotation(config, chainId, {
        patient,
        identity: identity!,
        categories,
        grants: grants.data ?? [],
      });
    } catch (error) {
      setProblem(
        `The new keys could not be prepared (${error instanceof Error ? error.message : String(error)}). Nothing was sent. Try again.`,
      );
      return;
    } finally {
      setPreparing(false);
    }
    const receipt = await consent.write({
      functionName: "rotateCategoryKeys",
      args: [rotation.rotations, rotation.rewraps],
    });
    if (receipt) {
      setRenewed(rotation.keptReaders);
      await pending.refetch();
    }
  }

  return (
    <section className="card" aria-labelledby="renew-title" data-testid="renew-keys">
      <h2 id="renew-title">New keys needed for {categories.map((c) => CATEGORIES[c].label).join(", ")}</h2>
      <ul>
        {(pending.data?.reasons ?? []).slice(0, 3).map((r) => (
          <li key={`${r.grantee}:${r.at}`}>
            <Party address={r.revokedBy} /> revoked <Party address={r.grantee} />
            &rsquo;s access on {formatMoment(r.at)}
            {r.submittedBy !== r.revokedBy ? (
              <>
                {" "}
                (submitted by <Party address={r.submittedBy} />)
              </>
            ) : null}
            .
          </li>
        ))}
      </ul>
      <p>
        Someone who held the keys of these categories no longer has access (or a grant or emergency access ended), so
        nobody can add records to them until they get new keys. Renewing issues the new keys and passes them to everyone
        who may still read them, in one confirmation.
      </p>
      <button type="button" className="button" disabled={consent.busy || preparing || !grants.data} onClick={renew}>
        Renew keys
      </button>
      {preparing ? <p role="status">Preparing the new keys…</p> : null}
      {problem ? <p role="alert">{problem}</p> : null}
      {consent.state.status === "failed" ? (
        <p>Nothing changed: these categories still need new keys. Renew again to finish.</p>
      ) : null}
      <TransactionStatus state={consent.state} label="Key renewal" />
    </section>
  );
}
