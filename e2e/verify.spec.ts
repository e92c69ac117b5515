import { randomBytes } from "node:crypto";
import { test, expect, openMerchant, ownerSession, confirmWithCode, expectAccessible, snap } from "./fixtures";

test.use(ownerSession);

test("verifications show up as error rate and last used, and previous-key traffic during a rotation", async ({ page, request }) => {
  const name = `E2E verify ${randomBytes(3).toString("hex")}`;
  await openMerchant(page, "Acme Payments");
  const create = page.getByRole("dialog", { name: "Create API Key" });
  await expect(async () => {
    await page.getByRole("button", { name: "+ Create API Key" }).first().click();
    await expect(create).toBeVisible({ timeout: 1000 });
  }).toPass();
  await create.getByLabel("Name").fill(name);
  await create.getByRole("radio", { name: "Production" }).check();
  await create.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();

  const verify = (key: string, permissions?: string[]) => request.post("/api/v1/keys/verify", { data: { key, permissions } });
  for (let i = 0; i < 3; i++) expect((await (await verify(secret)).json()).outcome).toBe("VALID");
  expect((await (await verify(secret, ["refunds:write"])).json()).outcome).toBe("INSUFFICIENT_PERMISSIONS");

  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(async () => {
    await page.reload();
    await expect(row.getByTitle("1 failed of 4 verifications in the last 24 hours")).toHaveText("25.0%", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await expect(row).not.toContainText("Never");
  await expectAccessible(page);
  await snap(page, "developers-error-rate");

  // Rotate with a 24-hour window, then keep using the old secret.
  await row.getByRole("link", { name }).click();
  const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
  await expect(async () => {
    await page.getByRole("button", { name: "Rotate", exact: true }).click();
    await expect(choose).toBeVisible({ timeout: 1000 });
  }).toPass();
  await choose.getByRole("button", { name: "Continue" }).click();
  const warning = page.getByRole("dialog", { name: "Warning!" });
  await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
  await warning.getByRole("button", { name: "Continue" }).click();
  await confirmWithCode(page, "Rotate");
  const newSecret = page.getByRole("dialog", { name: "New secret key" });
  await newSecret.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await newSecret.getByRole("button", { name: "Done" }).click();

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
