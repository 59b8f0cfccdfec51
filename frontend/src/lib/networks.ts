import { defineChain, type Chain } from "viem";
import { arbitrum, base, hardhat, holesky, mainnet, optimism, polygon, sepolia } from "viem/chains";
import { deployments, type Deployment } from "@/contracts/deployments";

/** Networks the dApp knows how to describe; any other deployed chain is built from its deployment file. */
const knownChains: Record<number, Chain> = {
  [hardhat.id]: { ...hardhat, name: "CareLedger local chain" },
  [sepolia.id]: sepolia,
};

function chainFromDeployment(deployment: Deployment): Chain {
  const known = knownChains[deployment.chainId];
  const rpcUrls = { default: { http: [deployment.rpcUrl] } };
  if (known) return { ...known, rpcUrls: { ...known.rpcUrls, ...rpcUrls } };
  return defineChain({
    id: deployment.chainId,
    name: deployment.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls,
  });
}

/**
 * The chains the dApp works on: exactly those with a CareLedger deployment. Without any
 * deployment (a fresh clone before `npm start`) the local chain is listed so the app still
 * renders and explains what is missing.
 */
export const supportedChains: readonly [Chain, ...Chain[]] = (() => {
  const chains = deployments.filter((d) => d.rpcUrl).map(chainFromDeployment);
  return chains.length > 0 ? (chains as [Chain, ...Chain[]]) : [knownChains[hardhat.id]];
})();

export function isSupportedChain(chainId: number | undefined): boolean {
  return supportedChains.some((c) => c.id === chainId);
}

/** Networks a wallet is often on by mistake, named as people know them (CareLedger is not deployed there). */
const commonChains: Record<number, string> = Object.fromEntries(
  [mainnet, arbitrum, base, optimism, polygon, holesky].map((c) => [
    c.id,
    c.id === mainnet.id ? "Ethereum Mainnet" : c.name,
  ]),
);

export function chainName(chainId: number | undefined): string {
  if (chainId === undefined) return "no network";
  return (
    supportedChains.find((c) => c.id === chainId)?.name ??
    knownChains[chainId]?.name ??
    commonChains[chainId] ??
    `the network with chain id ${chainId}`
  );
}
