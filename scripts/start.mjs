// `npm start`: builds when there is no build or the sources changed since it, then runs the
// server (TypeScript, through tsx) in the foreground and forwards signals to it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

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
  const res = spawnSync(join(root, "node_modules/.bin/next"), ["build"], { cwd: root, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (needsBuild()) build();
  const child = spawn(process.execPath, ["--import", "tsx", "lib/server/main.ts"], {
    cwd: root,
    stdio: "inherit",
    env: { NEXT_TELEMETRY_DISABLED: "1", ...process.env, NODE_ENV: "production" },
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
