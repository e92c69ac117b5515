// Crash safety on the real embedded server: a process owning it (as the app does) is killed with
// SIGKILL in the middle of a rotation, then in the middle of a mail delivery. The postmaster
// outlives it; the next start stops that server and starts again on the same files, and what it
// finds must be whole: a rotation all there or not at all, audit, outbox and feed agreeing with
// the keys, and every mail delivered under one idempotency key.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startAppDatabase, type AppDatabase } from "./engine";
import { isAlive } from "./embedded-server";
import { createActor, createKey, createMember } from "@/prisma/factories";
import { deliverDueMail, type OutgoingMail, type Transport } from "@/lib/mail/worker";

const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "keyport-crash-")); // 0700, as a fresh .data
const deliveries = join(dir, "deliveries.txt");
writeFileSync(deliveries, "", { mode: 0o600 });
process.env.KEYPORT_DATA_DIR = dir;
delete process.env.DATABASE_URL;

/** Starts the stand-in and resolves with it once it prints `marker`. */
function child(mode: string, args: object, marker: string): Promise<ChildProcess> {
  const c = spawn(
    process.execPath,
    ["--import", "tsx", "--import", "./lib/server/register.mjs", "lib/testing/crash-child.ts", mode, JSON.stringify(args)],
    {
      cwd: root,
      env: { ...process.env, KEYPORT_DATA_DIR: dir },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  return new Promise((resolve, reject) => {
    c.stdout!.on("data", (d) => (out += d) && out.includes(marker) && resolve(c));
    c.stderr!.on("data", (d) => (err += d));
    c.on("exit", (code) => reject(new Error(`${mode} exited (${code}) before "${marker}": ${out}${err}`)));
  });
}

async function killHard(c: ChildProcess) {
  const gone = new Promise((r) => c.once("exit", r));
  c.kill("SIGKILL");
  await gone;
}

const postmasterPid = () => Number(readFileSync(join(dir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);

let engine: AppDatabase | undefined;
let fixture: { actor: Awaited<ReturnType<typeof createActor>>; keyId: string; watchers: number };

/** "Restart": this process takes the directory over, as the next `npm start` would. */
async function restart() {
  await engine?.shutdown();
  engine = await startAppDatabase(() => {});
  return engine.database.prisma;
}

beforeAll(async () => {
  const db = await restart();
  const actor = await createActor(db, "OWNER");
  await createMember(db, "VIEWER", actor.merchantId);
  const { key } = await createKey(db, { merchantId: actor.merchantId, environment: "production" });
  fixture = { actor, keyId: key.id, watchers: 2 };
  await engine!.shutdown();
  engine = undefined;
});

afterAll(async () => {
  await engine?.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

describe("the embedded server's files", () => {
  it("are private to the server's user: the directory 0700, no file readable by group or others", () => {
    const data = join(dir, "postgres");
    expect(statSync(data).mode & 0o777).toBe(0o700);
    const open: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if ((statSync(p).mode & 0o077) !== 0) open.push(p);
        if (e.isDirectory()) walk(p);
      }
    };
    walk(data);
    expect(open).toEqual([]);
    expect(statSync(join(dir, "postgres.json")).mode & 0o777).toBe(0o600);
  });

  it("the data directory gives others nothing (find -perm /007 prints nothing), and a group bit only to the server's group", () => {
    const others: string[] = [];
    const grouped: string[] = [];
    const walk = (p: string) => {
      const st = statSync(p);
      if ((st.mode & 0o007) !== 0) others.push(p);
      if ((st.mode & 0o070) !== 0) grouped.push(`${p} ${st.gid}`);
      if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    };
    walk(dir);
    expect(others).toEqual([]);
    if (process.getuid?.() === 0) {
      // As root the server runs as "postgres": .data lets that group, and only it, pass through.
      const gid = statSync(join(dir, "postgres")).gid;
      expect(grouped).toEqual([`${dir} ${gid}`]);
      expect(statSync(dir).mode & 0o777).toBe(0o710);
    } else expect(grouped).toEqual([]);
  });
});

describe("kill -9 of the app", () => {
  it("mid-rotation: the server survives the app, the next start replaces it, and the rotation is wholly absent", async () => {
    const c = await child("rotate-uncommitted", { actor: fixture.actor, keyId: fixture.keyId, version: 0 }, "in-transaction");
    const orphan = postmasterPid();
    await killHard(c);
    expect(isAlive(orphan)).toBe(true); // PostgreSQL outlives the app that started it
    const db = await restart();
    expect(isAlive(orphan)).toBe(false); // stopped, never a second postmaster on the directory
    expect(postmasterPid()).not.toBe(orphan);

    const key = await db.apiKey.findUniqueOrThrow({ where: { id: fixture.keyId }, include: { credentials: true } });
    expect(key.version).toBe(0);
    expect(key.lastRotatedAt).toBeNull();
    expect(key.credentials.map((c) => c.slot)).toEqual(["CURRENT"]);
    expect(await db.auditEvent.count({ where: { apiKeyId: fixture.keyId, action: "key.rotated" } })).toBe(0);
    expect(await db.keyChange.count({ where: { apiKeyId: fixture.keyId } })).toBe(0);
    expect(await db.outboxMail.count()).toBe(0);
  });

  it("after a committed rotation: the rotation is wholly there, with its audit row, feed row and one mail per watcher", async () => {
    const c = await child("rotate-committed", { actor: fixture.actor, keyId: fixture.keyId, version: 0 }, "committed");
    await killHard(c);
    const db = await restart();
    const key = await db.apiKey.findUniqueOrThrow({ where: { id: fixture.keyId }, include: { credentials: true } });
    expect(key.version).toBe(1);
    expect(key.lastRotatedAt).not.toBeNull();
    expect(key.credentials.map((c) => c.slot).sort()).toEqual(["CURRENT", "PREVIOUS"]);
    expect(await db.auditEvent.count({ where: { apiKeyId: fixture.keyId, action: "key.rotated" } })).toBe(1);
    expect(await db.keyChange.count({ where: { apiKeyId: fixture.keyId } })).toBe(1);
    expect(await db.outboxMail.count({ where: { status: "PENDING", template: "key-rotated" } })).toBe(fixture.watchers);
  });

  it("mid-delivery: the mail handed to the provider is sent again after the lease, under the same idempotency key, and every mail ends sent", async () => {
    const c = await child("deliver", { deliveries }, "sent-one");
    await killHard(c);
    const db = await restart();
    const firstTry = readFileSync(deliveries, "utf8").trim().split("\n");
    expect(firstTry).toHaveLength(1);

    const sent: OutgoingMail[] = [];
    const transport: Transport = { name: "test", keepsCopy: true, send: async (m) => void sent.push(m) };
    // Before the lease ends nothing is sent twice; after it, the claimed mail is retried.
    await deliverDueMail(db, transport);
    const afterLease = new Date(Date.now() + 6 * 60_000);
    await deliverDueMail(db, transport, afterLease);
    const rows = await db.outboxMail.findMany();
    expect(rows).toHaveLength(fixture.watchers);
    expect(rows.every((r) => r.status === "SENT")).toBe(true);
    const keys = sent.map((m) => m.idempotencyKey);
    expect(new Set(keys).size).toBe(keys.length); // each mail once here…
    expect(keys.sort()).toEqual(rows.map((r) => r.idempotencyKey).sort());
    expect(keys).toContain(firstTry[0]); // …and the interrupted one again, under the key it had
  });

  it("leaves no server behind once the owner shuts down", async () => {
    const pid = postmasterPid();
    await engine!.shutdown();
    engine = undefined;
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dir, "keyport.pid"))).toBe(false);
  });
});
