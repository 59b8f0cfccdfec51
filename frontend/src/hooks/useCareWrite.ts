"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { ContractFunctionArgs, ContractFunctionName, Hash, TransactionReceipt } from "viem";
import { useChainId, useConfig, useConnection } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";
import { allErrorsAbi, contractAbis, getContract, type ContractName } from "@/contracts/deployments";
import { explainError, type ExplainedError } from "@/errors/explain";
import { useMoney } from "./useMoney";

export type TransactionState =
  | { status: "idle" }
  /** Simulated, now waiting for the person to confirm in the wallet. */
  | { status: "wallet" }
  | { status: "pending"; hash: Hash }
  | { status: "confirmed"; hash: Hash; receipt: TransactionReceipt }
  | { status: "failed"; hash?: Hash; error: ExplainedError };

type CareAbi<name extends ContractName> = (typeof contractAbis)[name];
type WriteName<name extends ContractName> = ContractFunctionName<CareAbi<name>, "nonpayable" | "payable">;

/**
 * Every write of the dApp goes through here: simulate (so a revert is caught and explained
 * before the wallet opens), ask the wallet, wait for the receipt, refresh every read.
 * Render `state` with <TransactionStatus />.
 */
export function useCareWrite<name extends ContractName>(contractName: name) {
  const config = useConfig();
  const chainId = useChainId();
  const { address: account } = useConnection();
  const queryClient = useQueryClient();
  const { money } = useMoney();
  const [state, setState] = useState<TransactionState>({ status: "idle" });

  const write = useCallback(
    async <functionName extends WriteName<name>>(call: {
      functionName: functionName;
      args: ContractFunctionArgs<CareAbi<name>, "nonpayable" | "payable", functionName>;
      value?: bigint;
    }): Promise<TransactionReceipt | undefined> => {
      const contract = getContract(contractName, chainId);
      if (!contract) {
        setState({
          status: "failed",
          error: { message: `${contractName} is not deployed on this network. Switch to a CareLedger network.` },
        });
        return undefined;
      }
      setState({ status: "wallet" });
      let hash: Hash | undefined;
      try {
        const { request } = await simulateContract(config, {
          address: contract.address,
          abi: contract.abi,
          functionName: call.functionName,
          args: call.args,
          value: call.value,
          account,
          chainId,
        } as never);
        hash = await writeContract(config, request as never);
        setState({ status: "pending", hash });
        const receipt = await waitForTransactionReceipt(config, { hash, chainId });
        if (receipt.status === "reverted") {
          setState({
            status: "failed",
            hash,
            error: explainError(new Error("The transaction was reverted on chain.")),
          });
          return undefined;
        }
        setState({ status: "confirmed", hash, receipt });
        await queryClient.invalidateQueries();
        return receipt;
      } catch (error) {
        setState({ status: "failed", hash, error: explainError(error, allErrorsAbi, money) });
        return undefined;
      }
    },
    [account, chainId, config, contractName, money, queryClient],
  );

  const reset = useCallback(() => setState({ status: "idle" }), []);
  return { state, write, reset, busy: state.status === "wallet" || state.status === "pending" };
}
