import { readFileSync } from "node:fs";
import {
  test,
  expect,
  signIn,
  expectAccessible,
  snap,
  openMerchant,
  USERS,
  ownerSession,
  confirmWithCode,
  DEMO_PASSWORD,
  openKey,
  currentOwner,
} from "./fixtures";
import { newKey, openMail, rotate, startTotpSetup, unique, clickUntilVisible } from "./flows";
import { freshCode, rememberSecret } from "./otp";

test.describe("as the owner", () => {
  test.use(ownerSession);

  test("rotate with 24 hours: both credentials on the card; then roll back", async ({ page }) => {
    const name = unique("E2E rotate");
    const first = await newKey(page, name);
    const second = await rotate(page, "24 hours", true);
    expect(second).not.toBe(first);
    const creds = page.getByRole("list", { name: "Credentials" });
    await expect(creds.getByRole("listitem")).toHaveCount(2);
    await expect(creds.getByRole("listitem").nth(0)).toContainText("Current");
    await expect(creds.getByRole("listitem").nth(0)).toContainText(second.slice(-4));
    await expect(creds.getByRole("listitem").nth(1)).toContainText("Previous");
    await expect(creds.getByRole("listitem").nth(1)).toContainText(
      /Stops working in 23h 59m|Stops working in 1d 0h|Stops working in 23h 5\dm/,
    );
    await expect(page.getByText(/Last rotated: \d/)).toBeVisible();
    await expect(page.getByRole("button", { name: "Rotate", exact: true })).toHaveCount(0);
    await snap(page, "key-card-rotation-window");

    const warning = page.getByRole("dialog", { name: "Warning!" });
    await clickUntilVisible(page.getByRole("button", { name: "Rollback", exact: true }), warning);
    await warning.getByRole("checkbox", { name: "I confirm rolling back the API keys immediately" }).check();
    await expectAccessible(page);
    await warning.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const rolled = page.getByRole("dialog", { name: "API key rolled back" });
    await expect(rolled).toContainText("Its previous secret works again");
    await expect(rolled).toContainText("The new secret no longer works");
    await expect(rolled.getByRole("listitem")).toContainText(name);
    await snap(page, "rollback-done");
    await rolled.getByRole("button", { name: "Done" }).click();
    await expect(creds.getByRole("listitem")).toHaveCount(1);
    await expect(creds.getByRole("listitem").first()).toContainText(first.slice(-4));
    await expect(page.getByRole("button", { name: "Rollback", exact: true })).toHaveCount(0);
  });

  test("rotate with Now: the old key stops at once and cannot be rolled back", async ({ page }) => {
    const name = unique("E2E now");
    await newKey(page, name);
    const next = await rotate(page, "Now");
    const creds = page.getByRole("list", { name: "Credentials" });
    await expect(creds.getByRole("listitem")).toHaveCount(1);
    await expect(creds.getByRole("listitem").first()).toContainText(next.slice(-4));
    await expect(page.getByRole("button", { name: "Rollback", exact: true })).toHaveCount(0);
  });

  test("a wrong code shows the error and changes nothing", async ({ page }) => {
    const name = unique("E2E wrong");
    const first = await newKey(page, name);
    const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
    await clickUntilVisible(page.getByRole("button", { name: "Rotate", exact: true }), choose);
    await choose.getByRole("button", { name: "Next" }).click();
    await page.getByRole("dialog", { name: "Warning!" }).getByRole("checkbox").check();
    await page.getByRole("dialog", { name: "Warning!" }).getByRole("button", { name: "Next" }).click();
    const otp = page.getByRole("dialog", { name: "Authenticator App" });
    await otp.getByLabel("Authentication code").fill("000000");
    await otp.getByRole("button", { name: "Submit" }).click();
    await expect(otp.getByRole("alert")).toHaveText(/That code is not valid/);
    await expectAccessible(page);
    await snap(page, "otp-wrong-code");
    await otp.getByRole("button", { name: "Cancel" }).click();
    await page.reload();
    const creds = page.getByRole("list", { name: "Credentials" });
    await expect(creds.getByRole("listitem")).toHaveCount(1);
    await expect(creds.getByRole("listitem").first()).toContainText(first.slice(-4));
    await expect(page.getByText("Last rotated: never")).toBeVisible();
  });

  test("bulk rotation on Credentials Details, with Copy all", async ({ page }) => {
    // On the sub-account, so that no other test's keys are rotated underneath it.
    const names = [unique("E2E bulk A"), unique("E2E bulk B")];
    for (const n of names) await newKey(page, n, "Sandbox", "Acme EU");
    await openMerchant(page, "Acme EU");
    // A sub-account's breadcrumb names its master account, which it links to.
    const crumbs = page.getByRole("navigation", { name: "Breadcrumb" });
    await expect(crumbs).toHaveText(/^Merchants\s*\/\s*Acme Payments\s*\/\s*Acme EU$/);
    await expect(crumbs.getByRole("link", { name: "Acme Payments" })).toHaveAttribute("href", /\/merchants\/[0-9a-f-]{36}\/developers$/);
    await page.getByRole("link", { name: "Credentials Details" }).click();
    await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
    await page.getByRole("link", { name: "Sandbox", exact: true }).click();
    await expect(page).toHaveURL(/env=sandbox/);
    await expectAccessible(page);
    await snap(page, "credentials-details");
    const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
    await clickUntilVisible(page.getByRole("button", { name: "Rotate API Keys" }), choose);
    await expect(choose.getByRole("group", { name: "Within" }).getByRole("radio", { name: "24 hours" })).toBeChecked();
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
    await warning.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const secrets = page.getByRole("dialog", { name: "New secret keys" });
    const items = secrets.getByRole("list", { name: "New secrets" }).getByRole("listitem");
    await expect(items.first()).toBeVisible();
    for (const n of names) await expect(items.filter({ hasText: n })).toHaveCount(1);
    // Each key: its access key, its secret and when its previous key stops.
    for (const item of await items.all()) {
      await expect(item.getByRole("button", { name: /^Copy access key of / })).toBeVisible();
      await expect(item.getByRole("button", { name: /^Copy secret of / })).toBeVisible();
      await expect(item).toContainText(/Previous key\s*stops \d/);
    }
    await secrets.getByRole("button", { name: "Copy all" }).click();
    const copied = (await page.evaluate(() => navigator.clipboard.readText())).split("\n");
    expect(copied[0]).toBe("name\taccess_key\tsecret\tprevious_expires_at");
    expect(copied).toHaveLength((await items.count()) + 1);
    for (const line of copied.slice(1)) expect(line).toMatch(/^.+\t\S+\tkp_test_[0-9A-Za-z]{38}\t\d{4}-\d\d-\d\dT[\d:.]+Z$/);
    const [file] = await Promise.all([page.waitForEvent("download"), secrets.getByRole("button", { name: "Download .env" }).click()]);
    expect(file.suggestedFilename()).toBe("keyport-rotated.env");
    const env = readFileSync((await file.path())!, "utf8");
    for (const line of copied.slice(1)) {
      const [, accessKey, secret] = line.split("\t");
      expect(env).toContain(`_ACCESS_KEY=${accessKey}\n`);
      expect(env).toContain(`_SECRET=${secret}\n`);
    }
    await expectAccessible(page);
    await snap(page, "bulk-secrets");
    await secrets.getByRole("checkbox", { name: "I have saved these secret keys" }).check();
    await secrets.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("row", { name: new RegExp(names[0]) })).toContainText("stops in");

    // Roll the whole environment back.
    await page.getByRole("button", { name: "Rollback API Keys" }).click();
    const rb = page.getByRole("dialog", { name: "Warning!" });
    await rb.getByRole("checkbox", { name: "I confirm rolling back the API keys immediately" }).check();
    await rb.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    // The confirmation: the keys rolled back, and what works now.
    const rolled = page.getByRole("dialog", { name: "API keys rolled back" });
    await expect(rolled).toContainText("the previous secret works again");
    await expect(rolled).toContainText("The new secrets no longer work");
    for (const n of names)
      await expect(rolled.getByRole("list", { name: "Rolled back keys" }).getByRole("listitem").filter({ hasText: n })).toHaveCount(1);
    await expectAccessible(page);
    await snap(page, "bulk-rollback-done");
    await rolled.getByRole("button", { name: "Done" }).click();
    await expect(rolled).toBeHidden();
    await expect(page.getByRole("row", { name: new RegExp(names[0]) })).not.toContainText("stops in");
    // One mail for the batch, listing the keys (not one per key).
    const digest = await openMail(page, /API keys rolled back: \d+ keys? of Acme EU \(sandbox\)/);
    for (const n of names) await expect(digest).toContainText(n);
  });

  test("the mails appear in the local mailbox", async ({ page }) => {
    const name = unique("E2E mail");
    await newKey(page, name);
    await rotate(page, "1 hour");
    const subject = new RegExp(`API key rotated: ${name}`);
    // Every Acme member got one; the signed-in owner sees only their own.
    await expect(async () => {
      await page.goto("/dev/mailbox");
      await expect(page.getByRole("link", { name: subject })).toHaveCount(1, { timeout: 1000 });
    }).toPass({ timeout: 15_000 });
    await expect(page.getByRole("link", { name: subject })).toContainText(`To ${currentOwner()}`);
    await expectAccessible(page);
    const body = await openMail(page, subject, 1);
    await expect(body).toContainText("An API key was rotated");
    await expect(body).toContainText(`Key: ${name}`);
    await expect(body).toContainText(`By: ${currentOwner()}`);
    await expect(body).toContainText("Previous key stops working:");
    await snap(page, "mailbox");
  });
});

test("enrol an authenticator app, with recovery codes, and sign in with a code", async ({ page }) => {
  await signIn(page, USERS.globex);
  await page.getByRole("link", { name: "Security" }).click();
  await expect(page.getByText("Off", { exact: true })).toBeVisible();
  const secret = await startTotpSetup(page, DEMO_PASSWORD);
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await expectAccessible(page);
  await snap(page, "security-enrol");
  await page.getByLabel("Authentication code").fill("123456");
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByText(/That code is not valid/)).toBeVisible();
  rememberSecret(USERS.globex, secret);
  await page.getByLabel("Authentication code").fill(await freshCode(USERS.globex, secret));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);
  await snap(page, "security-recovery-codes");
  // Signing in now asks for the code (signIn fails if the field never appears).
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, USERS.globex, undefined, { code: "required" });
  await expect(page.getByRole("heading", { name: "Merchants" })).toBeVisible();
});

test("as an admin: no rotate, regenerate, revoke or delete buttons", async ({ page }) => {
  await signIn(page, USERS.admin);
  await openMerchant(page, "Acme Payments");
  await openKey(page, "Checkout backend");
  await expect(page.getByRole("button", { name: "Disable" })).toBeVisible();
  for (const label of ["Rotate", "Rollback", "Regenerate", "Revoke", "Delete", "Extend grace"])
    await expect(page.getByRole("button", { name: label, exact: true })).toHaveCount(0);
  await page.getByRole("link", { name: "← All API keys" }).click();
  await page.getByRole("link", { name: "Credentials Details" }).click();
  // The page first (an absence checked before it loaded would prove nothing), then the absence.
  await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Rotate API Keys" })).toHaveCount(0);
});
