import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import http, { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor, createKey } from "@/prisma/factories";
import { KeyCache } from "@/lib/verify/cache";
import { UsageRecorder } from "@/lib/verify/usage";
import { createVerifyHandler, VERIFY_PATH } from "@/lib/verify/handler";
import { startVerifierRuntime } from "@/lib/verify/runtime";
import { serveOps } from "./ops";
import { drainServer } from "./drain";
import { MIN_AUTH_SECRET_LENGTH, SecretsError, checkSharedSecrets, secretsProblem } from "./secrets-check";

let db: Database;
const servers: Server[] = [];
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => {
  for (const s of servers) s.close();
  await db?.close();
});
afterEach(() => {
  delete process.env.KEYPORT_METRICS_TOKEN;
  delete process.env.KEYPORT_REPLACE_SECRETS;
  delete (globalThis as Record<symbol, unknown>)[Symbol.for("keyport.metrics")];
});

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe("health and readiness", () => {
  it("/healthz answers 200; /readyz 200 once the database answers and every migration is applied, 503 while draining or without the listener", async () => {
    let draining = false;
    let listening = true;
    const { base } = await listen((req, res) => {
      if (!serveOps(req, res, { pool: db.pool, listening: () => listening, draining: () => draining })) res.writeHead(404).end();
    });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready" });
    listening = false;
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    listening = true;
    draining = true;
    const drained = await fetch(`${base}/readyz`);
    expect(drained.status).toBe(503);
    expect(await drained.json()).toEqual({ status: "not ready" }); // no reason an attacker could use
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("/readyz is 503 when a migration of this build is not recorded, or the database does not answer", async () => {
    const missing = { query: async () => ({ rows: [{ n: 0 }] }) };
    const down = { query: () => Promise.reject(new Error("connection refused")) };
    for (const pool of [missing, down]) {
      const { base } = await listen((req, res) => void serveOps(req, res, { pool, listening: () => true, draining: () => false }));
      expect((await fetch(`${base}/readyz`)).status).toBe(503);
    }
  });
});

describe("metrics", () => {
  it("are off (404) without KEYPORT_METRICS_TOKEN, and answer only that bearer token", async () => {
    const opts = { pool: db.pool, listening: () => true, draining: () => false };
    const { base } = await listen((req, res) => void serveOps(req, res, opts));
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    process.env.KEYPORT_METRICS_TOKEN = "metrics-token-0123456789";
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: "Bearer wrong-token-0123456789" } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: "Bearer metrics-token-0123456789" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("keyport_nodejs_eventloop_lag_seconds");
  });

  it("a scrape lists verify latency by outcome, cache hits and misses, feed lag, pool use, outbox backlog and webhook failures", async () => {
    process.env.KEYPORT_METRICS_TOKEN = randomBytes(16).toString("hex");
    const runtime = await startVerifierRuntime(db.prisma, { pool: db.pool });
    const { portalMetrics } = await import("./portal-metrics");
    portalMetrics(db.prisma);
    const { base } = await listen((req, res) => {
      if (req.url === VERIFY_PATH) return void runtime.handle(req, res);
      serveOps(req, res, { pool: db.pool, listening: runtime.listening, draining: () => false });
    });
    const actor = await createActor(db.prisma, "OWNER");
    const { secret } = await createKey(db.prisma, { merchantId: actor.merchantId, environment: "production" });
    for (const key of [secret, secret, "kp_live_nope"])
      await fetch(`${base}${VERIFY_PATH}`, { method: "POST", body: JSON.stringify({ key }) });
    const text = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${process.env.KEYPORT_METRICS_TOKEN}` } })
    ).text();
    await runtime.stop();
    expect(text).toMatch(/keyport_verify_duration_seconds_count\{outcome="VALID"\} 2/);
    expect(text).toMatch(/keyport_verify_duration_seconds_count\{outcome="MALFORMED"\} 1/);
    expect(text).toMatch(/keyport_verify_cache_hits_total 1/);
    expect(text).toMatch(/keyport_verify_cache_misses_total 1/);
    expect(text).toMatch(/keyport_change_feed_lag_seconds \d/);
    expect(text).toMatch(/keyport_db_pool_connections\{state="in_use"\} \d/);
    expect(text).toMatch(/keyport_outbox_backlog\{queue="mail"\} \d/);
    expect(text).toMatch(/keyport_outbox_oldest_age_seconds\{queue="webhooks"\} \d/);
    expect(text).toContain("keyport_webhook_failures_total");
  });

  it("cost nothing on the hot path when off: the handler takes no clock and keeps no counts", async () => {
    const cache = new KeyCache();
    const handle = createVerifyHandler({ db: async () => db.prisma, cache, usage: new UsageRecorder(), clientIp: () => "127.0.0.1" });
    const { base } = await listen((req, res) => void handle(req, res));
    const res = await fetch(`${base}${VERIFY_PATH}`, { method: "POST", body: JSON.stringify({ key: "kp_live_nope" }) });
    expect((await res.json()).outcome).toBe("MALFORMED");
    expect((globalThis as Record<symbol, unknown>)[Symbol.for("keyport.metrics")]).toBeUndefined();
  });
});

describe("graceful drain", () => {
  it("a request in flight finishes, idle keep-alive connections are closed, new connections are refused, then it resolves", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const { server, base } = await listen(async (req, res) => {
      if (req.url === "/slow") await held;
      res.end("done");
    });
    const agent = new http.Agent({ keepAlive: true });
    const get = (path: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const r = http.get(`${base}${path}`, { agent }, (res) => {
          let body = "";
          res.on("data", (c) => (body += c));
          res.on("end", () => resolve({ status: res.statusCode!, body }));
        });
        r.on("error", reject);
      });
    expect((await get("/fast")).body).toBe("done"); // a kept-alive connection, now idle
    const slow = get("/slow");
    await new Promise((r) => setTimeout(r, 50));
    let drained = false;
    const drain = drainServer(server, 5000).then(() => (drained = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(drained).toBe(false); // the slow request is still in flight
    await expect(fetch(`${base}/fast`)).rejects.toThrow(); // no new connections
    release();
    expect(await slow).toMatchObject({ status: 200, body: "done" });
    await drain;
    expect(drained).toBe(true);
    agent.destroy();
  });

  it("cuts what is still running after the drain time", async () => {
    const { server, base } = await listen(() => {}); // never answers
    const hanging = fetch(`${base}/never`).catch((e) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t = Date.now();
    await drainServer(server, 200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
    expect(await hanging).toBeInstanceOf(Error);
  });
});

describe("secrets", () => {
  it("production refuses to start without them, or with short or malformed ones; elsewhere generated ones do", () => {
    const key = randomBytes(32).toString("base64");
    const long = "s".repeat(MIN_AUTH_SECRET_LENGTH);
    const prod = (e: Record<string, string>) => secretsProblem({ KEYPORT_ENV: "production", ...e } as never);
    expect(prod({ KEYPORT_ENCRYPTION_KEY: key })).toMatch(/^AUTH_SECRET is not set/);
    expect(prod({ AUTH_SECRET: "short", KEYPORT_ENCRYPTION_KEY: key })).toMatch(/^AUTH_SECRET is 5 characters long/);
    expect(prod({ AUTH_SECRET: long })).toMatch(/^KEYPORT_ENCRYPTION_KEY is not set/);
    expect(prod({ AUTH_SECRET: long, KEYPORT_ENCRYPTION_KEY: "c2hvcnQ=" })).toMatch(/must be 32 bytes/);
    expect(prod({ AUTH_SECRET: long, KEYPORT_ENCRYPTION_KEY: key, KEYPORT_METRICS_TOKEN: "short" })).toMatch(/KEYPORT_METRICS_TOKEN/);
    expect(prod({ AUTH_SECRET: long, KEYPORT_ENCRYPTION_KEY: key })).toBeNull();
    expect(secretsProblem({} as never)).toBeNull();
  });

  it("instances with different secrets on one database are told at start, naming the secret; the same secret passes", async () => {
    const saved = process.env.AUTH_SECRET;
    try {
      process.env.AUTH_SECRET = `first-${randomBytes(24).toString("hex")}`;
      await checkSharedSecrets(db.prisma);
      await checkSharedSecrets(db.prisma); // a second instance with the same secret
      process.env.AUTH_SECRET = `other-${randomBytes(24).toString("hex")}`;
      const refused = await checkSharedSecrets(db.prisma).catch((e) => e);
      expect(refused).toBeInstanceOf(SecretsError);
      expect(refused.message).toMatch(/^AUTH_SECRET of this instance differs/);
      expect(refused.message).not.toContain(process.env.AUTH_SECRET);
      process.env.KEYPORT_REPLACE_SECRETS = "1";
      await checkSharedSecrets(db.prisma);
      delete process.env.KEYPORT_REPLACE_SECRETS;
      await checkSharedSecrets(db.prisma); // the new secret is now the shared one
    } finally {
      process.env.AUTH_SECRET = saved;
      if (saved === undefined) delete process.env.AUTH_SECRET;
    }
  });
});
