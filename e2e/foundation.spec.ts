import { test, expect, signIn, expectAccessible, snap, openMerchant, USERS, DEMO_PASSWORD } from "./fixtures";

test("the owner signs in, sees the merchants and the demo keys in the documented order", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
  await snap(page, "login");
  await signIn(page, USERS.owner);

  await expect(page.getByRole("heading", { level: 1, name: "Merchants" })).toBeVisible();
  const rows = page.getByRole("table", { name: "Merchant accounts you belong to" }).getByRole("row");
  await expect(rows.nth(1)).toContainText("Acme Payments");
  await expect(rows.nth(1)).toContainText("Master account");
  await expect(rows.nth(2)).toContainText("Acme EU");
  await expect(rows.nth(2)).toContainText("Sub-account");
  await expect(page.getByRole("link", { name: "Globex Retail" })).toHaveCount(0);
  await expect(page.getByText("Owner (acme)")).toBeVisible();
  await expectAccessible(page);
  await snap(page, "merchants");

  await page.getByRole("link", { name: "Acme Payments", exact: true }).click();
  await expect(page.getByRole("link", { name: "Developers" })).toHaveAttribute("aria-current", "page");
  const grid = page.getByRole("table", { name: /API keys/ });
  // Sort arrows are aria-hidden; compare the header words (the first column is the row checkboxes).
  const headers = await grid.getByRole("columnheader").evaluateAll((els) => els.map((e) => e.textContent!.replace(/[↕▲▼]/g, "").trim()));
  expect(headers).toEqual([
    "Select all on this page",
    "Name",
    "Access key",
    "Environment",
    "Channel",
    "Status",
    "Error rate",
    "Last used",
    "Expires",
  ]);
  // Status (Enabled, Disabled, Revoked), then newest first. Other specs may add keys meanwhile,
  // so only the demo keys' relative order is compared.
  const DEMO = [
    "Sandbox integration tests",
    "Storefront webhooks",
    "Receipt mailer",
    "Checkout backend",
    "Nightly settlement upload",
    "Legacy POS",
  ];
  // Other specs' keys can push demo keys onto later pages: read pages until all six are found.
  const developers = page.url();
  const names: string[] = [];
  for (let n = 1; n <= 40 && names.length < DEMO.length; n++) {
    if (n > 1) {
      const next = new URL(developers);
      next.searchParams.set("page", String(n));
      await page.goto(next.toString());
    }
    await expect(grid).toBeVisible();
    const onPage = await grid.locator("tbody tr td:nth-child(2)").allTextContents();
    if (onPage.length === 0) break;
    names.push(...onPage.filter((x) => DEMO.includes(x)));
  }
  if (page.url() !== developers) await page.goto(developers);
  expect(names).toEqual([
    "Sandbox integration tests",
    "Storefront webhooks",
    "Receipt mailer",
    "Checkout backend",
    "Nightly settlement upload",
    "Legacy POS",
  ]);
  const statuses = await grid.locator("tbody tr td:nth-child(6)").allTextContents();
  expect(statuses).toEqual(
    [...statuses].sort((a, b) => ["Enabled", "Disabled", "Revoked"].indexOf(a) - ["Enabled", "Disabled", "Revoked"].indexOf(b)),
  );
  for (const [name, status] of [
    ["Nightly settlement upload", "Disabled"],
    ["Legacy POS", "Revoked"],
  ]) {
    const search = new URL(developers);
    search.searchParams.set("q", name);
    await page.goto(search.toString());
    await expect(grid.getByRole("row", { name: new RegExp(name) })).toContainText(status);
  }
  const search = new URL(developers);
  search.searchParams.set("q", "Checkout backend");
  await page.goto(search.toString());
  await expect(grid.getByRole("button", { name: "Copy access key of Checkout backend" })).toBeVisible();
  await page.goto(developers);
  await expectAccessible(page);
  await snap(page, "developers");
});

test("a channel without keys shows the empty state with Generate New Key", async ({ page }) => {
  await signIn(page, USERS.admin);
  await openMerchant(page, "Acme EU");
  await page.getByLabel("Channel", { exact: true }).selectOption("FTP");
  await expect(page.getByRole("heading", { name: "No FTP keys yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Generate New Key", exact: true })).toBeVisible();
  await expectAccessible(page);
  await snap(page, "developers-empty");
});

test("a wrong password shows the message and does not sign in", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(USERS.owner);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Incorrect" })).toHaveText("Incorrect e-mail or password.");
  await expect(page).toHaveURL(/\/login/);
  await expectAccessible(page);
  await snap(page, "login-error");
  // An unknown e-mail gets exactly the same message.
  await page.getByLabel("E-mail").fill("nobody@acme.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Incorrect" })).toHaveText("Incorrect e-mail or password.");
});

test("a signed-out visit to a dashboard URL goes to the login page and back after sign-in", async ({ page }) => {
  await page.goto("/merchants");
  await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fmerchants/);
  await expect(page.getByRole("heading", { name: "Sign in to Keyport" })).toBeVisible();
});

test("a user of an unrelated merchant gets 404 for the master's URLs", async ({ page }) => {
  await signIn(page, USERS.admin);
  await openMerchant(page, "Acme Payments");
  const acmeUrl = page.url();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);

  await signIn(page, USERS.globex);
  const res = await page.goto(acmeUrl);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  // A merchant id that does not exist answers exactly the same.
  const missing = await page.goto("/merchants/00000000-0000-4000-8000-000000000000/developers");
  expect(missing?.status()).toBe(404);
  await expectAccessible(page);
  await snap(page, "not-found");
});

test("a session cookie replayed after sign-out is refused", async ({ page, context }) => {
  await signIn(page, USERS.viewer);
  const cookies = await context.cookies();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await context.addCookies(cookies);
  await page.goto("/merchants");
  await expect(page).toHaveURL(/\/login/);
});

test("the suite's accessibility check fails on a page with violations", async ({ page }) => {
  await page.setContent(`<html lang="en"><body><main><h1>Broken</h1><img src="data:," /><button></button></main></body></html>`);
  const failure = await expectAccessible(page).then(
    () => "",
    (err: Error) => err.message,
  );
  expect(failure).toContain("image-alt");
  expect(failure).toContain("button-name");
});
