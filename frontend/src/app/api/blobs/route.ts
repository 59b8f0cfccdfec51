import { NextResponse, type NextRequest } from "next/server";
import { checkCiphertext, ipfsApiUrl, maxBlobBytes } from "@/lib/server/ciphertext";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * POST /api/blobs — body: the ciphertext bytes (application/octet-stream).
 * Forwards to the storage server's Kubo-compatible `add` (CIDv1, raw leaves, 1 MiB chunks, pinned)
 * and answers `{ cid, size }`. Plaintext is refused with 415 and a reason.
 */
export async function POST(request: NextRequest) {
  const type = request.headers.get("content-type")?.split(";")[0].trim();
  if (type !== "application/octet-stream") {
    return problem(415, "Send the encrypted blob as application/octet-stream.");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBlobBytes) return problem(413, `Blobs are limited to ${maxBlobBytes / 1024 / 1024} MiB.`);

  const bytes = new Uint8Array(await request.arrayBuffer());
  if (bytes.length > maxBlobBytes) return problem(413, `Blobs are limited to ${maxBlobBytes / 1024 / 1024} MiB.`);
  const verdict = checkCiphertext(bytes);
  if (!verdict.ok) return problem(415, verdict.reason);

  const form = new FormData();
  form.append("file", new Blob([bytes], { type: "application/octet-stream" }), "blob");
  const url = `${ipfsApiUrl()}/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-1048576&pin=true&quieter=true`;
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", body: form });
  } catch {
    return problem(502, "The storage server is not reachable. Is the local stack running?");
  }
  if (!response.ok) return problem(502, `The storage server refused the blob (${response.status}).`);
  // Kubo answers one JSON object per line; the last one is the root.
  const lines = (await response.text()).trim().split("\n");
  const added = JSON.parse(lines[lines.length - 1]) as { Hash: string; Size?: string };
  return NextResponse.json({ cid: added.Hash, size: bytes.length }, { status: 201 });
}

function problem(status: number, message: string) {
  return NextResponse.json({ error: message }, { status });
}
