// Several instances on one PostgreSQL, as the README's Production section runs them: beside the
// suite's own server (instance A), a second portal instance (B) and a verifier with two workers,
// all on the suite's embedded database through DATABASE_URL. What they must agree on lives there.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import pg from "pg";
import { test, expect, asPoolOwner, currentOwner, ownerSession } from "./fixtures";
import { poolState } from "./owners";
import { BASIC_PASSWORD, basicFrom, newBasicKey } from "./basic-auth";
import { e2eDatabaseUrl, startInstance, stopInstances, waitReady } from "./instances";
import { createManagementToken } from "./management-token";

test.use(ownerSession);
test.describe.configure({ mode: "serial" });

const B = { port: Number(process.env.E2E_PORT ?? 3100) + 3 };
const VERIFIER = { port: Number(process.env.E2E_PORT ?? 3100) + 4 };
const children: ChildProcess[] = [];
/** Instance B and the verifier serve metrics; the suite's own server (A) does not. */
const METRICS_TOKEN = `metrics-${randomUUID()}`;

/** One verification on a connection of its own (a cluster hands each new connection to its next worker). */
function verifyOnce(port: number, key: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ key });
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/v1/keys/verify",
        method: "POST",
        agent: false,
        headers: { "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => resolve(JSON.parse(text).outcome));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

let token = "";
let merchantId = "";
const A = () => Number(process.env.E2E_PORT ?? 3100);

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  const metrics = { KEYPORT_METRICS_TOKEN: METRICS_TOKEN };
  children.push(startInstance("portal-b", "lib/server/main.ts", { PORT: String(B.port), ...metrics }));
  children.push(
    startInstance("verifier", "lib/server/verifier-main.ts", { VERIFIER_PORT: String(VERIFIER.port), VERIFIER_WORKERS: "2", ...metrics }),
  );
  // As a pool owner of its own: its step-up code cannot meet another test's.
  await asPoolOwner(async (me) => {
    const context = await browser.newContext({ storageState: poolState(me), baseURL: `http://127.0.0.1:${A()}` });
    const page = await context.newPage();
    ({ token, merchantId } = await createManagementToken(page, { name: `Instances ${randomUUID().slice(0, 6)}` }));
    await context.close();
  });
  await Promise.all([waitReady(B.port), waitReady(VERIFIER.port)]);
});

test.afterAll(() => stopInstances(children));

test("health and readiness answer on every instance, without a session; metrics answer only their bearer token", async () => {
  for (const port of [A(), B.port, VERIFIER.port]) {
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status, `healthz ${port}`).toBe(200);
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(r.status, `readyz ${port}`).toBe(200);
    expect(await r.json()).toEqual({ status: "ready" });
  }
  // Off without KEYPORT_METRICS_TOKEN.
  expect((await fetch(`http://127.0.0.1:${A()}/metrics`)).status).toBe(404);
  const verifyMetrics = [
    "keyport_verify_duration_seconds",
    "keyport_verify_cache_hits_total",
    "keyport_verify_cache_misses_total",
    "keyport_change_feed_lag_seconds",
    "keyport_db_pool_connections",
    "keyport_nodejs_eventloop_lag_seconds",
    "keyport_process_resident_memory_bytes",
  ];
  const portalMetrics = ["keyport_outbox_backlog", "keyport_outbox_oldest_age_seconds", "keyport_webhook_failures_total"];
  for (const [port, names] of [
    [B.port, [...verifyMetrics, ...portalMetrics]],
    [VERIFIER.port, verifyMetrics],
  ] as const) {
    const url = `http://127.0.0.1:${port}/metrics`;
    expect((await fetch(url)).status, `no token, ${port}`).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status, `wrong token, ${port}`).toBe(401);
    const scraped = await fetch(url, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status, `metrics ${port}`).toBe(200);
    const text = await scraped.text();
    for (const name of names) expect(text, `${name} on ${port}`).toMatch(new RegExp(`^# TYPE ${name} `, "m"));
  }
});

test("a session made on one instance works on the other", async ({ page }) => {
  // The suite's owner signed in on instance A; the cookie is the same for both (one host name).
  await page.goto(`http://127.0.0.1:${B.port}/merchants`);
  await expect(page.getByRole("heading", { name: "Merchants" })).toBeVisible();
  await expect(page.getByText(currentOwner())).toBeVisible();
});

test("a disable on instance B stops VALID on A, on B and on both verifier workers within 1 s", async () => {
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": randomUUID() };
  const keys = `/api/v1/merchants/${merchantId}/keys`;
  const created = await fetch(`http://127.0.0.1:${A()}${keys}`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({
      name: `Instances ${randomUUID().slice(0, 6)}`,
      environment: "production",
      channel: "REST",
      permissions: ["payments:read"],
    }),
  });
  expect(created.status).toBe(201);
  const { key, secret } = (await created.json()) as { key: { id: string }; secret: string };
  const everywhere = async () => {
    const outcomes = [await verifyOnce(A(), secret), await verifyOnce(B.port, secret)];
    for (let i = 0; i < 4; i++) outcomes.push(await verifyOnce(VERIFIER.port, secret)); // both workers, twice
    return [...new Set(outcomes)];
  };
  expect(await everywhere()).toEqual(["VALID"]); // now cached everywhere
  const disabled = await fetch(`http://127.0.0.1:${B.port}${keys}/${key.id}/disable`, {
    method: "POST",
    headers: { ...auth, "idempotency-key": randomUUID() },
    body: "{}",
  });
  expect(disabled.status).toBe(200);
  await expect.poll(everywhere, { timeout: 1000, intervals: [20] }).toEqual(["DISABLED"]);
});

test("a stranger's 10 evaluated Basic guesses are counted once, across both portals and both verifier workers", async ({ page }) => {
  const user = `e2e-instances-${randomUUID().slice(0, 6)}`;
  await newBasicKey(page, user);
  const ports = [A(), B.port, VERIFIER.port, VERIFIER.port]; // each verifier request on a new connection: both workers
  const url = (i: number) => `http://127.0.0.1:${ports[i % ports.length]}`;
  const home = "127.0.7.1";
  expect((await basicFrom(url(2), home, user, BASIC_PASSWORD)).outcome).toBe("VALID");
  const stranger = "127.0.7.2";
  const outcomes: string[] = [];
  for (let i = 0; i < 16; i++) outcomes.push((await basicFrom(url(i), stranger, user, `wrong-${i}`)).outcome);
  expect(outcomes).toEqual([...Array(10).fill("NOT_FOUND"), ...Array(6).fill("RATE_LIMITED")]);
  for (let i = 0; i < ports.length; i++) {
    expect((await basicFrom(url(i), stranger, user, `again-${i}`)).outcome, `stranger on ${url(i)}`).toBe("RATE_LIMITED");
    expect((await basicFrom(url(i), home, user, BASIC_PASSWORD)).outcome, `integration on ${url(i)}`).toBe("VALID");
  }
});

test("the 601st management API call in a minute is refused, whichever instance it reaches", async () => {
  const list = (port: number) =>
    fetch(`http://127.0.0.1:${port}/api/v1/merchants/${merchantId}/keys?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  // The disable test above spent a few of this token's 600; spend the rest across both instances.
  const first = await list(A());
  expect(first.status).toBe(200);
  let left = Number(first.headers.get("ratelimit-remaining"));
  expect(left).toBeGreaterThan(500);
  const statuses: number[] = [];
  for (let i = 0; left > 0; i++, left--) statuses.push((await list(i % 2 ? A() : B.port)).status);
  expect(new Set(statuses)).toEqual(new Set([200]));
  for (const port of [A(), B.port]) {
    const refused = await list(port);
    expect(refused.status, `instance on ${port}`).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  }
});

test("mail written once is sent once, with two instances' workers draining the outbox", async () => {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    const tag = randomUUID();
    const props = JSON.stringify({
      merchantName: "Acme Payments",
      keyName: "Instances",
      environment: "sandbox",
      actor: null,
      at: new Date().toISOString(),
    });
    await client.query(
      `INSERT INTO outbox_mails (id, idempotency_key, to_address, subject, template, props)
       SELECT gen_random_uuid(), $1 || ':' || i, 'nobody-' || i || '@example.test', '[Keyport] Instances', 'key-rotated', $2::jsonb
       FROM generate_series(1, 200) i`,
      [tag, props],
    );
    const state = async () =>
      (
        await client.query<{ status: string; attempts: number; n: number }>(
          "SELECT status, attempts, count(*)::int AS n FROM outbox_mails WHERE idempotency_key LIKE $1 || ':%' GROUP BY 1, 2",
          [tag],
        )
      ).rows;
    await expect.poll(state, { timeout: 60_000, intervals: [500] }).toEqual([{ status: "SENT", attempts: 1, n: 200 }]);
  } finally {
    await client.end();
  }
});
