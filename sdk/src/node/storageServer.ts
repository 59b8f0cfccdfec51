/**
 * The embedded store `npm start` runs: a Kubo-RPC-compatible HTTP server on 127.0.0.1 backed by
 * HeliaBlobStore. It serves the subset KuboBlobStore and kubo-rpc-client use:
 *   POST /api/v0/add  (multipart, streamed; cid-version=1, raw-leaves=true, chunker=size-1048576)
 *   POST /api/v0/cat, /api/v0/block/stat, /api/v0/pin/add, /api/v0/pin/ls, /api/v0/id, /api/v0/version
 * Errors use Kubo's shape: HTTP 500 with {"Message", "Code": 0, "Type": "error"}; like Kubo, only
 * POST is accepted. CORS admits the dApp origin(s) only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Readable } from "node:stream";
import { Busboy, type BusboyHeaders } from "@fastify/busboy";
import { ed25519 } from "@noble/curves/ed25519.js";
import { base58btc } from "multiformats/bases/base58";
import { CID } from "multiformats/cid";
import { SizeLimitError } from "../errors.js";
import { DEFAULT_MAX_BLOB_BYTES, UNIXFS_CHUNK_SIZE } from "../storage/blobStore.js";
import { HeliaBlobStore } from "./helia.js";

export interface StorageServerOptions {
  dataDir: string;
  /** 0 = pick a free port. */
  port?: number;
  host?: string;
  corsOrigins?: readonly string[];
  maxBlobBytes?: number;
}

export interface StorageServer {
  /** RPC base URL, e.g. http://127.0.0.1:5001 — give it to KuboBlobStore. */
  url: string;
  port: number;
  store: HeliaBlobStore;
  server: Server;
  close(): Promise<void>;
}

export const SERVER_VERSION = "0.1.0-careledger-embedded";

class RpcError extends Error {
  constructor(
    message: string,
    readonly status = 500,
  ) {
    super(message);
  }
}

/**
 * The first file part of a `multipart/form-data` body (what Kubo's `add` receives), streamed
 * as it arrives by @fastify/busboy; later parts are drained. A body cut short fails the stream.
 */
function firstFilePart(req: IncomingMessage): Promise<Readable> {
  return new Promise((resolve, reject) => {
    let parser: ReturnType<typeof Busboy>;
    try {
      parser = Busboy({ headers: req.headers as BusboyHeaders, limits: { headerSize: 64 * 1024 } });
    } catch {
      return reject(new RpcError("expected a multipart/form-data body", 400));
    }
    let file: Readable | undefined;
    parser.on("file", (_field, stream) => {
      if (file) return stream.resume();
      resolve((file = stream));
    });
    parser.on("error", (error: Error) => {
      const wrapped = new RpcError(`malformed multipart body: ${error.message}`, 400);
      if (file) file.destroy(wrapped);
      else reject(wrapped);
    });
    parser.on("finish", () => reject(new RpcError("the multipart body holds no file part", 400)));
    req.pipe(parser);
  });
}

function sendJson(res: ServerResponse, body: unknown, status = 200) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body) + "\n");
}

function arg(url: URL): CID {
  const value = url.searchParams.get("arg");
  if (!value) throw new RpcError('argument "ipfs-path" is required', 400);
  try {
    return CID.parse(value.replace(/^\/ipfs\//, ""));
  } catch {
    throw new RpcError(`invalid path "${value}": not a CID`, 400);
  }
}

/**
 * A syntactically valid libp2p peer id (kubo-rpc-client parses it); the node never joins a network,
 * so the key behind it is throwaway.
 */
function randomPeerId(): string {
  const publicKey = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
  const protobuf = Uint8Array.of(0x08, 0x01, 0x12, 0x20, ...publicKey);
  return base58btc.baseEncode(Uint8Array.of(0x00, protobuf.length, ...protobuf));
}

export async function startStorageServer(options: StorageServerOptions): Promise<StorageServer> {
  const maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES;
  const store = await HeliaBlobStore.open({ dataDir: options.dataDir, name: `helia:${options.dataDir}`, maxBlobBytes });
  const peerId = randomPeerId();
  const corsOrigins = new Set(options.corsOrigins ?? ["http://127.0.0.1:3000", "http://localhost:3000"]);

  const handlers: Record<string, (url: URL, req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    async add(url, req, res) {
      const cidVersion = url.searchParams.get("cid-version") ?? "0";
      const rawLeaves = url.searchParams.get("raw-leaves") ?? "false";
      const chunker = url.searchParams.get("chunker") ?? "size-262144";
      const hash = url.searchParams.get("hash") ?? "sha2-256";
      if (
        cidVersion !== "1" ||
        rawLeaves !== "true" ||
        chunker !== `size-${UNIXFS_CHUNK_SIZE}` ||
        hash !== "sha2-256"
      ) {
        throw new RpcError(
          `this embedded node only imports with the unixfs-v1-2025 profile (cid-version=1, raw-leaves=true, chunker=size-${UNIXFS_CHUNK_SIZE}, hash=sha2-256); got cid-version=${cidVersion}, raw-leaves=${rawLeaves}, chunker=${chunker}, hash=${hash}`,
          400,
        );
      }
      const length = Number(req.headers["content-length"] ?? NaN);
      if (length > maxBlobBytes + 64 * 1024) throw new SizeLimitError(length, maxBlobBytes);
      const file = await firstFilePart(req);
      let size = 0;
      async function* counted() {
        try {
          for await (const chunk of file as AsyncIterable<Uint8Array>) {
            size += chunk.length;
            yield chunk;
          }
        } catch (error) {
          if (error instanceof RpcError) throw error;
          throw new RpcError(`malformed multipart body: ${(error as Error).message}`, 400);
        }
      }
      const cid = await store.put(counted());
      const name = cid.toString();
      sendJson(res, { Name: name, Hash: name, Size: String(size) });
    },
    async cat(url, _req, res) {
      const cid = arg(url);
      if (!(await store.has(cid)))
        throw new RpcError(`block was not found locally (offline): ipld: could not find ${cid}`);
      const iterator = store.stream(cid)[Symbol.asyncIterator]();
      const first = await iterator.next(); // surface errors before the 200 goes out
      res.writeHead(200, { "Content-Type": "text/plain", "X-Stream-Output": "1" });
      if (!first.done) {
        if (!res.write(first.value)) await new Promise((r) => res.once("drain", r));
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          if (!res.write(next.value)) await new Promise((r) => res.once("drain", r));
        }
      }
      res.end();
    },
    async "block/stat"(url, _req, res) {
      const cid = arg(url);
      if (!(await store.has(cid)))
        throw new RpcError(`block was not found locally (offline): ipld: could not find ${cid}`);
      sendJson(res, { Key: cid.toString(), Size: await store.rootBlockSize(cid) });
    },
    async "pin/add"(url, _req, res) {
      const cid = arg(url);
      if (!(await store.has(cid)))
        throw new RpcError(`pin: block was not found locally (offline): ipld: could not find ${cid}`);
      await store.pin(cid);
      sendJson(res, { Pins: [cid.toString()] });
    },
    async "repo/gc"(_url, _req, res) {
      // Like Kubo: one line per block removed, once the collection is over.
      const removed: string[] = [];
      await store.gc({ onRemoved: (cid) => removed.push(cid.toString()) });
      res.writeHead(200, { "Content-Type": "application/json", "X-Chunked-Output": "1" });
      res.end(removed.map((cid) => JSON.stringify({ Key: { "/": cid } }) + "\n").join(""));
    },
    async "pin/ls"(url, _req, res) {
      const wanted = url.searchParams.getAll("arg").map((a) => CID.parse(a.replace(/^\/ipfs\//, "")));
      const lines: string[] = [];
      if (wanted.length > 0) {
        for (const cid of wanted) {
          if (!(await store.isPinned(cid))) throw new RpcError(`path '${cid}' is not pinned`);
          lines.push(JSON.stringify({ Cid: cid.toString(), Type: "recursive" }));
        }
      } else {
        for await (const cid of store.pins()) lines.push(JSON.stringify({ Cid: cid.toString(), Type: "recursive" }));
      }
      res.writeHead(200, { "Content-Type": "application/json", "X-Chunked-Output": "1" });
      res.end(lines.map((l) => l + "\n").join(""));
    },
    async id(_url, _req, res) {
      sendJson(res, {
        ID: peerId,
        PublicKey: "",
        Addresses: [],
        AgentVersion: `careledger-embedded/${SERVER_VERSION} (helia light, offline)`,
        Protocols: [],
      });
    },
    async version(_url, _req, res) {
      sendJson(res, {
        Version: SERVER_VERSION,
        Commit: "",
        Repo: "helia (blockstore-fs, datastore-level)",
        System: `${process.arch}/${process.platform}`,
        Golang: "",
      });
    },
  };

  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    if (origin && corsOrigins.has(origin)) {
      res.setHeader("Access-Control-Allow-Origin", origin);
      res.setHeader("Vary", "Origin");
      res.setHeader("Access-Control-Expose-Headers", "X-Stream-Output, X-Chunked-Output, X-Content-Length");
    }
    if (req.method === "OPTIONS") {
      if (origin && corsOrigins.has(origin)) {
        res.writeHead(204, {
          "Access-Control-Allow-Methods": "POST",
          "Access-Control-Allow-Headers": req.headers["access-control-request-headers"] ?? "Content-Type",
          "Access-Control-Max-Age": "600",
        });
      } else {
        res.writeHead(403);
      }
      res.end();
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (origin && !corsOrigins.has(origin)) {
      // Like Kubo: requests from browsers on other origins are refused outright.
      res.writeHead(403, { "Content-Type": "text/plain" });
      res.end("403 - Forbidden\n");
      return;
    }
    const command = url.pathname.replace(/^\/api\/v0\//, "");
    const handler = url.pathname.startsWith("/api/v0/") ? handlers[command] : undefined;
    if (!handler) {
      sendJson(res, { Message: `unknown command "${url.pathname}"`, Code: 0, Type: "error" }, 404);
      return;
    }
    if (req.method !== "POST") {
      sendJson(res, { Message: `method ${req.method} not allowed`, Code: 0, Type: "error" }, 405);
      return;
    }
    handler(url, req, res).catch((error: Error) => {
      const status = error instanceof SizeLimitError ? 413 : error instanceof RpcError ? error.status : 500;
      // An unread upload body would poison a kept-alive connection: close it after replying.
      if (!req.complete) res.setHeader("Connection", "close");
      if (!res.headersSent) sendJson(res, { Message: error.message, Code: 0, Type: "error" }, status);
      else res.destroy(error);
      req.resume();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${port}`,
    port,
    store,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
    },
  };
}
