"use client";

import { readContractEvents } from "@/lib/logs";
import { useQuery } from "@tanstack/react-query";
import type { KeyCustody } from "@careledger/sdk/crypto/passkey";
import { useState } from "react";
import { toHex, type Address } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { getBlock, readContract } from "wagmi/actions";
import { Field } from "@/components/Field";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { PasskeyStatus, usePasskeyStep } from "@/features/identity/PasskeyStatus";
import { usePasskeyKey } from "@/features/identity/usePasskeyKey";
import { createPasskey, evaluatePasskey } from "@/features/identity/webauthn";
import { useCareWrite } from "@/hooks/useCareWrite";
import { checkAddress } from "@/lib/validation";
import { recoveryCode } from "./code";

/** Where this browser keeps a recovery under way: the patient id and the recovery key, wrapped under the new passkey. */
const storageKey = (chainId: number, account: Address) => `careledger:recovery:${chainId}:${account.toLowerCase()}`;
type Pending = { patient: Address; custody: string };

function loadPending(chainId: number, account: Address | undefined): Pending | undefined {
  if (!account || typeof localStorage === "undefined") return undefined;
  const raw = localStorage.getItem(storageKey(chainId, account));
  return raw ? (JSON.parse(raw) as Pending) : undefined;
}

const when = (seconds: number) =>
  new Date(seconds * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * Account recovery on a new wallet. The patient names the lost account; this browser makes a
 * recovery key, wraps it under a new passkey (kept in this browser only; without the passkey it
 * opens nothing) and announces the new address and the key on chain (requestRecovery). Guardians
 * re-wrap their shares to that key and approve; after the delay anyone completes the move. Then
 * the passkey opens the recovery key, the released shares rebuild the identity key (used only if
 * it is the one registered on chain), and the same passkey holds it from then on.
 */
export function RecoverAccount({ onlyUnderWay = false }: { onlyUnderWay?: boolean }) {
  const config = useConfig();
  const chainId = useChainId();
  const { address } = useConnection();
  const { setIdentity } = useIdentity();
  const passkey = usePasskeyKey();
  const registry = useCareWrite("CareRegistry");
  const consents = useCareWrite("ConsentManager");
  const passkeyStep = usePasskeyStep();
  const [pending, setPending] = useState<Pending | undefined>(() => loadPending(chainId, address));
  const [oldAccount, setOldAccount] = useState("");
  const [error, setError] = useState<string>();
  const [open, setOpen] = useState(false);
  const contract = getContract("CareRegistry", chainId);

  const status = useQuery({
    queryKey: ["careledger", "recovering", chainId, address, pending?.patient],
    enabled: Boolean(contract && address && pending),
    refetchInterval: 15_000,
    queryFn: async () => {
      const read = { chainId, address: contract!.address, abi: contract!.abi } as const;
      const patient = pending!.patient;
      const [recovery, approvals, requested, configured, block, actingFor] = await Promise.all([
        readContract(config, { ...read, functionName: "recoveryOf", args: [patient] }),
        readContract(config, { ...read, functionName: "recoveryApprovals", args: [patient, address!] }),
        readContractEvents(config, {
          ...read,
          eventName: "RecoveryRequested",
          args: { patient, newAccount: address! },
        }),
        readContractEvents(config, { ...read, eventName: "RecoveryConfigured", args: { patient } }),
        getBlock(config, { chainId }),
        readContract(config, { ...read, functionName: "actingFor", args: [address!] }),
      ]);
      const { decodeRecoveryShares } = await import("@careledger/sdk/crypto/recovery");
      const { fromHex } = await import("@careledger/sdk/bytes");
      const shares = configured.at(-1)?.args.shareEnvelopes;
      const request = requested.at(-1)?.args;
      return {
        threshold: recovery.threshold,
        guardians: shares && recovery.threshold > 0 ? decodeRecoveryShares(fromHex(shares)).length : 0,
        approvals: Number(approvals),
        requestedThisRound: request?.round === recovery.round,
        code: request ? recoveryCode(address!, request.recoveryKey!) : undefined,
        scheduled: recovery.scheduledTo.toLowerCase() === address!.toLowerCase(),
        readyAt: Number(recovery.readyAt),
        now: Number(block.timestamp),
        moved: actingFor.toLowerCase() === patient.toLowerCase(),
      };
    },
  });

  async function start() {
    setError(undefined);
    const checked = checkAddress(oldAccount, { notSelf: address });
    if (!checked.ok) return setError(checked.error);
    const domain = getKeyDomain(chainId);
    if (!address || !domain) return setError("Connect the new wallet on a CareLedger network first.");
    const patient = checked.value;
    const { threshold } = await readContract(config, {
      chainId,
      address: contract!.address,
      abi: contract!.abi,
      functionName: "recoveryOf",
      args: [patient],
    });
    if (threshold === 0) {
      return setError(
        "This account has no recovery guardians, so it cannot be recovered here. Check the address, or use an exported key file.",
      );
    }
    await passkeyStep.run(async () => {
      const { createKeyCustody, encodeKeyCustody, generateIdentityKey } =
        await import("@careledger/sdk/crypto/passkey");
      const { toBase64 } = await import("@careledger/sdk/bytes");
      const recoveryKey = generateIdentityKey();
      const secret = await createPasskey({ account: address, name: "CareLedger patient" });
      const custody = await createKeyCustody({
        identity: recoveryKey,
        binding: { chainId, registry: contract!.address, account: address },
        ...secret,
        label: "This device",
      });
      const next = { patient, custody: toBase64(encodeKeyCustody(custody)) };
      // Kept before the transaction, so a reload while the wallet is open loses nothing.
      localStorage.setItem(storageKey(chainId, address), JSON.stringify(next));
      setPending(next);
      await registry.write({ functionName: "requestRecovery", args: [patient, toHex(recoveryKey.publicKey)] });
    });
  }

  async function openRecoveryCustody(): Promise<KeyCustody> {
    const { decodeKeyCustody } = await import("@careledger/sdk/crypto/passkey");
    const { fromBase64 } = await import("@careledger/sdk/bytes");
    return decodeKeyCustody(fromBase64(pending!.custody));
  }

  async function ask() {
    setError(undefined);
    await passkeyStep.run(async () => {
      const custody = await openRecoveryCustody();
      const { openKeyCustody } = await import("@careledger/sdk/crypto/passkey");
      const secret = await evaluatePasskey(custody.passkeys.map((p) => p.credentialId));
      const key = await openKeyCustody(custody, secret, { chainId, registry: contract!.address, account: address! });
      await registry.write({ functionName: "requestRecovery", args: [pending!.patient, toHex(key.publicKey)] });
    });
  }

  async function complete() {
    setError(undefined);
    // The workspace replaces this card once the move is confirmed; the rebuild step there brings
    // ConsentManager along.
    await registry.write({ functionName: "completeRecovery", args: [pending!.patient] });
  }

  async function rebuild() {
    setError(undefined);
    const domain = getKeyDomain(chainId)!;
    const patient = pending!.patient;
    // Consents answer to the new address once ConsentManager mirrors the move (anyone may send it).
    const consentManager = getContract("ConsentManager", chainId)!;
    const mirrored = await readContract(config, {
      chainId,
      address: consentManager.address,
      abi: consentManager.abi,
      functionName: "controllerOf",
      args: [patient],
    });
    if (mirrored.toLowerCase() !== address!.toLowerCase()) {
      const synced = await consents.write({ functionName: "syncAccount", args: [patient] });
      if (!synced) return;
    }
    await passkeyStep.run(async () => {
      const custody = await openRecoveryCustody();
      const [{ openKeyCustody }, { openGuardianShare, recoverFromShares }, { fromHex }] = await Promise.all([
        import("@careledger/sdk/crypto/passkey"),
        import("@careledger/sdk/crypto/recovery"),
        import("@careledger/sdk/bytes"),
      ]);
      const secret = await evaluatePasskey(custody.passkeys.map((p) => p.credentialId));
      const recoveryKey = await openKeyCustody(custody, secret, {
        chainId,
        registry: contract!.address,
        account: address!,
      });
      const read = { chainId, address: contract!.address, abi: contract!.abi } as const;
      const approved = await readContractEvents(config, {
        ...read,
        eventName: "RecoveryApproved",
        args: { patient, newAccount: address! },
      });
      const round = approved.at(-1)?.args.round;
      const released = approved.filter((e) => e.args.round === round).map((e) => fromHex(e.args.releasedShare!));
      // A share wrapped to another key (an older request) does not open: leave it to the check below.
      const plain = (
        await Promise.all(
          released.map((envelope) =>
            openGuardianShare(envelope, recoveryKey, { ...domain, patient, holder: patient }).catch(() => undefined),
          ),
        )
      ).filter((s): s is Uint8Array => s !== undefined);
      const [publicKey, keyVersion] = await readContract(config, {
        ...read,
        functionName: "encryptionKey",
        args: [patient],
      });
      const { identity } = await recoverFromShares(plain, { publicKey, keyVersion });
      const receipt = await passkey.adoptKey(identity, secret, "This device");
      if (!receipt) throw new Error("The passkey could not be pointed at your key on chain; try again.");
      localStorage.removeItem(storageKey(chainId, address!));
      setIdentity(identity);
      setPending(undefined);
    });
  }

  const s = status.data;
  if (onlyUnderWay && !pending) return null;
  return (
    <section className="card" aria-labelledby="recover-title" data-testid="recover-account">
      <h2 id="recover-title">Recover an account</h2>
      {!pending ? (
        <>
          <p>
            Lost the wallet and the passkeys of your patient account? If you named recovery guardians, they can move it
            to this wallet and give you back your key.
          </p>
          {!open ? (
            <button type="button" className="button button--quiet" onClick={() => setOpen(true)}>
              Recover my account on this wallet
            </button>
          ) : (
            <form
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                void start();
              }}
            >
              <Field label="Your old patient address" error={error}>
                <input
                  value={oldAccount}
                  onChange={(e) => setOldAccount(e.target.value)}
                  autoComplete="off"
                  spellCheck={false}
                />
              </Field>
              <p className="field-hint">
                A new passkey on this device will hold your key. Your guardians will see the request and a code to
                compare with yours.
              </p>
              <button type="submit" className="button" disabled={passkeyStep.busy || registry.busy}>
                Create a passkey and ask my guardians
              </button>
            </form>
          )}
        </>
      ) : (
        <div data-testid="recovery-progress">
          <p>
            Recovering patient account <Party address={pending.patient} /> onto this wallet.
          </p>
          {s?.code && s.requestedThisRound ? (
            <p>
              Read this code to each guardian, by phone or in person:{" "}
              <strong data-testid="my-recovery-code">{s.code}</strong>
            </p>
          ) : null}
          {s && !s.moved ? (
            <p data-testid="recovery-approvals">
              {s.approvals} of {s.threshold} guardians approved (you named {s.guardians}).
              {s.scheduled
                ? s.now >= s.readyAt
                  ? " The waiting time is over: complete the move."
                  : ` The move is scheduled: it can complete from ${when(s.readyAt)} (48 hours, so your old wallet can cancel it if this is not you).`
                : null}
            </p>
          ) : null}
          {s && !s.moved && !s.requestedThisRound && !s.scheduled ? (
            <>
              <p>Your request is not open (it was cancelled from the old address, or not sent yet). Ask again:</p>
              <button
                type="button"
                className="button"
                disabled={passkeyStep.busy || registry.busy}
                onClick={() => void ask()}
              >
                Ask my guardians again
              </button>
            </>
          ) : null}
          {s?.scheduled && s.now >= s.readyAt ? (
            <button
              type="button"
              className="button"
              disabled={registry.busy || consents.busy}
              onClick={() => void complete()}
            >
              Complete the move
            </button>
          ) : null}
          {s?.moved ? (
            <>
              <p>This wallet now speaks for your patient account. Unlock your key with this device's passkey:</p>
              <button
                type="button"
                className="button"
                disabled={passkeyStep.busy || passkey.registry.busy}
                onClick={() => void rebuild()}
              >
                Rebuild my key from my guardians' shares
              </button>
            </>
          ) : null}
          {error ? (
            <p className="field-error" role="alert">
              {error}
            </p>
          ) : null}
        </div>
      )}
      <PasskeyStatus state={passkeyStep.step} failedTitle="Recovery stopped" />
      <TransactionStatus state={registry.state} label="Recovery" />
      <TransactionStatus state={consents.state} label="Bringing your consents along" />
      <TransactionStatus state={passkey.registry.state} label="Storing your key under this passkey" />
    </section>
  );
}
