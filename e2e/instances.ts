// More Keyport processes beside the suite's own server (instance A), on its embedded database
// through DATABASE_URL, as the README's Production section runs them. Each writes its log to
// <data dir>/logs/<name>.log, which the leak scan reads with the suite's server log.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "@playwright/test";
import { serverEnv } from "../scripts/run.mjs";

const dataDir = () => process.env.KEYPORT_E2E_DATA_DIR!;
export const e2eDatabaseUrl = () => (JSON.parse(readFileSync(join(dataDir(), "postgres.json"), "utf8")) as { url: string }).url;

/**
 * Starts `entry` (lib/server/main.ts or lib/server/verifier-main.ts) as a process group of its
 * own, the way `npm start` and `npm run start:verifier` run them (scripts/run.mjs).
 */
export function startInstance(name: string, entry: string, env: Record<string, string>): ChildProcess {
  // Nothing for others: the logs sit in the server's data directory, and may name what it handled.
  mkdirSync(join(dataDir(), "logs"), { recursive: true, mode: 0o700 });
  const log = openSync(join(dataDir(), "logs", `${name}.log`), "a", 0o600);
  return spawn(process.execPath, ["scripts/run.mjs", entry], {
    env: serverEnv({
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      HOST: "127.0.0.1",
      DATABASE_URL: e2eDatabaseUrl(),
      // The same generated development secrets as instance A (production passes them in the environment).
      KEYPORT_DATA_DIR: dataDir(),
      ...env,
    }),
    stdio: ["ignore", log, log],
    detached: true,
  });
}

export async function waitReady(port: number) {
  await expect
    .poll(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.status, { timeout: 90_000, intervals: [250] })
    .toBe(200);
}

/** SIGTERM to each process group; resolves once every process has exited. */
export async function stopInstances(children: ChildProcess[]) {
  for (const c of children) {
    try {
      process.kill(-c.pid!, "SIGTERM");
    } catch {}
  }
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once("exit", r)))));
}
