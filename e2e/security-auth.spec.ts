// Sign-in and step-up under attack, over HTTP against the production build: a 150-way sign-in race,
// the lock answered alike for real and unknown addresses, next-auth's own sign-out endpoint,
// re-authentication before an authenticator is bound, and a step-up code kept when a change is refused.
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { test, expect, signIn, signedOutContext, USERS } from "./fixtures";
import { demoOwnerState } from "./owners";
import { invitationLink, inviteThroughDialog, newKey, startTotpSetup, clickUntilVisible } from "./flows";
import { freshCode, rememberSecret } from "./otp";

const tag = () => randomBytes(4).toString("hex");
const PASSWORD = "amber orchard compass 58";

/** A new account on Acme Payments, invited by the demo owner: each test locks or changes its own. */
async function newAccount(browser: Browser, role: "Viewer" | "Owner") {
  const email = `auth-${tag()}@example.test`;
  const owner = await browser.newContext({ storageState: demoOwnerState(), baseURL: test.info().project.use.baseURL });
  const page = await owner.newPage();
  await page.goto("/merchants");
  await page.getByRole("link", { name: "Acme Payments", exact: true }).click();
  await page.getByRole("navigation", { name: "Merchant" }).getByRole("link", { name: "Members" }).click();
  const invite = await inviteThroughDialog(page, email, role);
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(invite).toBeHidden();
  const link = await invitationLink(page, email);
  await owner.close();
  const invitee = await signedOutContext(browser);
  await invitee.page.goto(link);
  await invitee.page.getByLabel("Your name").fill("Auth Tester");
  await invitee.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await invitee.page.getByRole("button", { name: "Create account and join" }).click();
  await expect(invitee.page).toHaveURL(/\/developers$/); // signed in at once
  await invitee.context.close();
  return email;
}

/** One sign-in through the form on a fresh page; returns the error it shows. */
async function formAttempt(page: Page, email: string, password: string) {
  await page.goto("/login");
  await expect(async () => {
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("main").getByRole("alert")).toBeVisible({ timeout: 2000 });
  }).toPass();
  return (await page.getByRole("main").getByRole("alert").textContent())!.trim();
}

test("150 parallel sign-ins with the right password at position 110: none signs in, at most 5 are evaluated", async ({ browser }) => {
  const email = await newAccount(browser, "Viewer");
  const { context, page } = await signedOutContext(browser);
  const baseURL = test.info().project.use.baseURL!;
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const tries = await Promise.all(
    Array.from({ length: 150 }, async (_, i) => {
      const res = await page.request
        .post("/api/auth/callback/credentials", {
          headers: { Origin: baseURL },
          form: { csrfToken, email, password: i === 109 ? PASSWORD : `guess number ${i}`, callbackUrl: "/merchants" },
          maxRedirects: 0,
        })
        .catch(() => null); // a connection the server sheds under load is not a sign-in either
      if (!res) return { signedIn: false, code: "refused" };
      const cookies = res
        .headersArray()
        .filter((h) => h.name.toLowerCase() === "set-cookie")
        .map((h) => h.value);
      const location = res.headers()["location"] ?? "";
      return {
        signedIn: cookies.some((c) => /session-token=[^;]+/.test(c)),
        code: new URL(location || "/", baseURL).searchParams.get("code") ?? `status ${res.status()}`,
      };
    }),
  );
  const answers = tries.reduce<Record<string, number>>((n, t) => ({ ...n, [t.code]: (n[t.code] ?? 0) + 1 }), {});
  console.info(`150-way sign-in race over HTTP: ${JSON.stringify(answers)}`);
  expect(tries.filter((t) => t.signedIn)).toEqual([]);
  // Four wrong answers, then the fifth evaluated try locks: everything else was refused unheard.
  expect(tries.filter((t) => t.code === "invalid_credentials").length).toBeLessThanOrEqual(4);
  expect(tries[109].code).not.toBe("invalid_credentials");
  expect(await formAttempt(page, email, PASSWORD)).toMatch(/Too many failed sign-in attempts/);
  await context.close();
});

test("after 6 wrong passwords a real account and an unknown address answer alike", async ({ browser }) => {
  const real = await newAccount(browser, "Viewer");
  const unknown = `nobody-${tag()}@example.test`;
  const { context, page } = await signedOutContext(browser);
  const answers = async (email: string) => {
    const out: string[] = [];
    for (let i = 0; i < 6; i++) out.push(await formAttempt(page, email, `wrong password ${i}`));
    return out;
  };
  const forReal = await answers(real);
  expect(forReal[5]).toMatch(/Too many failed sign-in attempts/);
  expect(await answers(unknown)).toEqual(forReal);
  await context.close();
});

test("next-auth's own POST /api/auth/signout revokes the session: a saved cookie no longer works", async ({ browser }) => {
  const { context, page } = await signedOutContext(browser);
  await signIn(page, USERS.viewer);
  const saved = await context.storageState();
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const res = await page.request.post("/api/auth/signout", {
    headers: { Origin: test.info().project.use.baseURL! },
    form: { csrfToken, callbackUrl: "/login" },
    maxRedirects: 0,
  });
  expect(res.status()).toBeLessThan(400);
  await context.close();

  const replay = await browser.newContext({ baseURL: test.info().project.use.baseURL, storageState: saved });
  const again = await replay.newPage();
  await again.goto("/merchants");
  await expect(again).toHaveURL(/\/login/);
  await expect(again.getByRole("heading", { name: "Sign in to Keyport" })).toBeVisible();
  await replay.close();
});

test("an owner binds an authenticator only with the password, and a refused change leaves the code unspent", async ({ browser }) => {
  const email = await newAccount(browser, "Owner");
  const { context, page } = await signedOutContext(browser);
  await signIn(page, email, PASSWORD);
  await page.goto("/security");

  // Re-authentication before binding: the session alone shows no secret.
  await clickUntilVisible(page.getByRole("button", { name: "Set up authenticator app" }), page.getByLabel("Password"));
  await page.getByLabel("Password").fill("not my password");
  await page.getByRole("button", { name: "Continue" }).click();
  await expect(page.getByText("That password is not right.")).toBeVisible();
  await expect(page.getByTestId("totp-secret")).toHaveCount(0);
  await page.getByRole("button", { name: "Cancel" }).click();
  const seed = await startTotpSetup(page, PASSWORD);
  rememberSecret(email, seed);
  await page.getByLabel("Authentication code").fill(await freshCode(email, seed));
  await page.getByRole("button", { name: "Verify and turn on" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByRole("listitem")).toHaveCount(10);

  // Tab A shows the key; tab B disables it (a new version); A's regenerate is refused as stale.
  await newKey(page, `E2E step-up ${tag()}`);
  await page.reload();
  const other = await context.newPage();
  await other.goto(page.url());
  const disable = other.getByRole("dialog", { name: "Disable API key" });
  await clickUntilVisible(other.getByRole("button", { name: "Disable", exact: true }), disable);
  await disable.getByRole("checkbox").check();
  await disable.getByRole("button", { name: "Disable" }).click();
  await expect(other.getByText("Disabled", { exact: true }).first()).toBeVisible();

  const code = await freshCode(email, seed);
  const regenerate = async () => {
    const warning = page.getByRole("dialog", { name: "Regenerate API key" });
    await clickUntilVisible(page.getByRole("button", { name: "Regenerate", exact: true }), warning);
    await warning.getByRole("checkbox").check();
    await warning.getByRole("button", { name: "Next" }).click();
    const dialog = page.getByRole("dialog", { name: "Authenticator App" });
    await dialog.getByLabel("Authentication code").fill(code);
    await dialog.getByRole("button", { name: "Get New Key", exact: true }).click();
    return dialog;
  };
  const refused = await regenerate();
  await expect(refused.getByRole("alert")).toHaveText("This key was changed meanwhile. Reload the page and try again.");
  await page.reload();
  // The same code again: it was not spent by the refused change.
  await regenerate();
  await expect(page.getByRole("dialog", { name: "New secret key" })).toBeVisible();
  await context.close();
});
