import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { isUuid } from "@/lib/core/ids";

/**
 * Locks the key row for the rest of the transaction, found only through the actor's merchant:
 * another merchant's key id answers exactly like a missing one. A version the caller read earlier
 * that no longer matches means someone changed the key meanwhile. With `noWait`, a row another
 * transaction holds fails at once as "a rotation is already in progress" instead of queueing.
 */
export async function lockKey(
  tx: Tx,
  actor: Actor,
  keyId: string,
  expectedVersion?: number,
  opts: { noWait?: boolean } = {},
): Promise<ApiKey> {
  if (!isUuid(keyId)) throw new AppError("NOT_FOUND");
  let locked: { id: string }[];
  try {
    locked = opts.noWait
      ? await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId}::uuid AND merchant_id = ${actor.merchantId}::uuid FOR UPDATE NOWAIT`
      : await tx.$queryRaw`SELECT id FROM api_keys WHERE id = ${keyId}::uuid AND merchant_id = ${actor.merchantId}::uuid FOR UPDATE`;
  } catch (err) {
    const message = String((err as Error)?.message ?? err);
    if (opts.noWait && (message.includes("55P03") || /could not obtain lock/i.test(message))) throw new AppError("ROTATION_IN_PROGRESS");
    throw err;
  }
  if (locked.length === 0) throw new AppError("NOT_FOUND");
  const key = await tx.apiKey.findUniqueOrThrow({ where: { id: keyId } });
  if (expectedVersion !== undefined && key.version !== expectedVersion) throw new AppError("CONFLICT");
  return key;
}

/** Reads a key through the actor's merchant without locking it. */
export async function findKey(db: Db | Tx, actor: Actor, keyId: string): Promise<ApiKey> {
  if (!isUuid(keyId)) throw new AppError("NOT_FOUND");
  const key = await db.apiKey.findFirst({ where: { id: keyId, merchantId: actor.merchantId } });
  if (!key) throw new AppError("NOT_FOUND");
  return key;
}
