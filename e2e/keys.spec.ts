import type { Locator, Page } from "@playwright/test";
import { test, expect, signIn, expectAccessible, snap, openMerchant, USERS, ownerSession, confirmWithCode, openKey } from "./fixtures";
import { unique, openDialog } from "./flows";

/** Creates a key through the dialog and returns its one-time secret (the reveal dialog is then closed). */
async function createKeyThroughDialog(
  page: Page,
  name: string,
  opts: { environment?: "Sandbox" | "Production"; permissions?: string[]; ip?: string; shots?: boolean } = {},
) {
  const dialog = await openDialog(page, "+ Create API Key", "Create API Key");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill("Made by the e2e suite");
  await dialog.getByRole("radio", { name: opts.environment ?? "Sandbox" }).check();
  for (const p of opts.permissions ?? []) await dialog.getByRole("checkbox", { name: new RegExp(p) }).check();
  if (opts.ip) await dialog.getByLabel("IP allow-list").fill(opts.ip);
  if (opts.shots) {
    await expectAccessible(page);
    await snap(page, "create-key-dialog");
  }
  await dialog.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  await expect(reveal).toBeVisible();
  const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
  expect(secret).toMatch(opts.environment === "Production" ? /^kp_live_/ : /^kp_test_/);
  return { reveal, secret };
}

/** Ticks "I have saved", closes the reveal dialog and waits for the refreshed grid row. */
async function closeReveal(page: Page, reveal: Locator, name?: string) {
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  if (name) await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
}

test.describe("as the owner", () => {
  test.use(ownerSession);
  test.beforeEach(async ({ page }) => {
    await openMerchant(page, "Acme Payments");
  });

  test("create a key, copy the secret once, and never see it again", async ({ page }) => {
    const name = unique("E2E create");
    const { reveal, secret } = await createKeyThroughDialog(page, name, { permissions: ["refunds:write"], shots: true });
    await expect(reveal).toContainText("will not be shown again");
    await expectAccessible(page);
    await snap(page, "secret-reveal-dialog");
    await reveal.getByRole("button", { name: "Copy secret key" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Secret key copied" })).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    const done = reveal.getByRole("button", { name: "Done" });
    await expect(done).toBeDisabled();
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await done.click();
    await expect(reveal).toBeHidden();

    const row = page.getByRole("row", { name: new RegExp(name) });
    await expect(row).toContainText("Enabled");
    await row.getByRole("button", { name: `Copy access key of ${name}` }).click();
    const toast = page.getByRole("status").filter({ hasText: "Access key copied" });
    await expect(toast).toBeVisible();
    // The toast leaves the grid's pager free: it does not cover its buttons.
    const pager = page.getByRole("navigation", { name: "Pagination" });
    await pager.scrollIntoViewIfNeeded();
    const box = (await toast.boundingBox())!;
    for (const button of await pager.getByRole("button").all()) {
      const b = await button.boundingBox();
      if (!b) continue;
      const overlaps = box.x < b.x + b.width && b.x < box.x + box.width && box.y < b.y + b.height && b.y < box.y + box.height;
      expect(overlaps, `the toast covers ${await button.textContent()}`).toBe(false);
    }
    await row.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    expect(await page.content()).not.toContain(secret);
    await expect(page.getByText(`kp_test_…${secret.slice(-4)}`)).toBeVisible();
    await expectAccessible(page);
    await snap(page, "key-details");
  });

  test("duplicate a key and get the same presets", async ({ page }) => {
    const name = unique("E2E dup");
    const { reveal } = await createKeyThroughDialog(page, name, {
      environment: "Production",
      permissions: ["webhooks:manage"],
      ip: "203.0.113.7\n10.0.0.0/8",
    });
    await closeReveal(page, reveal, name);
    await page.getByRole("link", { name }).click();
    // Duplicate opens the create form with the presets, every field still editable.
    const form = await openDialog(page, "Duplicate", "Duplicate API key");
    await expect(form.getByLabel("Name")).toHaveValue(`${name} (copy)`);
    await expect(form.getByRole("checkbox", { name: /webhooks:manage/ })).toBeChecked();
    await expect(form.getByLabel("IP allow-list")).toHaveValue("203.0.113.7\n10.0.0.0/8");
    await form.getByRole("checkbox", { name: /refunds:write/ }).check();
    await expectAccessible(page);
    await snap(page, "duplicate-key-dialog");
    await form.getByRole("button", { name: "Create API Key" }).click();
    const dupReveal = page.getByRole("dialog", { name: "Duplicate created" });
    await expect(dupReveal.getByTestId("revealed-secret")).toHaveText(/^kp_live_/);
    await closeReveal(page, dupReveal);
    await expect(page.getByRole("heading", { level: 2, name: `${name} (copy)` })).toBeVisible();
    const perms = page.getByRole("list", { name: "Permissions (fixed at creation)" });
    await expect(perms.getByRole("listitem")).toHaveText(["payments:read", "refunds:write", "webhooks:manage"]);
    await expect(page.getByLabel("Allowed addresses")).toHaveValue("203.0.113.7\n10.0.0.0/8");
    await expect(page.getByText("Production", { exact: true }).first()).toBeVisible();
    await expect(page.getByLabel("Description")).toHaveValue("Made by the e2e suite");
  });

  test("edit the name and description with Save changes, and reject a bad IP entry", async ({ page }) => {
    const name = unique("E2E edit");
    const { reveal } = await createKeyThroughDialog(page, name);
    await closeReveal(page, reveal, name);
    await page.getByRole("link", { name }).click();
    const save = page.getByRole("button", { name: "Save changes" });
    await expect(save).toBeDisabled();
    await page.getByLabel("Name").fill(`${name} renamed`);
    await page.getByLabel("Description").fill("Edited");
    await save.click();
    await expect(page.getByRole("status").filter({ hasText: "Changes saved" })).toBeVisible();
    await expect(page.getByRole("heading", { level: 2, name: `${name} renamed` })).toBeVisible();
    await expect(page.getByRole("list", { name: "Events, newest first" }).getByRole("listitem").first()).toContainText(
      "Name or description changed",
    );

    await page.getByLabel("Allowed addresses").fill("10.0.0.0/8\n300.1.1.1");
    await page.getByRole("button", { name: "Save IP allow-list" }).click();
    await expect(page.getByText("“300.1.1.1” is not an IPv4 or IPv6 address or CIDR range")).toBeVisible();
    await expectAccessible(page);
    await page.reload();
    await expect(page.getByLabel("Allowed addresses")).toHaveValue("");
  });

  test("disable, then revoke: the key stays on the grid as Revoked with no actions", async ({ page }) => {
    const name = unique("E2E revoke");
    const { reveal } = await createKeyThroughDialog(page, name);
    await closeReveal(page, reveal, name);
    await page.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible(); // the key page has loaded
    await expect(page.getByRole("button", { name: "Revoke" })).toHaveCount(0); // only on a Disabled key

    const disable = await openDialog(page, "Disable", "Disable API key");
    const confirm = disable.getByRole("button", { name: "Disable" });
    await expect(confirm).toBeDisabled();
    await disable.getByRole("checkbox").check();
    await expectAccessible(page);
    await snap(page, "disable-dialog");
    await confirm.click();
    await expect(page.getByText("Disabled", { exact: true }).first()).toBeVisible();

    const revoke = await openDialog(page, "Revoke", "Revoke API key");
    await expect(revoke.getByRole("button", { name: "Next" })).toBeDisabled();
    await revoke.getByRole("checkbox", { name: "I understand that revoking cannot be undone" }).check();
    await expectAccessible(page);
    await revoke.getByRole("button", { name: "Next" }).click();
    await expectAccessible(page);
    await snap(page, "otp-step");
    await confirmWithCode(page, "Revoke");
    await expect(page.getByText("This key is revoked. Nothing can change it any more.")).toBeVisible();
    for (const label of ["Duplicate", "Disable", "Activate", "Revoke", "Delete", "Regenerate", "Save changes", "Save IP allow-list"]) {
      await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
    }
    await page.getByRole("link", { name: "← All API keys" }).click();
    // Searched for: the grid lists Revoked keys last, behind every key the other tests add.
    await page.waitForURL(/\/developers(\?|$)/);
    const grid = new URL(page.url());
    grid.searchParams.set("q", name);
    await page.goto(grid.toString());
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
  });

  test("delete a key", async ({ page }) => {
    const name = unique("E2E delete");
    const { reveal } = await createKeyThroughDialog(page, name);
    await closeReveal(page, reveal, name);
    await page.getByRole("link", { name }).click();
    const dialog = await openDialog(page, "Delete", "Delete API key");
    await dialog.getByRole("checkbox").check();
    await expectAccessible(page);
    await snap(page, "delete-dialog");
    await dialog.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Delete");
    await expect(page).toHaveURL(/\/developers$/);
    await expect(page.getByRole("link", { name })).toHaveCount(0);
  });

  test("regenerate a key: a new secret, shown once", async ({ page }) => {
    const name = unique("E2E regen");
    const { reveal, secret } = await createKeyThroughDialog(page, name);
    await closeReveal(page, reveal, name);
    await page.getByRole("link", { name }).click();
    const dialog = await openDialog(page, "Regenerate", "Regenerate API key");
    await dialog.getByRole("checkbox").check();
    await expectAccessible(page);
    await dialog.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Get New Key");
    const fresh = page.getByRole("dialog", { name: "New secret key" });
    const next = (await fresh.getByTestId("revealed-secret").textContent())!.trim();
    expect(next).toMatch(/^kp_test_/);
    expect(next).not.toBe(secret);
    await closeReveal(page, fresh);
    await expect(page.getByText(`kp_test_…${next.slice(-4)}`)).toBeVisible();
    await expect(page.getByRole("list", { name: "Events, newest first" }).getByRole("listitem").first()).toContainText(
      "Secret regenerated",
    );
  });

  test("filter by environment and channel, search, and page through the grid with the state in the URL", async ({ page }) => {
    await page.getByRole("link", { name: "Production" }).click();
    await expect(page).toHaveURL(/env=production/);
    const grid = page.getByRole("table", { name: /API keys/ });
    await expect(grid.getByRole("row", { name: /Receipt mailer/ })).toHaveCount(0);
    await expect(grid.getByRole("row", { name: /Checkout backend/ })).toBeVisible();
    await page.getByLabel("Channel", { exact: true }).selectOption("FTP");
    await expect(page).toHaveURL(/env=production&channel=FTP/);
    await expect(grid.getByRole("row", { name: /Nightly settlement upload/ })).toBeVisible();
    await expect(grid.locator("tbody tr")).toHaveCount(1);
    await page.getByLabel("Channel", { exact: true }).selectOption("EMAIL");
    await expect(page.getByRole("heading", { name: "No Email keys yet" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Generate New Key", exact: true })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "developers-channel-empty");
    await page.getByRole("link", { name: "All", exact: true }).click();
    await expect(page).not.toHaveURL(/env=/);
    await page.getByLabel("Channel", { exact: true }).selectOption("");
    await expect(page).not.toHaveURL(/channel=/);
    // Search as one types, no Enter: the URL follows after a pause.
    await page.getByLabel("Search keys").pressSequentially("storefront");
    await expect(page).toHaveURL(/q=storefront/);
    await expect(grid.locator("tbody tr")).toHaveCount(1);
    await page.getByLabel("Search keys").fill("");
    await expect(page).not.toHaveURL(/q=/);
    await page.getByLabel("Search keys").fill("storefront");
    await expect(page).toHaveURL(/q=storefront/);
    await page.goto(page.url().replace(/\?.*/, "?sort=name&dir=asc"));
    await grid.getByRole("button", { name: /Name/ }).click();
    await expect(page).toHaveURL(/sort=name&dir=desc/);
  });
});

test("as the developer, only sandbox keys can be created", async ({ page }) => {
  await signIn(page, USERS.developer);
  await openMerchant(page, "Acme Payments");
  const dialog = await openDialog(page, "+ Create API Key", "Create API Key");
  await expect(dialog.getByRole("radio", { name: "Sandbox" })).toBeChecked();
  await expect(dialog.getByRole("radio", { name: "Production" })).toHaveCount(0);
  await expect(dialog.getByText("Production keys are created by owners and admins. Your role creates sandbox keys.")).toBeVisible();
  await snap(page, "create-key-dialog-developer");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  const name = unique("E2E dev");
  const { reveal } = await createKeyThroughDialog(page, name);
  await closeReveal(page, reveal, name);
  // No disable, revoke, delete or regenerate for developers.
  await openKey(page, "Checkout backend");
  for (const label of ["Disable", "Revoke", "Delete", "Regenerate", "Duplicate"])
    await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
});

test("as the viewer, no action buttons and no copy", async ({ page }) => {
  await signIn(page, USERS.viewer);
  await openMerchant(page, "Acme Payments");
  await expect(page.getByRole("button", { name: "+ Create API Key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Copy/ })).toHaveCount(0);
  await expect(page.getByRole("table", { name: /API keys/ })).toContainText("…");
  await openKey(page, "Checkout backend");
  await expect(page.getByRole("button", { name: /^Copy/ })).toHaveCount(0);
  for (const label of ["Duplicate", "Disable", "Activate", "Revoke", "Delete", "Regenerate", "Save changes", "Save IP allow-list"]) {
    await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
  }
  await expectAccessible(page);
  await snap(page, "key-details-viewer");
});
