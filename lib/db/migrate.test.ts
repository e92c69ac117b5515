import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { loadMigrations, migrate, MigrationError } from "./migrate";
import { diffShapes, introspect, parsePrismaSchema, readPrismaSchema } from "./schema-drift";
import { createRawTestConnection, createTestDatabase } from "@/lib/testing/db";
import type { Database } from "./client";

describe("migration runner", () => {
  it("applies every migration once, records it as Prisma does, and is a no-op the second time", async () => {
    const conn = await createRawTestConnection();
    const all = loadMigrations();
    expect(await migrate(conn)).toEqual(all.map((m) => m.name));
    expect(await migrate(conn)).toEqual([]);
    const rows = await conn.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      `SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name`,
    );
    expect(rows.map((r) => r.migration_name)).toEqual(all.map((m) => m.name));
    expect(rows[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].checksum).toBe(all[0].checksum);
    expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    await conn.close();
  });

  it("stops with a clear message on a failing migration and leaves the database as it was", async () => {
    const conn = await createRawTestConnection();
    const good = loadMigrations();
    await migrate(conn, good);
    const bad = {
      name: "29990101000000_broken",
      checksum: "x".repeat(64),
      sql: `CREATE TABLE half_done (id int); SELECT * FROM no_such_table;`,
    };
    const err = await migrate(conn, [...good, bad]).catch((e) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect(err.message).toMatch(/29990101000000_broken failed and was rolled back/);
    const tables = await conn.query(`SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    const recorded = await conn.query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = $1`, [bad.name]);
    expect(recorded).toHaveLength(0);
    await conn.close();
  });
});

describe("schema.prisma and the migrated database", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());

  it("agree on every table, column, type, index and enum", async () => {
    const actual = await introspect((sql) => db.prisma.$queryRawUnsafe(sql));
    expect(diffShapes(readPrismaSchema(), actual)).toEqual([]);
  });

  it("the comparison itself notices a missing column and a missing index", async () => {
    const actual = await introspect((sql) => db.prisma.$queryRawUnsafe(sql));
    const edited = parsePrismaSchema(
      readFileSync("prisma/schema.prisma", "utf8")
        .replace('  lastUsedAt    DateTime?     @map("last_used_at")', '  lastSeenAt    DateTime?     @map("last_seen_at")')
        .replace("@@index([expiresAt])", "@@index([expiresAt, name])"),
    );
    const diff = diffShapes(edited, actual);
    expect(diff).toContain("column api_keys.last_seen_at timestamptz NULL is in schema.prisma but not in the database");
    expect(diff.some((d) => d.startsWith("index api_keys_expires_at_name_idx"))).toBe(true);
  });
});
