// The verification API under attack, over HTTP against the production build: guessing HTTP Basic
// passwords, and a revocation whose transaction commits after a later change was already read.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { test, expect, ownerSession, openMerchant, openKey, snap } from "./fixtures";
import { BASIC_PASSWORD as PASSWORD, basicFrom, newBasicKey } from "./basic-auth";
import { newKey, openMail } from "./flows";
import { e2eDatabaseUrl, startInstance, stopInstances, waitReady } from "./instances";

test.use(ownerSession);

const VERIFY = "/api/v1/keys/verify";
/** A verifier process started after the flood (instances.spec.ts uses +3 and +4). */
const FRESH_PORT = Number(process.env.E2E_PORT ?? 3100) + 5;
const hex = () => randomBytes(3).toString("hex");

test("HTTP Basic guessing: a stranger's address gets 10 evaluated guesses, known or unknown name, and only that address is refused", async ({
  page,
  baseURL,
}) => {
  const target = `e2e-basic-${hex()}`;
  await newBasicKey(page, target);
  const stranger = "127.0.3.1";
  const guesses = async (user: string) => {
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) outcomes.push((await basicFrom(baseURL!, stranger, user, `wrong-guess-${i}`)).outcome);
    return outcomes;
  };
  for (const outcomes of [await guesses(target), await guesses(`nobody-${hex()}`)]) {
    // Ten guesses per name and address are checked; every one after is refused unchecked.
    expect(outcomes.slice(0, 10)).toEqual(Array(10).fill("NOT_FOUND"));
    expect(outcomes.slice(10)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
  }
  const refused = await basicFrom(baseURL!, stranger, target, PASSWORD);
  expect(refused.outcome).toBe("RATE_LIMITED");
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  // The integration, from its own address, never noticed.
  expect((await basicFrom(baseURL!, "127.0.3.2", target, PASSWORD)).outcome).toBe("VALID");
});

test("10,000 wrong guesses from 200 addresses, the integration's own among them: its right password is still VALID", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(600_000);
  const target = `e2e-flood-${hex()}`;
  await newBasicKey(page, target);
  const home = "127.0.4.1";
  expect((await basicFrom(baseURL!, home, target, PASSWORD)).outcome).toBe("VALID");
  const addresses = [home, ...Array.from({ length: 199 }, (_, i) => `127.0.${5 + (i >> 8)}.${(i & 255) + 1}`)];
  const tally: Record<string, number> = {};
  let next = 0;
  // 32 at a time: the verifier's password threads queue at most 64 checks, and the flood is about guessing, not that bound.
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      for (let i = next++; i < 10_000; i = next++) {
        const { outcome } = await basicFrom(baseURL!, addresses[i % 200], target, `flood-${i}`);
        tally[outcome] = (tally[outcome] ?? 0) + 1;
      }
    }),
  );
  // 199 strangers had 10 guesses each checked, the integration's own address its lane's 50; the rest were refused unchecked.
  expect(tally).toEqual({ NOT_FOUND: 199 * 10 + 50, RATE_LIMITED: 10_000 - 199 * 10 - 50 });
  expect((await basicFrom(baseURL!, home, target, PASSWORD)).outcome).toBe("VALID");
  // The same after a restart, in a process that never saw the flood: what it must know lives in
  // the database (the known-good address, the strangers' counts), not in the flooded process.
  const fresh = startInstance("verifier-after-flood", "lib/server/verifier-main.ts", { VERIFIER_PORT: String(FRESH_PORT) });
  try {
    await waitReady(FRESH_PORT);
    const freshURL = `http://127.0.0.1:${FRESH_PORT}`;
    // Before anything is cached here: a stranger's next guess is not evaluated, even a right one
    // (a pair once verified is answered from the cache without a check, like any client's).
    expect((await basicFrom(freshURL, addresses[1], target, "one-more-guess")).outcome).toBe("RATE_LIMITED");
    expect((await basicFrom(freshURL, addresses[1], target, PASSWORD)).outcome).toBe("RATE_LIMITED");
    expect((await basicFrom(freshURL, home, target, PASSWORD)).outcome).toBe("VALID");
  } finally {
    await stopInstances([fresh]);
  }
  // Reported, never locked: the owner has the mail, and the key page says so.
  await openMerchant(page, "Acme Payments");
  await openKey(page, `E2E basic ${target}`);
  const notice = page.getByRole("status").filter({ has: page.getByRole("heading", { name: "Password guessing on this key" }) });
  await expect(notice).toContainText(/wrong passwords from \d+ client addresses/);
  await snap(page, "key-guessing-notice");
  const mail = await openMail(page, new RegExp(`Password guessing on API key E2E basic ${target}`), 1);
  await expect(mail).toContainText(target);
  await expect(mail).toContainText(/wrong passwords from \d+ client addresses/);
  await snap(page, "mail-key-guessed");
});

test("a disable that commits after a later change was read still reaches verification", async ({ page, request }) => {
  const keyIdOf = (url: string) => /\/keys\/([0-9a-f-]{36})/.exec(url)![1];
  const early = { secret: await newKey(page, `E2E feed early ${hex()}`, "Production"), id: keyIdOf(page.url()) };
  const late = { secret: await newKey(page, `E2E feed late ${hex()}`, "Production"), id: keyIdOf(page.url()) };
  const outcome = async (key: string) => (await (await request.post(VERIFY, { data: { key } })).json()).outcome as string;
  expect(await outcome(early.secret)).toBe("VALID"); // both now cached by the verifier
  expect(await outcome(late.secret)).toBe("VALID");

  // Two connections to the app's own embedded database, as two portal instances would write.
  const url = e2eDatabaseUrl();
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
    // docs/design.md §6 promises 1 s; reading by id alone left this VALID until the cache entry aged out (60 s).
    await expect.poll(() => outcome(early.secret), { timeout: 3000 }).toBe("DISABLED");
  } finally {
    await slow.query("ROLLBACK").catch(() => {});
    await Promise.all([slow.end(), fast.end()]);
  }
});
