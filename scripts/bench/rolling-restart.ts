// npm run bench:rolling-restart — a rolling restart of two instances behind the project's small
// proxy (scripts/proxy.mjs) under 1,000 verification requests a second: each instance in turn gets
// SIGTERM (it drains: /readyz 503, requests in flight finish), exits, starts again and becomes
// ready, while the load goes on. Prints how many requests failed (target: none). Loopback only,
// bounded: about 30 s.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultDatabaseUrl, openDatabase } from "@/lib/db/client";
import { createActor, createKey } from "@/prisma/factories";
// @ts-expect-error -- plain .mjs helpers shared with the .mjs benchmarks
import { startEmbeddedDb } from "./embedded.mjs";
// @ts-expect-error -- a plain .mjs script
import { startProxy } from "../proxy.mjs";
import { serverEnv } from "../run.mjs";

const RATE = Number(process.env.BENCH_RATE ?? 1000);
const PROXY_PORT = 3340;
const PORTS = [3341, 3342];
const root = new URL("../..", import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-rolling-"));
process.env.KEYPORT_DATA_DIR = dataDir;
const env: NodeJS.ProcessEnv = serverEnv({ ...process.env, KEYPORT_DATA_DIR: dataDir, HOST: "127.0.0.1" });
delete env.DATABASE_URL;
delete process.env.DATABASE_URL;

const db0 = await startEmbeddedDb(root, env);
const instances: (ChildProcess | null)[] = [null, null];
const startInstance = (i: number) =>
  (instances[i] = spawn(process.execPath, ["scripts/run.mjs", "lib/server/verifier-main.ts"], {
    cwd: root,
    env: { ...env, VERIFIER_PORT: String(PORTS[i]) },
    stdio: "ignore",
    detached: true,
  }));
const readyz = async (port: number) => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status === 200;
async function waitReady(port: number) {
  for (let i = 0; i < 600 && !(await readyz(port)); i++) await new Promise((r) => setTimeout(r, 50));
}
const stopAll = async () => {
  for (const c of [...instances, db0]) {
    if (!c || c.exitCode !== null) continue;
    try {
      process.kill(-c.pid!, "SIGTERM");
    } catch {}
    await new Promise((r) => c.once("exit", r));
  }
  rmSync(dataDir, { recursive: true, force: true });
};

try {
  const db = await openDatabase(defaultDatabaseUrl().url);
  const actor = await createActor(db.prisma, "OWNER");
  const secrets: string[] = [];
  for (let i = 0; i < 200; i++)
    secrets.push((await createKey(db.prisma, { merchantId: actor.merchantId, environment: "production" })).secret);
  await db.close();
  PORTS.forEach((_, i) => startInstance(i));
  await Promise.all(PORTS.map(waitReady));
  const proxy = await startProxy(
    PROXY_PORT,
    PORTS.map((p) => `http://127.0.0.1:${p}`),
  );

  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const tally = { sent: 0, valid: 0, other: 0, errors: 0 };
  const latencies: number[] = [];
  const verify = (key: string) =>
    new Promise<void>((resolve) => {
      const t = performance.now();
      const body = JSON.stringify({ key });
      const req = http.request(
        {
          host: "127.0.0.1",
          port: PROXY_PORT,
          path: "/api/v1/keys/verify",
          method: "POST",
          agent,
          headers: { "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          let text = "";
          res.on("data", (c) => (text += c));
          res.on("end", () => {
            latencies.push(performance.now() - t);
            if (res.statusCode === 200 && JSON.parse(text).outcome === "VALID") tally.valid++;
            else tally.other++;
            resolve();
          });
        },
      );
      req.on("error", () => {
        tally.errors++;
        resolve();
      });
      req.end(body);
    });

  let running = true;
  const inFlight = new Set<Promise<void>>();
  const load = (async () => {
    const start = performance.now();
    for (let i = 0; running; i++) {
      const wait = start + (i * 1000) / RATE - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      tally.sent++;
      const p = verify(secrets[i % secrets.length]);
      inFlight.add(p);
      void p.then(() => inFlight.delete(p));
    }
  })();

  const events: string[] = [];
  const t0 = performance.now();
  const at = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  await new Promise((r) => setTimeout(r, 3000));
  for (const i of PORTS.keys()) {
    const child = instances[i]!;
    const t = performance.now();
    process.kill(-child.pid!, "SIGTERM");
    await new Promise((r) => child.once("exit", r));
    events.push(`${at()}: instance ${i + 1} drained and exited in ${(performance.now() - t).toFixed(0)} ms`);
    startInstance(i);
    await waitReady(PORTS[i]);
    events.push(`${at()}: instance ${i + 1} ready again`);
    await new Promise((r) => setTimeout(r, 2000));
  }
  await new Promise((r) => setTimeout(r, 1000));
  running = false;
  await load;
  await Promise.all(inFlight);
  await proxy.close();
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  for (const e of events) console.log(e);
  console.log(
    `Rolling restart of 2 verifier instances behind scripts/proxy.mjs at ${RATE} req/s: ${tally.sent} sent, ${tally.valid} VALID, ` +
      `${tally.other + tally.errors} failed (target 0: ${tally.other} not VALID, ${tally.errors} connection errors); ` +
      `the proxy re-sent ${proxy.stats.retried} refused or reset by a draining instance; latency p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms`,
  );
} finally {
  await stopAll();
}
process.exit(0);
