/**
 * Screenshots of each role's main view in the seeded demo world, for the README:
 * docs/screenshots/{patient,provider,insurer,authority}.png.
 *
 *   node --import tsx e2e/screenshots.ts          # starts its own stack (or uses run.ts's)
 *
 * Seeded actors (scripts/seed): authority 0, provider 1 (Dr. Amara Okafor), insurer 3 (Meridian
 * Health), patient 4 (Alice Moreau).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { ROOT } from "../scripts/lib/stack.js";
import { step, type Session } from "./browser.js";
import { connectWallet, localChain, openWorkspace, walletFor, withBrowser } from "./helpers.js";
import { useStack } from "./stack.js";

const OUT = path.join(ROOT, "docs", "screenshots");
const stack = await useStack();
const chains = [localChain(stack)];
const patientAddress = walletFor(4, chains).address;

type Role = "Patient" | "Provider" | "Insurer" | "Authority";
const shots: { role: Role; account: number; fullPage?: boolean; prepare: (session: Session) => Promise<void> }[] = [
  {
    role: "Patient",
    account: 4,
    // The decrypted timeline is long: the first screen shows what it looks like.
    fullPage: false,
    prepare: async ({ page }) => {
      await page.getByRole("button", { name: "Unlock with my wallet" }).first().click();
      await page.getByText(/records decrypted in this browser/).waitFor({ timeout: 60_000 });
      await page.waitForTimeout(2_000);
    },
  },
  {
    role: "Provider",
    account: 1,
    prepare: async ({ page }) => {
      await page.getByLabel("Patient address").fill(patientAddress);
      await page.getByRole("button", { name: "Find", exact: true }).click();
      await page.getByRole("heading", { name: "Records on chain" }).waitFor({ timeout: 30_000 });
      await page.getByTestId("record-row").first().waitFor({ timeout: 30_000 });
      await page.getByRole("heading", { name: "Your claims" }).waitFor();
      await page.waitForTimeout(1_500);
    },
  },
  {
    role: "Insurer",
    account: 3,
    prepare: async ({ page }) => {
      await page.getByRole("heading", { name: "Claims awaiting review" }).waitFor({ timeout: 30_000 });
      await page.getByTestId("pending-claim").first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_500);
    },
  },
  {
    role: "Authority",
    account: 0,
    prepare: async ({ page }) => {
      await page.getByRole("heading", { name: "Credential history" }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1_500);
    },
  },
];

await mkdir(OUT, { recursive: true });
try {
  for (const shot of shots) {
    const wallet = walletFor(shot.account, chains);
    await withBrowser(`screenshot ${shot.role}`, wallet, async (session) => {
      await connectWallet(session, wallet, stack.webUrl);
      await step(session, `${shot.role} main view`, async () => {
        await openWorkspace(session, shot.role);
        await shot.prepare(session);
        const file = path.join(OUT, `${shot.role.toLowerCase()}.png`);
        await session.page.screenshot({ path: file, fullPage: shot.fullPage ?? true });
        console.log(`saved ${path.relative(ROOT, file)}`);
      });
    });
  }
} finally {
  await stack.stop();
}
