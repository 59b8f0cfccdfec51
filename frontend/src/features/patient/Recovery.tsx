"use client";

import { useQuery } from "@tanstack/react-query";
import { GUARDIAN_RECOVERY } from "@careledger/sdk/protocol/constants";
import { useState } from "react";
import { getAddress, toHex, type Address, type Hex } from "viem";
import { useChainId, useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCareEvents } from "@/hooks/useCareEvents";
import { useCareWrite } from "@/hooks/useCareWrite";
import { usePatientGuardians } from "@/hooks/usePatientGuardians";

/** CareRegistry.MIN_RECOVERY_THRESHOLD: one guardian alone never moves an identity. */
const MIN_THRESHOLD = 2;
const DELAY_HOURS = 48;

type Candidate = { guardian: Address; publicKey: Hex | undefined };

/**
 * Account recovery, the patient's side: choose which recovery guardians hold a share of the
 * identity key and how many of them (k of n) must approve a move to a new address. The shares
 * are split and wrapped to each guardian's published key in this browser; one setRecovery
 * publishes them. A new setRecovery replaces the old shares and resets any pending approvals.
 */
export function Recovery({ patient }: { patient: Address }) {
  const config = useConfig();
  const chainId = useChainId();
  const { identity } = useIdentity();
  const registry = useCareWrite("CareRegistry");
  const guardians = usePatientGuardians(patient);
  const configured = useCareEvents({
    contractName: "CareRegistry",
    eventName: "RecoveryConfigured",
    args: { patient },
  });
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [threshold, setThreshold] = useState(MIN_THRESHOLD);
  const [error, setError] = useState<string>();
  const [working, setWorking] = useState<string>();

  const now = Date.now();
  const recoveryGuardians = (guardians.data ?? []).filter(
    (g) => g.rights & GUARDIAN_RECOVERY && Number(g.validUntil) * 1000 > now && Number(g.validFrom) * 1000 <= now,
  );
  const candidates = useQuery({
    queryKey: ["careledger", "recovery-candidates", chainId, patient, recoveryGuardians.map((g) => g.guardian)],
    enabled: guardians.isSuccess,
    queryFn: async (): Promise<Candidate[]> => {
      const c = getContract("CareRegistry", chainId)!;
      return Promise.all(
        recoveryGuardians.map(async ({ guardian }) => {
          const [key] = await readContract(config, {
            chainId,
            address: c.address,
            abi: c.abi,
            functionName: "encryptionKey",
            args: [guardian],
          });
          return { guardian, publicKey: BigInt(key) === 0n ? undefined : key };
        }),
      );
    },
  });

  // What is on chain now: the latest configuration's threshold and the guardians holding shares.
  const latest = configured.data?.at(-1)?.args as { threshold: number; shareEnvelopes: Hex } | undefined;
  const current = useQuery({
    queryKey: ["careledger", "recovery-holders", chainId, patient, latest?.shareEnvelopes],
    enabled: Boolean(latest && latest.threshold > 0),
    queryFn: async () => {
      const { decodeRecoveryShares } = await import("@careledger/sdk/crypto/recovery");
      const { fromHex } = await import("@careledger/sdk/bytes");
      return decodeRecoveryShares(fromHex(latest!.shareEnvelopes)).map((s) => getAddress(s.guardianId));
    },
  });

  const picked = (candidates.data ?? []).filter((c) => c.publicKey && chosen.has(c.guardian));
  const n = picked.length;
  const k = Math.min(Math.max(threshold, MIN_THRESHOLD), Math.max(n, MIN_THRESHOLD));

  async function publish() {
    setError(undefined);
    const domain = getKeyDomain(chainId);
    if (!identity) return setError("Unlock your key first: the shares are cut from it in this browser.");
    if (!domain) return setError("CareLedger is not deployed on this network. Switch to a CareLedger network.");
    if (n < MIN_THRESHOLD) {
      return setError(`Choose at least ${MIN_THRESHOLD} guardians: one guardian alone can never move your account.`);
    }
    setWorking("Cutting your key into shares and sealing one to each guardian's key in this browser…");
    try {
      const [{ createGuardianShares, encodeRecoveryShares }, { fromHex }] = await Promise.all([
        import("@careledger/sdk/crypto/recovery"),
        import("@careledger/sdk/bytes"),
      ]);
      const shares = await createGuardianShares(
        identity,
        picked.map((c) => ({ id: c.guardian, address: c.guardian, publicKey: fromHex(c.publicKey!) })),
        k,
        { ...domain, patient },
      );
      setWorking(undefined);
      const receipt = await registry.write({
        functionName: "setRecovery",
        args: [k, toHex(encodeRecoveryShares(shares))],
      });
      if (receipt) setChosen(new Set());
    } catch (e) {
      setWorking(undefined);
      setError(`The shares could not be made: ${(e as Error).message}`);
    }
  }

  const holders = latest && latest.threshold > 0 ? current.data : undefined;
  return (
    <section className="card" aria-labelledby="recovery-title" data-testid="recovery-card">
      <h2 id="recovery-title">Recovery</h2>
      <p>
        If you lose your wallet and your passkeys, guardians you trust can together move your account to a new wallet
        and give you back your key. Each holds one share of your key; fewer than the number you choose learn nothing
        from their shares.
      </p>
      {holders ? (
        <div data-testid="recovery-current">
          <p>
            <strong>
              On now: any {latest!.threshold} of these {holders.length} guardians can recover your account.
            </strong>
          </p>
          <ul className="grant-list">
            {holders.map((h) => (
              <li key={h} className="grant">
                <Party address={h} />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p data-testid="recovery-current">Recovery is off: nobody can move your account if you lose your wallet.</p>
      )}
      {candidates.data && candidates.data.length === 0 ? (
        <p>
          No guardian may help you recover yet. Name at least {MIN_THRESHOLD} guardians with the right “Account
          recovery” above.
        </p>
      ) : null}
      {candidates.data && candidates.data.length > 0 ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void publish();
          }}
        >
          <fieldset className="field">
            <legend>Who holds a share</legend>
            {candidates.data.map((c) => (
              <label key={c.guardian} className="checkbox" data-testid="recovery-candidate">
                <input
                  type="checkbox"
                  disabled={!c.publicKey}
                  checked={Boolean(c.publicKey) && chosen.has(c.guardian)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(c.guardian);
                    else next.delete(c.guardian);
                    setChosen(next);
                  }}
                />{" "}
                <Party address={c.guardian} />
                {c.publicKey ? null : (
                  <span className="field-hint">
                    {" "}
                    — has not published an encryption key, so no share can be sealed to them. Ask them to open
                    CareLedger once.
                  </span>
                )}
              </label>
            ))}
          </fieldset>
          {n >= MIN_THRESHOLD ? (
            <label className="field">
              <span>Guardians needed to approve</span>
              <select value={k} onChange={(e) => setThreshold(Number(e.target.value))}>
                {Array.from({ length: n - MIN_THRESHOLD + 1 }, (_, i) => i + MIN_THRESHOLD).map((v) => (
                  <option key={v} value={v}>
                    {v} of {n}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          {n >= MIN_THRESHOLD ? (
            <p data-testid="recovery-meaning">
              Any {k} of these {n} guardians together can move your account to a new wallet and rebuild your key;{" "}
              {k - 1} {k - 1 === 1 ? "guardian" : "guardians"} alone cannot.{" "}
              {n - k > 0
                ? `Up to ${n - k} of them may be unreachable or lose their key and you can still recover. `
                : "If any one of them is unreachable, you cannot recover. "}
              Before a move takes effect, this account has {DELAY_HOURS} hours to cancel it. Publishing replaces any
              earlier shares.
            </p>
          ) : null}
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
          {working ? (
            <p role="status">
              <span className="spinner" aria-hidden="true" /> {working}
            </p>
          ) : null}
          <button type="submit" className="button" disabled={registry.busy || Boolean(working)}>
            Publish recovery shares
          </button>
          {holders ? (
            <button
              type="button"
              className="button button--quiet"
              disabled={registry.busy}
              onClick={() => registry.write({ functionName: "setRecovery", args: [0, "0x"] })}
            >
              Turn recovery off
            </button>
          ) : null}
        </form>
      ) : null}
      <TransactionStatus state={registry.state} label="Recovery setting" />
    </section>
  );
}
