import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import type { Environment } from "../types";
import { rotationState, type ShownKey } from "../rotation";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import { assertCan } from "./guards";
import { rollbackInTx } from "./rollback-rotation";
import { keyMailProps } from "./mail-props";
import { enqueueKeyMail } from "@/lib/mail/outbox";

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
    // The keys a single rollback would accept now (rotationState), read with what it reads.
    const candidates = await tx.apiKey.findMany({
      where: { merchantId: actor.merchantId, environment, credentials: { some: { slot: "PREVIOUS" } } },
      select: {
        id: true,
        version: true,
        status: true,
        expiresAt: true,
        credentials: { where: { slot: "PREVIOUS" }, select: { expiresAt: true, rotatedAt: true, graceExtended: true } },
      },
    });
    const keys = candidates.filter((k) => rotationState(k, k.credentials[0], now).rollback.ok);
    if (!keys.length) throw new AppError("ROLLBACK_UNAVAILABLE");
    assertBatchCurrent(shown, keys);
    const shownVersion = new Map(shown.map((s) => [s.keyId, s.version]));
    const done = await staleAsBatch(async () => {
      const rolledBack = [];
      for (const k of keys) rolledBack.push(await rollbackInTx(tx, actor, k.id, now, shownVersion.get(k.id), { mail: false }));
      return rolledBack;
    });
    // One mail per member listing the keys, as a bulk rotation sends.
    const first = await tx.apiKey.findUniqueOrThrow({
      where: { id: done[0].keyId },
      select: { id: true, name: true, environment: true, merchantId: true },
    });
    const list = done.map((r) => ({ name: r.name, previousExpiresAt: null }));
    const props = await keyMailProps(tx, first, actor, now, {
      keyName: `${list.length} ${list.length === 1 ? "key" : "keys"}`,
      keys: list,
      keysCount: list.length,
    });
    await enqueueKeyMail(
      tx,
      actor.merchantId,
      "keys-rolled-back",
      `bulk-rollback:${actor.merchantId}:${environment}:${now.getTime()}`,
      props,
    );
    return done;
  });
}
