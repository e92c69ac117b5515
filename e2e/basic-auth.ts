// HTTP Basic keys over HTTP: one made through "+ Create API Key", and verifications sent from a
// loopback address of the test's choosing (127.0.0.0/8 is all ours), as many clients would.
import http from "node:http";
import type { Page } from "@playwright/test";
import { expect, openMerchant } from "./fixtures";

export const BASIC_PASSWORD = "Basic-guess-target-42";
const VERIFY = "/api/v1/keys/verify";

/** Creates an HTTP key with its own username and password through "+ Create API Key". */
export async function newBasicKey(page: Page, username: string) {
  await openMerchant(page, "Acme Payments");
  const create = page.getByRole("dialog", { name: "Create API Key" });
  await expect(async () => {
    await page.getByRole("button", { name: "+ Create API Key" }).first().click();
    await expect(create).toBeVisible({ timeout: 1000 });
  }).toPass();
  await create.getByLabel("Name", { exact: true }).fill(`E2E basic ${username}`);
  await create.getByLabel("Channel").selectOption({ label: "HTTP" });
  await create.getByRole("radio", { name: "Own username and password" }).check();
  await create.getByLabel("Username", { exact: true }).fill(username);
  await create.getByLabel("Password", { exact: true }).fill(BASIC_PASSWORD);
  await create.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
}

/** One Basic-auth verification from a loopback address of our choosing (127.0.0.0/8 is all ours). */
export function basicFrom(
  baseURL: string,
  from: string,
  user: string,
  password: string,
): Promise<{ outcome: string; retryAfter?: string }> {
  const url = new URL(VERIFY, baseURL);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        localAddress: from,
        agent: false,
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`, "content-length": "0" },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => (body += c));
        res.on("end", () => {
          try {
            resolve({ outcome: JSON.parse(body).outcome ?? `HTTP ${res.statusCode}`, retryAfter: res.headers["retry-after"] as string });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on("error", reject);
    req.end();
  });
}
