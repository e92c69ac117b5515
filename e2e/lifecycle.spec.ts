// `npm start` as an operator uses it: a second start on the same data directory is refused, and
// `kill <npm's pid>` (as well as Ctrl-C) stops the server and its PostgreSQL server, leaving no
// process behind. Runs a second app on its own port and throw-away data directory.
import { test, expect } from "@playwright/test";
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = 3160;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("npm start: one app per data directory, and kill <npm pid> stops the server and its database", async () => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "keyport-e2e-lifecycle-"));
  chmodSync(dir, 0o711);
  // The build the suite runs against, as it is (a rebuild here would pull it from under the suite).
  const env: NodeJS.ProcessEnv = { ...process.env, KEYPORT_DATA_DIR: dir, PORT: String(PORT), KEYPORT_NO_BUILD: "1" };
  delete env.DATABASE_URL;
  const npm = spawn("npm", ["start"], { env, stdio: "ignore", detached: true });
  try {
    await expect
      .poll(async () => (await fetch(`http://127.0.0.1:${PORT}/login`).catch(() => null))?.status, { timeout: 120_000 })
      .toBe(200);
    const owner = JSON.parse(readFileSync(join(dir, "keyport.pid"), "utf8")) as { pid: number; port: number };
    const postmaster = Number(readFileSync(join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    expect(owner.port).toBe(PORT);
    expect(alive(owner.pid) && alive(postmaster)).toBe(true);
    const ps = spawnSync("ps", ["-o", "args=", "-p", String(postmaster)], { encoding: "utf8" }).stdout;
    expect(ps).toContain(join(dir, "postgres"));
    // The server runs with two malloc arenas (scripts/run.mjs, serverEnv), as package.json starts it.
    const environ = readFileSync(`/proc/${owner.pid}/environ`, "utf8").split("\0");
    expect(environ).toContain("MALLOC_ARENA_MAX=2");

    const second = spawnSync("npm", ["start"], { env: { ...env, PORT: String(PORT + 1) }, encoding: "utf8", timeout: 60_000 });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain(`Keyport is already running on this data directory (${dir}): pid ${owner.pid}, port ${PORT}.`);
    expect(second.stdout).not.toContain("Building"); // refused before any rebuild

    process.kill(npm.pid!, "SIGTERM"); // npm, not the server
    await expect.poll(() => alive(owner.pid) || alive(postmaster), { timeout: 30_000 }).toBe(false);
    expect(existsSync(join(dir, "keyport.pid"))).toBe(false);
    expect(readFileSync(join(dir, "postgres.log"), "utf8")).toMatch(/database system is shut down/);
  } finally {
    try {
      process.kill(-npm.pid!, "SIGKILL");
    } catch {}
    const pm = join(dir, "postgres", "postmaster.pid");
    if (existsSync(pm))
      try {
        process.kill(Number(readFileSync(pm, "utf8").split("\n")[0]), "SIGINT");
      } catch {}
    rmSync(dir, { recursive: true, force: true });
  }
});
