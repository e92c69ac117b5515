import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test, expect, ownerSession, expectAccessible, snap } from "./fixtures";
import { createManagementToken } from "./management-token";

test.use(ownerSession);

// The README's curl example, step by step: a token made in the portal with a code, then the whole
// rotation over HTTP with no browser and no cookie (the request context has none of its own).
test("an owner's management token runs a rotation over HTTP: create, rotate 1 hour, verify both, roll back, verify", async ({
  page,
  playwright,
  baseURL,
}) => {
  const name = `CI ${randomUUID().slice(0, 6)}`;
  const { token, merchantId } = await createManagementToken(page, { name, shots: true });
  const row = page.getByRole("row", { name: new RegExp(name) });
  await expect(row).toContainText("Active");
  await expect(row).toContainText("Never");
  await expectAccessible(page);
  await snap(page, "management-tokens");

  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const keys = `/api/v1/merchants/${merchantId}/keys`;
  const post = (url: string, data: unknown) =>
    api.post(url, { data, headers: { "content-type": "application/json", "idempotency-key": randomUUID() } });
  const verify = async (key: string) =>
    (await (await api.post("/api/v1/keys/verify", { data: { key } })).json()) as Record<string, unknown>;

  const created = await post(keys, { name: `${name} key`, environment: "production", channel: "REST", permissions: ["payments:write"] });
  expect(created.status()).toBe(201);
  expect(created.headers()["ratelimit-limit"]).toBe("600");
  const first = await created.json();
  expect(first.secret).toMatch(/^kp_live_/);
  const keyId = first.key.id;

  const rotated = await post(`${keys}/${keyId}/rotate`, { grace: "PT1H" });
  expect(rotated.status()).toBe(200);
  const second = await rotated.json();
  expect(second.secret).not.toBe(first.secret);
  await expect(async () => {
    const [oldOne, newOne] = [await verify(first.secret), await verify(second.secret)];
    expect(oldOne).toMatchObject({ valid: true, outcome: "VALID", keyId });
    expect(oldOne.rotation).toMatchObject({ previousExpiresAt: second.previousExpiresAt });
    expect(newOne).toMatchObject({ valid: true, outcome: "VALID", keyId });
  }).toPass({ timeout: 5000 });

  const back = await post(`${keys}/${keyId}/rollback`, {});
  expect(back.status()).toBe(200);
  await expect(async () => {
    expect(await verify(first.secret)).toMatchObject({ valid: true, outcome: "VALID" });
    expect((await verify(first.secret)).rotation).toBeUndefined();
    expect(await verify(second.secret)).toMatchObject({ valid: false, outcome: "NOT_FOUND" });
  }).toPass({ timeout: 5000 });

  // Errors are problem+json; the audit names the token.
  const refused = await post(`${keys}/${keyId}/revoke`, {});
  expect(refused.status()).toBe(409);
  expect(refused.headers()["content-type"]).toContain("application/problem+json");
  expect((await refused.json()).type).toBe("urn:keyport:problem:invalid-transition");
  const audit = await (await api.get(`/api/v1/merchants/${merchantId}/audit-events?keyId=${keyId}`)).json();
  expect(audit.data.map((e: { action: string }) => e.action)).toEqual(["key.rolled_back", "key.rotated", "key.created"]);
  expect(audit.data[0].actor).toContain(name);
  await api.dispose();

  // The portal shows the token as used, and the key's history names it.
  await expect(async () => {
    await page.reload();
    await expect(row).not.toContainText("Never", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await page.goto(`/merchants/${merchantId}/developers/keys/${keyId}`);
  await expect(page.getByText(name).first()).toBeVisible();

  // Revoked, it stops at once.
  await page.goto(`/merchants/${merchantId}/tokens`);
  await row.getByRole("button", { name: `Revoke token ${name}` }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke token" });
  await snap(page, "management-token-revoke");
  await dialog.getByRole("checkbox", { name: "I confirm revoking this token" }).check();
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(row).toContainText("Revoked");
  const after = await playwright.request.newContext({ baseURL });
  const res = await after.get(keys, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(401);
  expect((await res.json()).type).toBe("urn:keyport:problem:invalid-token");
  await after.dispose();
});

// The README's example, run as it is written (only its three settings filled in) with bash and curl.
test("the README's curl script runs the whole rotation", async ({ page, baseURL }) => {
  const readme = readFileSync(join(process.cwd(), "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Management API"));
  const script = /```sh\n([\s\S]*?)```/.exec(section)![1];
  const { token, merchantId } = await createManagementToken(page, { name: `README ${randomUUID().slice(0, 6)}` });
  const filled = script
    .replace(/^BASE=.*$/m, `BASE=${baseURL}`)
    .replace(/^TOKEN=.*$/m, `TOKEN=${token}`)
    .replace(/^MERCHANT=.*$/m, `MERCHANT=${merchantId}`);
  expect(filled).not.toBe(script);
  // The verifier learns of each change within a second: the script's verify lines run right after.
  const out = execFileSync("bash", ["-euo", "pipefail", "-c", filled.replaceAll(/^(verify .*)$/gm, "sleep 1.2; $1")], { encoding: "utf8" });
  const lines = out.trim().split("\n");
  expect(lines.slice(0, 4).map((l) => JSON.parse(l))).toEqual([
    { outcome: "VALID", rotation: { previousExpiresAt: expect.any(String) } },
    { outcome: "VALID", rotation: null },
    { outcome: "VALID", rotation: null },
    { outcome: "NOT_FOUND", rotation: null },
  ]);
  expect(lines.slice(4).map((l) => l.split(" ")[1])).toEqual(["key.rolled_back", "key.rotated", "key.created"]);
});

test("the API reference renders the OpenAPI document in the portal", async ({ page, request }) => {
  const spec = await (await request.get("/api/v1/openapi.json")).json();
  expect(spec.openapi).toBe("3.1.0");
  await page.goto("/docs/api");
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  for (const id of ["rotateKey", "rollbackKey", "verifyKey", "listAuditEvents"]) await expect(page.locator(`#${id}`)).toBeVisible();
  await expect(page.getByRole("heading", { name: /POST \/api\/v1\/merchants\/\{merchantId\}\/keys\/\{keyId\}\/rotate/ })).toBeVisible();
  await expectAccessible(page);
  await snap(page, "api-reference");
});
