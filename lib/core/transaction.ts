import type { Db, Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/**
 * Runs fn in one transaction, or inside the caller's when given a transaction client (those lack
 * $connect): a nested call joins the caller's transaction rather than opening a savepoint.
 */
export function inTransaction<T>(db: Db | Tx, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return "$connect" in db ? (db as Db).$transaction(fn, { timeout: 15_000, maxWait: 15_000 }) : fn(db);
}

export const isUniqueViolation = (err: unknown, field?: string) =>
  err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002" && (!field || JSON.stringify(err.meta ?? {}).includes(field));
