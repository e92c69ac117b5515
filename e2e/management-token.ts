import type { Page } from "@playwright/test";
import { currentOwner, expect, snap } from "./fixtures";
import { freshCode } from "./otp";

/**
 * The owner creates a management token on the merchant's "Management tokens" page, with a fresh
 * authenticator code, and reads it from the dialog that shows it once. Returns it with the
 * merchant's id (from the page's URL).
 */
export async function createManagementToken(page: Page, opts: { merchant?: string; name: string; scopes?: string[]; shots?: boolean }) {
  await page.goto("/merchants");
  await page.getByRole("link", { name: opts.merchant ?? "Acme Payments", exact: true }).click();
  await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Management tokens" }).click();
  await expect(page.getByRole("heading", { name: "Management tokens" })).toBeVisible();
  const merchantId = /\/merchants\/([0-9a-f-]{36})\//.exec(page.url())![1];
  await page.getByRole("button", { name: "Create token" }).click();
  const dialog = page.getByRole("dialog", { name: "Create management token" });
  await dialog.getByLabel("Name").fill(opts.name);
  const scopes = opts.scopes ?? ["keys:read", "keys:write", "keys:rotate", "keys:delete", "audit:read"];
  for (const s of ["keys:read", "keys:write", "keys:rotate", "keys:delete", "audit:read", "keys:verify"]) {
    const box = dialog.getByRole("checkbox", { name: new RegExp(`^${s} `) });
    if (scopes.includes(s)) await box.check();
    else await box.uncheck();
  }
  await dialog.getByLabel("Expires").selectOption("30d");
  if (opts.shots) await snap(page, "management-token-create");
  await dialog.getByRole("button", { name: "Continue" }).click();
  await dialog.getByLabel("Authentication code").fill(await freshCode(currentOwner()));
  if (opts.shots) await snap(page, "management-token-code");
  await dialog.getByRole("button", { name: "Create token" }).click();
  const reveal = page.getByRole("dialog", { name: "Save your management token" });
  await expect(reveal).toBeVisible();
  const token = (await reveal.getByTestId("revealed-token").textContent())!.trim();
  expect(token).toMatch(/^kpm_[0-9A-Za-z]{38}$/);
  if (opts.shots) await snap(page, "management-token-reveal");
  await reveal.getByRole("checkbox", { name: "I have saved this token" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
  return { token, merchantId };
}
