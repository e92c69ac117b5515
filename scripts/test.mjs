// `npm test`: type-check, Vitest (unit + database), then Playwright against the production build.
// Prints one closing line "Tests: N passed, N failed" over both runners.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { needsBuild } from "./start.mjs";
import { resolveChromium } from "./chromium.mjs";

const root = new URL("..", import.meta.url).pathname;
const bin = (name) => join(root, "node_modules/.bin", name);
const chromium = await resolveChromium().catch((err) => {
  console.error(`${err.message}\nThe end-to-end tests need a browser: set CHROMIUM_PATH, or reinstall with \`npm ci\`.`);
  process.exit(1);
});

const started = performance.now();
const took = [];
const run = (label, cmd, args, env = {}) => {
  console.log(`\n▶ ${label}`);
  const t0 = performance.now();
  const status =
    spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } }).status ?? 1;
  took.push(`${label} ${Math.round((performance.now() - t0) / 1000)} s`);
  return status;
};

// `--security` (npm run test:security): only the adversarial suite — security/ in Vitest, the
// security spec in Playwright, then the leak scan over what that run left behind.
const securityOnly = process.argv.includes("--security");
const out = mkdtempSync(join(tmpdir(), "keyport-test-"));
const e2eData = mkdtempSync(join(tmpdir(), "keyport-e2e-"));
let failed = false;
if (!securityOnly && run("Type-check", bin("tsc"), ["--noEmit", "-p", "tsconfig.json"]) !== 0) failed = true;
// Formatting and lint (Biome): a file that is not formatted, or a lint error, fails the run.
const lint = securityOnly ? 0 : run("Lint and format", bin("biome"), ["ci", "--reporter=summary"]);
if (lint !== 0) failed = true;
// Dead code: an unused file, export or dependency fails the run (knip, configured in knip.json).
if (!securityOnly && run("Unused code", bin("knip"), ["--no-progress", "--no-config-hints"]) !== 0) failed = true;

// The production build runs beside Vitest, at a lower priority (nice 10): most Vitest files wait on
// PostgreSQL, and the build takes the CPU they leave. Its output is printed when it is done.
const buildLog = join(out, "build.log");
const building = needsBuild()
  ? (() => {
      const t0 = performance.now();
      const fd = openSync(buildLog, "w");
      const child = spawn("nice", ["-n", "10", join(root, "node_modules/.bin/next"), "build"], {
        cwd: root,
        stdio: ["ignore", fd, fd],
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
      });
      closeSync(fd);
      return new Promise((resolve) =>
        child.on("exit", (code) => {
          took.push(`Build (beside Vitest) ${Math.round((performance.now() - t0) / 1000)} s`);
          resolve(code ?? 1);
        }),
      );
    })()
  : null;

const vitestJson = join(out, "vitest.json");
const vitest = run("Vitest", bin("vitest"), [
  "run",
  ...(securityOnly
    ? [
        "security",
        "lib/members",
        "lib/server",
        "lib/auth",
        "lib/verify",
        "lib/webhooks",
        "lib/core",
        "lib/db/engine.test.ts",
        "lib/db/crash.test.ts",
      ]
    : []),
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${vitestJson}`,
]);
if (vitest !== 0) failed = true;

if (building) {
  console.log("\n▶ Build");
  const code = await building;
  console.log(readFileSync(buildLog, "utf8"));
  if (code !== 0) {
    console.error(`next build failed (exit ${code})`);
    process.exit(1);
  }
}
const pwJson = join(out, "playwright.json");
const pw = run("Playwright", bin("playwright"), ["test", ...(securityOnly ? ["e2e/security"] : []), "--reporter=list,json"], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
  KEYPORT_E2E_DATA_DIR: e2eData,
  CHROMIUM_PATH: chromium,
});
if (pw !== 0) failed = true;

// Should the app have died without stopping its embedded PostgreSQL server, stop it now.
const postmaster = join(e2eData, "postgres", "postmaster.pid");
if (existsSync(postmaster))
  try {
    process.kill(Number(readFileSync(postmaster, "utf8").split("\n")[0]), "SIGINT");
  } catch {}

// The server has stopped: scan the build, the responses, the log and the database for secrets.
const leak = run("Secret-leak scan", process.execPath, [
  "--import",
  "tsx",
  "--import",
  "./lib/server/register.mjs",
  "scripts/security/leak-scan.ts",
  e2eData,
]);
if (leak !== 0) failed = true;

const read = (f) => (existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : null);
const v = read(vitestJson);
const p = read(pwJson);
const passed = (v?.numPassedTests ?? 0) + (p?.stats?.expected ?? 0) + (p?.stats?.flaky ?? 0) + (leak === 0 ? 1 : 0);
const failures = (v?.numFailedTests ?? 0) + (p?.stats?.unexpected ?? 0) + (leak === 0 ? 0 : 1);
const skipped = (v?.numPendingTests ?? 0) + (v?.numTodoTests ?? 0) + (p?.stats?.skipped ?? 0);
rmSync(e2eData, { recursive: true, force: true });
// The failures are named again at the end, where a log cut to its tail still shows them.
const firstLine = (text) =>
  String(text ?? "")
    .replace(/\x1b\[[0-9;]*m/g, "")
    .split("\n")
    .find((l) => l.trim())
    ?.trim()
    .slice(0, 300) ?? "";
// A file that failed without a failed test (an import error, a hook) is named by its own message.
const failedTests = (v?.testResults ?? []).flatMap((file) => {
  const name = `vitest ${file.name.replace(root, "")}`;
  const failed = (file.assertionResults ?? []).filter((a) => a.status === "failed");
  if (failed.length) return failed.map((a) => `${name} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
  return file.status === "failed" ? [`${name}: ${firstLine(file.message)}`] : [];
});
const specs = (suite) => [...(suite.specs ?? []), ...(suite.suites ?? []).flatMap(specs)];
for (const spec of (p?.suites ?? []).flatMap(specs))
  for (const test of spec.tests ?? [])
    if (test.status === "unexpected")
      failedTests.push(`playwright ${spec.file}:${spec.line} > ${spec.title}: ${firstLine(test.results?.at(-1)?.error?.message)}`);
if (failedTests.length) console.log(`\nFailed:\n${failedTests.map((t) => `  ✘ ${t}`).join("\n")}`);
console.log(
  `\nvitest ${v ? `${v.numPassedTests}/${v.numTotalTests}` : "did not report"}, playwright ${p ? `${p.stats.expected}/${p.stats.expected + p.stats.unexpected + p.stats.flaky + p.stats.skipped}` : "did not report"}`,
);
console.log(`Time: ${took.join(", ")}; ${Math.round((performance.now() - started) / 1000)} s in all`);
console.log(`Tests: ${passed} passed, ${failures} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || failures > 0 || !v || !p ? 1 : 0);
