/**
 * Debian's Chromium driven by playwright-core, one fresh profile per test, and `step()`, which
 * saves a screenshot into e2e/artifacts/ whenever a step fails.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

export const ARTIFACTS = path.resolve(import.meta.dirname, "artifacts");

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page, reported with a failing step. */
  pageErrors: string[];
  close(): Promise<void>;
}

export async function openBrowser(options: { viewport?: { width: number; height: number } } = {}): Promise<Session> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "careledger-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return {
    context,
    page,
    pageErrors,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Runs one user-visible step. On failure it saves `e2e/artifacts/<test>--<step>.png` and rethrows
 * with the screenshot path and the page's recent errors, so a red run explains itself.
 */
export async function step<T>(session: Session, name: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${slug(currentTest)}--${slug(name)}.png`);
    let saved = "";
    try {
      await session.page.screenshot({ path: file, fullPage: true });
      saved = `\n  screenshot: ${path.relative(process.cwd(), file)}`;
    } catch {
      saved = "\n  (no screenshot: the page was gone)";
    }
    const errors = session.pageErrors
      .slice(-5)
      .map((e) => `\n  page error: ${e}`)
      .join("");
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`Step "${name}" failed: ${message}${saved}${errors}`, { cause: error });
  }
}

let currentTest = "test";
/** Names the screenshots of the steps that follow. */
export function startTest(name: string) {
  currentTest = name;
}

function slug(text: string) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}
