"use client";

import { readContractEvents } from "@/lib/logs";
import { CATEGORIES, EMERGENCY_SCOPE, Purpose, categoriesInScope } from "@careledger/sdk/protocol/constants";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { toHex, type Address } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { getBlock, readContract } from "wagmi/actions";
import { Party } from "@/components/Party";
import { TransactionStatus } from "@/components/TransactionStatus";
import { getContract, getKeyDomain } from "@/contracts/deployments";
import { useCareRead } from "@/hooks/useCareRead";
import { useCareWrite } from "@/hooks/useCareWrite";
import { formatMoment } from "@/lib/money";
import { useIdentity } from "@/features/identity/IdentityProvider";
import { useCategoryEpochs, useReaderKeys } from "@/features/records/read/keys";
import { ConsentGrantForm } from "./ConsentGrantForm";

/** Emergency summary sharing and the break-glass opt-out. */
export function Emergency({ patient, actingAsGuardian = false }: { patient: Address; actingAsGuardian?: boolean }) {
  const optedOut = useCareRead({ contractName: "ConsentManager", functionName: "breakGlassOptedOut", args: [patient] });
  const consent = useCareWrite("ConsentManager");
  const next = !optedOut.data;
  return (
    <>
      <section className="card" aria-labelledby="breakglass-title">
        <h2 id="breakglass-title">Emergency access (break-glass)</h2>
        <p>
          In an emergency a credentialed provider may open read access to your emergency summary (
          {categoriesInScope(EMERGENCY_SCOPE)
            .map((c) => CATEGORIES[c].label.toLowerCase())
            .join(", ")}
          ) for at most 24 hours, with a recorded reason. Every opening appears in your audit trail. The keys that open
          the records come only from people you pre-share them with below.
        </p>
        <p role="status">
          Emergency access is <strong>{optedOut.data ? "turned off (opted out)" : "allowed"}</strong>.
        </p>
        <button
          type="button"
          className="button button--quiet"
          disabled={consent.busy || optedOut.data === undefined}
          onClick={() =>
            actingAsGuardian
              ? consent.write({ functionName: "setBreakGlassOptOutFor", args: [patient, next] })
              : consent.write({ functionName: "setBreakGlassOptOut", args: [next] })
          }
        >
          {optedOut.data ? "Allow emergency access again" : "Opt out of emergency access"}
        </button>
        <TransactionStatus state={consent.state} label="Emergency setting" />
      </section>
      <OpenBreakGlasses patient={patient} />
      <ConsentGrantForm
        patient={patient}
        actingAsGuardian={actingAsGuardian}
        preset={{
          purpose: Purpose.Emergency,
          categories: categoriesInScope(EMERGENCY_SCOPE),
          title: "Pre-share your emergency summary",
          intro:
            "Give a guardian or a trusted contact the keys to your emergency summary now, so it can be read when you cannot unlock it yourself.",
        }}
      />
    </>
  );
}

/** The break-glasses open on `patient` now (from BreakGlassOpened, checked with breakGlassOf). */
function useOpenBreakGlasses(patient: Address) {
  const config = useConfig();
  const chainId = useChainId();
  const contract = getContract("ConsentManager", chainId);
  return useQuery({
    queryKey: ["careledger", "open-break-glass", chainId, contract?.address, patient],
    enabled: Boolean(contract),
    refetchInterval: 15_000,
    queryFn: async () => {
      const logs = await readContractEvents(config, {
        chainId,
        address: contract!.address,
        abi: contract!.abi,
        eventName: "BreakGlassOpened",
        args: { patient },
      });
      const providers = [...new Set(logs.map((l) => l.args.provider!))];
      // Open by the chain's clock (a closing sets expiresAt to the block's time), not this device's.
      const { timestamp: now } = await getBlock(config, { chainId });
      const states = await Promise.all(
        providers.map(async (provider) => ({
          provider,
          state: await readContract(config, {
            chainId,
            address: contract!.address,
            abi: contract!.abi,
            functionName: "breakGlassOf",
            args: [patient, provider],
          }),
        })),
      );
      return states.filter((s) => s.state.expiresAt > now);
    },
  });
}

/**
 * The notification a patient or a guardian (trusted contact) acts on: a provider opened emergency
 * access; release the emergency summary keys to it in one click (the guardian's come from the
 * patient's pre-shared Emergency grant), or close it.
 */
function OpenBreakGlasses({ patient }: { patient: Address }) {
  const open = useOpenBreakGlasses(patient);
  if (!open.data || open.data.length === 0) return null;
  return (
    <section className="card" aria-labelledby="open-breakglass-title" data-testid="open-break-glass">
      <h2 id="open-breakglass-title">Emergency access open now</h2>
      <ul>
        {open.data.map(({ provider, state }) => (
          <BreakGlassItem
            key={provider}
            patient={patient}
            provider={provider}
            expiresAt={state.expiresAt}
            reasonCode={state.reasonCode}
            keysReleased={state.keysReleased}
            onChange={() => open.refetch()}
          />
        ))}
      </ul>
    </section>
  );
}

function BreakGlassItem(props: {
  patient: Address;
  provider: Address;
  expiresAt: bigint;
  reasonCode: number;
  keysReleased: boolean;
  onChange: () => void;
}) {
  const { patient, provider } = props;
  const config = useConfig();
  const chainId = useChainId();
  const { address: me } = useConnection();
  const { identity } = useIdentity();
  const epochs = useCategoryEpochs(patient);
  const held = useReaderKeys(patient, me, identity);
  const consent = useCareWrite("ConsentManager");
  const [problem, setProblem] = useState<string>();
  const summary = categoriesInScope(EMERGENCY_SCOPE);
  const current = summary
    .map((c) => held.data?.keyring.get(c, epochs.data?.[c]?.epoch ?? 0))
    .filter((k) => k !== undefined);

  async function release() {
    setProblem(undefined);
    const registry = getContract("CareRegistry", chainId)!;
    const [key] = await readContract(config, {
      chainId,
      address: registry.address,
      abi: registry.abi,
      functionName: "encryptionKey",
      args: [provider],
    });
    if (BigInt(key) === 0n) {
      setProblem("This provider published no encryption key, so no key can be released to it. Nothing was sent.");
      return;
    }
    const [{ releaseHeldKeys }, { fromHex }] = await Promise.all([
      import("@careledger/sdk/crypto/grants"),
      import("@careledger/sdk/bytes"),
    ]);
    const domain = getKeyDomain(chainId);
    if (!domain) {
      setProblem("CareLedger is not deployed on this network. Nothing was sent.");
      return;
    }
    const envelopes = await releaseHeldKeys(current, fromHex(key), { ...domain, patient, grantee: provider });
    const receipt = await consent.write({
      functionName: "releaseEmergencyKeys",
      args: [patient, provider, toHex(envelopes)],
    });
    if (receipt) props.onChange();
  }

  async function close() {
    const receipt = await consent.write({ functionName: "closeBreakGlass", args: [patient, provider] });
    if (receipt) props.onChange();
  }

  return (
    <li data-testid="break-glass">
      <p>
        <Party address={provider} /> opened emergency access (reason code {props.reasonCode}) until{" "}
        {formatMoment(props.expiresAt)}: it may read {summary.map((c) => CATEGORIES[c].label.toLowerCase()).join(", ")}.{" "}
        {props.keysReleased ? "The keys were released to it." : "It holds no keys to open them yet."}
      </p>
      <div className="button-row">
        {!props.keysReleased ? (
          <button
            type="button"
            className="button"
            disabled={consent.busy || !identity || current.length === 0}
            onClick={release}
          >
            Release the emergency keys
          </button>
        ) : null}
        <button type="button" className="button button--quiet" disabled={consent.busy} onClick={close}>
          Close emergency access
        </button>
      </div>
      {!identity ? <p>Unlock your keys to release the emergency keys.</p> : null}
      {identity && held.data && current.length === 0 ? (
        <p>You hold no emergency summary keys of the current version; the patient can release them.</p>
      ) : null}
      {problem ? <p role="alert">{problem}</p> : null}
      {consent.state.status === "failed" ? <p>Nothing changed. Try again to finish.</p> : null}
      <TransactionStatus state={consent.state} label="Emergency access" />
    </li>
  );
}
