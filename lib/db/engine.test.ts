import { afterEach, describe, expect, it, vi } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { acquireAppLock, AlreadyRunningError, isKeyportProcess } from "./app-lock";
import { parseDatabaseUrl } from "./client";

describe("DATABASE_URL", () => {
  it("says what is wrong with it instead of failing on a host lookup", () => {
    expect(() => parseDatabaseUrl("not-a-url")).toThrow(/DATABASE_URL is not a URL/);
    expect(() => parseDatabaseUrl("mysql://u:p@db:3306/keyport")).toThrow(/must be a PostgreSQL URL .*not mysql:\/\//);
    expect(() => parseDatabaseUrl("postgresql:///keyport")).toThrow(/no host name/);
    expect(parseDatabaseUrl("postgresql://u:p@127.0.0.1:5432/keyport").hostname).toBe("127.0.0.1");
    expect(parseDatabaseUrl("postgres://db/keyport").hostname).toBe("db");
  });
});

describe("one app per data directory", () => {
  const spawned: ChildProcess[] = [];
  afterEach(() => spawned.splice(0).forEach((c) => c.kill("SIGKILL")));
  const live = (args: string[]) => {
    const c = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)", ...args], { stdio: "ignore" });
    spawned.push(c);
    return c.pid!;
  };
  const lockIn = (owner: object) => {
    const dir = mkdtempSync(join(tmpdir(), "keyport-lock-"));
    writeFileSync(join(dir, "keyport.pid"), JSON.stringify(owner));
    return dir;
  };

  it("a lock naming a live process that is not Keyport (a reused pid) does not block the start", async () => {
    const pid = live(["unrelated-program"]);
    await vi.waitFor(() => expect(readFileSync(`/proc/${pid}/cmdline`, "utf8")).toContain("unrelated-program"));
    expect(isKeyportProcess(pid)).toBe(false);
    const dir = lockIn({ pid, port: 3000 });
    const lock = acquireAppLock(join(dir, "keyport.pid"), dir);
    expect(JSON.parse(readFileSync(join(dir, "keyport.pid"), "utf8")).pid).toBe(process.pid);
    lock.release();
  });

  it("a lock naming a dead process does not block the start", () => {
    const dir = lockIn({ pid: 2 ** 22 + 7, port: 3000 });
    acquireAppLock(join(dir, "keyport.pid"), dir).release();
  });

  it("a live Keyport app holds it: the second start names its pid and port", async () => {
    const pid = live(["lib/server/main.ts"]);
    await vi.waitFor(() => expect(isKeyportProcess(pid)).toBe(true)); // once the child has exec'd
    const dir = lockIn({ pid, port: 3123 });
    const err = (() => {
      try {
        acquireAppLock(join(dir, "keyport.pid"), dir);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(AlreadyRunningError);
    expect((err as Error).message).toContain(`pid ${pid}, port 3123`);
  });
});
