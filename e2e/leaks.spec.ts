// A leaked key, end to end: GitHub's secret scanning (a local key server with a test key pair
// stands in for GitHub's published keys) reports a production key under the default policy
// ("Rotate with a grace window of 24 hours"): the key shows "Exposed", the old secret still
// verifies with a Sunset header, the owner has the mail. Under "Revoke now" the key answers
// REVOKED within a second of the report's answer. An owner dismisses the mark.
import { createHash, generateKeyPairSync, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { APIRequestContext, Page } from "@playwright/test";
import { test, expect, ownerSession, dbQuery, expectAccessible, snap, confirmWithCode, currentOwner } from "./fixtures";
import { newKey, newSubAccount, openMail, unique } from "./flows";
import { addEndpoint, rememberForLeakScan, startReceiver, verifies } from "./receiver";

test.use(ownerSession);
test.describe.configure({ mode: "serial" });

const github = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
const KEY_ID = "e2e-github-key";
let keyServer: Server;

test.beforeAll(async () => {
  const port = Number(new URL(test.info().project.use.baseURL!).port) + 99; // playwright.config: KEYPORT_GITHUB_KEYS_URL
  keyServer = createServer((_req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        public_keys: [{ key_identifier: KEY_ID, key: github.publicKey.export({ type: "spki", format: "pem" }), is_current: true }],
      }),
    );
  });
  await new Promise<void>((r) => keyServer.listen(port, "127.0.0.1", r));
});
test.afterAll(() => keyServer?.close());

async function report(request: APIRequestContext, secret: string, url: string) {
  const body = JSON.stringify([{ token: secret, type: "keyport_api_key", url, source: "content" }]);
  const signature = sign("sha256", Buffer.from(body), { key: github.privateKey, dsaEncoding: "der" }).toString("base64");
  const res = await request.post("/api/v1/secret-scanning/github", {
    data: body,
    headers: { "content-type": "application/json", "github-public-key-identifier": KEY_ID, "github-public-key-signature": signature },
  });
  expect(res.status()).toBe(200);
  return (await res.json()) as { token_hash: string; label: string }[];
}
const merchantIdOf = (page: Page) => /\/merchants\/([0-9a-f-]{36})/.exec(page.url())![1];

test("a signed report under 'Rotate 24 h': Exposed on the key page, the old secret still verifies with Sunset, the owner is mailed, a receiver gets key.exposed", async ({
  page,
  request,
}) => {
  const receiver = await startReceiver();
  try {
    // A sub-account of the test's own, whose production webhooks go to the receiver.
    const merchant = await newSubAccount(page, "E2E leaks");
    const name = unique("E2E leaked");
    const secret = await newKey(page, name, "Production", merchant.name);
    rememberForLeakScan([secret]);
    const keyPage = page.url();
    await page.goto(`/merchants/${merchant.id}/developers/webhooks?env=production`);
    const add = await addEndpoint(page, `${receiver.url}/leaks`, name);
    await add.getByRole("button", { name: "Add endpoint" }).click();
    await expect(page.getByRole("link", { name: `${receiver.url}/leaks` })).toBeVisible();

    const url = `https://github.com/acme/shop/blob/main/.env#${name.slice(-6)}`;
    expect(await report(request, secret, url)).toEqual([
      { token_hash: createHash("sha256").update(secret).digest("hex"), token_type: "keyport_api_key", label: "true_positive" },
    ]);
    // A forged report (another key pair) is refused and changes nothing.
    const forged = await request.post("/api/v1/secret-scanning/github", {
      data: JSON.stringify([{ token: secret }]),
      headers: { "content-type": "application/json", "github-public-key-identifier": KEY_ID, "github-public-key-signature": "MEUCIQ==" },
    });
    expect(forged.status()).toBe(401);

    await page.goto(keyPage);
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    const notice = page.getByRole("region", { name: "Exposed" });
    await expect(notice).toContainText(url);
    await expect(page.getByRole("list", { name: "Credentials" }).getByRole("listitem")).toHaveCount(2); // rotated, 24 h window
    await expectAccessible(page);
    await snap(page, "key-exposed");
    const verified = await request.post("/api/v1/keys/verify", { data: { key: secret } });
    expect((await verified.json()).outcome).toBe("VALID");
    expect(verified.headers().sunset).toBeTruthy();
    const mail = await openMail(page, new RegExp(`API key ${name} \\(production\\) was found exposed`));
    await expect(mail).toContainText(url);
    await expect(mail).toContainText("GitHub secret scanning");

    // The receiver got key.exposed, signed with the exposed key (still in its grace window), without the secret.
    await expect.poll(() => receiver.of("/leaks", "key.exposed").length, { timeout: 20_000 }).toBe(1);
    const exposed = receiver.of("/leaks", "key.exposed")[0];
    expect(JSON.parse(exposed.body).data).toMatchObject({
      name,
      environment: "production",
      exposure: { url, source: "content", action: "ROTATE" },
    });
    expect(verifies(secret, exposed)).toBe(true);
    expect(exposed.body).not.toContain(secret);
  } finally {
    await receiver.close();
  }
});

test("under 'Revoke now' the key answers REVOKED within a second of the report's answer; an owner dismisses a mark", async ({
  page,
  request,
}) => {
  const name = unique("E2E leaked revoke");
  const secret = await newKey(page, name, "Sandbox", "Acme EU");
  // The owner sets "Revoke now" for the sub-account's sandbox keys, on Credentials Details, with a code.
  await page.goto(`/merchants/${merchantIdOf(page)}/developers/credentials?env=sandbox`);
  const policy = page.getByRole("region", { name: "If a key is found exposed" });
  await expect(policy.getByRole("combobox")).toHaveValue("ROTATE:24"); // the default
  await policy.getByRole("combobox").selectOption({ label: "Revoke now" });
  await policy.getByRole("button", { name: "Save policy" }).click();
  const warning = page.getByRole("dialog", { name: "Change what happens to exposed keys" });
  await warning.getByRole("checkbox", { name: "I confirm changing what happens to exposed keys" }).check();
  await warning.getByRole("button", { name: "Next" }).click();
  await confirmWithCode(page, "Save");
  await expect(page.getByRole("status").filter({ hasText: "Exposure policy saved" })).toBeVisible();
  await expect(policy.getByRole("combobox")).toHaveValue("REVOKE");
  await expectAccessible(page);
  await snap(page, "exposure-policy");
  expect((await (await request.post("/api/v1/keys/verify", { data: { key: secret } })).json()).outcome).toBe("VALID");
  expect((await report(request, secret, "https://gist.github.com/e2e"))[0].label).toBe("true_positive");
  await expect
    .poll(async () => (await (await request.post("/api/v1/keys/verify", { data: { key: secret } })).json()).outcome, {
      timeout: 1000,
      intervals: [50],
    })
    .toBe("REVOKED");
  // A dead key reported again is a false positive.
  expect((await report(request, secret, "https://gist.github.com/e2e-again"))[0].label).toBe("false_positive");

  // Alert only on the master's sandbox: the mark shows on the grid until an owner dismisses it.
  const alerted = unique("E2E leaked alert");
  const alertSecret = await newKey(page, alerted, "Sandbox");
  await dbQuery(
    `INSERT INTO exposure_policies (merchant_id, environment, action) VALUES ($1::uuid, 'sandbox', 'ALERT')
       ON CONFLICT (merchant_id, environment) DO UPDATE SET action = 'ALERT'`,
    [merchantIdOf(page)],
  );
  await report(request, alertSecret, "https://pastebin.example/e2e");
  await page.getByRole("link", { name: "← All API keys" }).click(); // the grid, newest first
  const row = page.getByRole("row", { name: new RegExp(alerted) });
  await expect(row).toContainText("Exposed");
  await expect(row).toContainText("Enabled"); // alert only: nothing else changed
  await row.getByRole("link", { name: alerted }).click();
  await page.getByRole("region", { name: "Exposed" }).getByRole("button", { name: "Dismiss" }).click();
  await expect(page.getByRole("region", { name: "Exposed" })).toHaveCount(0);
  await dbQuery(`DELETE FROM exposure_policies WHERE merchant_id = $1::uuid`, [merchantIdOf(page)]);
});

test("'Report a leaked key' on Credentials Details: a pasted secret runs the same flow; what is not a key gets words and changes nothing", async ({
  page,
  request,
}) => {
  const merchant = await newSubAccount(page, "E2E leak form");
  const name = unique("E2E pasted");
  const secret = await newKey(page, name, "Sandbox", merchant.name);
  rememberForLeakScan([secret]);
  await page.goto(`/merchants/${merchant.id}/developers/credentials?env=sandbox`);
  const form = page.getByRole("region", { name: "Report a leaked key" });
  const field = form.getByLabel("Secret key");
  // Not a Keyport secret: refused in words, nothing reported.
  await field.fill("sk_live_51Habc");
  await form.getByRole("button", { name: "Report leaked key" }).click();
  await expect(form).toContainText("That is not a Keyport secret key");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  // A well-formed secret that is no key of this merchant: nothing changed.
  await field.fill(`kp_test_${"Z".repeat(38)}`);
  await form.getByRole("button", { name: "Report leaked key" }).click();
  await expect(form.getByRole("status")).toContainText("not a live key of this merchant");

  // The real one, with where it was found: rotated under the default policy, named with a link.
  await field.fill(secret);
  await form.getByLabel("Where it was found (optional)").fill("https://chat.example.com/c/42");
  await form.getByRole("button", { name: "Report leaked key" }).click();
  await expect(form.getByRole("status")).toContainText(`${name} It was rotated`);
  await expect(field).toHaveValue(""); // the secret does not stay on the page
  await expectAccessible(page);
  await snap(page, "report-leaked-key");
  const verified = await request.post("/api/v1/keys/verify", { data: { key: secret } });
  expect((await verified.json()).outcome).toBe("VALID");
  expect(verified.headers().sunset).toBeTruthy();
  // The same report again: nothing more is done.
  await field.fill(secret);
  await form.getByLabel("Where it was found (optional)").fill("https://chat.example.com/c/42");
  await form.getByRole("button", { name: "Report leaked key" }).click();
  await expect(form.getByRole("status")).toContainText("was reported from there already");

  await form.getByRole("link", { name }).click();
  await expect(page.getByRole("region", { name: "Exposed" })).toContainText("https://chat.example.com/c/42");
  const mail = await openMail(page, new RegExp(`API key ${name} \\(sandbox\\) was found exposed`), 1);
  await expect(mail).toContainText(`${currentOwner()} (Leak report (portal))`);
});
