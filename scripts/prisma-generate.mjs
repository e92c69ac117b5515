// Runs `prisma generate` on install without downloading anything.
// Prisma 7's CLI insists on a schema-engine binary even though generate does not use it. Where no
// engine is installed (and PRISMA_SCHEMA_ENGINE_BINARY is unset) we point that variable, for this
// one child process only, at a stub that explains itself. Machines that do have the engine keep it,
// so `prisma migrate` there still works.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const env = { ...process.env };

function hasRealEngine() {
  const dir = join(root, "node_modules/@prisma/engines");
  if (!existsSync(dir)) return false;
  return readdirSync(dir).some((f) => f.startsWith("schema-engine"));
}

if (!env.PRISMA_SCHEMA_ENGINE_BINARY && !hasRealEngine()) {
  const stubDir = join(root, "node_modules/.cache/keyport");
  const stub = join(stubDir, "schema-engine-unavailable");
  mkdirSync(stubDir, { recursive: true });
  writeFileSync(
    stub,
    "#!/bin/sh\necho 'Prisma schema engine is not installed here; Keyport applies prisma/migrations itself at start-up.' >&2\nexit 1\n",
  );
  chmodSync(stub, 0o755);
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}

const bin = join(root, "node_modules/.bin/prisma");
const res = spawnSync(bin, ["generate"], { cwd: root, env, stdio: "inherit" });
if (res.status !== 0) {
  console.error("prisma generate failed");
  process.exit(res.status ?? 1);
}
