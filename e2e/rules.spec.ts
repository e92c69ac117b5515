// One rule per decision, seen from the browser: for keys in every state a rotation cares about,
// the key card offers "Rotate key" exactly when the key page offers "Rotate" (both read
// rotationState's answer, decided on the server). The states are made through the management API.
import { randomBytes } from "node:crypto";
import { test, expect, ownerSession } from "./fixtures";
import { createManagementToken } from "./management-token";

test.use(ownerSession);

test("the key card and the key page offer the same rotation for the same key, in every state", async ({ page, baseURL, playwright }) => {
  const { token, merchantId } = await createManagementToken(page, { name: `Rules ${randomBytes(3).toString("hex")}` });
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const keys = `/api/v1/merchants/${merchantId}/keys`;
  const tag = randomBytes(3).toString("hex");
  const post = async (path: string, data: object) => {
    const res = await api.post(path, { data, headers: { "idempotency-key": randomBytes(16).toString("hex") } });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  };
  const create = (name: string, extra: object = {}) =>
    post(keys, { name: `Rules ${name} ${tag}`, environment: "sandbox", channel: "HTTP", permissions: ["payments:read"], ...extra });

  const enabled = await create("enabled");
  const disabled = await create("disabled");
  await post(`${keys}/${disabled.key.id}/disable`, {});
  const own = await create("own", { credentialType: "custom", username: `rules-${tag}`, password: `Rules-own-pass-${tag}-42` });
  const rotating = await create("rotating");
  await post(`${keys}/${rotating.key.id}/rotate`, { grace: "PT1H" });
  const revoked = await create("revoked");
  await post(`${keys}/${revoked.key.id}/disable`, {});
  await post(`${keys}/${revoked.key.id}/revoke`, {});
  await api.dispose();

  const expected: [string, { key: { id: string } }, boolean][] = [
    ["enabled", enabled, true],
    ["disabled", disabled, true],
    ["own", own, true],
    ["rotating", rotating, false],
    ["revoked", revoked, false],
  ];
  for (const [label, k, rotatable] of expected) {
    const name = `Rules ${label} ${tag}`;
    await page.goto(`/merchants/${merchantId}/developers?view=cards&q=${encodeURIComponent(name)}`);
    const card = page.getByRole("article", { name });
    await expect(card).toBeVisible();
    const onCard = await card.getByRole("button", { name: "Rotate key" }).count();
    await page.goto(`/merchants/${merchantId}/developers/keys/${k.key.id}`);
    await expect(page.getByRole("heading", { level: 2, name })).toBeVisible();
    const actions = page.getByRole("region", { name: "Actions" });
    const onPage = await actions.getByRole("button", { name: "Rotate", exact: true }).count();
    expect([label, onCard, onPage]).toEqual([label, rotatable ? 1 : 0, rotatable ? 1 : 0]);
  }
});
