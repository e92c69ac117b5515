// npm run db:backup [FILE]   — a consistent logical backup of Keyport's database, while it runs
// npm run db:restore FILE    — into a fresh database (a new .data directory, or an empty DATABASE_URL)
//
// Without DATABASE_URL this is the embedded server under .data/postgres (KEYPORT_DATA_DIR): used
// where Keyport is running, or started for the moment when it is not. With DATABASE_URL it works
// too, but your PostgreSQL server's own tools are the better choice there (docs/operations.md).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { AlreadyRunningError } from "@/lib/db/app-lock";
import { backupDatabase, restoreDatabase } from "@/lib/db/backup";
import { defaultDatabaseUrl, openDatabase } from "@/lib/db/client";
import { startAppDatabase } from "@/lib/db/engine";
import { dataPath } from "@/lib/paths";

const [command, fileArg] = process.argv.slice(2);
const stamp = new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);

/** The database to work on, and how to let go of it: the running app's, or one started for this command. */
async function database() {
  try {
    const engine = await startAppDatabase(() => {});
    return { db: engine.database, done: engine.shutdown };
  } catch (err) {
    if (!(err instanceof AlreadyRunningError)) throw err;
    const db = await openDatabase(defaultDatabaseUrl().url);
    return { db, done: () => db.close() };
  }
}

async function main() {
  if (process.env.DATABASE_URL)
    console.log("DATABASE_URL is set: your PostgreSQL server's own backup tools are the better choice there (docs/operations.md).");
  if (command === "backup") {
    const file = fileArg ?? `keyport-backup-${stamp}.ndjson.gz`;
    const { db, done } = await database();
    try {
      const counts = await backupDatabase(db.pool, file);
      const rows = Object.values(counts).reduce((a, b) => a + b, 0);
      console.log(`Backed up ${rows} rows of ${Object.keys(counts).length} tables to ${file} (mode 0600).`);
      console.log("TOTP seeds and webhook signing secrets in it are readable only with this install's KEYPORT_ENCRYPTION_KEY.");
    } finally {
      await done();
    }
    return;
  }
  if (command === "restore" && fileArg) {
    if (!existsSync(fileArg)) throw new Error(`No such file: ${fileArg}`);
    if (!process.env.DATABASE_URL && existsSync(join(dataPath("postgres"), "PG_VERSION")))
      throw new Error(
        `${dataPath()} already holds a database. Restore into a fresh one: stop Keyport and move that directory away, or set KEYPORT_DATA_DIR to a new one.`,
      );
    const { db, done } = await database();
    try {
      const counts = await restoreDatabase(db.pool, fileArg);
      console.log(
        `Restored ${Object.values(counts).reduce((a, b) => a + b, 0)} rows of ${Object.keys(counts).length} tables from ${fileArg}.`,
      );
      if (!process.env.DATABASE_URL && !process.env.KEYPORT_ENCRYPTION_KEY)
        console.log(
          `Copy the backed-up install's .data/encryption.key and .data/auth-secret into ${dataPath()} to keep TOTP and sessions working.`,
        );
    } finally {
      await done();
    }
    return;
  }
  console.error("usage: npm run db:backup [FILE]   |   npm run db:restore FILE");
  process.exit(2);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
