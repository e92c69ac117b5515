// npm run bench:grid — time-to-first-byte of the Developers tab over a merchant with 10,000 keys
// (BENCH_KEYS=100000 for more, or BENCH_KEYS=10000,100000 for one merchant of each size on the same
// server, with the larger's p50 as a multiple of the smaller's): the first page, a filtered page,
// the last page and a search by access-key prefix, and the page's first-load JavaScript (gzipped). Runs the production build on a throw-away
// embedded database on port 3200. BENCH_EXPLAIN=1 then prints EXPLAIN (ANALYZE, BUFFERS) of the
// grid's statements for the same pages (scripts/bench/grid-explain.ts).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build, needsBuild } from "../start.mjs";
import { serverEnv } from "../run.mjs";

const root = new URL("../..", import.meta.url).pathname;
const port = 3200;
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), "keyport-bench-"));
const env = serverEnv({
  ...process.env,
  KEYPORT_DATA_DIR: dataDir,
  PORT: String(port),
  HOST: "127.0.0.1",
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
});
delete env.DATABASE_URL;
const SIZES = String(process.env.BENCH_KEYS ?? 10_000)
  .split(",")
  .map(Number);
const N = Math.max(...SIZES);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);

if (needsBuild()) build();
console.log(`Seeding ${SIZES.join(" and ")} keys…`);
const seed = spawnSync(
  process.execPath,
  ["--import", "tsx", "--import", "./lib/server/register.mjs", "scripts/bench/seed-grid.ts", ...SIZES.map(String)],
  { cwd: root, env, encoding: "utf8" },
);
if (seed.status !== 0) throw new Error(seed.stderr);
const merchantIds = seed.stdout.trim().split("\n").slice(-SIZES.length);
const merchantId = merchantIds[SIZES.indexOf(N)];

const server = spawn(process.execPath, ["scripts/run.mjs", "lib/server/main.ts"], {
  cwd: root,
  env,
  stdio: ["ignore", "pipe", "inherit"],
  detached: true,
});
const stop = () => {
  try {
    process.kill(-server.pid, "SIGTERM");
  } catch {}
};
process.on("exit", () => {
  stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function waitUp() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/login`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("server did not start");
}

async function signIn() {
  const csrfRes = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = await csrfRes.json();
  const jar = csrfRes.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: base }, // writes must name this site
    body: new URLSearchParams({ csrfToken, email: "admin@acme.test", password: "keyport-demo", callbackUrl: "/merchants" }),
  });
  return [...jar, ...res.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
}

async function ttfb(url, cookie) {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const t = performance.now() - t0; // fetch resolves when the headers (first byte) arrive
  const body = await res.text();
  if (res.status !== 200 || !body.includes("Bench key"))
    throw new Error(`${url} did not render the grid (status ${res.status}); is the sign-in working?`);
  return { t, body };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

await waitUp();
const cookie = await signIn();
let html = "";
let accessKey = "";
const p50s = [];
for (const [i, size] of SIZES.entries()) {
  const first = `${base}/merchants/${merchantIds[i]}/developers`;
  // An access key the first page shows (the admin may copy them): its first 14 characters.
  const shown = /ak_(?:live|test)_[A-Za-z0-9]{20,}/.exec((await ttfb(first, cookie)).body)?.[0];
  if (!shown) throw new Error("no access key on the first page");
  if (size === N) accessKey = shown;
  const pages = {
    "first page": first,
    "filtered page (production, REST, search)": `${first}?env=production&channel=REST&q=Bench%20key%2000&page=2`,
    "last page": `${first}?page=${Math.ceil(size / 25)}`,
    "search by access-key prefix": `${first}?q=${shown.slice(0, 14)}`,
  };
  console.log(`\nDevelopers tab over ${size} keys, ${ROUNDS} sequential requests each (after 5 warm-up):`);
  const p50 = {};
  for (const [label, url] of Object.entries(pages)) {
    for (let i = 0; i < 5; i++) html = (await ttfb(url, cookie)).body;
    const times = [];
    for (let i = 0; i < ROUNDS; i++) times.push((await ttfb(url, cookie)).t);
    p50[label] = pct(times, 50);
    console.log(`  ${label.padEnd(42)} TTFB p50 ${pct(times, 50).toFixed(1)} ms   p95 ${pct(times, 95).toFixed(1)} ms`);
  }
  p50s.push(p50);
}
if (SIZES.length > 1) {
  const small = SIZES.indexOf(Math.min(...SIZES));
  console.log(`\np50 over ${N} keys as a multiple of the same page over ${SIZES[small]} (target ≤ 1.10):`);
  for (const label of Object.keys(p50s[0]))
    console.log(`  ${label.padEnd(42)} ${(p50s[SIZES.indexOf(N)][label] / p50s[small][label]).toFixed(2)}×`);
}
// Scripts marked nomodule (the legacy polyfills) are never fetched by a browser with ES modules:
// they are listed apart, not counted.
const tags = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)];
const scripts = [...new Set(tags.filter((m) => !/\snomodule/i.test(m[0])).map((m) => m[1]))];
const legacy = [...new Set(tags.filter((m) => /\snomodule/i.test(m[0])).map((m) => m[1]))];
// What a chunk holds, by the first marker only that code carries (the build keeps no source maps).
const MARKERS = [
  ["react-dom", /__reactContainer/],
  ["@tanstack/react-table with the key grid and cards", /reactivity implementation/],
  ["the key grid and cards", /API keys table|Select all on this page/],
  ["Next.js router and runtime", /invariant expected app router|addBasePath|__next_f/],
  ["React", /react\.transitional\.element/],
];
const sized = [];
let raw = 0;
let gz = 0;
for (const src of scripts) {
  const buf = Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer());
  const text = buf.toString("latin1");
  const what = /turbopack-/.test(src)
    ? "Turbopack's chunk loader"
    : (MARKERS.find(([, re]) => re.test(text))?.[0] ?? "other client components");
  sized.push({ src, gz: gzipSync(buf).length, what });
  raw += buf.length;
  gz += gzipSync(buf).length;
}
console.log(`  first-load JS: ${scripts.length} files, ${(raw / 1024).toFixed(1)} kB raw, ${(gz / 1024).toFixed(1)} kB gzipped`);
console.log("  the five largest:");
for (const f of sized.sort((a, b) => b.gz - a.gz).slice(0, 5))
  console.log(`    ${(f.gz / 1024).toFixed(1).padStart(6)} kB  ${f.src.replace(/^.*\//, "")}  (${f.what})`);
if (legacy.length) {
  let lz = 0;
  for (const src of legacy) lz += gzipSync(Buffer.from(await (await fetch(new URL(src, base))).arrayBuffer())).length;
  console.log(
    `  not counted: ${legacy.length} nomodule file(s), ${(lz / 1024).toFixed(1)} kB gzipped (polyfills for browsers without ES modules)`,
  );
}
console.log(`  targets: p50 ≤ 150 ms, ≤ 160 kB gzipped`);
stop();
// BENCH_EXPLAIN=1: the plans of the grid's statements for the same four pages (server stopped first).
if (process.env.BENCH_EXPLAIN === "1") {
  await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
  const explain = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--import",
      "./lib/server/register.mjs",
      "scripts/bench/grid-explain.ts",
      merchantId,
      String(N),
      accessKey.slice(0, 14),
    ],
    { cwd: root, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  process.stdout.write(explain.stdout);
  if (explain.status !== 0) process.stderr.write(explain.stderr);
}
process.exit(0);
