"use client";

import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { WagmiProvider, type State } from "wagmi";
import { IdleLock } from "@/components/IdleLock";
import { IdentityProvider } from "@/features/identity/IdentityProvider";
import { getConfig } from "@/wagmi";

export function Providers({ children, initialState }: { children: ReactNode; initialState?: State }) {
  const [config] = useState(() => getConfig());
  const [queryClient] = useState(() => new QueryClient({ defaultOptions: { queries: { staleTime: 4_000 } } }));
  return (
    <WagmiProvider config={config} initialState={initialState}>
      <QueryClientProvider client={queryClient}>
        <IdentityProvider>
          <IdleLock />
          {children}
        </IdentityProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}
