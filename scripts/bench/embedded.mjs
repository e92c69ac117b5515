// Starts scripts/bench/embedded-db.ts for a benchmark and resolves once the server is ready.
import { spawn } from "node:child_process";

export function startEmbeddedDb(root, env) {
  const child = spawn(process.execPath, ["--import", "tsx", "--import", "./lib/server/register.mjs", "scripts/bench/embedded-db.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "inherit"],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (c) => {
      out += c;
      if (out.includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`the embedded database did not start (exit ${code})`)));
  });
}
