import { chromium, type FullConfig, type Page } from "@playwright/test";
import { freshCode } from "./otp";
import { POOL_SIZE, createPool, demoOwnerState, poolOwner, poolState } from "./owners";

async function signInAndSave(page: Page, email: string, path: string) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("keyport-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authentication code").fill(await freshCode(email));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/merchants/);
  await page.context().storageState({ path });
}

/** Signs the demo owner and the pool's owners in once (password + authenticator code) and shares their sessions. */
export default async function globalSetup(config: FullConfig) {
  await createPool();
  const { baseURL, launchOptions } = config.projects[0].use;
  const browser = await chromium.launch(launchOptions);
  // Each in a context of its own, all at once rather than seven sign-ins one after another.
  const signIns = [["owner@acme.test", demoOwnerState()]];
  for (let i = 1; i <= POOL_SIZE; i++) signIns.push([poolOwner(i), poolState(poolOwner(i))]);
  await Promise.all(
    signIns.map(async ([email, path]) => signInAndSave(await (await browser.newContext({ baseURL })).newPage(), email, path)),
  );
  await browser.close();
}
