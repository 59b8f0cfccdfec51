import { cookieStorage, createConfig, createStorage, http } from "wagmi";
import { injected } from "wagmi/connectors";
import { supportedChains } from "@/lib/networks";

/**
 * One config factory for the server (to read the cookie state) and the browser.
 * EIP-6963 discovery stays on: MetaMask and every other announced wallet show up as connectors;
 * `injected()` covers a wallet that only sets `window.ethereum`.
 */
export function getConfig() {
  return createConfig({
    chains: supportedChains,
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    ssr: true,
    storage: createStorage({ storage: cookieStorage }),
    transports: Object.fromEntries(supportedChains.map((chain) => [chain.id, http(chain.rpcUrls.default.http[0])])),
  });
}

declare module "wagmi" {
  interface Register {
    config: ReturnType<typeof getConfig>;
  }
}
