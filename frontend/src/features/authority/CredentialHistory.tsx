"use client";

import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useChainId, useConfig } from "wagmi";
import { Party } from "@/components/Party";
import { blockTimes } from "@/features/records/read/pointers";
import { useCareEvents } from "@/hooks/useCareEvents";
import { formatMoment } from "@/lib/money";
import { roleName } from "@/lib/roles";

const credentialChanges: Record<string, string> = {
  CredentialGranted: "Granted",
  CredentialSuspended: "Suspended",
  CredentialReinstated: "Reinstated",
  CredentialRevoked: "Revoked",
};

/** Every credential change on the registry, newest first. */
function When({ seconds }: { seconds: number | undefined }) {
  return seconds ? <time dateTime={new Date(seconds * 1000).toISOString()}>{formatMoment(seconds)}</time> : <>…</>;
}

export function CredentialHistory() {
  const config = useConfig();
  const chainId = useChainId();
  const events = useCareEvents({ contractName: "CareRegistry" });
  const changes = (events.data ?? []).filter((e) => e.eventName in credentialChanges).reverse();
  const blocks = changes.map((e) => e.blockNumber!);
  const times = useQuery({
    queryKey: ["careledger", "block-times", chainId, blocks.map(String)],
    enabled: blocks.length > 0,
    queryFn: () => blockTimes(config, chainId, blocks),
  });
  return (
    <section className="card" aria-labelledby="history-title">
      <h2 id="history-title">Credential history</h2>
      {events.isError ? (
        <p className="field-error">The history could not be read. Reload the page to try again.</p>
      ) : !events.data ? (
        <p role="status">Reading the registry…</p>
      ) : changes.length === 0 ? (
        <p className="field-hint">No credential has been granted yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="consent-table" data-testid="credential-history">
            <thead>
              <tr>
                <th scope="col">Account</th>
                <th scope="col">Credential</th>
                <th scope="col">Change</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((e) => (
                <tr key={`${e.transactionHash}-${e.logIndex}`}>
                  <td>
                    <Party address={e.args.account as Address} />
                  </td>
                  <td>{roleName(e.args.role as `0x${string}`)}</td>
                  <td>{credentialChanges[e.eventName]}</td>
                  <td>
                    <When seconds={times.data?.get(String(e.blockNumber))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
