import {
  BaseError,
  ContractFunctionRevertedError,
  UserRejectedRequestError,
  decodeErrorResult,
  type Abi,
  type Hex,
} from "viem";
import { allErrorsAbi } from "@/contracts/deployments";
import { errorMessages, fallbackMessage, plainMoney, type MoneyText } from "./catalogue";

export type ExplainedError = {
  /** One or two sentences for the person. */
  message: string;
  /** The contract error name when one was decoded, for tests and support. */
  errorName?: string;
  rejectedByUser?: boolean;
};

/**
 * Turns anything a wallet, viem or a contract throws into plain language. `money` writes amounts
 * in the stablecoin's own symbol (`useMoney().money`); without it, amounts carry no symbol.
 */
export function explainError(error: unknown, abi: Abi = allErrorsAbi, money: MoneyText = plainMoney): ExplainedError {
  if (!(error instanceof BaseError)) {
    return { message: error instanceof Error ? error.message : fallbackMessage };
  }

  const rejected = error.walk((e) => e instanceof UserRejectedRequestError || (e as { code?: number }).code === 4001);
  if (rejected) return { message: "You declined the request in your wallet. Nothing was sent.", rejectedByUser: true };

  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError) {
    let errorName = reverted.data?.errorName;
    let args: readonly unknown[] = reverted.data?.args ?? [];
    if (!errorName && reverted.raw) {
      const decoded = tryDecode(reverted.raw, abi);
      errorName = decoded?.errorName;
      args = decoded?.args ?? [];
    }
    if (errorName === "Error" && typeof args[0] === "string") return { message: args[0] };
    if (errorName && errorMessages[errorName]) return { message: errorMessages[errorName](args, money), errorName };
    if (errorName) return { message: `${fallbackMessage} (${errorName})`, errorName };
    return { message: fallbackMessage };
  }

  if (error.walk((e) => (e as { name?: string }).name === "InsufficientFundsError")) {
    return { message: "This account has too little ETH to pay the network fee." };
  }
  if (error.walk((e) => (e as { name?: string }).name === "HttpRequestError")) {
    return { message: "The network could not be reached. Check that the chain is running and try again." };
  }
  return { message: error.shortMessage || fallbackMessage };
}

function tryDecode(data: Hex, abi: Abi) {
  try {
    return decodeErrorResult({ abi, data });
  } catch {
    return undefined;
  }
}
