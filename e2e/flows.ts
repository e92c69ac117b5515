// Multi-step flows shared by the specs: create a key and open it, rotate it through the dialogs.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator, Page } from "@playwright/test";
import { expect, expectAccessible, snap, openMerchant, confirmWithCode } from "./fixtures";

/**
 * Clicks `button` until `target` shows: a click before hydration does nothing, and a dialog that
 * loads on first use may take a moment on a busy machine. It never clicks while `target` is open
 * (that click would wait behind the dialog until the test times out).
 */
export async function clickUntilVisible(button: Locator, target: Locator) {
  await expect(async () => {
    if (!(await target.isVisible())) await button.click({ timeout: 2000 });
    await expect(target).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
}

/** Creates a key through "+ Create API Key", closes the reveal, opens the key; returns its secret. */
export async function newKey(page: Page, name: string, environment: "Sandbox" | "Production" = "Sandbox", merchant = "Acme Payments") {
  await openMerchant(page, merchant);
  const create = page.getByRole("dialog", { name: "Create API Key" });
  await clickUntilVisible(page.getByRole("button", { name: "+ Create API Key" }).first(), create);
  await create.getByLabel("Name").fill(name);
  await create.getByRole("radio", { name: environment }).check();
  await create.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  const secret = (await reveal.getByTestId("revealed-secret").textContent())!;
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await page.getByRole("link", { name, exact: true }).click();
  await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
  return secret.trim();
}

/** Rotates the open key through its three dialog steps; returns the new secret. */
export async function rotate(page: Page, grace: string, shots = false) {
  const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
  await clickUntilVisible(page.getByRole("button", { name: "Rotate", exact: true }), choose);
  await expect(choose.getByRole("radio", { name: "24 hours" })).toBeChecked();
  for (const label of ["Now", "1 hour", "3 hours", "24 hours", "48 hours", "72 hours", "7 days"])
    await expect(choose.getByRole("radio", { name: label, exact: true })).toBeVisible();
  await choose.getByRole("radio", { name: grace, exact: true }).check();
  if (shots) {
    await expectAccessible(page);
    await snap(page, "rotate-1-choose");
  }
  await choose.getByRole("button", { name: "Next" }).click();
  const warning = page.getByRole("dialog", { name: "Warning!" });
  await expect(warning.getByRole("button", { name: "Next" })).toBeDisabled();
  await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
  if (shots) {
    await expectAccessible(page);
    await snap(page, "rotate-2-warning");
  }
  await warning.getByRole("button", { name: "Next" }).click();
  if (shots) {
    await expect(page.getByRole("dialog", { name: "Authenticator App" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "rotate-3-otp");
  }
  await confirmWithCode(page, "Submit");
  const reveal = page.getByRole("dialog", { name: "New secret key" });
  const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
  if (shots) {
    await expectAccessible(page);
    await snap(page, "rotate-4-secret");
  }
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  return secret;
}

/**
 * The link of an invitation to an address with no account, from the server log (the mailbox shows
 * mail only to its signed-in recipient, and the invitee cannot sign in yet).
 */
export async function invitationLink(page: Page, email: string): Promise<string> {
  const log = join(process.env.KEYPORT_E2E_DATA_DIR!, "server.log");
  const line = new RegExp(
    `\\[mail\\] Invitation for ${email.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(no account yet\\): (https?://\\S+/invite/[A-Za-z0-9_-]{43})`,
    "g",
  );
  const latest = () => [...(existsSync(log) ? readFileSync(log, "utf8") : "").matchAll(line)].at(-1)?.[1];
  await expect.poll(latest, { timeout: 20_000 }).toBeTruthy();
  // The log names the configured public address; the test server answers on 127.0.0.1.
  return new URL(new URL(latest()!).pathname, page.url()).toString();
}

/** Opens "Invite member" on the Members tab and fills it in; returns the dialog, not yet sent. */
export async function inviteThroughDialog(page: Page, email: string, role: string) {
  const dialog = page.getByRole("dialog", { name: "Invite member" });
  await clickUntilVisible(page.getByRole("button", { name: "Invite member" }), dialog);
  await dialog.getByLabel("E-mail").fill(email);
  await dialog.getByLabel("Role").selectOption({ label: role });
  return dialog;
}

/** "Set up authenticator app" on the Security page: the password again, then the QR code and secret. */
export async function startTotpSetup(page: Page, password: string) {
  await clickUntilVisible(page.getByRole("button", { name: "Set up authenticator app" }), page.getByLabel("Password"));
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByTestId("totp-secret")).toBeVisible();
  return (await page.getByTestId("totp-secret").textContent())!.trim();
}

/**
 * A fresh sub-account of Acme Payments, of the test's own (so no other test's keys join its bulk
 * batches); the demo owner is its owner through the master.
 */
export async function newSubAccount(page: Page, label: string) {
  const name = `${label} ${randomBytes(3).toString("hex")}`;
  await page.goto("/merchants");
  const dialog = page.getByRole("dialog", { name: "Create sub-account" });
  await clickUntilVisible(page.getByRole("button", { name: "Create sub-account of Acme Payments" }), dialog);
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByRole("button", { name: "Create sub-account" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return { name, id: /\/merchants\/([0-9a-f-]{36})/.exec(page.url())![1] };
}

/**
 * Opens the newest mail whose subject matches on /dev/mailbox, once the worker has rendered it
 * (a queued mail is listed before it is sent), and returns its body. `count` checks how many
 * matching mails the signed-in user has.
 */
export async function openMail(page: Page, subject: RegExp, count?: number) {
  const body = page.frameLocator("iframe").locator("body");
  await expect(async () => {
    await page.goto("/dev/mailbox");
    const links = page.getByRole("link", { name: subject });
    if (count !== undefined) await expect(links).toHaveCount(count, { timeout: 1000 });
    await page.goto((await links.first().getAttribute("href", { timeout: 1000 }))!);
    await expect(body).not.toBeEmpty({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  return body;
}

/** A label made unique per run, so tests running side by side never meet. */
export const unique = (label: string) => `${label} ${randomBytes(3).toString("hex")}`;

/** Clicks a button until its dialog shows (a click right after hydration can be lost), and returns the dialog. */
export async function openDialog(page: Page, button: string, dialog: string) {
  const d = page.getByRole("dialog", { name: dialog });
  await clickUntilVisible(page.getByRole("button", { name: button, exact: true }).first(), d);
  return d;
}
