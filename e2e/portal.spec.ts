// The portal as merchants know it from their help pages: key cards, the On/Off switch, rotating
// from a card, the channels' Actions menu, and the phone view.
import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { test, expect, expectAccessible, snap, ownerSession, confirmWithCode, openMerchant, signIn, USERS, openKey } from "./fixtures";
import { newKey, openMail, unique, clickUntilVisible } from "./flows";

/** The Developers tab as cards, searched down to one key. */
async function cardOf(page: Page, name: string) {
  await page.getByRole("link", { name: "← All API keys" }).click();
  await page.waitForURL(/\/developers(\?.*)?$/);
  await page.getByRole("navigation", { name: "View" }).getByRole("link", { name: "Cards" }).click();
  await expect(page).toHaveURL(/view=cards/);
  await page.getByLabel("Search keys").fill(name);
  await page.getByLabel("Search keys").press("Enter");
  await expect(page).toHaveURL(/q=/);
  const card = page.getByRole("article", { name });
  await expect(card).toBeVisible();
  return card;
}

test.describe("as the owner", () => {
  test.use(ownerSession);

  test("Table/Cards toggle kept in the URL; a card shows name, status, environment, channel, access key, Rotate key and Last rotated", async ({
    page,
  }) => {
    await openMerchant(page, "Acme Payments");
    const view = page.getByRole("navigation", { name: "View" });
    await expect(view.getByRole("link", { name: "Table" })).toHaveAttribute("aria-current", "page");
    await view.getByRole("link", { name: "Cards" }).click();
    await expect(page).toHaveURL(/view=cards/);
    await expect(view.getByRole("link", { name: "Cards" })).toHaveAttribute("aria-current", "page");
    await expect(page.getByRole("table", { name: /API keys/ })).toHaveCount(0);
    // The seeded key, wherever the suite's own keys have pushed it: the search keeps the view.
    await page.getByRole("searchbox", { name: "Search keys" }).fill("Checkout backend");
    await expect(page).toHaveURL(/view=cards.*q=Checkout|q=Checkout.*view=cards/);
    const card = page.getByRole("article", { name: "Checkout backend" });
    await expect(card).toContainText("Enabled");
    await expect(card).toContainText("Production");
    await expect(card).toContainText("REST");
    await expect(card.getByRole("button", { name: "Copy access key of Checkout backend" })).toBeVisible();
    await expect(card.getByRole("button", { name: "Rotate key" })).toBeVisible();
    await expect(card.getByText(/^Last rotated/)).toBeVisible();
    await expect(card.getByRole("switch", { name: "Active" })).toHaveAttribute("aria-checked", "true");
    // The grid keeps the words Enabled and Disabled.
    await page.getByRole("searchbox", { name: "Search keys" }).fill("Nightly settlement upload");
    await expect(page.getByRole("article", { name: "Nightly settlement upload" })).toContainText("Disabled");
    await page.getByRole("searchbox", { name: "Search keys" }).fill("");
    await expect(page).not.toHaveURL(/q=/);
    await expectAccessible(page);
    await snap(page, "cards-1440");
    await page.reload();
    await expect(page).toHaveURL(/view=cards/);
    await view.getByRole("link", { name: "Table" }).click();
    await expect(page).not.toHaveURL(/view=/);
    await expect(page.getByRole("table", { name: /API keys/ })).toBeVisible();
  });

  test("rotating from a card: popup, Within (24 hours by default, a caution for Now), review, authenticator code; both keys on the card during the delay", async ({
    page,
  }) => {
    const name = unique("E2E card rotate");
    await newKey(page, name);
    const card = await cardOf(page, name);
    const before = (await card.locator("code").first().textContent()) ?? "";
    await expect(card.getByText("Last rotated never")).toBeVisible();

    await card.getByRole("button", { name: "Rotate key" }).click();
    const intro = page.getByRole("dialog", { name: "Rotate key" });
    await expect(intro).toContainText("can’t be undone once the old key has expired");
    await expectAccessible(page);
    await snap(page, "card-rotate-1-popup");
    await intro.getByRole("button", { name: "Next" }).click();

    const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
    const within = choose.getByRole("group", { name: "Within" });
    for (const label of ["Now", "1 hour", "3 hours", "24 hours", "48 hours", "72 hours"])
      await expect(within.getByRole("radio", { name: label, exact: true })).toBeVisible();
    await expect(within.getByRole("radio")).toHaveCount(6);
    await expect(within.getByRole("radio", { name: "24 hours" })).toBeChecked();
    await within.getByRole("radio", { name: "Now" }).check();
    await expect(choose.getByRole("note")).toContainText("no time for a seamless transition");
    await expectAccessible(page);
    await snap(page, "card-rotate-2-immediately-caution");
    await within.getByRole("radio", { name: "24 hours" }).check();
    await expect(choose.getByRole("note")).toHaveCount(0);
    await choose.getByRole("button", { name: "Next" }).click();

    const review = page.getByRole("dialog", { name: "Review your rotation" });
    await expect(review).toContainText(name);
    await expect(review).toContainText("In 24 hours");
    await expectAccessible(page);
    await snap(page, "card-rotate-3-review");
    await review.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");

    const reveal = page.getByRole("dialog", { name: "New secret key" });
    await expect(reveal.getByTestId("revealed-secret")).toHaveText(/^kp_test_/);
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await reveal.getByRole("button", { name: "Done" }).click();

    const keys = card.getByRole("list", { name: `Keys of ${name}` });
    await expect(keys.getByRole("listitem")).toHaveCount(2);
    await expect(keys.getByRole("listitem").nth(0)).toContainText("Current");
    const previous = keys.getByRole("listitem").nth(1);
    await expect(previous).toContainText("Previous");
    await expect(previous).toContainText(before.trim());
    await expect(previous).toContainText(/Expires .+ · in 23h 5\dm/);
    await expect(card.getByText(/^Last rotated (?!never)/)).toBeVisible();
    await expect(card.getByRole("button", { name: "Rotate key" })).toHaveCount(0); // one rotation at a time
    await expectAccessible(page);
    await snap(page, "card-during-delay");
  });

  test("the Active switch: Off asks Disable/Cancel, On asks Activate/Cancel, on the card and on the key page", async ({ page }) => {
    const name = unique("E2E switch");
    await newKey(page, name);
    const pageSwitch = page.getByRole("switch", { name: "Active" });
    await expect(pageSwitch).toHaveAttribute("aria-checked", "true");
    await expect(pageSwitch).toHaveText("On");

    const card = await cardOf(page, name);
    const cardSwitch = card.getByRole("switch", { name: "Active" });
    await cardSwitch.click();
    // The same dialog as the key page's Actions → Disable: its words, its box, its impact preview.
    const off = page.getByRole("dialog", { name: "Disable API key" });
    await expect(off.getByRole("button", { name: "Cancel" })).toBeVisible();
    await expect(off.getByRole("button", { name: "Disable", exact: true })).toBeDisabled();
    await expect(off.getByRole("status")).toBeVisible();
    await expectAccessible(page);
    await snap(page, "switch-disable-dialog");
    await off.getByRole("button", { name: "Cancel" }).click();
    await expect(cardSwitch).toHaveAttribute("aria-checked", "true");
    await cardSwitch.click();
    await off.getByRole("checkbox", { name: "I understand that integrations using this key will stop working" }).check();
    await off.getByRole("button", { name: "Disable", exact: true }).click();
    await expect(cardSwitch).toHaveAttribute("aria-checked", "false");
    await expect(cardSwitch).toHaveText("Off");
    await expect(card).toContainText("Disabled");

    await card.getByRole("link", { name }).click();
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    await expect(pageSwitch).toHaveAttribute("aria-checked", "false");
    await pageSwitch.click();
    const on = page.getByRole("dialog", { name: "Activate API key" });
    await expect(on.getByRole("button", { name: "Cancel" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "switch-activate-dialog");
    await on.getByRole("checkbox", { name: "I confirm activating this key" }).check();
    await on.getByRole("button", { name: "Activate" }).click();
    await expect(pageSwitch).toHaveAttribute("aria-checked", "true");
    await expect(page.getByText("Enabled", { exact: true }).first()).toBeVisible();
  });

  test("Duplicate in the key page's top right-hand corner opens the create form with the presets", async ({ page }) => {
    const name = unique("E2E corner");
    await newKey(page, name);
    await page.getByRole("link", { name: "Duplicate", exact: true }).click();
    await expect(page).toHaveURL(/duplicate=1/);
    const form = page.getByRole("dialog", { name: "Duplicate API key" });
    await expect(form.getByLabel("Name")).toHaveValue(`${name} (copy)`);
    await expectAccessible(page);
    await form.getByRole("button", { name: "Create API Key" }).click();
    const reveal = page.getByRole("dialog", { name: "Duplicate created" });
    await expect(reveal.getByTestId("revealed-secret")).toHaveText(/^kp_test_/);
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await reveal.getByRole("button", { name: "Done" }).click();
    await expect(page.getByRole("heading", { level: 2, name: `${name} (copy)` })).toBeVisible();
    await expect(page).not.toHaveURL(/duplicate=1/);
  });

  test("Credentials Details words: Rotate API Keys, Within, Warning!, Authenticator App, Next, Next, Submit", async ({ page }) => {
    await openMerchant(page, "Acme Payments");
    await page.getByRole("link", { name: "Credentials Details" }).click();
    const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
    await clickUntilVisible(page.getByRole("button", { name: "Rotate API Keys" }), choose);
    await expect(choose.getByRole("group", { name: "Within" })).toBeVisible();
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = page.getByRole("dialog", { name: "Warning!" });
    await expect(warning.getByRole("button", { name: "Next" })).toBeDisabled();
    await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
    await warning.getByRole("button", { name: "Next" }).click();
    const otp = page.getByRole("dialog", { name: "Authenticator App" });
    await expect(otp.getByRole("button", { name: "Submit" })).toBeVisible();
    await otp.getByRole("button", { name: "Cancel" }).click(); // the full run is in rotation.spec
  });

  test("your active API Channels: a new account has none, a channel becomes active with its first key; Actions → IP Whitelist applies with the key's own list", async ({
    page,
    request,
  }) => {
    await page.goto("/merchants");
    const sub = unique("E2E channels");
    const create = page.getByRole("dialog", { name: "Create sub-account" });
    await clickUntilVisible(page.getByRole("button", { name: "Create sub-account of Acme Payments" }), create);
    await create.getByLabel("Name").fill(sub);
    await create.getByRole("button", { name: "Create sub-account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: sub })).toBeVisible();
    const channels = page.getByRole("region", { name: "Your active API Channels" });
    await expect(channels).toContainText("No channel is active yet");

    const dialog = page.getByRole("dialog", { name: "Create API Key" });
    await clickUntilVisible(page.getByRole("button", { name: "+ Create API Key" }).first(), dialog);
    await dialog.getByLabel("Name").fill("Receipts by mail");
    await dialog.getByRole("radio", { name: "Sandbox" }).check();
    await dialog.getByLabel("Channel", { exact: true }).selectOption("EMAIL");
    await dialog.getByRole("button", { name: "Create API Key" }).click();
    const reveal = page.getByRole("dialog", { name: "API key created" });
    const secret = (await reveal.getByTestId("revealed-secret").textContent())!.trim();
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await reveal.getByRole("button", { name: "Done" }).click();

    const row = channels.getByRole("listitem").filter({ hasText: "Email" });
    await expect(channels.getByRole("listitem")).toHaveCount(1);
    await expect(row).toContainText("1 key, both environments"); // the channel is the account's, whatever the grid's filter
    const actions = row.getByRole("button", { name: "Actions" });
    await expect(actions).toHaveAttribute("aria-expanded", "false");
    await actions.click();
    await expect(actions).toHaveAttribute("aria-expanded", "true");
    const menu = page.getByRole("menu");
    await expect(menu.getByRole("menuitem", { name: "IP Whitelist" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "channel-actions-menu");
    await menu.getByRole("menuitem", { name: "IP Whitelist" }).click();

    const verify = async () => (await (await request.post("/api/v1/keys/verify", { data: { key: secret } })).json()).outcome;
    expect(await verify()).toBe("VALID");
    const whitelist = page.getByRole("dialog", { name: "IP Whitelist: Email" });
    await whitelist.getByLabel("Allowed addresses").fill("10.0.0.0/8");
    await expectAccessible(page);
    await snap(page, "channel-ip-whitelist");
    await whitelist.getByRole("button", { name: "Save IP Whitelist" }).click();
    await expect(row).toContainText("IP Whitelist: 1 entry");
    // The test client is on loopback: outside the channel's list, whatever the key's own list says.
    await expect.poll(verify, { timeout: 5000 }).toBe("IP_NOT_ALLOWED");
    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menu").getByRole("menuitem", { name: "IP Whitelist" }).click();
    await whitelist.getByLabel("Allowed addresses").fill("127.0.0.0/8\n::1");
    await whitelist.getByRole("button", { name: "Save IP Whitelist" }).click();
    await expect(row).toContainText("IP Whitelist: 2 entries");
    await expect.poll(verify, { timeout: 5000 }).toBe("VALID");

    // Change credentials: own ones first, then auto-generated; the old ones stop at once.
    const username = `mail-${randomBytes(3).toString("hex")}`;
    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menu").getByRole("menuitem", { name: "Change credentials" }).click();
    const change = page.getByRole("dialog", { name: "Change credentials: Email" });
    await expect(change.getByRole("radio", { name: "Auto-generate" })).toBeChecked();
    await change.getByRole("radio", { name: "Choose your own" }).check();
    await change.getByLabel("Username").fill(username);
    await change.getByLabel("Password").fill("Harbour-lantern-92-quiet");
    await expect(change.getByRole("note")).toContainText("Integrations that use the old credentials will break");
    await expectAccessible(page);
    await snap(page, "channel-change-credentials");
    await change.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const fresh = page.getByRole("dialog", { name: "New credentials" });
    await expect(fresh).toContainText(username);
    await fresh.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await fresh.getByRole("button", { name: "Done" }).click();
    // The old credentials stop at once: REVOKED (a "Now" rotation's previous credential), and
    // NOT_FOUND once the sweep has removed it. Never VALID again.
    await expect.poll(verify, { timeout: 5000 }).toMatch(/^(REVOKED|NOT_FOUND)$/);
    // The page refreshes once the secret is put away: the grid shows the new username.
    await expect(page.getByRole("row", { name: /Receipts by mail/ })).toContainText(username);

    await row.getByRole("button", { name: "Actions" }).click();
    await page.getByRole("menu").getByRole("menuitem", { name: "Change credentials" }).click();
    await change.getByRole("button", { name: "Next" }).click();
    await confirmWithCode(page, "Submit");
    const secret2 = (await fresh.getByTestId("revealed-secret").textContent())!.trim();
    expect(secret2).toMatch(/^kp_test_/);
    await fresh.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await fresh.getByRole("button", { name: "Done" }).click();
    expect((await (await request.post("/api/v1/keys/verify", { data: { key: secret2 } })).json()).outcome).toBe("VALID");
    // Mailed as a change of credentials, not as a rotation (it had no grace window).
    const mail = await openMail(page, /Credentials changed: Receipts by mail \(sandbox\)/, 2);
    await expect(mail).toContainText("The previous credentials stopped working immediately");
  });
});

test("the old master account has FTP, HTTP, Email and Web Service active; admins see the Actions menu, viewers do not", async ({
  page,
}) => {
  await signIn(page, USERS.viewer);
  await openMerchant(page, "Acme Payments");
  const channels = page.getByRole("region", { name: "Your active API Channels" });
  for (const c of ["FTP", "HTTP", "Email", "Web Service"])
    await expect(channels.getByRole("listitem").filter({ hasText: new RegExp(`^${c}`) })).toHaveCount(1);
  await expect(channels.getByRole("button", { name: "Actions" })).toHaveCount(0);
  await expect(page.getByRole("switch")).toHaveCount(0);
});

test.describe("on a phone (390 px)", () => {
  test.use({ ...ownerSession, viewport: { width: 390, height: 844 } });

  test("the header fits, cards are the only view, nothing scrolls sideways", async ({ page }) => {
    await openMerchant(page, "Acme Payments");
    const signOut = page.getByRole("button", { name: "Sign out" });
    await expect(signOut).toBeVisible();
    const box = (await signOut.boundingBox())!;
    expect(box.height).toBeLessThan(40); // one line
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await expect(page.getByRole("navigation", { name: "View" })).toBeHidden();
    await expect(page.getByRole("table", { name: /API keys/ })).toBeHidden();
    await page.getByRole("searchbox", { name: "Search keys" }).fill("Checkout backend");
    await expect(page).toHaveURL(/q=Checkout/);
    await expect(page.getByRole("article", { name: "Checkout backend" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await snap(page, "phone-developers");
    await page.getByRole("article", { name: "Checkout backend" }).getByRole("link", { name: "Checkout backend" }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Checkout backend" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Active" })).toBeVisible();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page);
    await snap(page, "phone-key-page");
    await page.goto(page.url().replace(/\/keys\/.*$/, "/credentials"));
    await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "phone-credentials");
    // The header is on every page: Sign out stays on one line and inside the screen.
    for (const [path, shot] of [
      ["/merchants", "phone-merchants"],
      ["/security", "phone-security"],
    ] as const) {
      await page.goto(path);
      const box = (await page.getByRole("button", { name: "Sign out" }).boundingBox())!;
      expect(box.height).toBeLessThan(40);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      expect(await page.locator("header").evaluate((h) => h.scrollWidth)).toBeLessThanOrEqual(390);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expectAccessible(page);
      await snap(page, shot);
    }
  });
});

/** Nothing sticks out of a 390 px screen: every element (what scrolls inside its own region aside) is within the viewport. */
async function expectFits(page: Page) {
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "the page scrolls sideways").toBeLessThanOrEqual(390);
  const out = await page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll("body *")) {
      const r = el.getBoundingClientRect();
      if (r.width < 2 || r.height < 2) continue; // sr-only text and empty boxes
      // What scrolls inside its own box (the tabs, a wide table in its named region) is reached by scrolling that box.
      let scrolls = false;
      for (let p = el.parentElement; p && !scrolls; p = p.parentElement) scrolls = /auto|scroll/.test(getComputedStyle(p).overflowX);
      if (scrolls) continue;
      if (r.right > window.innerWidth + 0.5 || r.left < -0.5)
        bad.push(
          `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 30)}" ${Math.round(r.left)}–${Math.round(r.right)}`,
        );
    }
    return bad.slice(0, 8);
  });
  expect(out, "elements outside the screen").toEqual([]);
}

test.describe("on a phone, every page", () => {
  test.use({ ...ownerSession, viewport: { width: 390, height: 844 } });

  test("fits 390 px and passes axe; credentials and audit rows are cards; cards have a select mode with the bulk actions", async ({
    page,
  }) => {
    await openMerchant(page, "Acme Payments");
    const base = new URL(page.url()).pathname.replace(/\/developers.*$/, "");
    // Select mode on the cards: two keys, and the bulk actions for them.
    const cards = page.getByRole("list", { name: "API keys" });
    await page.getByRole("button", { name: "Select", exact: true }).click();
    await expect(page.getByRole("button", { name: "Done selecting" })).toHaveAttribute("aria-pressed", "true");
    const boxes = cards.getByRole("checkbox", { name: /^Select / });
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const bar = page.getByRole("region", { name: "Bulk actions" });
    await expect(bar).toContainText("2 selected");
    await expect(bar.getByRole("button", { name: "Disable" })).toBeVisible();
    await expectFits(page);
    await expectAccessible(page);
    await snap(page, "phone-cards-select");
    await bar.getByRole("button", { name: "Disable" }).click();
    const dialog = page.getByRole("dialog");
    await expect(dialog).toContainText("2");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Done selecting" }).click();
    await expect(boxes).toHaveCount(0);

    // Credentials Details: each key a card with its access key in full, copyable.
    await page.goto(`${base}/developers/credentials`);
    const creds = page.getByRole("list", { name: "Credentials of Production keys" });
    await expect(creds.getByRole("listitem").first()).toBeVisible();
    await expect(page.getByRole("table")).toHaveCount(0);
    const copy = creds.getByRole("button", { name: /^Copy access key of / }).first();
    const copyBox = (await copy.boundingBox())!;
    expect(copyBox.x + copyBox.width).toBeLessThanOrEqual(390);
    await expectFits(page);
    await expectAccessible(page);
    await snap(page, "phone-credentials-cards");

    // The audit log: each event a card, its fields stacked.
    await page.goto(`${base}/audit`);
    const events = page.getByRole("list", { name: "Audit events, newest first" });
    await expect(events.getByRole("listitem").first()).toBeVisible();
    await expect(events.getByRole("listitem").first()).toContainText("Actor");
    await expectFits(page);
    await expectAccessible(page);
    await snap(page, "phone-audit");

    // Every other page: fits, and axe finds nothing (scrollable regions included).
    for (const [path, shot] of [
      [`${base}/developers`, "phone-developers-all"],
      [`${base}/developers/webhooks`, "phone-webhooks"],
      [`${base}/members`, "phone-members"],
      [`${base}/tokens`, "phone-tokens"],
      ["/merchants", "phone-merchants-list"],
      ["/security", "phone-security-page"],
      ["/docs/api", "phone-api-docs"],
      ["/dev/mailbox", "phone-mailbox"],
    ] as const) {
      await page.goto(path);
      await expect(page.locator("h1").first()).toBeVisible();
      await expectFits(page);
      await expectAccessible(page);
      await snap(page, shot);
    }
  });
});

test.describe("at 1440 px", () => {
  test.use({ ...ownerSession, viewport: { width: 1440, height: 900 } });
  test("the pages this work touched", async ({ page }) => {
    await openMerchant(page, "Acme Payments");
    await expectAccessible(page);
    await snap(page, "desktop-developers");
    await openKey(page, "Checkout backend");
    await expect(page.getByRole("heading", { level: 2, name: "Checkout backend" })).toBeVisible();
    await expect(page.getByRole("switch", { name: "Active" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "desktop-key-page");
    await page.getByRole("link", { name: "← All API keys" }).click();
    await page.getByRole("link", { name: "Credentials Details" }).click();
    await expect(page.getByRole("heading", { name: "Credentials Details" })).toBeVisible();
    await expectAccessible(page);
    await snap(page, "desktop-credentials");
  });
});
