import { concatBytes } from "@careledger/sdk/bytes";
import { NextResponse, type NextRequest } from "next/server";
import { checkCiphertext, ipfsApiUrl, maxBlobBytes } from "@/lib/server/ciphertext";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** checkCiphertext judges the header and the first MiB after it; the route reads that much first. */
const SAMPLE_BYTES = (1 << 20) + 64;

/**
 * POST /api/blobs — body: the ciphertext bytes (application/octet-stream).
 * Forwards to the storage server's Kubo-compatible `add` (CIDv1, raw leaves, 1 MiB chunks, pinned)
 * and answers `{ cid, size }`. Plaintext is refused with 415 and a reason. Once the first MiB has
 * passed the ciphertext check, the body streams through to the store as it arrives (the store
 * imports while the browser is still sending; nothing is buffered here beyond that first MiB), and
 * an upload over the size limit is cut off there with 413.
 */
export async function POST(request: NextRequest) {
  const type = request.headers.get("content-type")?.split(";")[0].trim();
  if (type !== "application/octet-stream") {
    return problem(415, "Send the encrypted blob as application/octet-stream.");
  }
  const tooLarge = () => problem(413, `Blobs are limited to ${maxBlobBytes / 1024 / 1024} MiB.`);
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBlobBytes) return tooLarge();
  if (!request.body) return problem(415, "The upload is empty.");

  const reader = request.body.getReader();
  const head: Uint8Array[] = [];
  let received = 0;
  let ended = false;
  try {
    while (received < SAMPLE_BYTES && !ended) {
      const next = await reader.read();
      if (next.done) ended = true;
      else {
        head.push(next.value);
        received += next.value.length;
      }
    }
  } catch {
    return problem(400, "The upload was cut short; send it again.");
  }
  const prefix = concatBytes(head);
  if (received > maxBlobBytes) return tooLarge();
  const verdict = checkCiphertext(prefix);
  if (!verdict.ok) {
    await reader.cancel().catch(() => undefined);
    return problem(415, verdict.reason);
  }

  const boundary = `careledger-${crypto.randomUUID()}`;
  const encoder = new TextEncoder();
  const closing = encoder.encode(`\r\n--${boundary}--\r\n`);
  let failure: "too-large" | "cut-short" | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
      );
      controller.enqueue(prefix);
      if (ended) {
        controller.enqueue(closing);
        controller.close();
      }
    },
    async pull(controller) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (error) {
        failure = "cut-short";
        return controller.error(error);
      }
      if (next.done) {
        controller.enqueue(closing);
        return controller.close();
      }
      received += next.value.length;
      if (received > maxBlobBytes) {
        failure = "too-large";
        await reader.cancel().catch(() => undefined);
        return controller.error(new Error("blob too large"));
      }
      controller.enqueue(next.value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  const url = `${ipfsApiUrl()}/api/v0/add?cid-version=1&raw-leaves=true&chunker=size-1048576&pin=true&quieter=true`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit & { duplex: "half" });
  } catch {
    if (failure === "too-large") return tooLarge();
    if (failure === "cut-short") return problem(400, "The upload was cut short; send it again.");
    return problem(502, "The storage server is not reachable. Is the local stack running?");
  }
  if (failure === "too-large") return tooLarge();
  if (!response.ok) return problem(502, `The storage server refused the blob (${response.status}).`);
  // Kubo answers one JSON object per line; the last one is the root.
  const lines = (await response.text()).trim().split("\n");
  const added = JSON.parse(lines[lines.length - 1]) as { Hash: string; Size?: string };
  return NextResponse.json({ cid: added.Hash, size: received }, { status: 201 });
}

function problem(status: number, message: string) {
  return NextResponse.json({ error: message }, { status });
}
