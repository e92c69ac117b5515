import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import type { SqlConnection } from "@/lib/db/migrate";
import { openDatabase, type Database } from "@/lib/db/client";
import { withDatabase } from "./url";
import "./global-setup-types";

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: inject("testDatabase").serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A new database on the test server: a clone of the migrated template, or empty. */
export async function createScratchDatabase(fromTemplate: boolean): Promise<{ url: string; drop(): Promise<void> }> {
  const { serverUrl, template } = inject("testDatabase");
  const name = `t_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}${fromTemplate ? ` TEMPLATE ${template}` : ""}`);
  return { url: withDatabase(serverUrl, name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A fresh, migrated database for one test file: a clone of the run's template database on the
 * run's PostgreSQL server (embedded, or TEST_DATABASE_URL's), dropped again on close.
 */
export async function createTestDatabase(): Promise<Database> {
  const scratch = await createScratchDatabase(true);
  const db = await openDatabase(scratch.url);
  return {
    ...db,
    async close() {
      await db.close();
      await scratch.drop();
    },
  };
}

/** A raw single connection on a fresh, empty database. */
export async function createRawTestConnection(): Promise<SqlConnection & { close(): Promise<void> }> {
  const scratch = await createScratchDatabase(false);
  const client = new pg.Client({ connectionString: scratch.url });
  await client.connect();
  return {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    async close() {
      await client.end();
      await scratch.drop();
    },
  };
}
