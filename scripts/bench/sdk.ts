// npm run bench:sdk — @keyport/verify, all in one run (loopback only):
//   1. a cached hit's latency in the same process (p50/p99);
//   2. an Express app's throughput with the SDK's middleware, against the same app calling
//      POST /api/v1/keys/verify on every request, and against the bare app (autocannon, 5 s each);
//   3. revoke-to-refused: 5 SDK clients in another process, each verifying warm keys in a loop,
//      watch a key; it is disabled through the service; the time from the commit to each
//      client's first refusal (target p99 ≤ 1 s, ≤ 100 ms hoped for).
// Keyport here is the verification API and the SDK's routes over the embedded database, as the
// custom server mounts them (lib/sdk/testing.ts), in this process.
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error -- autocannon ships no types
import autocannon from "autocannon";
import { openDatabase, defaultDatabaseUrl } from "@/lib/db/client";
import { disableKey } from "@/lib/keys/services/change-key-status";
import { createToken } from "@/lib/tokens/service";
import { startTestKeyport } from "@/lib/sdk/testing";
import { createActor, createKey } from "@/prisma/factories";
import { createVerifier } from "@keyport/verify";
// @ts-expect-error -- a plain .mjs helper shared with the .mjs benchmarks
import { startEmbeddedDb } from "./embedded.mjs";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const root = new URL("../..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-sdk-"));
process.env.KEYPORT_DATA_DIR = dataDir;
const env: NodeJS.ProcessEnv = { ...process.env, KEYPORT_DATA_DIR: dataDir };
delete env.DATABASE_URL;
delete process.env.DATABASE_URL;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const now = () => performance.timeOrigin + performance.now();

const dbProcess = await startEmbeddedDb(root, env);
const children: import("node:child_process").ChildProcess[] = [];
try {
  const db = await openDatabase(defaultDatabaseUrl().url);
  const kp = await startTestKeyport(db, 3331);
  const owner = await createActor(db.prisma, "OWNER");
  const { token } = await createToken(db.prisma, owner, { name: "bench", scopes: ["keys:verify"], expiry: "30d" });
  const keys: Awaited<ReturnType<typeof createKey>>[] = [];
  for (let i = 0; i < 200; i++) keys.push(await createKey(db.prisma, { merchantId: owner.merchantId, environment: "production" }));

  // 1. Cached hits.
  const v = createVerifier({ url: kp.url, token, usageFlushMs: 1000 });
  await v.ready();
  for (const k of keys) await v.verify(k.secret);
  const lat: number[] = [];
  for (let i = 0; i < 200_000; i++) {
    const t = performance.now();
    await v.verify(keys[i % keys.length].secret, { ip: "203.0.113.7" });
    lat.push(performance.now() - t);
  }
  const s = v.stats();
  console.log(
    `cached hit, same process: p50 ${(pct(lat, 50) * 1000).toFixed(1)} µs, p99 ${(pct(lat, 99) * 1000).toFixed(1)} µs (${lat.length} calls; ${s.hits} hits, ${s.misses} misses)`,
  );
  await v.close();

  // 2. Express: bare, with the middleware, calling the HTTP API per request.
  const rps: Record<string, number> = {};
  for (const form of ["bare", "sdk", "http"]) {
    const port = 3340;
    const app = fork(join(root, "scripts/bench/sdk-app.mjs"), [], {
      env: { ...env, MODE: "app", FORM: form, PORT: String(port), KEYPORT_URL: kp.url, KEYPORT_TOKEN: token },
    });
    children.push(app);
    await new Promise((r) => app.once("message", r));
    const run = (duration: number): Promise<{ requests: { average: number }; latency: { p99: number }; non2xx: number }> =>
      autocannon({
        url: `http://127.0.0.1:${port}/api/orders`,
        connections: 32,
        duration,
        headers: { authorization: `Bearer ${keys[0].secret}` },
      });
    await run(1); // warm-up (and the SDK's one miss)
    const r = await run(5);
    rps[form] = r.requests.average;
    console.log(
      `express ${form.padEnd(4)}: ${r.requests.average.toFixed(0)} req/s, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}${form === "http" ? " (Keyport in this process)" : ""}`,
    );
    app.kill();
    await new Promise((r) => app.once("exit", r));
  }
  console.log(
    `ratios: sdk/bare ${(rps.sdk / rps.bare).toFixed(2)}, sdk/http ${(rps.sdk / rps.http).toFixed(2)}, http/bare ${(rps.http / rps.bare).toFixed(2)}`,
  );

  // 3. Revoke-to-refused across 5 clients under load.
  const clients = fork(join(root, "scripts/bench/sdk-app.mjs"), [], {
    env: { ...env, MODE: "clients", KEYPORT_URL: kp.url, KEYPORT_TOKEN: token },
  });
  children.push(clients);
  const next = (type: string) =>
    new Promise<{ type: string; at?: number[]; hits?: number }>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type === type) {
          clients.off("message", on);
          resolve(m);
        }
      };
      clients.on("message", on);
    });
  await next("ready");
  clients.send({ type: "load", keys: keys.slice(0, 50).map((k) => k.secret) });
  await next("loaded");
  const delays: number[] = [];
  let hits = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const k = keys[100 + i];
    clients.send({ type: "watch", secret: k.secret });
    await next("watching");
    const refused = next("refused");
    await disableKey(db.prisma, owner, k.key.id);
    const committed = now();
    const m = await refused;
    for (const at of m.at!) delays.push(at - committed);
    hits = m.hits!;
  }
  console.log(
    `revoke-to-refused, 5 clients under load (${ROUNDS} keys, ${delays.length} samples, ${hits} cached answers meanwhile): p50 ${pct(delays, 50).toFixed(1)} ms, p99 ${pct(delays, 99).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms`,
  );
  clients.kill();
  await kp.stop();
  await db.close();
} finally {
  for (const c of children) c.kill();
  try {
    process.kill(-dbProcess.pid!, "SIGTERM");
  } catch {}
  await new Promise((r) => (dbProcess.exitCode !== null ? r(null) : dbProcess.once("exit", r)));
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
