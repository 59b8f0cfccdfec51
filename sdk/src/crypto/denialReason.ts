/**
 * An insurer's reason for denying a claim or a pre-authorisation, off the public chain: the reason
 * code (an X12 CARC number such as 50, "not medically necessary") is sealed with HPKE to each party
 * of the decision (the patient, the provider, the insurer itself) and only the sealed bytes go to
 * `denyClaim` / `denyPreAuth` and their events. An observer sees that a claim was denied and the
 * length of the sealed reason (the same for every code), never which reason.
 *
 *   sealed = count u8 ‖ count × key envelope of the code (u16, big-endian)
 *
 * Each envelope is bound (HPKE info) to chain, CareRegistry, patient and its recipient under
 * {@link EnvelopePurpose.Denial}, and (aad) to the ClaimsSettlement deployment, the kind of decision
 * and its id, so a sealed reason copied onto another claim or deployment does not open. Nothing
 * names a recipient: a reader tries the few envelopes with its key.
 */
import { encodeAbiParameters, getAddress, type Address, type Hex } from "viem";
import { concatBytes, fromHex, toHex } from "../bytes.js";
import { MalformedInputError, WrongKeyError } from "../errors.js";
import { ENVELOPE_OVERHEAD, EnvelopePurpose, unwrapKey, wrapKey, type KeyDomain } from "./envelope.js";
import type { X25519KeyPair } from "./keys.js";

/** What was denied: part of the binding, so a claim's reason never opens as a pre-authorisation's. */
export type DenialKind = "claim" | "preauth";

export interface DenialContext extends KeyDomain {
  /** The ClaimsSettlement deployment the decision is made on. */
  settlement: Address | string;
  kind: DenialKind;
  /** The claim id or the pre-authorisation id. */
  id: bigint;
  /** The patient the claim or pre-authorisation is about. */
  patient: Address | string;
}

export interface DenialRecipient {
  account: Address | string;
  /** The account's X25519 encryption key from CareRegistry (32 bytes). */
  publicKey: Uint8Array;
}

/** The most recipients a sealed reason carries (patient, provider, insurer, one spare). */
export const MAX_DENIAL_RECIPIENTS = 4;
const CODE_BYTES = 2;
const ENTRY_BYTES = ENVELOPE_OVERHEAD + CODE_BYTES;
/** The longest sealed reason; ClaimsSettlement's MAX_SEALED_REASON must be at least this. */
export const MAX_SEALED_REASON_BYTES = 1 + MAX_DENIAL_RECIPIENTS * ENTRY_BYTES;

function aad(context: DenialContext): Uint8Array {
  return fromHex(
    encodeAbiParameters(
      [{ type: "string" }, { type: "address" }, { type: "string" }, { type: "uint256" }],
      ["careledger:denial", getAddress(context.settlement), context.kind, context.id],
    ),
  );
}

function binding(context: DenialContext, recipient: Address | string) {
  return {
    purpose: EnvelopePurpose.Denial,
    chainId: context.chainId,
    registry: context.registry,
    patient: context.patient,
    recipient,
  };
}

/** Seals `code` (0..65535) to every recipient; the bytes to pass as `sealedReason`. */
export async function sealDenialReason(
  code: number,
  recipients: readonly DenialRecipient[],
  context: DenialContext,
): Promise<Hex> {
  if (!Number.isInteger(code) || code < 0 || code > 0xffff) {
    throw new MalformedInputError(`a denial reason code is a whole number from 0 to 65535, got ${code}`);
  }
  if (recipients.length === 0 || recipients.length > MAX_DENIAL_RECIPIENTS) {
    throw new MalformedInputError(
      `a denial reason is sealed to 1 to ${MAX_DENIAL_RECIPIENTS} recipients (patient, provider, insurer), got ${recipients.length}`,
    );
  }
  for (const r of recipients) {
    if (r.publicKey.length !== 32 || r.publicKey.every((b) => b === 0)) {
      throw new MalformedInputError(
        `${getAddress(r.account)} has no encryption key in CareRegistry: it must register one before a denial reason can be sealed to it`,
      );
    }
  }
  const plain = Uint8Array.of(code >> 8, code & 0xff);
  const extra = aad(context);
  const envelopes = await Promise.all(
    recipients.map((r) => wrapKey(plain, r.publicKey, { binding: binding(context, r.account), aad: extra })),
  );
  return toHex(concatBytes([Uint8Array.of(envelopes.length), ...envelopes]));
}

/**
 * Opens a sealed reason with the reader's key pair.
 * @throws MalformedInputError when the bytes are not a sealed reason; WrongKeyError when none of its
 * envelopes is for `reader` under `context` (another reader, claim, kind or deployment, or altered bytes).
 */
export async function openDenialReason(
  sealed: Hex,
  reader: { account: Address | string; key: X25519KeyPair },
  context: DenialContext,
): Promise<number> {
  const bytes = fromHex(sealed);
  const count = bytes[0] ?? 0;
  if (count === 0 || count > MAX_DENIAL_RECIPIENTS || bytes.length !== 1 + count * ENTRY_BYTES) {
    throw new MalformedInputError(
      `not a sealed denial reason: ${bytes.length} bytes for ${count} envelopes of ${ENTRY_BYTES} bytes`,
    );
  }
  const extra = aad(context);
  for (let i = 0; i < count; i++) {
    const envelope = bytes.subarray(1 + i * ENTRY_BYTES, 1 + (i + 1) * ENTRY_BYTES);
    try {
      const plain = await unwrapKey(envelope, reader.key, { binding: binding(context, reader.account), aad: extra });
      return (plain[0]! << 8) | plain[1]!;
    } catch (error) {
      if (!(error instanceof WrongKeyError)) throw error;
    }
  }
  throw new WrongKeyError(
    `the denial reason of ${context.kind} ${context.id} is not sealed to ${getAddress(reader.account)} on this deployment`,
  );
}
