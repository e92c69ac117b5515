import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { migrationsDir } from "@/lib/paths";
import { logger } from "@/lib/core/log";

/** The minimum a migration runner needs from a driver: one connection, multi-statement exec. */
export interface SqlConnection {
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    message: string,
    readonly migration?: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

// The same key `prisma migrate` locks, so our runner and Prisma's never apply at the same time.
const PRISMA_ADVISORY_LOCK = 72707369;

// Prisma's own DDL for its bookkeeping table, so `prisma migrate deploy` agrees with us.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
);`;

export function loadMigrations(dir = migrationsDir()): Migration[] {
  if (!existsSync(dir)) throw new MigrationError(`No migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(/*turbopackIgnore: true*/ dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(/*turbopackIgnore: true*/ dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies every migration not yet recorded, each in its own transaction together with its
 * `_prisma_migrations` row: a failing migration leaves the database exactly as it was.
 * Returns the names applied (empty when up to date).
 */
export async function migrate(conn: SqlConnection, migrations = loadMigrations()): Promise<string[]> {
  // Lock before touching anything: several instances may start at once against one server.
  await conn.query(`SELECT pg_advisory_lock(${PRISMA_ADVISORY_LOCK})`);
  try {
    await conn.exec(CREATE_MIGRATIONS_TABLE);
    const rows = await conn.query<AppliedRow>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    const unfinished = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (unfinished) {
      throw new MigrationError(
        `Migration ${unfinished.migration_name} is recorded as started but not finished. ` +
          `Resolve it (prisma migrate resolve) before starting Keyport.`,
        unfinished.migration_name,
      );
    }
    const applied = new Map(rows.filter((r) => r.finished_at).map((r) => [r.migration_name, r]));
    const done: string[] = [];
    for (const m of migrations) {
      const row = applied.get(m.name);
      if (row) {
        if (row.checksum !== m.checksum) {
          logger().warn({ area: "migrate", migration: m.name }, "migration edited after it was applied; keeping the applied version");
        }
        continue;
      }
      await applyOne(conn, m);
      done.push(m.name);
    }
    return done;
  } finally {
    await conn.query(`SELECT pg_advisory_unlock(${PRISMA_ADVISORY_LOCK})`);
  }
}

async function applyOne(conn: SqlConnection, m: Migration) {
  await conn.exec("BEGIN");
  try {
    await conn.exec(m.sql);
    await conn.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), m.checksum, m.name],
    );
    await conn.exec("COMMIT");
  } catch (err) {
    await conn.exec("ROLLBACK").catch(() => {});
    const reason = err instanceof Error ? err.message : String(err);
    throw new MigrationError(`Migration ${m.name} failed and was rolled back; the database is unchanged. Reason: ${reason}`, m.name);
  }
}
