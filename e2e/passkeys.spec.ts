// Passkeys with Chromium's virtual authenticator (CDP WebAuthn: ctap2, internal transport, user
// verification on). A fresh owner of a sub-account of their own registers a passkey, signs out
// and in with it, rotates a key confirming with it, and removes it behind step-up. WebAuthn needs
// a domain for its relying party: the pages are opened on localhost (the server's APP_URL origin).
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { test, expect, ownerSession, expectAccessible, snap, confirmWithCode } from "./fixtures";
import { invitationLink, inviteThroughDialog, newKey, newSubAccount, openMail, startTotpSetup, clickUntilVisible } from "./flows";
import { freshCode, rememberSecret } from "./otp";

test.use(ownerSession);

async function withAuthenticator(browser: Browser, baseURL: string) {
  const context = await browser.newContext({
    baseURL: baseURL.replace("127.0.0.1", "localhost"),
    storageState: { cookies: [], origins: [] },
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  const credentials = async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  return { context, page, credentials };
}

async function openDialogStep(page: Page, button: string, dialog: string) {
  const d = page.getByRole("dialog", { name: dialog });
  await clickUntilVisible(page.getByRole("button", { name: button, exact: true }), d);
  return d;
}

test("a passkey: register it, sign in with it, require it for step-up (a code is refused), rotate a key with it, remove it behind step-up", async ({
  page,
  browser,
  baseURL,
}) => {
  // The demo owner makes a sub-account with a key, and invites a new owner to it.
  const merchant = await newSubAccount(page, "E2E passkeys");
  const keyName = `Passkey key ${randomBytes(3).toString("hex")}`;
  await newKey(page, keyName, "Sandbox", merchant.name);
  const email = `passkey-${randomBytes(4).toString("hex")}@acme.test`;
  await page.goto(`/merchants/${merchant.id}/members`);
  const invite = await inviteThroughDialog(page, email, "Owner");
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText(email).first()).toBeVisible();
  const link = new URL(await invitationLink(page, email));

  const { context, page: me, credentials } = await withAuthenticator(browser, baseURL!);
  try {
    const password = "violet harbour lantern 42 passkey";
    await me.goto(link.pathname);
    await me.getByLabel("Your name").fill("Petra Passkey");
    await me.getByLabel("Password", { exact: true }).fill(password);
    await me.getByRole("button", { name: "Create account and join" }).click();
    await expect(me.getByRole("button", { name: "Sign out" })).toBeVisible();

    // Register: the password again, then the browser's prompt (answered by the virtual authenticator).
    await me.goto("/security");
    const passkeys = me.getByRole("region", { name: "Passkeys" });
    await expect(passkeys).toContainText("No passkey yet.");
    const add = await openDialogStep(me, "Add a passkey", "Add a passkey");
    await add.getByLabel("Name").fill("MacBook Touch ID");
    await add.getByLabel("Password").fill("not my password");
    await add.getByRole("button", { name: "Continue" }).click();
    await expect(add.getByText("That password is not right")).toBeVisible();
    await expectAccessible(me);
    await snap(me, "passkey-add");
    await add.getByLabel("Password").fill(password);
    await add.getByRole("button", { name: "Continue" }).click();
    await expect(me.getByRole("status").filter({ hasText: "Passkey “MacBook Touch ID” added" })).toBeVisible();
    await expect(passkeys.getByRole("list", { name: "Your passkeys" })).toContainText("MacBook Touch ID");
    expect(await credentials()).toHaveLength(1);
    await expectAccessible(me);
    await snap(me, "passkey-list");
    const mail = await openMail(me, /A passkey was added to your account: MacBook Touch ID/);
    await expect(mail).toContainText("can now sign you in");
    await me.goto("/security"); // the mailbox has no header

    // Sign out, and in again with the passkey alone.
    await me.getByRole("button", { name: "Sign out" }).click();
    await expect(me.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
    await snap(me, "passkey-login");
    await me.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expect(me.getByRole("button", { name: "Sign out" })).toBeVisible();
    await expect(me).toHaveURL(/\/merchants/);

    // An authenticator app as well (its code is what the policy will refuse).
    await me.goto("/security");
    const secret = await startTotpSetup(me, password);
    rememberSecret(email, secret);
    await me.getByLabel("Authentication code").fill(await freshCode(email, secret));
    await me.getByRole("button", { name: "Verify and turn on" }).click();
    await expect(me.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);

    // "Require a passkey for step-up" on the merchant, confirmed with the passkey.
    await me.goto(`/merchants/${merchant.id}/members`);
    const policy = me.getByRole("region", { name: "Step-up" });
    await policy.getByRole("checkbox", { name: "Require a passkey for step-up" }).check();
    await policy.getByRole("button", { name: "Save" }).click();
    const change = me.getByRole("dialog", { name: "Change how step-up is confirmed" });
    await change.getByRole("checkbox", { name: "I confirm changing how step-up is confirmed" }).check();
    await change.getByRole("button", { name: "Next" }).click();
    await me.getByRole("dialog", { name: "Authenticator App" }).getByRole("button", { name: "Use a passkey" }).click();
    await expect(me.getByRole("status").filter({ hasText: "Passkeys are now required for step-up" })).toBeVisible();
    await expect(policy.getByRole("checkbox", { name: "Require a passkey for step-up" })).toBeChecked();
    await expectAccessible(me);
    await snap(me, "passkey-policy");

    // Rotate a key: the authenticator code is refused, the passkey confirms.
    await me.goto(`/merchants/${merchant.id}/developers`);
    await me.getByRole("link", { name: keyName, exact: true }).first().click();
    const choose = await openDialogStep(me, "Rotate", "Choose when to revoke the existing key");
    await choose.getByRole("radio", { name: "24 hours", exact: true }).check();
    await choose.getByRole("button", { name: "Next" }).click();
    const warning = me.getByRole("dialog", { name: "Warning!" });
    await warning.getByRole("checkbox", { name: "I confirm rotating the API keys" }).check();
    await warning.getByRole("button", { name: "Next" }).click();
    const confirm = await confirmWithCode(me, "Submit", email);
    await expect(confirm).toContainText("This merchant requires a passkey for step-up");
    await expectAccessible(me);
    await snap(me, "passkey-step-up");
    await confirm.getByRole("button", { name: "Use a passkey" }).click();
    const reveal = me.getByRole("dialog", { name: "New secret key" });
    await expect(reveal.getByTestId("revealed-secret")).toHaveText(/^kp_test_/);
    await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
    await reveal.getByRole("button", { name: "Done" }).click();

    // The last passkey stays while the policy needs it; with the policy off it goes, behind step-up.
    await me.goto("/security");
    await passkeys.getByRole("button", { name: "Remove passkey MacBook Touch ID" }).click();
    const remove = me.getByRole("dialog", { name: "Remove passkey" });
    await remove.getByRole("button", { name: "Use a passkey" }).click();
    await expect(remove).toContainText("This is your last passkey");
    await remove.getByRole("button", { name: "Cancel" }).click();
    await me.goto(`/merchants/${merchant.id}/members`);
    await policy.getByRole("checkbox", { name: "Require a passkey for step-up" }).uncheck();
    await policy.getByRole("button", { name: "Save" }).click();
    await change.getByRole("checkbox", { name: "I confirm changing how step-up is confirmed" }).check();
    await change.getByRole("button", { name: "Next" }).click();
    await me.getByRole("dialog", { name: "Authenticator App" }).getByRole("button", { name: "Use a passkey" }).click();
    await expect(me.getByRole("status").filter({ hasText: "Authenticator codes confirm step-up again" })).toBeVisible();
    await me.goto("/security");
    await passkeys.getByRole("button", { name: "Remove passkey MacBook Touch ID" }).click();
    await expectAccessible(me);
    await snap(me, "passkey-remove");
    await remove.getByRole("button", { name: "Use a passkey" }).click();
    await expect(me.getByRole("status").filter({ hasText: "Passkey “MacBook Touch ID” removed" })).toBeVisible();
    await expect(passkeys).toContainText("No passkey yet.");
  } finally {
    await context.close();
  }
});
