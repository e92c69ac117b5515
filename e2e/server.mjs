// Starts the app for the e2e suite. It refuses any database but the throw-away embedded one:
// the suite signs in as demo users and changes their keys.
import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { serverEnv } from "../scripts/run.mjs";

const url = process.env.DATABASE_URL;
if (url) {
  const host = (() => {
    try {
      return new URL(url).hostname;
    } catch {
      return "?";
    }
  })();
  if (!["localhost", "127.0.0.1", "::1", "[::1]"].includes(host)) {
    console.error(`e2e: refusing to run against the non-local database at ${host}`);
    process.exit(1);
  }
}
if (!process.env.KEYPORT_DATA_DIR?.includes("keyport-e2e-")) {
  console.error("e2e: KEYPORT_DATA_DIR must be a throw-away keyport-e2e-* directory");
  process.exit(1);
}
const env = serverEnv({ ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
delete env.DATABASE_URL; // always the fresh embedded database
// Everything the server prints is also kept in the data directory, for the secret-leak scan.
const log = createWriteStream(join(process.env.KEYPORT_DATA_DIR, "server.log"), { flags: "a" });
const child = spawn(process.execPath, ["scripts/run.mjs", "lib/server/main.ts"], { stdio: ["ignore", "pipe", "pipe"], env });
child.stdout.on("data", (c) => {
  process.stdout.write(c);
  log.write(c);
});
child.stderr.on("data", (c) => {
  process.stderr.write(c);
  log.write(c);
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
