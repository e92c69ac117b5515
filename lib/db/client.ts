import { existsSync, readFileSync } from "node:fs";
import { dataPath } from "@/lib/paths";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { migrate } from "./migrate";
import { logger } from "@/lib/core/log";

type Adapter = NonNullable<ConstructorParameters<typeof PrismaClient>[0]["adapter"]>;

// Secret columns are never selected unless a query asks for them by name.
export const OMIT_SECRETS = {
  user: { passwordHash: true },
  credential: { secretHash: true },
  totpEnrollment: { secretEnc: true },
  recoveryCode: { codeHash: true },
} as const;

export function createPrisma(adapter: Adapter) {
  return new PrismaClient({ adapter, omit: OMIT_SECRETS });
}

export type Db = ReturnType<typeof createPrisma>;
/** A transaction client: what services receive inside `db.$transaction`. */
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export interface Database {
  prisma: Db;
  /** Where it runs: the embedded server this install started, or DATABASE_URL's. */
  kind: "embedded" | "postgres";
  url: string;
  /** The pool behind Prisma, for LISTEN and raw single-connection work. */
  pool: pg.Pool;
  close(): Promise<void>;
}

/** The embedded server's URL file (mode 0600), shared by every process of one install. */
export const embeddedUrlFile = () => dataPath("postgres.json");

/** Checks a PostgreSQL URL and says plainly what is wrong with it. */
export function parseDatabaseUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DATABASE_URL is not a URL. Expected postgresql://user:password@host:5432/database.`);
  }
  if (url.protocol !== "postgresql:" && url.protocol !== "postgres:") {
    throw new Error(
      `DATABASE_URL must be a PostgreSQL URL (postgresql://…), not ${url.protocol.replace(/:$/, "")}://. Keyport runs on PostgreSQL only.`,
    );
  }
  if (!url.hostname) throw new Error("DATABASE_URL has no host name. Expected postgresql://user:password@host:5432/database.");
  return url;
}

/** Opens (and migrates) the database at `url`. */
export async function openDatabase(url: string, kind: Database["kind"] = "postgres"): Promise<Database> {
  parseDatabaseUrl(url);
  // Idle connections are kept for 5 minutes, not pg's 10 s: opening one costs a SCRAM key
  // derivation on this thread (a few ms, measured in the verifier between two bursts of load).
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_SIZE ?? 10), idleTimeoutMillis: 300_000 });
  // An idle client losing its server (a restart) must not crash the process.
  pool.on("error", (err) => logger().warn({ area: "db", err: err.message }, "idle database connection lost"));
  try {
    const client = await pool.connect();
    try {
      await migrate({
        exec: async (sql) => void (await client.query(sql)),
        query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
      });
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw err;
  }
  const prisma = createPrisma(new PrismaPg(pool));
  return {
    prisma,
    kind,
    url,
    pool,
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

/** DATABASE_URL, else the URL of the embedded server another process of this install started. */
export function defaultDatabaseUrl(): { url: string; kind: Database["kind"] } {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, kind: "postgres" };
  const file = embeddedUrlFile();
  if (!existsSync(file)) {
    throw new Error(`No database: set DATABASE_URL, or start Keyport (npm start) so that its embedded PostgreSQL server runs.`);
  }
  return { url: (JSON.parse(readFileSync(file, "utf8")) as { url: string }).url, kind: "embedded" };
}

// One database per process, shared by the custom server's module graph and Next's bundle,
// which load separate copies of this module: hence globalThis, not a module variable.
const GLOBAL_KEY = Symbol.for("keyport.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

/** Makes `db` this process's database (the app server does this after starting its engine). */
export function setDatabase(db: Promise<Database>) {
  (globalThis as GlobalWithDb)[GLOBAL_KEY] = db;
}

export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  if (!g[GLOBAL_KEY]) {
    const pending = Promise.resolve().then(() => {
      const { url, kind } = defaultDatabaseUrl();
      return openDatabase(url, kind);
    });
    g[GLOBAL_KEY] = pending;
    pending.catch(() => {
      if (g[GLOBAL_KEY] === pending) g[GLOBAL_KEY] = undefined;
    });
  }
  return g[GLOBAL_KEY];
}

export async function getDb(): Promise<Db> {
  return (await getDatabase()).prisma;
}

export async function closeDatabase() {
  const g = globalThis as GlobalWithDb;
  const pending = g[GLOBAL_KEY];
  g[GLOBAL_KEY] = undefined;
  if (pending) await (await pending).close();
}
