import { test as base, expect, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { freshCode } from "./otp";
import { leaseOwner, poolState, releaseOwner } from "./owners";

export { dbQuery } from "./db";

export const DEMO_PASSWORD = "keyport-demo";
export const USERS = {
  owner: "owner@acme.test",
  admin: "admin@acme.test",
  developer: "developer@acme.test",
  viewer: "viewer@acme.test",
  globex: "owner@globex.test",
} as const;

/**
 * Signs in through the form; users with an authenticator app get a fresh code. `code: "required"`
 * asserts the code is asked for (the demo owner, or a user a test has just enrolled): a sign-in
 * that skipped it would fail. Users other specs may enrol meanwhile answer it when asked.
 */
export async function signIn(
  page: Page,
  email: string,
  password = DEMO_PASSWORD,
  opts: { code?: "required" | "if-asked" } = { code: email === USERS.owner ? "required" : "if-asked" },
) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  const otp = page.getByLabel("Authentication code");
  if (opts.code === "required") await expect(otp).toBeVisible();
  else await expect(page.getByRole("heading", { name: "Merchants" }).or(otp)).toBeVisible();
  if (await otp.isVisible()) {
    await otp.fill(await freshCode(email));
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await expect(page).toHaveURL(/\/merchants/);
}

let leased: string | undefined;
/** The owner the running test acts as (a worker runs one test at a time): its own pool owner under `ownerSession`. */
export const currentOwner = () => leased ?? USERS.owner;

/**
 * A session of an owner of the demo merchants that no other running test holds, signed in by
 * global setup: no authenticator code is spent per test, and the test's step-up codes never wait
 * behind another test's (e2e/owners.ts).
 */
export const ownerSession = {
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  storageState: async ({}, use: (path: string) => Promise<void>) => asPoolOwner((mine) => use(poolState(mine))),
};

/** Runs `fn` as a pool owner of its own (for a test that signs in afresh instead of using `ownerSession`). */
export async function asPoolOwner<T>(fn: (email: string) => Promise<T>): Promise<T> {
  const before = leased;
  const mine = await leaseOwner();
  leased = mine;
  try {
    return await fn(mine);
  } finally {
    await releaseOwner(mine);
    leased = before;
  }
}

/** A browser context with no session at all (the tests' own storage state is not applied), and a page in it. */
export async function signedOutContext(browser: Browser) {
  const context = await browser.newContext({ baseURL: base.info().project.use.baseURL, storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

/** Completes the "Authenticator App" step of a dialog with a fresh code. */
export async function confirmWithCode(page: Page, confirmLabel: string, email = currentOwner()) {
  const dialog = page.getByRole("dialog", { name: "Authenticator App" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Authentication code").fill(await freshCode(email));
  await dialog.getByRole("button", { name: confirmLabel, exact: true }).click();
  return dialog;
}

/** Every page the suite visits must have no axe violations. */
export async function expectAccessible(page: Page) {
  // Frames are left out: the mailbox shows mail in a sandboxed iframe that scripts cannot enter.
  // axe.run in the page itself ("legacy mode"): the default runs each frame apart and then opens a
  // blank page to merge the results, a new renderer process per check (1.2 s of the 2.9 each check
  // took here). Frames are left out either way.
  const results = await new AxeBuilder({ page }).setLegacyMode().options({ iframes: false }).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Screenshots for people to look at; kept out of git under test-results/screens. */
export async function snap(page: Page, name: string) {
  mkdirSync("test-results/screens", { recursive: true });
  await page.screenshot({ path: `test-results/screens/${name}.png`, fullPage: true });
}

export async function openMerchant(page: Page, name: string) {
  await page.goto("/merchants");
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
}

/**
 * From a merchant's Developers tab, opens a key's page through the grid's search: the grid pages
 * 25 keys newest first, and the suite keeps adding keys to the demo merchants.
 */
export async function openKey(page: Page, name: string) {
  await page.waitForURL(/\/developers(\?|$)/);
  const url = new URL(page.url());
  url.searchParams.set("q", name);
  await page.goto(url.toString());
  await page.getByRole("link", { name, exact: true }).first().click();
  await page.waitForURL(/\/developers\/keys\//);
}

export const test = base;
export { expect };
