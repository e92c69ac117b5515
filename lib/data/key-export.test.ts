import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createKey, createMerchant, createUser } from "@/prisma/factories";
import { csvStream } from "@/lib/csv/stream";
import { KEY_CSV_COLUMNS, type KeyExportRow, keyExportBatches, parseKeyExportFilter } from "./key-export";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const collect = async (it: AsyncIterable<KeyExportRow[]>) => {
  const sizes: number[] = [];
  const rows: KeyExportRow[] = [];
  for await (const b of it) {
    sizes.push(b.length);
    rows.push(...b);
  }
  return { sizes, rows };
};
const at = (minutes: number) => new Date(Date.UTC(2026, 10, 1) + minutes * 60_000);

describe("keyExportBatches", () => {
  it("reads every key in the grid's order, one bounded batch per query, and no other merchant's", async () => {
    const m = await createMerchant(db.prisma);
    const other = await createMerchant(db.prisma);
    await createKey(db.prisma, { merchantId: other.id, name: "Not ours" });
    // 23 Enabled and 2 Revoked keys, several created in the same millisecond (the id breaks ties).
    for (let i = 0; i < 23; i++) await createKey(db.prisma, { merchantId: m.id, name: `E${i}`, createdAt: at(Math.floor(i / 3)) });
    for (let i = 0; i < 2; i++) await createKey(db.prisma, { merchantId: m.id, name: `R${i}`, status: "REVOKED", createdAt: at(100 + i) });
    const { sizes, rows } = await collect(keyExportBatches(db.prisma, m.id, "OWNER", {}, { batch: 10 }));
    expect(sizes.every((s) => s <= 10)).toBe(true);
    expect(sizes.length).toBeGreaterThanOrEqual(4);
    expect(rows).toHaveLength(25);
    expect(new Set(rows.map((r) => r.id)).size).toBe(25);
    expect(rows.map((r) => r.name)).not.toContain("Not ours");
    expect(rows.slice(-2).map((r) => [r.name, r.status])).toEqual([
      ["R1", "Revoked"],
      ["R0", "Revoked"],
    ]);
    const grid = await db.prisma.apiKey.findMany({
      where: { merchantId: m.id },
      orderBy: [{ status: "asc" }, { createdAt: "desc" }, { id: "asc" }],
      select: { id: true },
    });
    expect(rows.map((r) => r.id)).toEqual(grid.map((k) => k.id));
  });

  it("applies the grid's filters and the selected ids, and fills every column", async () => {
    const m = await createMerchant(db.prisma);
    const creator = await createUser(db.prisma);
    const a = await createKey(db.prisma, {
      merchantId: m.id,
      name: "=Payments live",
      environment: "production",
      channel: "HTTP",
      permissions: ["payments:read", "refunds:write"],
      createdById: creator.id,
    });
    const b = await createKey(db.prisma, { merchantId: m.id, name: "Sandbox one", environment: "sandbox" });
    await createKey(db.prisma, { merchantId: m.id, name: "Sandbox two", environment: "sandbox" });
    await db.prisma.usageBucket.create({
      data: {
        apiKeyId: a.key.id,
        credentialId: (await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: a.key.id } })).id,
        hour: new Date(),
        success: 3,
        failure: 1,
      },
    });
    const names = async (sp: string, role: "OWNER" | "VIEWER" = "OWNER") => {
      const parsed = parseKeyExportFilter(new URLSearchParams(sp));
      if ("error" in parsed) throw new Error(parsed.error);
      return (await collect(keyExportBatches(db.prisma, m.id, role, parsed.filter))).rows;
    };
    expect((await names("env=sandbox")).map((r) => r.name).sort()).toEqual(["Sandbox one", "Sandbox two"]);
    expect((await names("channel=HTTP")).map((r) => r.name)).toEqual(["=Payments live"]);
    expect((await names("q=two")).map((r) => r.name)).toEqual(["Sandbox two"]);
    expect((await names(`ids=${a.key.id},${b.key.id}&env=sandbox`)).map((r) => r.name)).toEqual(["Sandbox one"]);
    const [row] = await names(`ids=${a.key.id.toUpperCase()}`);
    const credential = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: a.key.id } });
    expect(row).toMatchObject({
      id: a.key.id,
      accessKey: credential.accessKey,
      environment: "Production",
      channel: "HTTP",
      status: "Enabled",
      permissions: "payments:read refunds:write",
      createdBy: creator.email,
      lastUsedAt: "",
      lastRotatedAt: "",
      errorRate: "25% (1 of 4)",
    });
    // A viewer may not copy access keys: the file masks them as the grid does.
    const [viewed] = await names(`ids=${a.key.id}`, "VIEWER");
    expect(viewed.accessKey).not.toBe(credential.accessKey);
    expect(viewed.accessKey).toContain("…");
    // And the file neutralises the name that starts with "=".
    async function* one() {
      yield [row];
    }
    const [header, line] = parse(await new Response(csvStream(KEY_CSV_COLUMNS, one())).text());
    expect(header).toEqual([
      "Name",
      "Key ID",
      "Access key",
      "Environment",
      "Channel",
      "Status",
      "Permissions",
      "Created",
      "Created by",
      "Expires",
      "Last used",
      "Last rotated",
      "Error rate 24 h",
    ]);
    expect(line[0]).toBe("'=Payments live");
  });

  it("refuses ids that are not key ids, and too many", () => {
    expect(parseKeyExportFilter(new URLSearchParams("ids=1,2"))).toEqual({ error: "ids must be a comma-separated list of API key ids." });
    expect(parseKeyExportFilter(new URLSearchParams("ids="))).toHaveProperty("error");
    const many = Array.from({ length: 1001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`).join(",");
    expect(parseKeyExportFilter(new URLSearchParams(`ids=${many}`))).toHaveProperty("error");
    expect(parseKeyExportFilter(new URLSearchParams("env=nowhere&channel=FTP"))).toEqual({
      filter: { q: undefined, env: undefined, channel: "FTP" },
    });
  });
});
