// What a first-time merchant trips over: wording, layout and feedback on the pages they meet first.
import { randomBytes } from "node:crypto";
import {
  test,
  expect,
  signIn,
  signedOutContext,
  expectAccessible,
  snap,
  openMerchant,
  USERS,
  asPoolOwner,
  ownerSession,
  DEMO_PASSWORD,
  confirmWithCode,
} from "./fixtures";
import { newKey, newSubAccount, openDialog, openMail, rotate, unique, clickUntilVisible } from "./flows";
import { freshCode } from "./otp";

test.describe("as the owner", () => {
  test.use(ownerSession);

  test("at 1440 px the key grid fits its card: nothing scrolls sideways and Expires is in view", async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await openMerchant(page, "Acme Payments");
    const grid = page.getByRole("table", { name: /API keys/ });
    await expect(grid).toBeVisible();
    const scroller = grid.locator("xpath=..");
    const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    const card = (await scroller.boundingBox())!;
    const expires = (await grid.getByRole("columnheader", { name: /Expires/ }).boundingBox())!;
    expect(expires.x + expires.width).toBeLessThanOrEqual(card.x + card.width);
    await snap(page, "developers-grid-1440");
  });

  test("error rate shows both counts in the cell", async ({ page }) => {
    await openMerchant(page, "Acme Payments");
    const cells = page.getByRole("table", { name: /API keys/ }).locator("tbody tr td:nth-child(7)");
    await expect(cells.first()).toBeVisible();
    for (const text of await cells.allTextContents()) expect(text).toMatch(/^(No requests|\d+\.\d%\d+ ok · \d+ failed)$/);
  });

  test("an empty IP allow-list reads as any address, with examples in the hint", async ({ page }) => {
    await newKey(page, unique("E2E any address"));
    const box = page.getByLabel("Allowed addresses");
    await expect(box).toHaveValue("");
    await expect(box).toHaveAttribute("placeholder", "Any address");
    await expect(page.getByText(/for example 203\.0\.113\.7, 10\.0\.0\.0\/8/)).toBeVisible();
    await snap(page, "key-details-ip-any-address");
  });

  test("rotating with Now says plainly that the old key stops at once", async ({ page }) => {
    await newKey(page, unique("E2E now words"));
    const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
    await clickUntilVisible(page.getByRole("button", { name: "Rotate", exact: true }), choose);
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    await expect(warning).toContainText("once it is revoked");
    await expect(warning).not.toContainText("stops working at once");
    await warning.getByRole("button", { name: "Cancel" }).click();
    await clickUntilVisible(page.getByRole("button", { name: "Rotate", exact: true }), choose);
    await choose.getByRole("radio", { name: "Now", exact: true }).check();
    await choose.getByRole("button", { name: "Next" }).click();
    await expect(warning).toContainText(
      "The existing key stops working at once: every integration that still uses it fails from this moment",
    );
    await expectAccessible(page);
    await snap(page, "rotate-now-warning");
  });
});

test.describe("rotation choices, as the owner", () => {
  test.use(ownerSession);

  test("Revoke previous key now ends the grace window at once", async ({ page }) => {
    await newKey(page, unique("E2E revoke previous"));
    await rotate(page, "24 hours");
    const creds = page.getByRole("list", { name: "Credentials" });
    await expect(creds.getByRole("listitem")).toHaveCount(2);
    const warning = await openDialog(page, "Revoke previous key now", "Revoke previous key now");
    await expect(warning).toContainText("The previous key stops working at once");
    await warning.getByRole("checkbox", { name: "I understand that the previous key stops working now" }).check();
    await expectAccessible(page);
    await snap(page, "revoke-previous-warning");
    await warning.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Revoke previous key");
    await expect(page.getByRole("status").filter({ hasText: "Previous key revoked" })).toBeVisible();
    await expect(creds.getByRole("listitem")).toHaveCount(1);
    await expect(page.getByRole("button", { name: "Revoke previous key now" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Rotate", exact: true })).toBeVisible();
  });

  test("rotating a key with its own username and password asks for new ones, and shows a fixed mask", async ({ page }) => {
    const name = unique("E2E own credentials");
    const username = `e2e-${randomBytes(4).toString("hex")}`;
    await openMerchant(page, "Acme Payments");
    const create = await openDialog(page, "+ Create API Key", "Create API Key");
    await create.getByLabel("Name").fill(name);
    await create.getByRole("radio", { name: "Sandbox" }).check();
    await create.getByLabel("Channel").selectOption("HTTP");
    await create.getByRole("radio", { name: "Own username and password" }).check();
    await create.getByRole("textbox", { name: "Username" }).fill(username);
    await create.getByLabel("Password", { exact: true }).fill("Long-enough-pass-42");
    await create.getByRole("button", { name: "Create API Key" }).click();
    const reveal = page.getByRole("dialog", { name: "API key created" });
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await reveal.getByRole("button", { name: "Done" }).click();
    await page.getByRole("link", { name, exact: true }).click();
    const creds = page.getByRole("list", { name: "Credentials" });
    await expect(creds).toContainText("••••••••");
    await expect(creds).not.toContainText("chars");

    const choose = await openDialog(page, "Rotate", "Choose when to revoke the existing key");
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    const fields = warning.getByRole("group", { name: "New credentials" });
    await expect(fields.getByRole("radio", { name: "New username and password" })).toBeChecked();
    await expect(fields.getByRole("radio", { name: "Auto-generated" })).toBeVisible();
    await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
    await expect(warning.getByRole("button", { name: "Next" })).toBeDisabled();
    await fields.getByRole("textbox", { name: "New username" }).fill(`${username}-2`);
    await fields.getByLabel("New password", { exact: true }).fill("Another-long-pass-43");
    await expectAccessible(page);
    await snap(page, "rotate-own-credentials");
    await warning.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const fresh = page.getByRole("dialog", { name: "New secret key" });
    await expect(fresh.getByTestId("revealed-secret")).toHaveText("Another-long-pass-43");
    await fresh.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await fresh.getByRole("button", { name: "Done" }).click();
    await expect(creds.getByRole("listitem").first()).toContainText(`${username}-2`);
    await expect(creds.getByRole("listitem").first()).toContainText("••••••••");
    await expect(creds).not.toContainText(/ak_test_|kp_test_/);
  });

  test("bulk rotation names the keys mid-rotation first, rotates the others and reports per key", async ({ page }) => {
    const sub = await newSubAccount(page, "E2E mid-rotation");
    const busy = unique("E2E busy");
    const idle = unique("E2E idle");
    await newKey(page, busy, "Sandbox", sub.name);
    await rotate(page, "24 hours");
    await newKey(page, idle, "Sandbox", sub.name);
    await page.goto(`/merchants/${sub.id}/developers/credentials?env=sandbox`);
    await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
    const choose = await openDialog(page, "Rotate API Keys", "Choose when to revoke the existing key");
    await expect(choose).toContainText("1 of the 2 enabled keys is mid-rotation");
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    const mid = warning.getByRole("group", { name: "Keys mid-rotation" });
    await expect(mid).toContainText(busy);
    await expect(mid).not.toContainText(idle);
    await expect(mid.getByRole("checkbox", { name: /Finish its grace window first/ })).not.toBeChecked();
    await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
    await expectAccessible(page);
    await snap(page, "bulk-rotate-mid-rotation-warning");
    await warning.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const report = page.getByRole("dialog", { name: "New secret keys" });
    const items = report.getByRole("list", { name: "New secrets" }).getByRole("listitem");
    await expect(items).toHaveCount(1);
    await expect(items.first()).toContainText(idle);
    await expect(report.getByRole("group", { name: "Not rotated" })).toContainText(busy);
    await expectAccessible(page);
    await snap(page, "bulk-rotate-report");
    await report.getByRole("checkbox", { name: "I have saved these secret keys" }).check();
    await report.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("row", { name: new RegExp(idle) })).toContainText("stops in");

    // One mail per member for the whole batch, listing the keys it rotated.
    const body = await openMail(page, new RegExp(`API keys rotated: 1 key of ${sub.name}`), 1);
    await expect(body).toContainText(`${idle}: previous key stops working`);
    await expect(body).not.toContainText(busy);
    await snap(page, "mailbox-keys-rotated");
  });
});

test("a code used twice within its 30 seconds says it was just used", async ({ browser }) => {
  // A pool owner of its own: no other test can spend the demo owner's next step meanwhile.
  await asPoolOwner(async (me) => {
    const code = await freshCode(me);
    const attempt = async () => {
      const { context, page } = await signedOutContext(browser);
      await page.goto("/login");
      await page.getByLabel("E-mail").fill(me);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.getByLabel("Authentication code").fill(code);
      await page.getByRole("button", { name: "Verify" }).click();
      return { context, page };
    };
    const first = await attempt();
    await expect(first.page).toHaveURL(/\/merchants/);
    const second = await attempt();
    await expect(second.page.getByText("That code has just been used. Wait for the next code from your authenticator app.")).toBeVisible();
    await snap(second.page, "sign-in-code-reused");
    await first.context.close();
    await second.context.close();
  });
});

test("as the developer, Credentials Details says only owners rotate, and access keys can be copied", async ({ page }) => {
  await signIn(page, USERS.developer);
  await openMerchant(page, "Acme Payments");
  await page.getByRole("link", { name: "Credentials Details" }).click();
  await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
  await expect(page.getByText("Only owners of this merchant can rotate keys.")).toBeVisible();
  await expect(page.getByText(/Rotate every enabled/)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Rotate API Keys" })).toHaveCount(0);
  const copy = page.getByRole("button", { name: /^Copy access key of / }).first();
  await copy.click();
  await expect(page.getByRole("status").filter({ hasText: "Access key copied" })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^ak_live_/);
  await expectAccessible(page);
  await snap(page, "credentials-details-developer");
});
