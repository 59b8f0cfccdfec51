import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";

/** Fails with a clear message when `port` on 127.0.0.1 is taken. */
export async function assertPortFree(port: number, what: string, envVar: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use on 127.0.0.1. Is another \`npm start\` running? ` +
                `Stop it (Ctrl-C in its terminal), or choose another port with ${envVar}=<port>.`
            : `Cannot listen on 127.0.0.1:${port} for ${what}: ${error.message}`,
        ),
      );
    });
    server.listen(port, "127.0.0.1", () => server.close(() => resolve()));
  });
}

/** A free port chosen by the OS, for tests that start their own stack. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a long-running child in its own process group, logging to `logFile`, so that `stop()`
 * ends it and everything it started.
 */
export async function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv },
): Promise<ManagedProcess> {
  await mkdir(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: "w" });
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return new ManagedProcess(name, child, options.logFile);
}

export class ManagedProcess {
  readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => resolve(code));
      // A command that cannot be spawned at all (missing binary) ends here instead of crashing the parent.
      child.once("error", (error) => {
        process.stderr.write(`${name} could not start: ${error.message}\n`);
        resolve(-1);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null || this.pid === undefined) return;
    try {
      process.kill(-this.pid, "SIGTERM");
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-this.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Polls `probe` until it resolves truthy, failing after `timeoutMs` or as soon as `process` exits. */
export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  { timeoutMs, process: managed }: { timeoutMs: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void managed?.exited.then(() => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${managed!.name} exited before ${what}; see ${managed!.logFile}`);
    try {
      if (await probe()) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `Timed out after ${timeoutMs / 1000} s waiting for ${what}${managed ? `; see ${managed.logFile}` : ""}`,
  );
}

export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await response.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}
