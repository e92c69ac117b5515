// A backup taken while Keyport writes, restored into a fresh embedded PostgreSQL data directory:
// every key verifies as before (a rotation's previous key too), and every audit chain is intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@/lib/testing/db";
import { type Database, openDatabase } from "./client";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded-server";
import { backupDatabase, restoreDatabase } from "./backup";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { verifyAuditChain } from "@/lib/audit/verify";
import { hashSecret } from "@/lib/keys/secret";
import { loadBySecretHash } from "@/lib/verify/load";
import { decide } from "@/lib/verify/decide";

let source: Database;
let backupFile = "";
let backupCounts: Record<string, number> = {};
let target: Database | undefined;
let server: EmbeddedServer | undefined;
const dir = mkdtempSync(join(tmpdir(), "keyport-backup-"));
beforeAll(async () => (source = await createTestDatabase()));
afterAll(async () => {
  await target?.close();
  await server?.stop();
  await source?.close();
  rmSync(dir, { recursive: true, force: true });
});

const restKey = (name: string) =>
  createKeySchema.parse({ name, environment: "production", channel: "REST", permissions: ["payments:read"] });

describe("db:backup and db:restore", () => {
  it("a backup taken while keys are being written restores into a fresh data directory: keys verify as before, chains intact", async () => {
    const owner = await createActor(source.prisma, "OWNER");
    const secrets: string[] = [];
    for (let i = 0; i < 20; i++) secrets.push((await createKey(source.prisma, owner, restKey(`Backup ${i}`))).secret);
    const rotated = await createKey(source.prisma, owner, restKey("Rotated"));
    const fresh = await rotateKey(source.prisma, owner, rotated.keyId, { grace: "24h", version: 0 });
    secrets.push(rotated.secret, fresh.secret);

    // Writers keep going while the backup runs: it must be one consistent snapshot.
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing; i++) await createKey(source.prisma, owner, restKey(`During ${i}`));
    })();
    const file = join(dir, "keyport.ndjson.gz");
    const counts = await backupDatabase(source.pool, file);
    writing = false;
    await writer;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(counts.rate_limits).toBeUndefined();
    expect(counts._prisma_migrations).toBeUndefined();

    server = await startEmbeddedPostgres({ dataDir: join(dir, "postgres"), urlFile: join(dir, "postgres.json") });
    target = await openDatabase(server.url);
    const restored = await restoreDatabase(target.pool, file);
    expect(restored).toEqual(Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0)));

    const now = Date.now();
    for (const secret of secrets) {
      const before = await loadBySecretHash(source.prisma, hashSecret(secret));
      const after = await loadBySecretHash(target.prisma, hashSecret(secret));
      expect(after).toEqual(before);
      expect(decide(after!, now, null, [])).toBe("VALID");
    }
    const merchants = await target.prisma.auditEvent.findMany({ distinct: ["merchantId"], select: { merchantId: true } });
    expect(merchants.length).toBeGreaterThan(0);
    for (const { merchantId } of merchants) {
      const chain = await verifyAuditChain(target.prisma, merchantId);
      expect(chain.ok, merchantId).toBe(true);
      // The newest restored row is the source's row at that place, byte for byte (the source wrote on after the snapshot).
      const same = await source.prisma.auditEvent.findFirst({ where: { merchantId, seq: chain.latest!.seq } });
      expect(same?.hash).toBe(chain.latest!.hash);
    }
    // The restored database keeps working: a new change chains on, and the feed's ids continue.
    const after = await createKey(target.prisma, { ...owner }, restKey("After restore"));
    expect(after.secret).toMatch(/^kp_live_/);
    expect((await verifyAuditChain(target.prisma, owner.merchantId)).ok).toBe(true);
    await target.prisma.keyChange.create({ data: { apiKeyId: after.keyId, kind: "test" } });

    // A second restore into a database that now holds keys is refused, and changes nothing.
    const keys = await target.prisma.apiKey.count();
    await expect(restoreDatabase(target.pool, file)).rejects.toThrow(/already holds keys/);
    expect(await target.prisma.apiKey.count()).toBe(keys);
    backupFile = file;
    backupCounts = counts;
  }, 120_000);

  it("npm run db:restore into a fresh data directory, then npm run db:backup of it (Keyport not running): the same rows", async () => {
    const fresh = join(dir, "fresh-data");
    const env = { ...process.env, KEYPORT_DATA_DIR: fresh, DATABASE_URL: "" };
    const run = (...args: string[]) =>
      spawnSync("npm", ["run", "--silent", ...args], { cwd: process.cwd(), env, encoding: "utf8", timeout: 90_000 });
    const restored = run("db:restore", backupFile);
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \d+ rows of \d+ tables from /m);
    // Only a fresh directory: a second restore is refused and says why.
    const again = run("db:restore", backupFile);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already holds a database/);
    const copy = join(dir, "copy.ndjson.gz");
    const backedUp = run("db:backup", copy);
    expect(backedUp.status, backedUp.stderr).toBe(0);
    expect(backedUp.stdout).toMatch(/^Backed up \d+ rows/m);
    const tally: Record<string, number> = {};
    let table = "";
    const lines = gunzipSync(readFileSync(copy)).toString("utf8").trim().split("\n").slice(1);
    for (const line of lines) {
      if (line.startsWith('{"table":')) table = JSON.parse(line).table;
      else tally[table] = (tally[table] ?? 0) + 1;
    }
    // What the first backup held, and nothing else (no demo seed, no rows of its own).
    expect(tally).toEqual(Object.fromEntries(Object.entries(backupCounts).filter(([, n]) => n > 0)));
  }, 180_000);
});
