// One Keyport app per data directory: it owns the embedded PostgreSQL server there. The lock is a
// file naming the owner's pid and port; a pid that is dead, or alive but not Keyport (pids are
// reused after a crash or reboot), does not hold it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { isAlive } from "./embedded-server";

export interface LockOwner {
  pid: number;
  port?: number;
}

export class AlreadyRunningError extends Error {
  constructor(
    readonly owner: LockOwner,
    dir: string,
  ) {
    super(
      `Keyport is already running on this data directory (${dir}): pid ${owner.pid}${owner.port ? `, port ${owner.port}` : ""}. Stop it first (kill ${owner.pid}).`,
    );
    this.name = "AlreadyRunningError";
  }
}

/** Whether `pid` is a live Keyport app (`npm start`'s scripts/start.mjs, or lib/server/main.ts). */
export function isKeyportProcess(pid: number): boolean {
  if (!pid || !isAlive(pid)) return false;
  let cmd = "";
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    cmd = spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).stdout ?? "";
  }
  return /lib\/server\/main\.ts|scripts\/start\.mjs/.test(cmd);
}

export function readLockOwner(file: string): LockOwner | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const owner = JSON.parse(readFileSync(file, "utf8")) as LockOwner;
    return Number.isInteger(owner.pid) ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock or throws AlreadyRunningError; returns the release function. */
export function acquireAppLock(file: string, dir: string): { setPort(port: number): void; release(): void } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const owner = readLockOwner(file);
  if (owner && owner.pid !== process.pid && isKeyportProcess(owner.pid)) throw new AlreadyRunningError(owner, dir);
  const write = (port?: number, flag = "w") => writeFileSync(file, JSON.stringify({ pid: process.pid, port }), { mode: 0o600, flag });
  if (owner) write();
  else {
    try {
      write(undefined, "wx"); // two apps starting at once: only one creates the file
    } catch {
      const winner = readLockOwner(file);
      throw new AlreadyRunningError(winner ?? { pid: 0 }, dir);
    }
  }
  return {
    setPort: (port) => write(port),
    release() {
      if (readLockOwner(file)?.pid === process.pid) rmSync(file, { force: true });
    },
  };
}
