"use client";

import type { ContractFunctionArgs, ContractFunctionName } from "viem";
import { useChainId, useReadContract, type ResolvedRegister } from "wagmi";
import { contractAbis, getContract, type ContractName } from "@/contracts/deployments";

type CareAbi<name extends ContractName> = (typeof contractAbis)[name];
type ReadName<name extends ContractName> = ContractFunctionName<CareAbi<name>, "view" | "pure">;

/**
 * Thin typed read of a CareLedger contract on the connected chain, after scaffold-eth's
 * `useScaffoldReadContract`. The address comes from the deployments; the query stays idle where
 * the contract is not deployed or the arguments are not known yet.
 */
export function useCareRead<
  name extends ContractName,
  functionName extends ReadName<name>,
  const args extends ContractFunctionArgs<CareAbi<name>, "view" | "pure", functionName>,
>(parameters: { contractName: name; functionName: functionName; args: args | undefined; enabled?: boolean }) {
  const chainId = useChainId();
  const contract = getContract(parameters.contractName, chainId);
  const enabled = Boolean(contract) && parameters.args !== undefined && (parameters.enabled ?? true);
  return useReadContract<CareAbi<name>, functionName, args, ResolvedRegister["config"]>({
    address: contract?.address,
    abi: contractAbis[parameters.contractName],
    functionName: parameters.functionName,
    args: parameters.args,
    chainId,
    query: { enabled },
  } as Parameters<typeof useReadContract<CareAbi<name>, functionName, args, ResolvedRegister["config"]>>[0]);
}
