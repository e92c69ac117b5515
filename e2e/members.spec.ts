import type { Page } from "@playwright/test";
import { test, expect, expectAccessible, snap, openMerchant, ownerSession, signIn, signedOutContext, USERS } from "./fixtures";
import { invitationLink, inviteThroughDialog, clickUntilVisible } from "./flows";

const unique = (p: string) => `${p} ${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;

async function openTab(page: Page, merchant: string, tab: "Developers" | "Members") {
  await openMerchant(page, merchant);
  await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: tab }).click();
  await expect(page.getByRole("heading", { level: 2, name: tab === "Members" ? "Members" : "API keys" })).toBeVisible();
}

test.describe("as the owner", () => {
  test.use(ownerSession);

  test("search merchants, and create a sub-account that opens on the empty state", async ({ page }) => {
    await page.goto("/merchants");
    await page.getByLabel("Search merchants").fill("eu");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page).toHaveURL(/q=eu/);
    const table = page.getByRole("table", { name: "Merchant accounts you belong to" });
    await expect(table.getByRole("link", { name: "Acme EU" })).toBeVisible();
    await expect(table.getByRole("link", { name: "Acme Payments" })).toBeVisible(); // its master stays, for context
    await page.getByLabel("Search merchants").fill("no such merchant");
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("No merchant matches “no such merchant”.")).toBeVisible();
    await page.goto("/merchants");
    const dialog = page.getByRole("dialog", { name: "Create sub-account" });
    await clickUntilVisible(page.getByRole("button", { name: "Create sub-account of Acme Payments" }), dialog);
    await dialog.getByRole("button", { name: "Create sub-account" }).click();
    await expect(dialog.getByText("Use at least 2 characters.")).toBeVisible();
    await expectAccessible(page);
    await snap(page, "create-sub-account");
    const name = unique("E2E Nordics");
    await dialog.getByLabel("Name").fill(name);
    await dialog.getByRole("button", { name: "Create sub-account" }).click();
    await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
    await expect(page.getByRole("heading", { name: "No API keys yet" })).toBeVisible();
    await expect(page.getByRole("button", { name: "+ Create API Key", exact: true })).toBeVisible();
    await snap(page, "sub-account-empty");
    await page.goto("/merchants");
    await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Sub-account");
  });

  test("the Developers tab groups keys by channel; an empty channel offers + Create API Key", async ({ page }) => {
    await openTab(page, "Acme Payments", "Developers");
    const channels = page.getByRole("navigation", { name: "Channels" });
    for (const c of ["REST", "HTTP", "FTP", "Web Service", "Email"]) await expect(channels.getByText(c, { exact: true })).toBeVisible();
    await channels.getByRole("link", { name: /^FTP/ }).click();
    await expect(page).toHaveURL(/channel=FTP/);
    await expect(page.getByRole("table", { name: /API keys/ }).locator("tbody tr")).toHaveCount(1);
    await openTab(page, "Acme EU", "Developers");
    await expect(channels.getByRole("link", { name: "+ Create API Key for Email" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "developers-channels");
    await channels.getByRole("link", { name: "+ Create API Key for Email" }).click();
    const create = page.getByRole("dialog", { name: "Create API Key" });
    await expect(create).toBeVisible();
    await expect(create.getByLabel("Channel", { exact: true })).toHaveValue("EMAIL");
    await expect(page).not.toHaveURL(/new=1/);
  });

  test("invite by e-mail: one-time link, new account, role change, removal ends the session", async ({ page, browser }) => {
    const email = `invitee-${Date.now().toString(36)}@example.test`;
    await openTab(page, "Acme Payments", "Members");
    await expectAccessible(page);
    await snap(page, "members");
    const dialog = await inviteThroughDialog(page, "оwner@acme.test", "Developer"); // Cyrillic о
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await expect(dialog.getByText("Use plain letters, digits and symbols in the e-mail address.")).toBeVisible();
    await dialog.getByLabel("E-mail").fill(email);
    await snap(page, "invite-member");
    await dialog.getByRole("button", { name: "Send invitation" }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole("table", { name: "Pending invitations" })).toContainText(email);

    const link = await invitationLink(page, email);
    const invitee = await signedOutContext(browser);
    await invitee.page.goto(link);
    await expect(invitee.page.getByRole("heading", { name: "Join Acme Payments" })).toBeVisible();
    await expectAccessible(invitee.page);
    await snap(invitee.page, "invitation");
    await invitee.page.getByLabel("Your name").fill("Ivy Invitee");
    await invitee.page.getByLabel("Password", { exact: true }).fill("password1234");
    await invitee.page.getByRole("button", { name: "Create account and join" }).click();
    await expect(invitee.page.getByText("This password is too common. Choose another.")).toBeVisible();
    await invitee.page.getByLabel("Password", { exact: true }).fill("violet harbour lantern 42");
    await invitee.page.getByRole("button", { name: "Create account and join" }).click();
    // Signed in at once, on the merchant they joined: no second sign-in with the password just chosen.
    await expect(invitee.page).toHaveURL(/\/merchants\/[0-9a-f-]{36}\/developers$/);
    await expect(invitee.page.getByRole("heading", { level: 1, name: "Acme Payments" })).toBeVisible();
    await expect(invitee.page.getByRole("button", { name: "Sign out" })).toBeVisible();

    // The link works once.
    const again = await signedOutContext(browser);
    await again.page.goto(link);
    await expect(again.page.getByRole("heading", { name: "This invitation link is not valid" })).toBeVisible();
    await again.context.close();

    // The owner promotes, then removes: the invitee's next request is signed out.
    await openTab(page, "Acme Payments", "Members");
    await page.getByLabel(`Role for ${email}`).selectOption({ label: "Admin" });
    await expect(page.getByRole("row", { name: new RegExp(email) })).toContainText("Admin");
    await page.getByRole("button", { name: `Remove ${email}` }).click();
    const remove = page.getByRole("dialog", { name: "Remove member" });
    await remove.getByRole("checkbox").check();
    await remove.getByRole("button", { name: "Remove member" }).click();
    await expect(page.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
    await invitee.page.goto("/merchants");
    await expect(invitee.page).toHaveURL(/\/login/);
    await invitee.context.close();
  });
});

test("members other than owners see the list but cannot manage it", async ({ page }) => {
  await signIn(page, USERS.admin);
  await openTab(page, "Acme Payments", "Members");
  await expect(page.getByRole("table", { name: "Members" })).toContainText(USERS.owner);
  await expect(page.getByRole("button", { name: "Invite member" })).toHaveCount(0);
  await expect(page.getByLabel(`Role for ${USERS.owner}`)).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Remove/ })).toHaveCount(0);
});

test("the last owner can be neither demoted nor removed", async ({ page }) => {
  // Globex Retail: the suite gives the Acme merchants more owners (e2e/owners.ts).
  await signIn(page, USERS.globex);
  await openTab(page, "Globex Retail", "Members");
  await page.getByLabel(`Role for ${USERS.globex}`).selectOption({ label: "Admin" });
  await expect(page.getByRole("alert").filter({ hasText: "Every merchant needs an owner" })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel(`Role for ${USERS.globex}`)).toHaveValue("OWNER");
  await page.getByRole("button", { name: `Remove ${USERS.globex}` }).click();
  const dialog = page.getByRole("dialog", { name: "Remove member" });
  await dialog.getByRole("checkbox").check();
  await dialog.getByRole("button", { name: "Remove member" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(/Every merchant needs an owner/);
  await snap(page, "members-last-owner");
});
