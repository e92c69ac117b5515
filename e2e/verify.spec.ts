import { randomBytes } from "node:crypto";
import { test, expect, ownerSession, expectAccessible, snap } from "./fixtures";
import { newKey, rotate } from "./flows";

test.use(ownerSession);

test("verifications show up as error rate and last used, and previous-key traffic during a rotation", async ({ page, request }) => {
  const name = `E2E verify ${randomBytes(3).toString("hex")}`;
  const secret = await newKey(page, name, "Production");
  await page.getByRole("link", { name: "← All API keys" }).click();
  await page.waitForURL(/\/developers(\?.*)?$/); // before any reload: a reload would cancel the navigation

  const verify = (key: string, permissions?: string[]) => request.post("/api/v1/keys/verify", { data: { key, permissions } });
  for (let i = 0; i < 3; i++) expect((await (await verify(secret)).json()).outcome).toBe("VALID");
  expect((await (await verify(secret, ["refunds:write"])).json()).outcome).toBe("INSUFFICIENT_PERMISSIONS");

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(async () => {
    await page.reload();
    // Both counts in the cell, not only in a tooltip.
    await expect(row.getByRole("cell", { name: /25\.0%/ })).toContainText("3 ok · 1 failed", { timeout: 1000 });
    // "Last used" is written by the flush's next statement, after the counts: a reload between the
    // two shows the counts with "Never".
    await expect(row).not.toContainText("Never", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expectAccessible(page);
  await snap(page, "developers-error-rate");

  // Rotate with a 24-hour window, then keep using the old secret.
  await row.getByRole("link", { name }).click();
  await rotate(page, "24 hours");

  // The verifier learns of the rotation through the change feed within a second.
  await expect(async () => {
    const old = await verify(secret);
    const body = await old.json();
    expect(body.outcome).toBe("VALID");
    expect(body.rotation?.previousExpiresAt).toBeTruthy();
    expect(old.headers()["sunset"]).toBeTruthy();
  }).toPass({ timeout: 5000 });
  const traffic = page.getByRole("group", { name: "Traffic still on the previous key" });
  await expect(async () => {
    await page.reload();
    await expect(traffic).toContainText(/[1-9]\d* in the last hour/, { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(traffic).toContainText("127.0.0.1");
  await expect(page.getByRole("img", { name: /Verifications over the last 24 hours: \d+ succeeded, 1 failed/ })).toBeVisible();
  await expectAccessible(page);
  await snap(page, "key-card-previous-traffic");
});
