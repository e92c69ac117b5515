// npm run bench:memory — the verifier's resident memory with every key of a large inventory in its
// cache: seeds BENCH_KEYS keys (default 100,000) in a fresh embedded database, starts the verifier
// as its own process, verifies each key once (so each is cached), and prints its RSS before and
// after, with the heap. Target: ≤ 150 MB at 100,000 cached keys. (The portal server prints its own
// RSS when it stops, in its "stopped" log line: after the e2e suite, that is the figure for it.)
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedDb } from "./embedded.mjs";
import { serverEnv } from "../run.mjs";

const root = new URL("../..", import.meta.url).pathname;
const N = Number(process.env.BENCH_KEYS ?? 100_000);
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-memory-"));
const sampleFile = join(dataDir, "sample.json");
// The verifier's own metrics give its heap beside the RSS read from /proc.
const METRICS_TOKEN = "bench-memory-metrics";
const env = serverEnv({
  ...process.env,
  KEYPORT_DATA_DIR: dataDir,
  NODE_ENV: "production",
  HOST: "127.0.0.1",
  KEYPORT_METRICS_TOKEN: METRICS_TOKEN,
});
delete env.DATABASE_URL;
const children = [await startEmbeddedDb(root, env)];
process.on("exit", () => {
  for (const c of children.reverse())
    try {
      process.kill(-c.pid, "SIGTERM");
    } catch {}
  rmSync(dataDir, { recursive: true, force: true });
});

console.log(`Seeding ${N.toLocaleString()} keys (every secret kept for the run)…`);
const seed = spawnSync(
  process.execPath,
  ["--import", "tsx", "--import", "./lib/server/register.mjs", "scripts/bench/seed-verify.ts", String(N), sampleFile],
  { cwd: root, env: { ...env, BENCH_SAMPLE: String(N) }, encoding: "utf8", maxBuffer: 1 << 26 },
);
if (seed.status !== 0) throw new Error(seed.stderr);
const { valid } = JSON.parse(readFileSync(sampleFile, "utf8"));

const port = 3310;
// BENCH_HEAPSNAPSHOT=1: the verifier writes a heap snapshot (to the working directory) once every key is cached.
const snapshot = !!process.env.BENCH_HEAPSNAPSHOT;
const verifier = spawn(
  process.execPath,
  [
    ...(snapshot ? ["--heapsnapshot-signal=SIGUSR2"] : []),
    ...(process.env.BENCH_NODE_FLAGS?.split(" ").filter(Boolean) ?? []),
    "scripts/run.mjs",
    "lib/server/verifier-main.ts",
  ],
  {
    cwd: root,
    env: { ...env, VERIFIER_PORT: String(port), PORT: String(port) },
    stdio: process.env.BENCH_LOG ? ["ignore", openSync(process.env.BENCH_LOG, "w"), "inherit"] : "ignore",
    detached: true,
  },
);
children.push(verifier);
const rssMb = () => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${verifier.pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
};
const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const verify = (key) =>
  new Promise((resolve, reject) => {
    const body = JSON.stringify({ key });
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        path: "/api/v1/keys/verify",
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": body.length },
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
for (let i = 0; ; i++) {
  try {
    await verify("nope");
    break;
  } catch {
    if (i > 120) throw new Error("the verifier did not start");
    await new Promise((r) => setTimeout(r, 500));
  }
}
/** The V8 heap in use and reserved, in MB, from the verifier's /metrics. */
async function heapMb() {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const sum = (name) =>
    [...text.matchAll(new RegExp(`^${name}\\{[^}]*\\} ([0-9.e+]+)$`, "gm"))].reduce((t, m) => t + Number(m[1]), 0) / 2 ** 20;
  return { used: sum("keyport_nodejs_heap_space_size_used_bytes"), total: sum("keyport_nodejs_heap_space_size_total_bytes") };
}
const idle = rssMb();
const idleHeap = await heapMb();
let next = 0;
let validCount = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < valid.length) if ((await verify(valid[next++])) === "VALID") validCount++;
  }),
);
// Every key once more: they are answered from the cache now.
next = 0;
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (next < valid.length) await verify(valid[next++]);
  }),
);
await new Promise((r) => setTimeout(r, 2000)); // the usage flush
const full = rssMb();
const fullHeap = await heapMb();
if (snapshot) {
  const before = new Set(readdirSync(root));
  process.kill(verifier.pid, "SIGUSR2");
  let file;
  for (let i = 0; i < 600 && !file; i++) {
    await new Promise((r) => setTimeout(r, 500));
    file = readdirSync(root).find((f) => f.endsWith(".heapsnapshot") && !before.has(f));
  }
  await new Promise((r) => setTimeout(r, 5000)); // written in full
  console.log(`heap snapshot: ${file}`);
}
// V8 collects when allocation stops for a while (its memory reducer): the same figures once idle.
await new Promise((r) => setTimeout(r, 20_000));
const idleAfter = rssMb();
const idleAfterHeap = await heapMb();
console.log(`\nVerifier (npm run start:verifier), ${valid.length.toLocaleString()} keys verified (${validCount.toLocaleString()} VALID):`);
console.log(`  RSS at start ${idle.toFixed(1)} MB, with every key cached ${full.toFixed(1)} MB (target ≤ 150 MB)`);
console.log(
  `  V8 heap used ${idleHeap.used.toFixed(1)} MB of ${idleHeap.total.toFixed(1)} MB at start, ${fullHeap.used.toFixed(1)} MB of ${fullHeap.total.toFixed(1)} MB with every key cached`,
);
console.log(
  `  20 s later, idle: RSS ${idleAfter.toFixed(1)} MB, V8 heap used ${idleAfterHeap.used.toFixed(1)} MB of ${idleAfterHeap.total.toFixed(1)} MB`,
);
process.exit(0);
