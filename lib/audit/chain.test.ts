import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { type ChainedRow, type JsonValue, GENESIS_HASH, canonicalRow, chainHash, checkChain, jsonbText } from "./chain";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

// Values whose jsonb text is easy to get wrong: key order (length first), escapes, unicode, numbers.
const CORPUS: JsonValue[] = [
  null,
  true,
  0,
  -12,
  3.25,
  1e21,
  1.5e-7,
  "",
  'quote " backslash \\ slash /',
  "tab\tnewline\ncr\rbell\u0007 nul-free \u001f del\u007f",
  "é 中文 emoji 🔑 \u2028",
  [],
  {},
  [1, "two", null, [false], { b: 1 }],
  { bb: 1, a: 2, ccc: 3, ab: 4, B: 5, "": 6, é: 7, z: 8 },
  { name: "Checkout", permissions: ["payments:read"], ipAllowList: [], nested: { deeper: { x: [1, { y: null }] } } },
];

describe("jsonbText", () => {
  it("prints every value exactly as PostgreSQL prints it as jsonb", async () => {
    for (const value of CORPUS) {
      const [row] = await db.prisma.$queryRaw<{ t: string }[]>`SELECT (${JSON.stringify(value)}::jsonb)::text AS t`;
      expect(jsonbText(value), JSON.stringify(value)).toBe(row.t);
    }
  });
});

const row = (over: Partial<ChainedRow> = {}): ChainedRow => ({
  seq: 1,
  id: "6f1c8f7e-2d7a-4c52-9f3e-0b1d2c3e4f50",
  merchantId: "0b8e5a9c-1f2d-4e3a-8b7c-6d5e4f3a2b1c",
  apiKeyId: null,
  actorId: null,
  actorEmail: "system",
  action: "key.created",
  clientIp: null,
  before: null,
  after: { name: "Checkout" },
  createdAt: new Date("2026-11-30T12:34:56.789Z"),
  ...over,
});

describe("canonical row and chain", () => {
  it("is a versioned jsonb array of every column but the hash, with the time in UTC milliseconds", () => {
    expect(canonicalRow(row())).toBe(
      '["keyport.audit.v1", 1, "6f1c8f7e-2d7a-4c52-9f3e-0b1d2c3e4f50", "0b8e5a9c-1f2d-4e3a-8b7c-6d5e4f3a2b1c", null, null, "system", "key.created", null, null, {"name": "Checkout"}, "2026-11-30T12:34:56.789Z"]',
    );
  });

  it("changes with any field and with the previous hash", () => {
    const base = chainHash(GENESIS_HASH, row());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash("1".repeat(64), row())).not.toBe(base);
    for (const over of [{ seq: 2 }, { actorEmail: "mallory@example.test" }, { after: { name: "Checkout " } }, { createdAt: new Date(1) }])
      expect(chainHash(GENESIS_HASH, row(over))).not.toBe(base);
  });

  it("names the first row that does not follow, and a gap", () => {
    const a = { ...row(), hash: "" };
    a.hash = chainHash(GENESIS_HASH, a);
    const b = { ...row({ seq: 2, id: "7f1c8f7e-2d7a-4c52-9f3e-0b1d2c3e4f50" }), hash: "" };
    b.hash = chainHash(a.hash, b);
    const c = { ...row({ seq: 3, id: "8f1c8f7e-2d7a-4c52-9f3e-0b1d2c3e4f50" }), hash: "" };
    c.hash = chainHash(b.hash, c);
    expect(checkChain([a, b, c]).broken).toBeNull();
    expect(checkChain([a, { ...b, action: "key.deleted" }, c]).broken).toMatchObject({ row: { seq: 2 }, reason: "changed" });
    expect(checkChain([a, c]).broken).toMatchObject({ row: { seq: 3 }, reason: "missing-before" });
    // A row rewritten with a hash that fits its new content still breaks the next link.
    const forged = { ...b, actorEmail: "mallory@example.test" };
    forged.hash = chainHash(a.hash, forged);
    expect(checkChain([a, forged, c]).broken).toMatchObject({ row: { seq: 3 }, reason: "changed" });
  });
});
