import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import type { Database } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/client";
import { loadMigrations, migrate } from "@/lib/db/migrate";
import { createScratchDatabase, createTestDatabase } from "@/lib/testing/db";
import { createActor, createKey as createKeyRow, createMerchant } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { changeKeyStatus, disableKey } from "@/lib/keys/services/change-key-status";
import { inTransaction } from "@/lib/core/transaction";
import { holdTransaction } from "@/lib/testing/held-transaction";
import { compareLockOrder, recordAudit } from "./record";
import { verifyAuditChain } from "./verify";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const system = { userId: null, email: "system" };
/** One audited change, committed; returns the row as the chain made it. */
const write = async (merchantId: string, action: string, extra: object = {}) => {
  const { id } = await inTransaction(db.prisma, (tx) => recordAudit(tx, system, { merchantId, action, after: { n: action, ...extra } }));
  return db.prisma.auditEvent.findUniqueOrThrow({ where: { id } });
};
const pause = (ms = 150) => new Promise((r) => setTimeout(r, ms));

describe("recordAudit", () => {
  it("chains each merchant's rows from 1, each hash over the previous one", async () => {
    const m = await createMerchant(db.prisma);
    const other = await createMerchant(db.prisma);
    const first = await write(m.id, "a");
    await write(other.id, "x");
    const second = await write(m.id, "b", { quote: '"', unicode: "é🔑", list: [1, 2.5, null], when: new Date(0) });
    expect([first.seq, second.seq]).toEqual([1, 2]);
    const rows = await db.prisma.auditEvent.findMany({ where: { merchantId: m.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => r.hash)).toEqual([first.hash, second.hash]);
    const result = await verifyAuditChain(db.prisma, m.id);
    expect(result).toMatchObject({ ok: true, checked: 2, broken: null, latest: { seq: 2, hash: second.hash } });
    expect(await verifyAuditChain(db.prisma, other.id)).toMatchObject({ ok: true, checked: 1 });
  });

  it("writes nothing when the change's transaction rolls back", async () => {
    const m = await createMerchant(db.prisma);
    await expect(
      db.prisma.$transaction(async (tx) => {
        await recordAudit(tx, system, { merchantId: m.id, action: "lost" });
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect((await write(m.id, "kept")).seq).toBe(1);
  });

  it("does not fork under many concurrent audited changes on one merchant", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const input = (i: number) =>
      createKeySchema.parse({ name: `K${i}`, environment: "sandbox", channel: "REST", permissions: ["payments:read"], ipAllowList: "" });
    const keys = await Promise.all(Array.from({ length: 12 }, (_, i) => createKey(db.prisma, owner, input(i))));
    // Every key disabled and enabled again, all at once, with bare audit writes in between.
    await Promise.all([
      ...keys.map(async (k) => {
        const { version } = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: k.keyId } });
        await disableKey(db.prisma, owner, k.keyId, { version });
        await changeKeyStatus(db.prisma, owner, k.keyId, "enable", { version: version + 1 });
      }),
      ...Array.from({ length: 12 }, (_, i) => write(owner.merchantId, `bare.${i}`)),
    ]);
    const rows = await db.prisma.auditEvent.findMany({ where: { merchantId: owner.merchantId }, orderBy: { seq: "asc" } });
    expect(rows).toHaveLength(12 * 3 + 12);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(await verifyAuditChain(db.prisma, owner.merchantId)).toMatchObject({ ok: true, checked: rows.length, broken: null });
  });
});

describe("the chain lock", () => {
  it("is taken as the transaction commits, not while it runs", async () => {
    const m = await createMerchant(db.prisma);
    // Its row is written, its transaction still open.
    const slow = await holdTransaction(db.prisma, (tx) => recordAudit(tx, system, { merchantId: m.id, action: "slow" }), 10_000);
    // Another change of the same merchant commits while the first one is still open.
    expect((await write(m.id, "fast")).seq).toBe(1);
    await slow.commit();
    const rows = await db.prisma.auditEvent.findMany({ where: { merchantId: m.id }, orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.seq, r.action])).toEqual([
      [1, "fast"],
      [2, "slow"],
    ]);
    expect(await verifyAuditChain(db.prisma, m.id)).toMatchObject({ ok: true, checked: 2 });
  });

  it("closes no circle with a row locked before auditing and referenced after it", async () => {
    // A webhook endpoint or a key: one change locks it and then audits; another audits and then
    // inserts a row referencing it (FOR KEY SHARE), as recordChange does with deliveries.
    const m = await createMerchant(db.prisma);
    const { key } = await createKeyRow(db.prisma, { merchantId: m.id });
    const locksFirst = db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${key.id}::uuid FOR UPDATE`;
      await pause();
      await recordAudit(tx, system, { merchantId: m.id, action: "locks-first" });
    });
    const auditsFirst = db.prisma.$transaction(async (tx) => {
      await recordAudit(tx, system, { merchantId: m.id, action: "audits-first" });
      await pause(50);
      await tx.keyChange.create({ data: { apiKeyId: key.id, kind: "updated" } });
    });
    await Promise.all([locksFirst, auditsFirst]);
    expect(await verifyAuditChain(db.prisma, m.id)).toMatchObject({ ok: true, checked: 2 });
  });

  it("lets transactions that audit several merchants in the one lock order, and a membership change, all commit", async () => {
    const master = await createMerchant(db.prisma);
    const sub = await createMerchant(db.prisma, { parentId: master.id });
    const other = await createMerchant(db.prisma);
    const all = [
      { merchantId: sub.id, parentId: master.id },
      { merchantId: other.id, parentId: null },
      { merchantId: master.id, parentId: null },
    ];
    const batch = (order: typeof all) =>
      db.prisma.$transaction(async (tx) => {
        for (const m of [...order].sort(compareLockOrder)) await recordAudit(tx, system, { merchantId: m.merchantId, action: "sweep" });
        await pause();
      });
    // What a membership change on the sub-account does: the master's row first, then the sub's chain.
    const memberChange = db.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM merchants WHERE id = ${master.id}::uuid FOR UPDATE`;
      await pause();
      await recordAudit(tx, system, { merchantId: sub.id, action: "member" });
    });
    await Promise.all([batch(all), batch([...all].reverse()), memberChange]);
    for (const m of [master, sub, other]) expect(await verifyAuditChain(db.prisma, m.id)).toMatchObject({ ok: true, broken: null });
    expect(await db.prisma.auditEvent.count({ where: { merchantId: sub.id } })).toBe(3);
    expect(
      [...all]
        .sort(compareLockOrder)
        .map((m) => m.merchantId)
        .indexOf(master.id),
    ).toBeLessThan(
      [...all]
        .sort(compareLockOrder)
        .map((m) => m.merchantId)
        .indexOf(sub.id),
    );
  });
});

describe("verifyAuditChain", () => {
  it("names the row edited with raw SQL", async () => {
    const m = await createMerchant(db.prisma);
    for (const a of ["one", "two", "three", "four"]) await write(m.id, a);
    const target = await db.prisma.auditEvent.findFirstOrThrow({ where: { merchantId: m.id, seq: 3 } });
    await db.prisma.$executeRaw`UPDATE audit_events SET actor_email = 'mallory@example.test' WHERE id = ${target.id}::uuid`;
    const result = await verifyAuditChain(db.prisma, m.id);
    expect(result).toMatchObject({ ok: false, checked: 2, broken: { id: target.id, seq: 3, action: "three", reason: "changed" } });
  });

  it("names the row after one deleted, and the row after one whose hash was recomputed to fit", async () => {
    const m = await createMerchant(db.prisma);
    for (const a of ["one", "two", "three"]) await write(m.id, a);
    await db.prisma.$executeRaw`DELETE FROM audit_events WHERE merchant_id = ${m.id}::uuid AND seq = 2`;
    expect((await verifyAuditChain(db.prisma, m.id)).broken).toMatchObject({ seq: 3, reason: "missing-before" });

    const n = await createMerchant(db.prisma);
    for (const a of ["one", "two", "three"]) await write(n.id, a);
    // Rewriting a row's JSON and its hash from the same formula still breaks the following link.
    await db.prisma
      .$executeRaw`UPDATE audit_events SET after = '{"n": "forged"}', hash = repeat('a', 64) WHERE merchant_id = ${n.id}::uuid AND seq = 1`;
    expect((await verifyAuditChain(db.prisma, n.id)).broken).toMatchObject({ seq: 1, reason: "changed" });
  });

  it("names a row that has no place in the chain", async () => {
    const m = await createMerchant(db.prisma);
    for (const a of ["one", "two"]) await write(m.id, a);
    await db.prisma.$executeRaw`UPDATE audit_events SET seq = NULL, hash = NULL WHERE merchant_id = ${m.id}::uuid AND seq = 2`;
    expect((await verifyAuditChain(db.prisma, m.id)).broken).toMatchObject({ action: "two", reason: "unchained" });
  });

  it("walks more rows than one batch", async () => {
    const m = await createMerchant(db.prisma);
    await db.prisma.$transaction(async (tx) => {
      for (let i = 0; i < 1100; i++) await recordAudit(tx, system, { merchantId: m.id, action: `bulk.${i}` });
    });
    expect(await verifyAuditChain(db.prisma, m.id)).toMatchObject({ ok: true, checked: 1100, latest: { seq: 1100 } });
  });
});

describe("the migration's backfill", () => {
  it("builds a chain, in (created_at, id) order, that the TypeScript verifier accepts", async () => {
    const scratch = await createScratchDatabase(false);
    const client = new pg.Client({ connectionString: scratch.url });
    await client.connect();
    const conn = {
      exec: async (sql: string) => void (await client.query(sql)),
      query: async (sql: string, params?: unknown[]) => (await client.query(sql, params)).rows,
    };
    let migrated: Database | undefined;
    try {
      await migrate(
        conn,
        loadMigrations().filter((m) => m.name < "20261201110000_audit_chain"),
      );
      const [a, b] = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"];
      await client.query(`INSERT INTO merchants (id, name, slug, updated_at) VALUES ($1, 'A', 'a', now()), ($2, 'B', 'b', now())`, [a, b]);
      const rows: [string, string, string | null, string, object | null, object | null, string][] = [
        [
          a,
          "key.created",
          null,
          "owner@a.test",
          null,
          { name: 'Quote " and \\ and\ttab', permissions: ["payments:read"] },
          "2024-01-01T00:00:00.123Z",
        ],
        [
          a,
          "key.rotated",
          "10.0.0.1",
          "owner@a.test",
          { accessKey: "ak_1" },
          { grace: "24h", deep: { z: 1, aa: [true, null, 2.5] } },
          "2024-01-02T00:00:00Z",
        ],
        [b, "member.invited", null, "é@b.test", null, { email: "x@b.test", role: "ADMIN" }, "2023-05-05T05:05:05.5Z"],
        // Same instant as the first row: the id breaks the tie.
        [a, "key.disabled", null, "admin@a.test", { status: "ENABLED" }, { status: "DISABLED" }, "2024-01-01T00:00:00.123Z"],
        [a, "key.enabled", null, "🔑@a.test", null, null, "2023-12-31T23:59:59.999Z"],
      ];
      for (const [merchant, action, ip, email, before, after, at] of rows)
        await client.query(
          `INSERT INTO audit_events (id, merchant_id, actor_email, action, client_ip, before, after, created_at)
           VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::timestamptz)`,
          [merchant, email, action, ip, before && JSON.stringify(before), after && JSON.stringify(after), at],
        );
      migrated = await openDatabase(scratch.url);
      const inOrder = await migrated.prisma.auditEvent.findMany({
        where: { merchantId: a },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      expect(inOrder.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(inOrder[0].action).toBe("key.enabled");
      expect(await verifyAuditChain(migrated.prisma, a)).toMatchObject({ ok: true, checked: 4, latest: { seq: 4 } });
      expect(await verifyAuditChain(migrated.prisma, b)).toMatchObject({ ok: true, checked: 1 });
      // And the chain goes on from the backfilled head.
      await migrated.prisma.$transaction((tx) => recordAudit(tx, system, { merchantId: a, action: "after.migration" }));
      expect(await verifyAuditChain(migrated.prisma, a)).toMatchObject({ ok: true, checked: 5 });
    } finally {
      await migrated?.close();
      await client.end();
      await scratch.drop();
    }
  });
});
