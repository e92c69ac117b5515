// The app's own database start-up (only the process that serves the portal calls this): with
// DATABASE_URL, that server; without it, the embedded PostgreSQL server under .data/postgres,
// owned by this process for as long as it runs.
import { dataDir, dataPath } from "@/lib/paths";
import { acquireAppLock } from "./app-lock";
import { closeDatabase, embeddedUrlFile, openDatabase, parseDatabaseUrl, setDatabase, type Database } from "./client";
import { startEmbeddedPostgres, type EmbeddedServer } from "./embedded-server";
import { errorMessage, logger } from "@/lib/core/log";

export interface AppDatabase {
  database: Database;
  /** Where it runs, for the start-up line. */
  where: string;
  /** Records the port the app listens on in the lock (shown to a second start). */
  setPort(port: number): void;
  /** Closes the pool, then stops the embedded server and releases the lock. */
  shutdown(): Promise<void>;
}

export async function startAppDatabase(log: (line: string) => void = console.log): Promise<AppDatabase> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const url = parseDatabaseUrl(external);
    const pending = openDatabase(external, "postgres");
    setDatabase(pending);
    return { database: await pending, where: `PostgreSQL at ${url.hostname}`, setPort() {}, shutdown: closeDatabase };
  }
  const lock = acquireAppLock(dataPath("keyport.pid"), dataDir());
  let server: EmbeddedServer | undefined;
  try {
    server = await startEmbeddedPostgres({ dataDir: dataPath("postgres"), urlFile: embeddedUrlFile(), detached: true, log });
    const pending = openDatabase(server.url, "embedded");
    setDatabase(pending);
    const database = await pending;
    const engine = server;
    return {
      database,
      where: `embedded PostgreSQL in ${dataPath("postgres")}, port ${engine.port}`,
      setPort: lock.setPort,
      async shutdown() {
        await closeDatabase().catch((e) => logger().error({ area: "db", err: errorMessage(e) }, "closing the database failed"));
        await engine.stop();
        lock.release();
      },
    };
  } catch (err) {
    await server?.stop().catch(() => {});
    lock.release();
    throw err;
  }
}
