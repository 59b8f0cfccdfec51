import { NextResponse, type NextRequest } from "next/server";
import { supportedChains } from "@/lib/networks";

/**
 * A strict Content-Security-Policy on every page: scripts run only from this origin and with the
 * request's fresh nonce (Next.js puts it on its own scripts; `'strict-dynamic'` lets those load
 * the route chunks), nothing is framed by another site, and the page talks only to itself (the
 * /api/blobs route) and the RPC endpoints of the deployed chains. An injected script cannot
 * exfiltrate decrypted records or unlocked keys to another host. Styles keep `'unsafe-inline'`:
 * React renders style attributes, and a style cannot run code.
 */
function contentSecurityPolicy(nonce: string): string {
  const rpc = [...new Set(supportedChains.flatMap((chain) => chain.rpcUrls.default.http))];
  const dev = process.env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    // Decrypted images and PDFs are shown from object URLs.
    "img-src 'self' blob: data:",
    "frame-src 'self' blob:",
    "font-src 'self'",
    `connect-src 'self' ${rpc.join(" ")}${dev ? " ws:" : ""}`,
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function proxy(request: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const policy = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  return response;
}

export const config = {
  matcher: [
    {
      // Pages only: API routes answer JSON or ciphertext, static chunks carry no HTML.
      source: "/((?!api|_next/static|_next/image|favicon.ico|icon.svg).*)",
      missing: [
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
