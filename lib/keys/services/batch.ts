import "server-only";
import type { Tx } from "@/lib/db/client";
import { isUuid } from "@/lib/merchants/access";
import { KeyError, STALE_BATCH_MESSAGE } from "../errors";
import { isStaleBatch, type ShownKey } from "../rotation";
import type { Actor } from "./shared";

/** Every key a bulk action names is this merchant's: another merchant's id answers like a missing key. */
export async function assertShownKeysExist(tx: Tx, actor: Actor, shown: readonly ShownKey[]) {
  const ids = [...new Set(shown.map((s) => s.keyId))];
  if (!ids.every(isUuid)) throw new KeyError("NOT_FOUND");
  const known = ids.length ? await tx.apiKey.count({ where: { id: { in: ids }, merchantId: actor.merchantId } }) : 0;
  if (known !== ids.length) throw new KeyError("NOT_FOUND");
}

/** The keys a bulk action was shown are exactly those it would act on now, at the versions shown. */
export function assertBatchCurrent(shown: readonly ShownKey[], current: readonly { id: string; version: number }[]) {
  if (isStaleBatch(shown, current)) throw new KeyError("CONFLICT", undefined, STALE_BATCH_MESSAGE);
}

/** A single key's "changed meanwhile" inside a batch is the whole batch's. */
export async function staleAsBatch<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof KeyError && err.code === "CONFLICT") throw new KeyError("CONFLICT", undefined, STALE_BATCH_MESSAGE);
    throw err;
  }
}
