import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { type SqlTarget, sqlRows } from "@/lib/verify/sql";

export { RateLimiterRes };

export interface LimitSpec {
  /** What the counter is for, part of every key ("basic-guess", "api"…). */
  keyPrefix: string;
  points: number;
  /** Window, seconds. */
  duration: number;
}

/**
 * A limit every process and instance shares: rate-limiter-flexible's PostgreSQL store over the
 * UNLOGGED `rate_limits` table (one atomic upsert per counted event). A process that has seen a
 * key go over the limit answers it from memory until the window ends, with no statement; if the
 * database cannot be reached, an in-memory limiter of the same size stands in (per process, for
 * as long as it lasts) rather than letting every request through.
 */
export function sharedLimiter(db: () => Promise<SqlTarget>, spec: LimitSpec): RateLimiterPostgres {
  return new RateLimiterPostgres({
    storeClient: {
      // pg returns bigint columns as strings and Prisma as BigInt; the library does arithmetic on `expire`.
      async query(q: { text: string; values?: unknown[] }) {
        const rows = await sqlRows<{ points: number; expire: unknown }>(await db(), q.text, q.values);
        return { rows: rows.map((r) => ({ points: Number(r.points), expire: r.expire == null ? null : Number(r.expire) })) };
      },
    },
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true, // by the migration, UNLOGGED
    ...spec,
    inMemoryBlockOnConsumed: spec.points + 1,
    insuranceLimiter: new RateLimiterMemory(spec),
  });
}

/** Seconds until a refused client may try again (at least 1). */
export const retryAfterS = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
