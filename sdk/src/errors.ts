/**
 * Every failure the SDK can report has its own class, so callers (and tests) can tell a
 * tampered blob from a wrong key from a truncated download without parsing messages.
 */
export class CareLedgerError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The payload's authentication tag did not verify: the ciphertext was altered or appended to. */
export class TamperedCiphertextError extends CareLedgerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TAMPERED_CIPHERTEXT", message, options);
  }
}

/** A key envelope or a container header was altered (or is malformed): it does not authenticate. */
export class TamperedEnvelopeError extends CareLedgerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("TAMPERED_ENVELOPE", message, options);
  }
}

/** None of the envelopes is addressed to the key that was offered, or the passphrase is wrong. */
export class WrongKeyError extends CareLedgerError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("WRONG_KEY", message, options);
  }
}

/**
 * The account is a contract (a smart-contract wallet: code at the address, or an ERC-1271 /
 * ERC-6492 signature). Its signatures are not a deterministic secret: they can change with its
 * owners or its code, and anyone may replay a valid one. Such an account keeps its key with a passkey.
 */
export class ContractAccountError extends CareLedgerError {
  constructor(
    readonly account: string,
    readonly reason: "code-at-address" | "erc6492-signature" | "erc1271-signature" | "not-signed-by-account",
  ) {
    super(
      "CONTRACT_ACCOUNT",
      `account ${account} is a smart-contract wallet (${reason.replaceAll("-", " ")}); a wallet signature cannot ` +
        "hold its encryption key. Use a passkey for this account instead.",
    );
  }
}

/** The blob ends before the length its authenticated header announces. */
export class TruncatedBlobError extends CareLedgerError {
  constructor(
    message: string,
    readonly expectedBytes?: number,
    readonly actualBytes?: number,
  ) {
    super("TRUNCATED_BLOB", message);
  }
}

/**
 * A format version this SDK does not accept: an unknown future version, or an older one that
 * is no longer accepted (a replayed/downgraded envelope).
 */
export class UnsupportedVersionError extends CareLedgerError {
  constructor(
    readonly format: string,
    readonly version: number,
    readonly supported: readonly number[],
    /** What to do instead of the generic advice (e.g. why an older version is refused). */
    advice?: string,
  ) {
    super(
      "UNSUPPORTED_VERSION",
      `${format} version ${version} is not accepted (this SDK accepts ${supported.join(", ")}); ` +
        (advice ?? "upgrade the SDK if the data is newer, or re-create it if it is an old or replayed copy"),
    );
  }
}

/** Bytes fetched from a store do not match the on-chain commitment (sha-256 of the stored blob). */
export class IntegrityError extends CareLedgerError {
  constructor(
    readonly cid: string,
    readonly store: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      "INTEGRITY_MISMATCH",
      `blob ${cid} from store "${store}" does not match its on-chain commitment ` +
        `(expected sha-256 ${expected}, got ${actual}); the copy was rejected`,
    );
  }
}

/** A store answered a CID other than the one its bytes have (a lying or misconfigured store). */
export class StoreCidMismatchError extends CareLedgerError {
  constructor(
    readonly store: string,
    readonly answered: string,
    readonly computed: string,
  ) {
    super(
      "STORE_CID_MISMATCH",
      `store "${store}" answered CID ${answered} for the upload, but those bytes have CID ${computed} ` +
        "(unixfs-v1-2025: CIDv1, raw leaves, 1 MiB chunks): nothing was put on chain; try again or use another store",
    );
  }
}

/** A blob is larger than the configured limit. */
export class SizeLimitError extends CareLedgerError {
  constructor(
    readonly size: number,
    readonly limit: number,
    what = "blob",
  ) {
    super("SIZE_LIMIT", `${what} of ${size} bytes exceeds the limit of ${limit} bytes; split it or raise maxBlobBytes`);
  }
}

/** No store holds the requested CID (or every store failed). */
export class BlobNotFoundError extends CareLedgerError {
  constructor(
    readonly cid: string,
    readonly store: string,
    readonly failures: readonly Error[] = [],
  ) {
    super(
      "BLOB_NOT_FOUND",
      `blob ${cid} is not available from ${store}` +
        (failures.length ? `: ${failures.map((f) => f.message).join("; ")}` : ""),
    );
  }
}

/** The wallet produced two different signatures over the same identity-key message. */
export class NonDeterministicWalletError extends CareLedgerError {
  constructor() {
    super(
      "NON_DETERMINISTIC_WALLET",
      "this wallet signs the CareLedger key message differently each time, so it cannot derive a stable " +
        "identity key (records encrypted today could not be opened tomorrow); use a wallet with deterministic " +
        "ECDSA signatures (RFC 6979), such as MetaMask or a hardware wallet",
    );
  }
}

/** Fewer recovery shares than the threshold, or shares that do not belong together. */
export class RecoveryError extends CareLedgerError {
  constructor(message: string) {
    super("RECOVERY_FAILED", message);
  }
}

/** Input that is not in the expected binary/JSON shape. */
export class MalformedInputError extends CareLedgerError {
  constructor(message: string) {
    super("MALFORMED_INPUT", message);
  }
}

/** A replicated write did not reach enough stores, or the stores disagree on the CID. */
export class ReplicationError extends CareLedgerError {
  constructor(
    message: string,
    readonly failures: readonly { store: string; error: Error }[] = [],
  ) {
    super("REPLICATION_FAILED", message);
  }
}

/** No deployments/<chainId>.json for the chain the wallet or script is on. */
export class DeploymentNotFoundError extends CareLedgerError {
  constructor(
    readonly chainId: number,
    readonly known: readonly number[],
  ) {
    super(
      "DEPLOYMENT_NOT_FOUND",
      `CareLedger is not deployed on chain ${chainId}` +
        (known.length ? ` (deployments exist for chain ids ${known.join(", ")})` : " (no deployments are known)") +
        "; switch the wallet network or run the deploy step for this chain",
    );
  }
}

/** Another process (or another open store in this one) holds the embedded store's folder. */
export class StoreLockedError extends CareLedgerError {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      "STORE_LOCKED",
      `the store at ${dir} is open in process ${pid || "(unknown)"}${pid === globalThis.process?.pid ? " (this one)" : ""}; ` +
        "close it first, or reach it through its server (e.g. --ipfs-api http://127.0.0.1:5001 while npm start runs)",
    );
  }
}

/**
 * The RPC kept refusing a getLogs window as too large even at the smallest window the bounded
 * reader tries (or answered an error that is not about the range): the list cannot be read.
 */
export class LogRangeError extends CareLedgerError {
  constructor(
    readonly fromBlock: bigint,
    readonly toBlock: bigint,
    readonly minRange: bigint,
    options?: { cause?: unknown },
  ) {
    super(
      "LOG_RANGE",
      `the RPC refused eth_getLogs for blocks ${fromBlock}–${toBlock} even at the smallest window (${minRange} ` +
        `block${minRange === 1n ? "" : "s"})`,
      options,
    );
  }
}
