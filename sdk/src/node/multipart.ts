/**
 * Streaming reader for the one-file `multipart/form-data` bodies Kubo's `add` receives: yields
 * the first file part's content as it arrives, holding at most one network chunk plus the
 * boundary length in memory.
 */
import type { IncomingMessage } from "node:http";

export function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  return match?.[1] ?? match?.[2]?.trim();
}

export async function* firstFilePart(
  request: AsyncIterable<Buffer> | IncomingMessage,
  boundary: string,
): AsyncGenerator<Uint8Array> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = Buffer.alloc(0);
  let inBody = false;
  let done = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (done) continue; // drain the rest (further parts, the closing delimiter)
    buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
    if (!inBody) {
      // "--boundary\r\n" headers "\r\n\r\n"
      const headerEnd = buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) {
        if (buffer.length > 64 * 1024) throw new Error("multipart part headers too long");
        continue;
      }
      if (!buffer.subarray(0, headerEnd).toString("latin1").startsWith(`--${boundary}`)) {
        throw new Error("multipart body does not start with its boundary");
      }
      buffer = buffer.subarray(headerEnd + 4);
      inBody = true;
    }
    const end = buffer.indexOf(delimiter);
    if (end >= 0) {
      if (end > 0) yield buffer.subarray(0, end);
      done = true;
      buffer = Buffer.alloc(0);
      continue;
    }
    // Keep a tail that might be the start of the delimiter.
    const safe = buffer.length - (delimiter.length - 1);
    if (safe > 0) {
      yield buffer.subarray(0, safe);
      buffer = buffer.subarray(safe);
    }
  }
  if (!done) throw new Error("multipart body ended before its closing boundary");
}
