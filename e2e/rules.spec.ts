// One rule per decision, seen from the browser: for keys in every state a rotation cares about,
// the key card offers "Rotate key" exactly when the key page offers "Rotate" (both read
// rotationState's answer, decided on the server). The states are made through the management API.
import { randomBytes } from "node:crypto";
import { test, expect, ownerSession, openMerchant, confirmWithCode, expectAccessible, snap } from "./fixtures";
import { createManagementToken } from "./management-token";
import { openDialog } from "./flows";

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

test("a key with its own username and password is rotated from its card with new ones, as on its page", async ({ page, baseURL }) => {
  const tag = randomBytes(3).toString("hex");
  const name = `Rules own card ${tag}`;
  await openMerchant(page, "Acme Payments");
  const create = await openDialog(page, "+ Create API Key", "Create API Key");
  await create.getByLabel("Name", { exact: true }).fill(name);
  await create.getByLabel("Channel").selectOption({ label: "HTTP" });
  await create.getByRole("radio", { name: "Own username and password" }).check();
  await create.getByLabel("Username", { exact: true }).fill(`own-${tag}`);
  await create.getByLabel("Password", { exact: true }).fill(`Own-card-pass-${tag}-42`);
  await create.getByRole("button", { name: "Create API Key" }).click();
  const created = page.getByRole("dialog", { name: "API key created" });
  await created.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await created.getByRole("button", { name: "Done" }).click();

  await page.goto(`${new URL(page.url()).pathname}?view=cards&q=${encodeURIComponent(name)}`);
  const card = page.getByRole("article", { name });
  await card.getByRole("button", { name: "Rotate key" }).click();
  await page.getByRole("dialog", { name: "Rotate key" }).getByRole("button", { name: "Next" }).click();
  const choose = page.getByRole("dialog", { name: "Choose when to revoke the existing key" });
  const next = choose.getByRole("button", { name: "Next" });
  await expect(next).toBeDisabled(); // new credentials first
  await choose.getByRole("group", { name: "New credentials" }).getByLabel("New username", { exact: true }).fill(`own-${tag}-2`);
  await choose.getByRole("group", { name: "New credentials" }).getByLabel("New password", { exact: true }).fill(`Own-card-new-${tag}-43`);
  await expectAccessible(page);
  await snap(page, "card-rotate-own-credentials");
  await next.click();
  await page.getByRole("dialog", { name: "Review your rotation" }).getByRole("button", { name: "Next" }).click();
  await confirmWithCode(page, "Submit");
  const reveal = page.getByRole("dialog", { name: "New secret key" });
  await expect(reveal).toContainText(`own-${tag}-2`);
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  // The new pair verifies; the old one keeps working through the 24-hour window.
  const basic = async (user: string, password: string) =>
    (
      await (
        await fetch(`${baseURL}/api/v1/keys/verify`, {
          method: "POST",
          headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
        })
      ).json()
    ).outcome;
  expect(await basic(`own-${tag}-2`, `Own-card-new-${tag}-43`)).toBe("VALID");
  expect(await basic(`own-${tag}`, `Own-card-pass-${tag}-42`)).toBe("VALID");
});
