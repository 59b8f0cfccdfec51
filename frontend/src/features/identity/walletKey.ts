"use client";

import type { IdentityKey } from "@careledger/sdk/crypto/identity";
import { useCallback } from "react";
import { useChainId, useConfig, useConnection } from "wagmi";
import { getBytecode, signTypedData } from "wagmi/actions";
import { getContract } from "@/contracts/deployments";
import { explainError } from "@/errors/explain";

/**
 * The wallet-signature fallback, in one place for every screen: the identity key derived from the
 * wallet's signature of the key message bound to this chain and its CareRegistry. The SDK checks
 * the account has no contract code and that both signatures are plain ECDSA signatures of this
 * account before anything is derived.
 */
export function useWalletKey() {
  const config = useConfig();
  const chainId = useChainId();
  const { address } = useConnection();
  return useCallback(async (): Promise<IdentityKey> => {
    if (!address) throw new Error("Connect a wallet first.");
    const registry = getContract("CareRegistry", chainId);
    if (!registry) throw new Error("CareLedger is not deployed on this network. Switch to a network it runs on.");
    // Loaded on demand: only someone unlocking with the wallet needs the derivation code.
    const { deriveIdentityKey } = await import("@careledger/sdk/crypto/identity");
    return deriveIdentityKey((typedData) => signTypedData(config, { account: address, ...typedData }), {
      chainId,
      verifyingContract: registry.address,
      account: address,
      getCode: (account) => getBytecode(config, { address: account, chainId }),
    });
  }, [address, chainId, config]);
}

/** Plain language for what stops a wallet-derived key: a randomised signer, a smart-contract wallet, the rest. */
export function walletKeyProblem(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === "NON_DETERMINISTIC_WALLET") {
    return "This wallet signs the CareLedger key message differently each time, so it cannot keep a stable key: records encrypted today could not be opened tomorrow. Use a passkey, or a wallet with deterministic signatures such as MetaMask or a hardware wallet.";
  }
  if (code === "CONTRACT_ACCOUNT") {
    return "This account is a smart-contract wallet. Its signatures can change with its owners or its code, so they cannot hold your encryption key. Keep your key with a passkey instead.";
  }
  return explainError(error).message;
}

/** Said wherever the wallet fallback is offered. */
export const WALLET_KEY_PHISHING_WARNING =
  "A key made from a wallet signature can be phished: any page that gets your wallet to sign this same CareLedger message obtains your key and can read everything it opens. Sign it only on this site, and prefer a passkey, which no other site can use.";
