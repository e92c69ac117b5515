// The verification API under attack, over HTTP against the production build: guessing HTTP Basic
// passwords, and a revocation whose transaction commits after a later change was already read.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "@playwright/test";
import pg from "pg";
import { test, expect, ownerSession, openMerchant } from "./fixtures";
import { newKey } from "./flows";

test.use(ownerSession);

const VERIFY = "/api/v1/keys/verify";
const PASSWORD = "Basic-guess-target-42";
const hex = () => randomBytes(3).toString("hex");

/** Creates an HTTP key with its own username and password through "+ Create API Key". */
async function newBasicKey(page: Page, username: string) {
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
  await create.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await create.getByRole("button", { name: "Create API Key" }).click();
  const reveal = page.getByRole("dialog", { name: "API key created" });
  await reveal.getByRole("checkbox", { name: "I have saved this secret key" }).check();
  await reveal.getByRole("button", { name: "Done" }).click();
  await expect(reveal).toBeHidden();
}

test("HTTP Basic guessing: limited per user name, known or not, and then even the right password is refused", async ({ page, request }) => {
  const basic = async (user: string, password: string) => {
    const res = await request.post(VERIFY, {
      headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` },
    });
    expect(res.status()).toBe(200);
    return { outcome: (await res.json()).outcome as string, retryAfter: res.headers()["retry-after"] };
  };
  const working = `e2e-basic-ok-${hex()}`;
  const target = `e2e-basic-${hex()}`;
  await newBasicKey(page, working);
  await newBasicKey(page, target);
  expect((await basic(working, PASSWORD)).outcome).toBe("VALID");

  const guesses = async (user: string) => {
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) outcomes.push((await basic(user, `wrong-guess-${i}`)).outcome);
    return outcomes;
  };
  for (const outcomes of [await guesses(target), await guesses(`nobody-${hex()}`)]) {
    const firstLimited = outcomes.indexOf("RATE_LIMITED");
    // At most ten guesses per name are ever checked; every one after the limit is refused unchecked.
    expect(firstLimited).toBeGreaterThan(0);
    expect(firstLimited).toBeLessThanOrEqual(10);
    expect(outcomes.slice(0, firstLimited).every((o) => o === "NOT_FOUND")).toBe(true);
    expect(outcomes.slice(firstLimited).every((o) => o === "RATE_LIMITED")).toBe(true);
  }
  const right = await basic(target, PASSWORD);
  expect(right.outcome).toBe("RATE_LIMITED");
  expect(Number(right.retryAfter)).toBeGreaterThan(0);
});

test("a disable that commits after a later change was read still reaches verification", async ({ page, request }) => {
  const keyIdOf = (url: string) => /\/keys\/([0-9a-f-]{36})/.exec(url)![1];
  const early = { secret: await newKey(page, `E2E feed early ${hex()}`, "Production"), id: keyIdOf(page.url()) };
  const late = { secret: await newKey(page, `E2E feed late ${hex()}`, "Production"), id: keyIdOf(page.url()) };
  const outcome = async (key: string) => (await (await request.post(VERIFY, { data: { key } })).json()).outcome as string;
  expect(await outcome(early.secret)).toBe("VALID"); // both now cached by the verifier
  expect(await outcome(late.secret)).toBe("VALID");

  // Two connections to the app's own embedded database, as two portal instances would write.
  const { url } = JSON.parse(readFileSync(join(process.env.KEYPORT_E2E_DATA_DIR!, "postgres.json"), "utf8")) as { url: string };
  const slow = new pg.Client({ connectionString: url });
  const fast = new pg.Client({ connectionString: url });
  await Promise.all([slow.connect(), fast.connect()]);
  const disable = async (c: pg.Client, keyId: string) => {
    await c.query(`UPDATE api_keys SET status = 'DISABLED' WHERE id = $1`, [keyId]);
    return (await c.query<{ id: string }>(`INSERT INTO key_changes (api_key_id, kind) VALUES ($1, 'key.disabled') RETURNING id`, [keyId]))
      .rows[0].id;
  };
  try {
    await slow.query("BEGIN");
    const earlyId = await disable(slow, early.id); // takes the lower id, commits last
    await fast.query("BEGIN");
    const lateId = await disable(fast, late.id);
    await fast.query("COMMIT");
    expect(BigInt(earlyId)).toBeLessThan(BigInt(lateId));
    await expect.poll(() => outcome(late.secret), { timeout: 5000 }).toBe("DISABLED"); // the feed has read past earlyId
    expect(await outcome(early.secret)).toBe("VALID");

    await slow.query("COMMIT");
    // DESIGN §6 promises 1 s; reading by id alone left this VALID until the cache entry aged out (60 s).
    await expect.poll(() => outcome(early.secret), { timeout: 3000 }).toBe("DISABLED");
  } finally {
    await slow.query("ROLLBACK").catch(() => {});
    await Promise.all([slow.end(), fast.end()]);
  }
});
