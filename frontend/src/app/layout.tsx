import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { cookieToInitialState } from "wagmi";
import { AppHeader } from "@/components/AppHeader";
import { NetworkGuard } from "@/components/NetworkGuard";
import { getConfig } from "@/wagmi";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "CareLedger", template: "%s · CareLedger" },
  description: "Your medical records, under your control: consent, encrypted records and claims on Ethereum.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0f5c63" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const initialState = cookieToInitialState(getConfig(), (await headers()).get("cookie"));
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <Providers initialState={initialState}>
          <AppHeader />
          <main id="main" className="page" tabIndex={-1}>
            <NetworkGuard />
            {children}
          </main>
          <footer className="site-footer">
            <p>
              CareLedger never puts clinical content on the chain: records are encrypted in your browser before they
              leave it.
            </p>
          </footer>
        </Providers>
      </body>
    </html>
  );
}
