import "server-only";
import type { Tx } from "@/lib/db/client";
import { isUuid } from "@/lib/core/ids";
import { AppError, STALE_BATCH_MESSAGE } from "@/lib/core/errors";
import { isStaleBatch, type ShownKey } from "../rotation";
import type { Actor } from "@/lib/core/actor";

/** Every key a bulk action names is this merchant's: another merchant's id answers like a missing key. */
export async function assertShownKeysExist(tx: Tx, actor: Actor, shown: readonly ShownKey[]) {
  const ids = [...new Set(shown.map((s) => s.keyId))];
  if (!ids.every(isUuid)) throw new AppError("NOT_FOUND");
  const known = ids.length ? await tx.apiKey.count({ where: { id: { in: ids }, merchantId: actor.merchantId } }) : 0;
  if (known !== ids.length) throw new AppError("NOT_FOUND");
}

/** The keys a bulk action was shown are exactly those it would act on now, at the versions shown. */
export function assertBatchCurrent(shown: readonly ShownKey[], current: readonly { id: string; version: number }[]) {
  if (isStaleBatch(shown, current)) throw new AppError("CONFLICT", { message: STALE_BATCH_MESSAGE });
}

/** A single key's "changed meanwhile" inside a batch is the whole batch's. */
export async function staleAsBatch<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError && err.code === "CONFLICT") throw new AppError("CONFLICT", { message: STALE_BATCH_MESSAGE });
    throw err;
  }
}
