import { test, expect, ownerSession, expectAccessible, snap, confirmWithCode } from "./fixtures";
import { newKey, newSubAccount, openDialog, unique } from "./flows";

test.use(ownerSession);

test("select keys, see what each bulk action skips and why, disable in bulk and revoke with one code", async ({ page }) => {
  const sub = await newSubAccount(page, "E2E bulk");
  const names = [unique("E2E bulk a"), unique("E2E bulk b"), unique("E2E bulk c")];
  for (const name of names) await newKey(page, name, "Sandbox", sub.name);
  await page.goto(`/merchants/${sub.id}/developers`);
  const grid = page.getByRole("table");
  const bar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bar).toHaveCount(0);

  await grid.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(bar).toContainText("3 selected");
  const exportHref = await bar.getByRole("link", { name: "Export" }).getAttribute("href");
  expect(exportHref).toMatch(new RegExp(`^/merchants/${sub.id}/developers/keys\\.csv\\?ids=[0-9a-f-]{36}(%2C[0-9a-f-]{36}){2}$`));

  // Revoke applies to disabled keys only: nothing to do yet, and the dialog says why.
  let dialog = await openDialog(page, "Revoke", "Revoke API keys");
  await expect(dialog).toContainText("Nothing to do: none of the 3 selected keys can be revoked.");
  await expect(dialog.getByRole("group", { name: "Skipped keys" })).toContainText(
    "3 keys will be skipped: 3 still enabled (only disabled keys can be revoked).",
  );
  await dialog.getByRole("checkbox", { name: "I understand that revoking cannot be undone" }).check();
  await expect(dialog.getByRole("button", { name: "Next" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // Disable two of them.
  await grid.getByRole("checkbox", { name: `Select ${names[2]}` }).uncheck();
  await expect(bar).toContainText("2 selected");
  // Export is the selection, as a CSV file from the inventory export.
  const csv = await page.request.get((await bar.getByRole("link", { name: "Export" }).getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/text\/csv/);
  const body = await csv.text();
  expect(body).toContain(names[0]);
  expect(body).toContain(names[1]);
  expect(body).not.toContain(names[2]);
  dialog = await openDialog(page, "Disable", "Disable API keys");
  await expect(dialog).toContainText("2 keys of the 2 selected will be disabled.");
  await expect(dialog.getByRole("status")).toContainText("No successful requests in the last 7 days.");
  await dialog.getByRole("checkbox", { name: "I understand that integrations using these keys will stop working" }).check();
  await dialog.getByRole("button", { name: "Disable", exact: true }).click();
  let result = page.getByRole("dialog", { name: "Bulk action result" });
  await expect(result.getByRole("region", { name: "Succeeded" })).toContainText(names[0]);
  await expect(result.getByRole("region", { name: "Succeeded" })).toContainText(names[1]);
  await expect(result.getByRole("region", { name: "Refused" })).toHaveCount(0);
  await expectAccessible(page);
  await snap(page, "bulk-disable-result");
  await result.getByRole("button", { name: "Done" }).click();
  for (const name of names.slice(0, 2)) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Disabled");
  await expect(bar).toHaveCount(0);

  // Revoke all three: the enabled one is skipped, explained before confirming, and listed in the result.
  await grid.getByRole("checkbox", { name: "Select all on this page" }).check();
  await expect(bar).toContainText("3 selected");
  await expectAccessible(page);
  await snap(page, "bulk-selection");
  dialog = await openDialog(page, "Revoke", "Revoke API keys");
  await expect(dialog).toContainText("2 keys of the 3 selected will be revoked.");
  const skipped = dialog.getByRole("group", { name: "Skipped keys" });
  await expect(skipped).toContainText("1 key will be skipped: 1 still enabled (only disabled keys can be revoked).");
  await expect(skipped).toContainText(`${names[2]}: still enabled`);
  await expect(dialog.getByRole("status")).toContainText("No successful requests in the last 7 days.");
  await dialog.getByRole("checkbox", { name: "I understand that revoking cannot be undone" }).check();
  await expectAccessible(page);
  await snap(page, "bulk-revoke-skip-explanation");
  await dialog.getByRole("button", { name: "Next" }).click();
  await confirmWithCode(page, "Revoke");
  result = page.getByRole("dialog", { name: "Bulk action result" });
  await expect(result.getByRole("region", { name: "Succeeded" })).toContainText("Succeeded (2)");
  await expect(result.getByRole("region", { name: "Refused" })).toContainText(`${names[2]}: still enabled`);
  await snap(page, "bulk-revoke-result");
  await result.getByRole("button", { name: "Done" }).click();
  for (const name of names.slice(0, 2)) await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");
  await expect(page.getByRole("row", { name: new RegExp(names[2]) })).toContainText("Enabled");
});

test("the impact preview counts a key's traffic, warns while it is in use, and says so for a fresh key", async ({ page, request }) => {
  const fresh = unique("E2E impact fresh");
  await newKey(page, fresh, "Sandbox");
  let dialog = await openDialog(page, "Disable", "Disable API key");
  await expect(dialog.getByRole("status")).toHaveText(/No successful requests in the last 7 days\./);
  await expect(dialog.getByRole("status")).not.toHaveAttribute("data-warning");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  // Rotating previews the traffic only when the old key stops at once ("Now").
  for (const [grace, shown] of [
    ["24 hours", 0],
    ["Now", 1],
  ] as const) {
    const choose = await openDialog(page, "Rotate", "Choose when to revoke the existing key");
    await choose.getByRole("radio", { name: grace, exact: true }).check();
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    await expect(warning.getByRole("status")).toHaveCount(shown);
    if (shown) await expect(warning.getByRole("status")).toHaveText(/No successful requests in the last 7 days\./);
    await warning.getByRole("button", { name: "Cancel" }).click();
  }

  const name = unique("E2E impact busy");
  const secret = await newKey(page, name, "Sandbox");
  for (let i = 0; i < 3; i++) {
    const res = await request.post("/api/v1/keys/verify", { data: { key: secret } });
    expect((await res.json()).outcome).toBe("VALID");
  }
  const text =
    /3 successful requests from 1 IP address in the last 7 days\. Last used (less than a minute|1 minute) ago from 127\.0\.0\.1\./;
  // Counts are flushed within a second or so: the dialog reads them when it opens.
  await expect(async () => {
    dialog = await openDialog(page, "Disable", "Disable API key");
    try {
      await expect(dialog.getByRole("status")).toContainText(text, { timeout: 1000 });
    } finally {
      await dialog.getByRole("button", { name: "Cancel" }).click();
    }
  }).toPass({ timeout: 20_000 });
  dialog = await openDialog(page, "Disable", "Disable API key");
  await expect(dialog.getByRole("status")).toHaveAttribute("data-warning", "true");
  await dialog.getByRole("checkbox").check();
  await dialog.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(page.getByText("Disabled", { exact: true }).first()).toBeVisible();

  dialog = await openDialog(page, "Revoke", "Revoke API key");
  const preview = dialog.getByRole("status");
  await expect(preview).toContainText(text);
  await expect(preview).toContainText("In use in the last 15 minutes");
  await expectAccessible(page);
  await snap(page, "impact-preview-revoke");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // A key only ever refused (disabled before any use, then tried) is not in use: no warning.
  const idle = unique("E2E impact refused");
  const idleSecret = await newKey(page, idle, "Sandbox");
  dialog = await openDialog(page, "Disable", "Disable API key");
  await dialog.getByRole("checkbox").check();
  await dialog.getByRole("button", { name: "Disable", exact: true }).click();
  await expect(page.getByText("Disabled", { exact: true }).first()).toBeVisible();
  await expect
    .poll(async () => (await (await request.post("/api/v1/keys/verify", { data: { key: idleSecret } })).json()).outcome)
    .toBe("DISABLED");
  await expect(async () => {
    dialog = await openDialog(page, "Revoke", "Revoke API key");
    try {
      await expect(dialog.getByRole("status")).toContainText(
        /No successful requests in the last 7 days\. \d+ refused requests? in the last 7 days (is|are) not counted\./,
        { timeout: 1000 },
      );
    } finally {
      await dialog.getByRole("button", { name: "Cancel" }).click();
    }
  }).toPass({ timeout: 20_000 });
  dialog = await openDialog(page, "Revoke", "Revoke API key");
  await expect(dialog.getByRole("status")).not.toHaveAttribute("data-warning", "true");
  await expect(dialog.getByRole("status")).not.toContainText("In use");
});
