// npm run bench:verify — the verification API under load (autocannon, loopback only).
// Seeds 100,000 keys in a fresh embedded database, starts the verifier as its own process and the
// portal's own server (what `npm start` runs), and measures in one run: (a) a bare node:http
// server answering fixed JSON, (b) valid keys (cache hits), (c) random well-formed unknown keys,
// (d) malformed keys, (e) valid keys through the portal's server; then p99 at a fixed 2,000 req/s
// in interleaved rounds (BENCH_REPEAT=3: all of that three times, and the median of each figure);
// a cold start: the verifier restarted and offered 2,000 req/s over 10,000 keys the moment it is
// ready, without and with its preload of recently used keys; and a soak: 5 minutes at 2,000 req/s
// over 10,000 distinct valid keys, with p99 per 10-second window (BENCH_SOAK_SECONDS=0 skips it).
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import pg from "pg";
import { fixedRateInChild } from "./fixed-rate.mjs";
import { startEmbeddedDb } from "./embedded.mjs";
import { build, needsBuild } from "../start.mjs";
import { serverEnv } from "../run.mjs";

const root = new URL("../..", import.meta.url).pathname;
const N = Number(process.env.BENCH_KEYS ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 300);
if (needsBuild()) build(); // the portal's server runs from the production build
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-verify-"));
const sampleFile = join(dataDir, "sample.json");
const env = serverEnv({ ...process.env, KEYPORT_DATA_DIR: dataDir, NODE_ENV: "production", HOST: "127.0.0.1" });
delete env.DATABASE_URL;
// BENCH_DATABASE_URL=postgresql://…: run on a fresh database created on that server (and dropped
// afterwards) instead of a fresh embedded one.
const server = process.env.BENCH_DATABASE_URL;
let benchDb = null;
if (server) {
  benchDb = `keyport_bench_${Date.now()}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${benchDb}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${benchDb}`;
  env.DATABASE_URL = url.toString();
}
const children = [];
if (!server) children.push(await startEmbeddedDb(root, env));
let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  for (const c of children.reverse()) {
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {}
    await new Promise((r) => (c.exitCode !== null ? r() : c.once("exit", r)));
  }
  rmSync(dataDir, { recursive: true, force: true });
  if (benchDb) {
    await new Promise((r) => setTimeout(r, 1000));
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
    await admin.end();
  }
}
process.on("exit", () => {
  for (const c of children)
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {}
  rmSync(dataDir, { recursive: true, force: true });
});

console.log(
  `Seeding ${N.toLocaleString()} keys in a fresh ${benchDb ? `PostgreSQL database (${benchDb})` : "embedded PostgreSQL server"}…`,
);
const seed = spawnSync(
  process.execPath,
  ["--import", "tsx", "--import", "./lib/server/register.mjs", "scripts/bench/seed-verify.ts", String(N), sampleFile],
  { cwd: root, env: { ...env, BENCH_SAMPLE: "10000" }, encoding: "utf8" },
);
if (seed.status !== 0) throw new Error(seed.stderr);
console.log(seed.stdout.trim());
const { valid, unknown } = JSON.parse(readFileSync(sampleFile, "utf8"));

const start = (args, port, extra = {}) => {
  const c = spawn(process.execPath, args, {
    cwd: root,
    env: { ...env, VERIFIER_PORT: String(port), PORT: String(port), ...extra },
    stdio: "ignore",
    detached: true,
  });
  children.push(c);
  return c;
};
const bareServer = start(
  [
    "-e",
    `require("node:http").createServer((q,r)=>{q.resume();q.on("end",()=>{const b='{"valid":true,"outcome":"VALID"}';r.writeHead(200,{"content-type":"application/json","content-length":b.length});r.end(b)})}).listen(3301,"127.0.0.1")`,
  ],
  3301,
);
// Each server appends its event-loop delay and GC pauses every second: a slow round says why.
const probeOf = { 3300: join(dataDir, "probe-verifier.jsonl"), 3302: join(dataDir, "probe-portal.jsonl") };
// BENCH_VERIFIER_FLAGS / BENCH_PORTAL_FLAGS: Node flags for either server (for example --cpu-prof).
const flags = (name) => process.env[name]?.split(" ").filter(Boolean) ?? [];
let verifierServer = start([...flags("BENCH_VERIFIER_FLAGS"), "scripts/run.mjs", "lib/server/verifier-main.ts"], 3300, {
  KEYPORT_LOOP_PROBE: probeOf[3300],
});
// The portal's server, as `npm start` runs it, on the same database (through its URL: the bench's
// database process owns the embedded server).
const dbUrl = env.DATABASE_URL ?? JSON.parse(readFileSync(join(dataDir, "postgres.json"), "utf8")).url;
const portalServer = start([...flags("BENCH_PORTAL_FLAGS"), "scripts/run.mjs", "lib/server/main.ts"], 3302, {
  DATABASE_URL: dbUrl,
  KEYPORT_DEMO: "0",
  KEYPORT_LOOP_PROBE: probeOf[3302],
});

async function up(url) {
  for (let i = 0; i < 120; i++) {
    try {
      await fetch(url, { method: "POST", body: "{}" });
      return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not start`);
}
const VERIFY = "http://127.0.0.1:3300/api/v1/keys/verify";
await up("http://127.0.0.1:3301/");
await up(VERIFY);
const PORTAL = "http://127.0.0.1:3302/api/v1/keys/verify";
await up(PORTAL);
// One page through Next.js first, as any portal visit does: Next's AsyncLocalStorage then turns on
// Node's async hooks for the whole process, and every promise after that pays for them (measured:
// 300,000 awaits took 15 ms before and 252 ms after). (e) is measured in that state.
await new Promise((resolve) =>
  http
    .get({ host: "127.0.0.1", port: 3302, path: "/login", headers: { host: "localhost:3302" } }, (res) => res.resume().on("end", resolve))
    .on("error", resolve),
);
// Warm the caches: every sampled valid key once.
for (const k of valid) {
  await fetch(VERIFY, { method: "POST", body: JSON.stringify({ key: k }) });
  await fetch(PORTAL, { method: "POST", body: JSON.stringify({ key: k }) });
}

const bodies = (list) =>
  list.map((key) => ({
    method: "POST",
    path: "/api/v1/keys/verify",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ key }),
  }));
const malformed = Array.from({ length: 100 }, (_, i) => `kp_live_${"x".repeat(30)}${String(i).padStart(8, "0")}`);
/** CPU seconds a process has used (Linux), or null. */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
/**
 * One autocannon run, with the CPU time the server spent per answered request: steadier than
 * req/s on two shared cores, where the load generator takes whatever the server leaves.
 */
const run = async (server, opts) => {
  const before = cpuSeconds(server.pid);
  const res = await new Promise((resolve, reject) =>
    autocannon({ duration: DURATION, connections: CONNECTIONS, ...opts }, (err, r) => (err ? reject(err) : resolve(r))),
  );
  const after = cpuSeconds(server.pid);
  res.cpuUsPerRequest = before === null || after === null ? null : ((after - before) * 1e6) / (res.requests.total || 1);
  return res;
};

const rows = [];
const report = (label, r) => {
  rows.push({
    label,
    rps: r.requests.average,
    cpu: r.cpuUsPerRequest,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors + r.non2xx,
  });
  const cpu = r.cpuUsPerRequest === null ? "" : `   server CPU ${r.cpuUsPerRequest.toFixed(1).padStart(5)} µs/req`;
  console.log(
    `  ${label.padEnd(38)} ${Math.round(r.requests.average).toLocaleString().padStart(8)} req/s   p50 ${String(r.latency.p50).padStart(3)} ms   p99 ${String(r.latency.p99).padStart(3)} ms   errors ${r.errors + r.non2xx}${cpu}`,
  );
};
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const bodiesFile = join(dataDir, "bodies.json");
writeFileSync(bodiesFile, JSON.stringify(valid.map((key) => JSON.stringify({ key }))));
/** The server's own worst event-loop delay and its GC pauses of ≥ 5 ms between two times. */
function serverSide(port, from, to) {
  if (!probeOf[port] || !existsSync(probeOf[port])) return "";
  const lines = readFileSync(probeOf[port], "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l))
    .filter((p) => p.t >= from && p.t <= to + 1000);
  const loop = Math.max(0, ...lines.map((p) => p.loopMaxMs));
  const gcs = lines.flatMap((p) => p.gc);
  const worstGc = gcs.reduce((a, b) => (b.ms > a.ms ? b : a), { kind: "none", ms: 0 });
  return `   [server: loop delay max ${loop} ms, ${gcs.length} GC ≥ 5 ms${gcs.length ? `, worst ${worstGc.kind} ${worstGc.ms} ms` : ""}]`;
}
const fixedRun = async (label, port, path) => {
  const from = Date.now();
  const r = await fixedRateInChild({ port, path, bodiesFile, rate: RATE, seconds: DURATION });
  console.log(
    `  ${label.padEnd(38)} ${Math.round(r.achieved).toLocaleString().padStart(8)} req/s   p50 ${r.p50.toFixed(2)} ms   p99 ${r.p99.toFixed(2)} ms   p99.9 ${r.p999.toFixed(2)} ms   max ${r.max.toFixed(1)} ms   errors ${r.errors}${serverSide(port, from, Date.now())}`,
  );
  return r;
};
// Three interleaved rounds: on 2 shared cores a single round moves with whatever else runs.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// BENCH_REPEAT=3: the whole measurement three times in one run, and the median of each figure.
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 1));
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const worst = (rs, k) => Math.max(...rs.map((r) => r[k]));
const summaries = [];
for (let rep = 1; rep <= REPEAT; rep++) {
  if (REPEAT > 1) console.log(`\n=== Run ${rep} of ${REPEAT}`);
  rows.length = 0;
  console.log(`\n${CONNECTIONS} connections, ${DURATION} s each, 2 cores shared by server and load generator:`);
  report("(a) bare node:http, fixed JSON", await run(bareServer, { url: "http://127.0.0.1:3301/", method: "POST", body: "{}" }));
  report("(b) verifier, valid keys (cache hits)", await run(verifierServer, { url: VERIFY, requests: bodies(valid) }));
  report("(c) verifier, unknown well-formed keys", await run(verifierServer, { url: VERIFY, requests: bodies(unknown) }));
  report("(d) verifier, malformed keys", await run(verifierServer, { url: VERIFY, requests: bodies(malformed) }));
  report("(e) npm start's server, valid keys", await run(portalServer, { url: PORTAL, requests: bodies(valid) }));
  console.log(
    `\nFixed offered load, ${RATE.toLocaleString()} req/s for ${DURATION} s, ${ROUNDS} interleaved rounds (open loop, latency from each request's due time):`,
  );
  const bare = [];
  const verifier = [];
  const portal = [];
  for (let i = 0; i < ROUNDS; i++) {
    bare.push(await fixedRun(`(a) bare node:http, round ${i + 1}`, 3301, "/"));
    verifier.push(await fixedRun(`(b) verifier, valid keys, round ${i + 1}`, 3300, "/api/v1/keys/verify"));
    portal.push(await fixedRun(`(e) npm start's server, round ${i + 1}`, 3302, "/api/v1/keys/verify"));
  }
  const summary = {
    ba: rows[1].rps / rows[0].rps,
    ea: rows[4].rps / rows[0].rps,
    cpuB: rows.every((r) => r.cpu !== null) ? rows[1].cpu / rows[0].cpu : Number.NaN,
    cpuE: rows.every((r) => r.cpu !== null) ? rows[4].cpu / rows[0].cpu : Number.NaN,
    bareWorstP99: worst(bare, "p99"),
    verifierWorstP99: worst(verifier, "p99"),
    verifierWorstMax: worst(verifier, "max"),
    portalWorstP99: worst(portal, "p99"),
    portalWorstMax: worst(portal, "max"),
  };
  summaries.push(summary);
  console.log(
    `  p99 per round: bare ${bare.map((r) => r.p99.toFixed(2)).join(", ")} ms; verifier ${verifier.map((r) => r.p99.toFixed(2)).join(", ")} ms; npm start's server ${portal.map((r) => r.p99.toFixed(2)).join(", ")} ms`,
  );
  console.log(
    `  worst round: bare p99 ${summary.bareWorstP99.toFixed(2)} ms; verifier p99 ${summary.verifierWorstP99.toFixed(2)} ms (${(summary.verifierWorstP99 / summary.bareWorstP99).toFixed(2)}× bare's, target ≤ 1.5×), max ${summary.verifierWorstMax.toFixed(1)} ms; npm start's server p99 ${summary.portalWorstP99.toFixed(2)} ms, max ${summary.portalWorstMax.toFixed(1)} ms   (target: every round p99 ≤ 5 ms, max ≤ 30 ms)`,
  );
  console.log(
    `  ratios: verifier b/a = ${summary.ba.toFixed(2)} (target ≥ 0.75), npm start's server e/a = ${summary.ea.toFixed(2)} (target ≥ 0.55)`,
  );
  if (!Number.isNaN(summary.cpuB))
    console.log(
      `  server CPU per request, relative to bare node:http: verifier ${summary.cpuB.toFixed(2)}× (target ≤ 1.4×), npm start's server ${summary.cpuE.toFixed(2)}× (target ≤ 1.8×)`,
    );
}
if (REPEAT > 1) {
  const m = (k) => median(summaries.map((x) => x[k]));
  console.log(`\nMedian of ${REPEAT} runs:`);
  console.log(`  ratios: b/a ${m("ba").toFixed(2)} (target ≥ 0.75), e/a ${m("ea").toFixed(2)} (target ≥ 0.55)`);
  console.log(
    `  server CPU per request vs bare: verifier ${m("cpuB").toFixed(2)}× (target ≤ 1.4×), npm start's server ${m("cpuE").toFixed(2)}× (target ≤ 1.8×)`,
  );
  console.log(
    `  worst fixed-rate round: bare p99 ${m("bareWorstP99").toFixed(2)} ms, verifier p99 ${m("verifierWorstP99").toFixed(2)} ms max ${m("verifierWorstMax").toFixed(1)} ms, npm start's server p99 ${m("portalWorstP99").toFixed(2)} ms max ${m("portalWorstMax").toFixed(1)} ms`,
  );
}

// Cold start: the verifier restarts and is offered the full rate over 10,000 keys as soon as it
// says ready, first without the preload of recently used keys, then with it (the default).
async function restartVerifier(extra) {
  try {
    process.kill(-verifierServer.pid, "SIGTERM");
  } catch {}
  await new Promise((r) => (verifierServer.exitCode !== null ? r() : verifierServer.once("exit", r)));
  const t0 = Date.now();
  verifierServer = start([...flags("BENCH_VERIFIER_FLAGS"), "scripts/run.mjs", "lib/server/verifier-main.ts"], 3300, {
    KEYPORT_LOOP_PROBE: probeOf[3300],
    ...extra,
  });
  for (let i = 0; ; i++) {
    const status = await fetch("http://127.0.0.1:3300/readyz").then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) break;
    if (i > 600) throw new Error("the verifier did not become ready");
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - t0;
}
console.log(
  `\nCold start: the verifier restarted, then ${RATE.toLocaleString()} req/s for ${DURATION} s over ${valid.length.toLocaleString()} distinct valid keys from the moment /readyz says ready:`,
);
const coldBefore = await restartVerifier({ VERIFIER_PRELOAD_KEYS: "0" });
const cold0 = await fixedRun(`(b) cold, no preload (ready in ${(coldBefore / 1000).toFixed(1)} s)`, 3300, "/api/v1/keys/verify");
const coldAfter = await restartVerifier({});
const cold1 = await fixedRun(`(b) cold, preloaded (ready in ${(coldAfter / 1000).toFixed(1)} s)`, 3300, "/api/v1/keys/verify");
console.log(`  p99 ${cold0.p99.toFixed(2)} ms without the preload, ${cold1.p99.toFixed(2)} ms with it   (target ≤ 10 ms)`);

if (SOAK_SECONDS > 0) {
  console.log(
    `\nSoak: ${RATE.toLocaleString()} req/s for ${SOAK_SECONDS} s over ${valid.length.toLocaleString()} distinct valid keys, verifier (p99 per 10-second window):`,
  );
  const soakFrom = Date.now();
  const soak = await fixedRateInChild({
    port: 3300,
    path: "/api/v1/keys/verify",
    bodiesFile,
    rate: RATE,
    seconds: SOAK_SECONDS,
    windowSeconds: 10,
  });
  const line = soak.windows.map((w) => w.p99.toFixed(1)).join(" ");
  console.log(`  ${line}`);
  const w = soak.windows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
  // The generator's half second of warm-up comes before the measured windows.
  const at = soakFrom + 500 + w.from * 1000;
  console.log(
    `  overall p99 ${soak.p99.toFixed(2)} ms, max ${soak.max.toFixed(1)} ms, errors ${soak.errors}; worst window ${w.from}-${w.from + 10} s: p99 ${w.p99.toFixed(2)} ms, max ${w.max.toFixed(1)} ms${serverSide(3300, at, at + 10_000)}   (target: worst window p99 ≤ 10 ms)`,
  );
}
await cleanup();
process.exit(0);
