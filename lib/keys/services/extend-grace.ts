import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { capGraceAtKeyExpiry, extensionError } from "../rotation";
import { assertAllowed, assertCan } from "./guards";
import { lockKey } from "./key-access";
import { keyMailProps } from "./mail-props";
import { recordChange, touchKey } from "./record-change";

/** Moves an open window's end later, once, to at most 7 days after the rotation and never past the key's expiry. */
export async function extendGrace(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  until: Date,
  { version, now = new Date() }: { version?: number; now?: Date } = {},
) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, version);
    assertCan(actor, "keys.rotate", key.environment);
    assertAllowed(key, "extend");
    const previous = await tx.credential.findFirst({ where: { apiKeyId: key.id, slot: "PREVIOUS" } });
    const problem = extensionError(previous, until, now, key.expiresAt);
    if (problem || !previous) throw new AppError("EXTEND_UNAVAILABLE", { message: problem ?? undefined });
    const end = capGraceAtKeyExpiry(until, key.expiresAt);
    await tx.credential.update({ where: { id: previous.id }, data: { expiresAt: end, graceExtended: true } });
    await tx.apiKey.update({ where: { id: key.id }, data: { ...touchKey(actor, now) } });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.grace_extended",
      before: { previousExpiresAt: previous.expiresAt?.toISOString() },
      after: { previousExpiresAt: end.toISOString() },
      invalidatesVerification: true,
    });
    await enqueueKeyMail(
      tx,
      actor.merchantId,
      "grace-extended",
      `${key.id}:${now.getTime()}:extend`,
      await keyMailProps(tx, key, actor, now, { previousExpiresAt: end.toISOString() }),
    );
    return { previousExpiresAt: end.toISOString() };
  });
}
