"use client";

// The SDK's passkey module (and the key code behind it) loads only when a passkey is used.
const sdk = () => import("@careledger/sdk/crypto/passkey");

/** What a passkey gives CareLedger: which credential answered and its PRF output for PASSKEY_PRF_INPUT. */
export type PasskeySecret = { credentialId: string; prfOutput: Uint8Array };

/** The browser or the authenticator cannot give a PRF output: the wallet fallback is the way left. */
export class PasskeyUnsupportedError extends Error {
  readonly code = "PASSKEY_PRF_UNSUPPORTED";
}

type PrfResults = { enabled?: boolean; results?: { first?: BufferSource } };

function prfOf(credential: PublicKeyCredential): PrfResults | undefined {
  return (credential.getClientExtensionResults() as { prf?: PrfResults }).prf;
}

function bytesOf(source: BufferSource): Uint8Array {
  return source instanceof ArrayBuffer
    ? new Uint8Array(source)
    : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

const buffer = (bytes: Uint8Array) => bytes as Uint8Array<ArrayBuffer>;

function challenge(): Uint8Array<ArrayBuffer> {
  // No server verifies an assertion here: only the PRF output is used, and the authenticator gives
  // it only to this origin's passkey. A fresh random challenge keeps each request distinct.
  return crypto.getRandomValues(new Uint8Array(32));
}

export function passkeysAvailable(): boolean {
  return typeof window !== "undefined" && typeof window.PublicKeyCredential === "function";
}

/**
 * Asks the person's passkey (one of `credentialIds`, or any of this site's when empty) for its PRF
 * output: one prompt. @throws PasskeyUnsupportedError when the passkey gives no PRF output.
 */
export async function evaluatePasskey(credentialIds: readonly string[] = []): Promise<PasskeySecret> {
  if (!passkeysAvailable()) throw new PasskeyUnsupportedError("This browser has no passkey support.");
  const { PASSKEY_PRF_INPUT, fromBase64Url, toBase64Url } = await sdk();
  const credential = (await navigator.credentials.get({
    publicKey: {
      challenge: challenge(),
      allowCredentials: credentialIds.map((id) => ({ type: "public-key", id: buffer(fromBase64Url(id)) })),
      userVerification: "required",
      extensions: { prf: { eval: { first: buffer(PASSKEY_PRF_INPUT) } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No passkey was chosen.");
  const first = prfOf(credential)?.results?.first;
  if (!first) {
    throw new PasskeyUnsupportedError(
      "This passkey cannot hold a CareLedger key (it has no PRF support). Use another passkey or the wallet fallback.",
    );
  }
  return { credentialId: toBase64Url(new Uint8Array(credential.rawId)), prfOutput: bytesOf(first) };
}

/**
 * Creates a passkey for this site and returns its PRF output. Where the authenticator gives the
 * output only on use, not at creation, the passkey is asked once more right away (a second prompt
 * at creation only; unlocking later is always one).
 * @throws PasskeyUnsupportedError when the authenticator has no PRF support.
 */
export async function createPasskey(person: { account: string; name: string }): Promise<PasskeySecret> {
  if (!passkeysAvailable()) throw new PasskeyUnsupportedError("This browser has no passkey support.");
  const { PASSKEY_PRF_INPUT, toBase64Url } = await sdk();
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { name: "CareLedger" },
      user: {
        id: crypto.getRandomValues(new Uint8Array(16)),
        name: `${person.name} (${person.account.slice(0, 6)}…${person.account.slice(-4)})`,
        displayName: person.name,
      },
      challenge: challenge(),
      pubKeyCredParams: [
        { type: "public-key", alg: -7 },
        { type: "public-key", alg: -257 },
      ],
      authenticatorSelection: { residentKey: "required", userVerification: "required" },
      extensions: { prf: { eval: { first: buffer(PASSKEY_PRF_INPUT) } } } as AuthenticationExtensionsClientInputs,
    },
  })) as PublicKeyCredential | null;
  if (!credential) throw new Error("No passkey was created.");
  const prf = prfOf(credential);
  const credentialId = toBase64Url(new Uint8Array(credential.rawId));
  if (prf?.results?.first) return { credentialId, prfOutput: bytesOf(prf.results.first) };
  if (prf?.enabled === false || prf === undefined) {
    throw new PasskeyUnsupportedError(
      "This browser or authenticator cannot hold a CareLedger key in a passkey (no PRF support). Use the wallet fallback, or a browser with passkey PRF support.",
    );
  }
  return evaluatePasskey([credentialId]);
}

/** A person declining or closing the passkey prompt, told apart from real failures. */
export function passkeyProblem(error: unknown): string {
  const name = (error as { name?: string }).name;
  if (name === "NotAllowedError") return "The passkey request was declined or timed out. Nothing was changed.";
  if (name === "InvalidStateError") return "This passkey is already registered on this device.";
  if (name === "SecurityError") return "Passkeys work only on the CareLedger site itself (HTTPS or localhost).";
  return error instanceof Error ? error.message : "The passkey could not be used.";
}
