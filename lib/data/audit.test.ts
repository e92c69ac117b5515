import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createKey, createMerchant } from "@/prisma/factories";
import { recordAudit } from "@/lib/audit/record";
import { auditExportBatches, auditFilterOptions, auditSearchParams, listAuditEvents, parseAuditQuery } from "./audit";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const day = (d: string) => new Date(`${d}T12:00:00Z`);

describe("the audit page's reads", () => {
  it("filters by key, actor, action and UTC days, pages newest first, and names deleted keys", async () => {
    const m = await createMerchant(db.prisma);
    const other = await createMerchant(db.prisma);
    const { key } = await createKey(db.prisma, { merchantId: m.id, name: "Live checkout" });
    const gone = "3f1c8f7e-2d7a-4c52-9f3e-0b1d2c3e4f50";
    await db.prisma.$transaction(async (tx) => {
      const at = (email: string) => ({ userId: null, email });
      await recordAudit(tx, at("ann@x.test"), { merchantId: m.id, apiKeyId: key.id, action: "key.created", at: day("2026-01-01") });
      await recordAudit(tx, at("bob@x.test"), { merchantId: m.id, apiKeyId: key.id, action: "key.disabled", at: day("2026-01-02") });
      await recordAudit(tx, at("ann@x.test"), {
        merchantId: m.id,
        apiKeyId: gone,
        action: "key.deleted",
        before: { name: "Old" },
        at: day("2026-01-03"),
      });
      for (let i = 0; i < 3; i++)
        await recordAudit(tx, at("ann@x.test"), { merchantId: m.id, action: "member.invited", at: day("2026-01-04") });
      await recordAudit(tx, at("eve@x.test"), { merchantId: other.id, action: "key.created", at: day("2026-01-01") });
    });
    const list = async (sp: Record<string, string>, pageSize?: number) => {
      const q = parseAuditQuery(sp);
      const { rows, total } = await listAuditEvents(m.id, pageSize ? { ...q, pageSize } : q, db.prisma);
      return { seqs: rows.map((r) => r.seq), total, rows };
    };
    expect((await list({})).seqs).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await list({ key: key.id.toUpperCase() })).seqs).toEqual([2, 1]);
    expect((await list({ actor: "bob@x.test" })).seqs).toEqual([2]);
    expect((await list({ action: "member.invited" })).seqs).toEqual([6, 5, 4]);
    expect((await list({ from: "2026-01-02", to: "2026-01-03" })).seqs).toEqual([3, 2]);
    expect((await list({ page: "2" }, 4)).seqs).toEqual([2, 1]);
    expect((await list({ page: "2" }, 4)).total).toBe(6);
    const deleted = (await list({ action: "key.deleted" })).rows[0];
    expect(deleted).toMatchObject({ keyId: gone, keyName: "Old (deleted)", before: '{"name": "Old"}', after: null });
    expect((await list({ actor: "eve@x.test" })).total).toBe(0);

    const options = await auditFilterOptions(m.id, db.prisma);
    expect(options.actors).toEqual(["ann@x.test", "bob@x.test"]);
    expect(options.actions).toEqual(["key.created", "key.deleted", "key.disabled", "member.invited"]);
    expect(options.keys).toEqual([
      { id: key.id, name: "Live checkout" },
      { id: gone, name: "Old (deleted)" },
    ]);

    const batches: (number | null)[][] = [];
    for await (const b of auditExportBatches(db.prisma, m.id, { actor: "ann@x.test" }, 2)) batches.push(b.map((r) => r.seq));
    expect(batches).toEqual([[6, 5], [4, 3], [1]]);
  });

  it("drops what is not a filter instead of failing", () => {
    const q = parseAuditQuery({ key: "nope", from: "2026-02-31x", to: "yesterday", page: "-3", action: "a\u0000b", actor: ["x", "y"] });
    expect(q).toEqual({
      key: undefined,
      actor: undefined,
      action: "ab",
      from: undefined,
      to: undefined,
      badDates: ["from", "to"],
      page: 1,
      pageSize: 50,
    });
    for (const d of ["0000-01-01", "2026-02-31", "2026-13-01", "99999-01-01", "2026-1-1"])
      expect(parseAuditQuery({ from: d }).from).toBeUndefined();
    expect(parseAuditQuery({ from: "2024-02-29" }).from).toBe("2024-02-29");
    expect(parseAuditQuery({}).badDates).toBeUndefined();
  });

  it("reads days as the app writes them, as well as ISO 8601", () => {
    for (const [typed, day] of [
      ["7 Dec 2026", "2026-12-07"],
      ["07 dec 2026", "2026-12-07"],
      ["7 December 2026", "2026-12-07"],
      ["29 Feb 2024", "2024-02-29"],
      ["2026-12-07", "2026-12-07"],
    ])
      expect(parseAuditQuery({ from: typed }).from, typed).toBe(day);
    for (const typed of ["31 Feb 2026", "7 Dex 2026", "7 Decembr 2026", "12/07/2026", "7 Dec"])
      expect(parseAuditQuery({ to: typed }), typed).toMatchObject({ to: undefined, badDates: ["to"] });
    expect(auditSearchParams({ actor: "a@b.test", from: "2026-01-01", page: 3 }).toString()).toBe("actor=a%40b.test&from=2026-01-01");
  });
});
