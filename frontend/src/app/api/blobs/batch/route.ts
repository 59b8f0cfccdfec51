import { NextResponse, type NextRequest } from "next/server";
import { ipfsApiUrl, isCid } from "@/lib/server/ciphertext";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** At most this many blobs per request, each at most this large (bigger ones: GET /api/blobs/<cid>). */
const MAX_CIDS = 64;
const MAX_EACH = 4 * 1024 * 1024;

/**
 * POST /api/blobs/batch — body `{ "cids": ["bafk…", …] }` (≤ 64). Answers the blobs one after the
 * other, each as `u32 length ‖ bytes` (length 0xffffffff = not found / too large: fetch it alone),
 * in the order asked. A timeline of 200 records needs 4 requests instead of 200. Like the single
 * GET, it only ever carries ciphertext; the browser verifies each blob against its commitment.
 */
export async function POST(request: NextRequest) {
  const body = (await request.json().catch(() => undefined)) as { cids?: unknown } | undefined;
  const cids = Array.isArray(body?.cids) ? body.cids : undefined;
  if (!cids || cids.length === 0 || cids.length > MAX_CIDS || !cids.every((c) => typeof c === "string" && isCid(c))) {
    return NextResponse.json({ error: `Send { "cids": [...] } with 1 to ${MAX_CIDS} CIDs.` }, { status: 400 });
  }
  const blobs = await Promise.all(
    (cids as string[]).map(async (cid) => {
      try {
        const response = await fetch(`${ipfsApiUrl()}/api/v0/cat?arg=${encodeURIComponent(cid)}`, { method: "POST" });
        if (!response.ok) return undefined;
        const bytes = new Uint8Array(await response.arrayBuffer());
        return bytes.length <= MAX_EACH ? bytes : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  const total = blobs.reduce((n, b) => n + 4 + (b?.length ?? 0), 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const blob of blobs) {
    view.setUint32(offset, blob ? blob.length : 0xffffffff);
    offset += 4;
    if (blob) {
      out.set(blob, offset);
      offset += blob.length;
    }
  }
  return new Response(out, {
    status: 200,
    headers: {
      "content-type": "application/octet-stream",
      "x-content-type-options": "nosniff",
      "cache-control": "no-store",
    },
  });
}
