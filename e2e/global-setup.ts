import { chromium, type FullConfig } from "@playwright/test";
import { join } from "node:path";
import { freshCode } from "./otp";

/** Signs the demo owner in once (password + authenticator code) and shares the session. */
export default async function globalSetup(config: FullConfig) {
  const { baseURL, launchOptions } = config.projects[0].use;
  const browser = await chromium.launch(launchOptions);
  const page = await browser.newPage({ baseURL });
  await page.goto("/login");
  await page.getByLabel("E-mail").fill("owner@acme.test");
  await page.getByLabel("Password").fill("keyport-demo");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByLabel("Authentication code").fill(await freshCode("owner@acme.test"));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.waitForURL(/\/merchants/);
  await page.context().storageState({ path: ownerState() });
  await browser.close();
}

export const ownerState = () => join(process.env.KEYPORT_E2E_DATA_DIR!, "owner-state.json");
