import { mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { dataPath } from "@/lib/paths";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { migrate, type SqlConnection } from "./migrate";

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
  kind: "pglite" | "postgres";
  /** Raw single-connection access for the migration runner and tests. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres:// URL. Without it, embedded PGlite is used. */
  url?: string;
  /** PGlite directory; omitted means in-memory. */
  dataDir?: string;
  /** Postgres schema to create and use (tests get a fresh one each). */
  schema?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  return opts.url ? openPostgres(opts.url, opts.schema) : openPglite(opts.dataDir);
}

async function openPglite(dataDir?: string): Promise<Database> {
  const release = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const lite = await PGlite.create(dataDir);
    const conn: SqlConnection = {
      exec: async (sql) => void (await lite.exec(sql)),
      query: async (sql, params) => (await lite.query(sql, params)).rows as never,
    };
    await migrate(conn);
    const prisma = createPrisma(new PrismaPGlite(lite));
    return {
      prisma,
      kind: "pglite",
      async close() {
        await prisma.$disconnect();
        await lite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

async function openPostgres(url: string, schema?: string): Promise<Database> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Bad schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const client = await pool.connect();
  try {
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await migrate({
      exec: async (sql) => void (await client.query(sql)),
      query: async (sql, params) => (await client.query(sql, params as unknown[])).rows,
    });
  } finally {
    client.release();
  }
  const prisma = createPrisma(new PrismaPg(pool, schema ? { schema } : undefined));
  return {
    prisma,
    kind: "postgres",
    async close() {
      await prisma.$disconnect();
      await pool.end().catch(() => {});
    },
  };
}

// PGlite is a single-process database: a second process opening the same files corrupts them.
function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lock = join(/*turbopackIgnore: true*/ dir, "keyport.pid");
  if (existsSync(lock)) {
    const pid = Number(readFileSync(lock, "utf8"));
    if (pid && pid !== process.pid && isAlive(pid)) {
      throw new Error(
        `The embedded database in ${dir} is already open in process ${pid}. ` +
          `Stop that process first, or set DATABASE_URL to share a PostgreSQL server.`,
      );
    }
  }
  writeFileSync(lock, String(process.pid));
  return () => rmSync(lock, { force: true });
}

function isAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// One database per process, shared by the custom server's module graph and Next's bundle,
// which load separate copies of this module: hence globalThis, not a module variable.
const GLOBAL_KEY = Symbol.for("keyport.database");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  const g = globalThis as GlobalWithDb;
  if (!g[GLOBAL_KEY]) {
    const url = process.env.DATABASE_URL;
    g[GLOBAL_KEY] = openDatabase(url ? { url } : { dataDir: dataPath("pglite") });
    g[GLOBAL_KEY].catch(() => (g[GLOBAL_KEY] = undefined));
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
