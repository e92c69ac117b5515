import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { rotationState } from "../rotation";
import { keyMailProps } from "./mail-props";
import { assertAllowed, assertCan } from "./guards";
import { lockKey } from "./key-access";
import { recordChange, touchKey } from "./record-change";

export const NO_PREVIOUS_KEY = "There is no previous key to revoke: its grace window has already ended.";

/**
 * "Revoke previous key now": ends an open grace window early. The previous credential is deleted
 * under the key's row lock (decided against the clock there, so it cannot race the window's own
 * end into a second mail), with the audit, the change-feed row and the mail in one transaction.
 */
export async function revokePreviousKey(db: Db | Tx, actor: Actor, keyId: string, version: number, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, version);
    assertCan(actor, "keys.rotate", key.environment);
    assertAllowed(key, "revokePrevious");
    const previous = await tx.credential.findFirst({ where: { apiKeyId: key.id, slot: "PREVIOUS" } });
    if (!previous || !rotationState(key, previous, now).revokePrevious.ok)
      throw new AppError("INVALID_TRANSITION", { message: NO_PREVIOUS_KEY });
    await tx.credential.delete({ where: { id: previous.id } });
    await tx.apiKey.update({ where: { id: key.id }, data: { ...touchKey(actor, now) } });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.previous_revoked",
      before: { accessKey: previous.accessKey, previousExpiresAt: previous.expiresAt?.toISOString() ?? null },
      after: { previousExpiresAt: now.toISOString() },
      invalidatesVerification: true,
    });
    await enqueueKeyMail(
      tx,
      actor.merchantId,
      "previous-revoked",
      `${previous.id}:revoked`,
      await keyMailProps(tx, key, actor, now, { previousExpiresAt: null }),
    );
    return { keyId: key.id };
  });
}
