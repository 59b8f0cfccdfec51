import { claimIdHex, claimLabel } from "@careledger/sdk/protocol/claimIds";

/**
 * A claim id as people see it, "0x3f2a…91bc". Claim ids are encounter commitments (256-bit numbers), so
 * the whole id shows on hover only, the way tools print it for `--claim-id`.
 */
export function ClaimId({ claimId }: { claimId: bigint }) {
  return <code title={claimIdHex(claimId)}>{claimLabel(claimId)}</code>;
}
