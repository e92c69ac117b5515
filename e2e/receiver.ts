// Webhook receivers for the flows: a server on loopback (the e2e server runs with
// KEYPORT_WEBHOOKS_ALLOW_PRIVATE=1 and a thousandth of the retry schedule) that records what it
// got, verified with the package the README shows receivers; and "+ Add endpoint" in the portal.
import { createHmac } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Page } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { expect } from "./fixtures";

/** What a merchant derives from the API secret they hold. */
export const signingSecret = (apiSecret: string) => createHmac("sha256", apiSecret).update("keyport-webhook-signing-v1").digest("base64");

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  answered: number;
}

export async function startReceiver() {
  const got: Received[] = [];
  const answers = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const answered = answers.get(req.url ?? "")?.shift() ?? 200;
      got.push({ path: req.url ?? "", headers: req.headers as Record<string, string>, body, answered });
      res.writeHead(answered, { "content-type": "text/plain" }).end(answered === 200 ? "thanks" : "receiver is down");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const of = (path: string, type: string) => got.filter((r) => r.path === path && JSON.parse(r.body).type === type);
  return { url, got, answers, of, close: () => new Promise((r) => server.close(r)) };
}

/** The leak scan looks for these secrets, and the signing secrets derived from them, everywhere the run left data. */
export function rememberForLeakScan(secrets: string[]) {
  const dir = join(process.env.KEYPORT_E2E_DATA_DIR!, "leak");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "webhooks.json");
  const before = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as string[]) : [];
  writeFileSync(file, JSON.stringify([...before, ...secrets]));
}

export const verifies = (apiSecret: string, r: Received) => {
  try {
    new Webhook(signingSecret(apiSecret)).verify(r.body, r.headers);
    return true;
  } catch {
    return false;
  }
};

export async function addEndpoint(page: Page, url: string, keyName: string) {
  const dialog = page.getByRole("dialog", { name: "Add endpoint" });
  await expect(async () => {
    await page.getByRole("button", { name: "+ Add endpoint" }).click();
    await expect(dialog).toBeVisible({ timeout: 1000 });
  }).toPass();
  await dialog.getByLabel("Endpoint URL").fill(url);
  await dialog.getByLabel("Signing key").selectOption({ label: keyName });
  return dialog;
}
