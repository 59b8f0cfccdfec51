import { NextResponse, type NextRequest } from "next/server";
import { ipfsApiUrl, isCid } from "@/lib/server/ciphertext";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * GET /api/blobs/<cid> — streams the blob back from the storage server's Kubo-compatible `cat`.
 * Blobs are content-addressed ciphertext, so they are immutable and safe to cache; the browser
 * verifies them against the on-chain commitment before decrypting.
 */
export async function GET(_request: NextRequest, context: { params: Promise<{ cid: string }> }) {
  const { cid } = await context.params;
  if (!isCid(cid)) return NextResponse.json({ error: "This is not a CID." }, { status: 400 });

  let response: Response;
  try {
    response = await fetch(`${ipfsApiUrl()}/api/v0/cat?arg=${encodeURIComponent(cid)}`, { method: "POST" });
  } catch {
    return NextResponse.json({ error: "The storage server is not reachable." }, { status: 502 });
  }
  if (!response.ok || !response.body) {
    const status = response.status === 404 || response.status === 500 ? 404 : 502;
    return NextResponse.json({ error: `Blob ${cid} was not found in the store.` }, { status });
  }
  const headers = new Headers({
    "content-type": "application/octet-stream",
    "cache-control": "public, max-age=31536000, immutable",
    "x-content-type-options": "nosniff",
  });
  const length = response.headers.get("x-content-length") ?? response.headers.get("content-length");
  if (length) headers.set("content-length", length);
  return new Response(response.body, { status: 200, headers });
}
