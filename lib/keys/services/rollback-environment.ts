import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import type { Environment } from "../types";
import type { ShownKey } from "../rotation";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import { assertCan } from "./guards";
import { rollbackInTx } from "./rollback-rotation";

/**
 * Every key of the environment whose rotation window is still open, in one transaction. `shown`
 * is what the page listed in a window; if any of it changed meanwhile the whole batch is refused.
 */
export async function rollbackEnvironment(
  db: Db | Tx,
  actor: Actor,
  environment: Environment,
  shown: readonly ShownKey[],
  now = new Date(),
) {
  assertCan(actor, "keys.rollback", environment);
  return inTransaction(db, async (tx) => {
    await assertShownKeysExist(tx, actor, shown);
    const keys = await tx.apiKey.findMany({
      where: {
        merchantId: actor.merchantId,
        environment,
        status: { not: "REVOKED" },
        credentials: { some: { slot: "PREVIOUS", expiresAt: { gt: now } } },
      },
      select: { id: true, version: true },
    });
    if (!keys.length) throw new AppError("ROLLBACK_UNAVAILABLE");
    assertBatchCurrent(shown, keys);
    const shownVersion = new Map(shown.map((s) => [s.keyId, s.version]));
    return staleAsBatch(async () => {
      const done = [];
      for (const k of keys) done.push(await rollbackInTx(tx, actor, k.id, now, shownVersion.get(k.id)));
      return done;
    });
  });
}
