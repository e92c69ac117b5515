// The audit log page (filters, paging, "Verify integrity", the latest hash, CSV) and the key
// inventory's CSV download: content, filters, tenancy. Every downloaded file is kept where the
// leak scan reads responses (leak/responses), so it is scanned for secrets like any page.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Download, Page } from "@playwright/test";
import pg from "pg";
import { test, expect, expectAccessible, openMerchant, ownerSession, signIn, snap, USERS } from "./fixtures";
import { demoOwnerState } from "./owners";
import { newKey } from "./flows";

const KEY_HEADER = [
  "Name",
  "Key ID",
  "Access key",
  "Environment",
  "Channel",
  "Status",
  "Permissions",
  "Created",
  "Created by",
  "Expires",
  "Last used",
  "Last rotated",
  "Error rate 24 h",
];

/** Keeps a downloaded file for the leak scan and returns its rows. */
function keep(name: string, text: string): string[][] {
  const dir = join(process.env.KEYPORT_E2E_DATA_DIR!, "leak", "responses");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}-${Date.now().toString(36)}.csv`), text);
  return parse(text, { relax_column_count: false });
}
const downloaded = async (d: Download) => readFileSync((await d.path())!, "utf8");
async function download(page: Page, link: string) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: link }).click()]);
  return { name: file.suggestedFilename(), text: await downloaded(file) };
}
const merchantIdOf = (page: Page) => /\/merchants\/([0-9a-f-]{36})/.exec(page.url())![1];

test.describe("as the owner", () => {
  test.use(ownerSession);

  test("audit log: every row, filtered by action and key, paged on the server, verified, exported", async ({ page }) => {
    const keyName = `Audit ${Date.now().toString(36)}`;
    const secret = await newKey(page, keyName);
    await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Audit log" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Audit log" })).toBeVisible();
    const merchantId = merchantIdOf(page);

    // The latest hash, for an auditor to note down.
    await expect(page.getByRole("textbox", { name: "Latest hash" })).toHaveValue(/^[0-9a-f]{64}$/);
    const table = page.getByRole("table", { name: "Audit log, newest first" });
    await expect(table.getByRole("row").nth(1)).toContainText("key.created");
    await expect(table.getByRole("row").nth(1)).toContainText(keyName);

    // Verify integrity walks the whole chain.
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Integrity verified" })).toContainText(/all [\d,]+ rows follow the chain/);
    await expectAccessible(page);
    await snap(page, "audit-log");

    // Filters go to the URL; the server answers only matching rows.
    await page.getByLabel("Action").selectOption("key.created");
    await page.getByLabel("Key", { exact: true }).selectOption({ label: "Checkout backend" });
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/action=key\.created/);
    const rows = table.getByRole("row");
    await expect(rows).toHaveCount(2); // header + the seeded creation of "Checkout backend"
    await expect(rows.nth(1)).toContainText("Checkout backend");
    await snap(page, "audit-log-filtered");

    // A date range with nothing in it, and one that holds today.
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`/merchants/${merchantId}/audit?from=2000-01-01&to=2000-01-02`);
    await expect(page.getByText("No events match these filters.")).toBeVisible();
    await page.goto(`/merchants/${merchantId}/audit?from=${today}&to=${today}&action=key.created`);
    await expect(table.getByRole("row").filter({ hasText: keyName })).toHaveCount(1);
    // The date filters speak the app's format ("7 Dec 2026"), typed or read back.
    const written = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" }).format(
      new Date(),
    );
    const filters = page.getByRole("form", { name: "Filter the audit log" });
    await expect(filters.getByLabel("From", { exact: true })).toHaveValue(written);
    await filters.getByLabel("From", { exact: true }).fill(written);
    await filters.getByLabel("To", { exact: true }).fill("31 Feb 2026");
    await filters.getByRole("button", { name: "Apply filters" }).click();
    await expect(filters.getByText("Not a day: write it as 7 Dec 2026.")).toBeVisible();
    await expect(filters.getByLabel("To", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(filters.getByLabel("From", { exact: true })).toHaveValue(written);
    // Nonsense in the URL is ignored, never an error page.
    const odd = await page.goto(`/merchants/${merchantId}/audit?page=-4&from=yesterday&to=0000-01-01&key=%00'&actor=${"x".repeat(400)}`);
    expect(odd?.status()).toBe(200);

    // Paging: 50 rows a page, and the pager moves through them. More than a page of rows first
    // (written as any change writes them: the chain's trigger gives each its place).
    const { url: dbUrl } = JSON.parse(readFileSync(join(process.env.KEYPORT_E2E_DATA_DIR!, "postgres.json"), "utf8")) as { url: string };
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(
      `INSERT INTO audit_events (id, merchant_id, actor_email, action) SELECT gen_random_uuid(), $1::uuid, 'system', 'test.paging' FROM generate_series(1, 55)`,
      [merchantId],
    );
    await client.end();
    await page.goto(`/merchants/${merchantId}/audit`);
    const total = Number((await page.getByText(/^Rows 1–\d+ of \d+$/).textContent())!.replace(/.* of /, ""));
    expect(total).toBeGreaterThan(55);
    await page.getByRole("link", { name: "Next" }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(page.getByText(new RegExp(`^Rows 51–\\d+ of ${total}$`))).toBeVisible();

    // CSV of the filtered log.
    await page.goto(`/merchants/${merchantId}/audit?action=key.created`);
    const csv = await download(page, "Export CSV");
    expect(csv.name).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...lines] = keep("audit", csv.text);
    expect(header).toEqual(["Row", "Time", "Actor", "Action", "Key ID", "Key", "Client IP", "Before", "After", "Event ID", "Hash"]);
    expect(lines.length).toBeGreaterThan(1);
    expect(new Set(lines.map((l) => l[3]))).toEqual(new Set(["key.created"]));
    expect(lines.some((l) => l[5] === keyName)).toBe(true);
    expect(csv.text).not.toContain(secret);
    expect(csv.text).not.toContain(createHash("sha256").update(secret).digest("hex"));
  });

  test("keys CSV: the grid's filters, every column, a known key, nobody else's, streamed as text/csv", async ({ page }) => {
    await openMerchant(page, "Acme Payments");
    const merchantId = merchantIdOf(page);
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", `/merchants/${merchantId}/developers/keys.csv`);
    await snap(page, "keys-export-link");
    const all = await download(page, "Export CSV");
    expect(all.name).toMatch(/^api-keys-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = keep("keys", all.text);
    expect(header).toEqual(KEY_HEADER);
    const checkout = rows.find((r) => r[0] === "Checkout backend");
    expect(checkout).toBeTruthy();
    expect(checkout![2]).toMatch(/^ak_live_/);
    expect(checkout![3]).toBe("Production");
    expect(checkout![8]).toBe("owner@acme.test");
    expect(rows.map((r) => r[5])).toContain("Revoked");
    expect(all.text).not.toContain("Globex");

    // The toolbar's link carries the grid's filters.
    await page.getByRole("navigation", { name: "Environment" }).getByRole("link", { name: "Sandbox" }).click();
    await expect(page).toHaveURL(/env=sandbox/);
    await expect(page.getByRole("link", { name: "Export CSV" })).toHaveAttribute("href", /keys\.csv\?env=sandbox/);
    const sandbox = keep("keys-sandbox", (await download(page, "Export CSV")).text).slice(1);
    expect(sandbox.length).toBeGreaterThan(0);
    expect(new Set(sandbox.map((r) => r[3]))).toEqual(new Set(["Sandbox"]));

    // The bulk bar's "Export": ids, with the headers of a download.
    const res = await page.request.get(`/merchants/${merchantId}/developers/keys.csv?ids=${checkout![1]}`);
    expect(res.status()).toBe(200);
    expect(res.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers()["content-disposition"]).toMatch(/^attachment; filename="api-keys-/);
    expect(res.headers()["cache-control"]).toContain("no-store");
    const one = keep("keys-ids", await res.text());
    expect(one.slice(1).map((r) => r[0])).toEqual(["Checkout backend"]);
    const bad = await page.request.get(`/merchants/${merchantId}/developers/keys.csv?ids=1;DROP`);
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("ids must be a comma-separated list of API key ids.");
  });
});

test("another merchant's user gets 404 from both files; a developer sees no audit log", async ({ page, browser }) => {
  const owner = await browser.newContext({ storageState: demoOwnerState(), baseURL: test.info().project.use.baseURL });
  const ownerPage = await owner.newPage();
  await openMerchant(ownerPage, "Acme Payments");
  const acme = merchantIdOf(ownerPage);
  await owner.close();

  await signIn(page, USERS.globex);
  for (const path of [`/merchants/${acme}/developers/keys.csv`, `/merchants/${acme}/audit/audit.csv`, `/merchants/${acme}/audit`]) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(404);
    const body = await res.text();
    for (const s of ["Acme Payments", "Checkout backend", "owner@acme.test", "ak_live_"]) expect(body, path).not.toContain(s);
  }
  // Globex's own file holds Globex's keys only.
  await openMerchant(page, "Globex Retail");
  const globex = keep("keys-globex", (await download(page, "Export CSV")).text);
  expect(globex.slice(1).map((r) => r[0])).toContain("Globex checkout");
  expect(globex.slice(1).map((r) => r[0])).not.toContain("Checkout backend");

  // Fresh contexts, not cleared cookies: a response still in flight could set the session again.
  const baseURL = test.info().project.use.baseURL;
  const devContext = await browser.newContext({ baseURL });
  const dev = await devContext.newPage();
  await signIn(dev, USERS.developer);
  await openMerchant(dev, "Acme Payments");
  await expect(dev.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await dev.goto(`/merchants/${acme}/audit`);
  await expect(dev.getByText("Only owners and admins can see the audit log.")).toBeVisible();
  await expect(dev.getByRole("table")).toHaveCount(0);
  expect((await dev.request.get(`/merchants/${acme}/audit/audit.csv`)).status()).toBe(403);
  expect((await dev.request.get(`/merchants/${acme}/developers/keys.csv`)).status()).toBe(200);
  await devContext.close();

  // Signed out: the sign-in page, never the file.
  const anonymous = await browser.newContext({ baseURL });
  const out = await anonymous.request.get(`/merchants/${acme}/developers/keys.csv`, { maxRedirects: 0 });
  expect([302, 303, 307]).toContain(out.status());
  expect(out.headers().location).toContain("/login");
  await anonymous.close();
});

test("verify integrity names the row an SQL edit changed, and passes again once it is put back", async ({ page }) => {
  await signIn(page, USERS.globex);
  await openMerchant(page, "Globex Retail");
  await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Audit log" })).toBeVisible();
  const merchantId = merchantIdOf(page);
  // The app's own embedded server, as someone with database access would reach it.
  const { url } = JSON.parse(readFileSync(join(process.env.KEYPORT_E2E_DATA_DIR!, "postgres.json"), "utf8")) as { url: string };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const {
      rows: [row],
    } = await client.query<{ id: string; seq: number; actor_email: string }>(
      "SELECT id, seq, actor_email FROM audit_events WHERE merchant_id = $1 ORDER BY seq LIMIT 1",
      [merchantId],
    );
    await client.query("UPDATE audit_events SET actor_email = 'mallory@example.test' WHERE id = $1", [row.id]);
    try {
      await page.getByRole("button", { name: "Verify integrity" }).click();
      const failed = page.getByRole("status").filter({ hasText: "Integrity check failed" });
      await expect(failed).toContainText(`Row #${row.seq} does not match its hash`);
      await expect(failed).toContainText(row.id);
      await expectAccessible(page);
      await snap(page, "audit-log-broken");
    } finally {
      await client.query("UPDATE audit_events SET actor_email = $2 WHERE id = $1", [row.id, row.actor_email]);
    }
    await page.getByRole("button", { name: "Verify integrity" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Integrity verified" })).toBeVisible();
  } finally {
    await client.end();
  }
});
