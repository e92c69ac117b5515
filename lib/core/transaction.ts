import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Runs fn in one transaction, or inside the caller's when given a transaction client (those lack
 * $connect): a nested call joins the caller's transaction rather than opening a savepoint.
 */
export function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "$connect" in db ? retryingConflicts(() => (db as Db).$transaction(fn, { timeout: 15_000, maxWait: 15_000 })) : fn(db);
}

/**
 * A deadlock (40P01) or serialization failure (40001), in each form it reaches us: P2034 from a
 * client statement; P2010 ("raw query failed") from a raw one, carrying the driver adapter's error
 * in `meta`; and that error itself (a full run saw one come through from the audit chain's raw
 * statements). The adapter names both codes `{ kind: "TransactionWriteConflict" }`.
 */
function isWriteConflict(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2034") return true;
  const adapterError =
    err.name === "DriverAdapterError" ? err : (err as { meta?: { driverAdapterError?: { cause?: unknown } } }).meta?.driverAdapterError;
  return (adapterError?.cause as { kind?: unknown } | undefined)?.kind === "TransactionWriteConflict";
}

/**
 * PostgreSQL ends one of two transactions that wait on each other in a circle (a deadlock) and
 * Prisma reports it (isWriteConflict): concurrent first keys of one merchant can meet so, on the merchant's
 * row and its key counts. Nothing of the ended transaction was written, so it runs again, up to
 * three times in all, after a short random pause.
 */
async function retryingConflicts<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (!isWriteConflict(err) || attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * attempt));
    }
  }
}

export const isUniqueViolation = (err: unknown, field?: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002" && (!field || JSON.stringify(err.meta ?? {}).includes(field));
