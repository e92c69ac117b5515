// `npm start`: builds when there is no build or the sources changed since it, then runs the
// server (lib/server/main.ts, bundled by scripts/run.mjs and run on plain Node) in this same
// process, so Ctrl-C or `kill <pid>` reaches the server itself, which flushes its counters and
// stops its embedded PostgreSQL server before it exits.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundle, run } from "./run.mjs";

const root = new URL("..", import.meta.url).pathname;
const buildId = join(root, ".next", "BUILD_ID");

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

export function needsBuild() {
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  const sources = ["app", "components", "lib", "emails", "public"].filter((d) => existsSync(join(root, d)));
  const files = ["next.config.mjs", "tailwind.config.ts", "proxy.ts", "package.json"].map((f) => join(root, f)).filter(existsSync);
  return Math.max(...sources.map((d) => newestSource(join(root, d))), ...files.map((f) => statSync(f).mtimeMs)) > built;
}

export function build() {
  console.log("Building Keyport (first start or changed sources)…");
  const res = spawnSync(join(root, "node_modules/.bin/next"), ["build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

// A second start on the same data directory stops here, before a rebuild could pull the build
// from under the running app.
async function refuseIfRunning() {
  const { AlreadyRunningError, isKeyportProcess, readLockOwner } = await import(pathToFileURL(await bundle("lib/db/app-lock.ts")).href);
  const dataDir = resolve(root, process.env.KEYPORT_DATA_DIR ?? ".data");
  const owner = readLockOwner(join(dataDir, "keyport.pid"));
  if (owner && owner.pid !== process.pid && isKeyportProcess(owner.pid)) {
    console.error(new AlreadyRunningError(owner, dataDir).message);
    process.exit(1);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await refuseIfRunning();
  // KEYPORT_NO_BUILD=1: serve the existing build as it is (a read-only deploy, or a test running
  // beside a suite that uses that build).
  if (process.env.KEYPORT_NO_BUILD !== "1" && needsBuild()) build();
  process.chdir(root);
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  process.env.NODE_ENV = "production";
  await run("lib/server/main.ts");
}
