import type { Db } from "@/lib/db/client";

/** A pg Pool or Client: what the verifier's servers hand it (the pool behind Prisma). */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Where the verifier's own statements run: its key lookups, the change feed and the usage
 * flush. The servers give it the pg pool behind Prisma; tests and scripts may pass Prisma.
 * Measured on the verifier's thread (bench:verify): a statement through Prisma's client costs
 * far more CPU and garbage than the same statement on pg, and the usage flush runs twenty of
 * them a second under load, between requests.
 */
export type SqlTarget = Db | Queryable;

/**
 * Runs `text` with $1…$n parameters. Types differ by target: a bigint column comes back as a
 * string from pg and as a bigint from Prisma, so callers convert (BigInt(), Number()).
 */
export async function sqlRows<T>(db: SqlTarget, text: string, values: unknown[] = []): Promise<T[]> {
  if ("$queryRawUnsafe" in db) return db.$queryRawUnsafe<T[]>(text, ...values);
  return (await db.query(text, values)).rows as T[];
}
