import { readFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";

/** A query on the app's own embedded database, as an operator with database access would run it. */
export async function dbQuery<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  const { url } = JSON.parse(readFileSync(join(process.env.KEYPORT_E2E_DATA_DIR!, "postgres.json"), "utf8")) as { url: string };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}
