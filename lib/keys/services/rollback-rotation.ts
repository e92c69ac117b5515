import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { AppError } from "@/lib/core/errors";
import { rotationState } from "../rotation";
import { keyMailProps } from "./mail-props";
import { assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange, touchKey } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";

/**
 * Deletes the new credential and makes the previous one current again, with no expiry. Decided
 * under the key's row lock against the clock, so a rollback racing the window's end can never
 * revive an expired credential.
 */
export async function rollbackInTx(tx: Tx, actor: Actor, keyId: string, now: Date, version?: number, opts: { mail?: boolean } = {}) {
  const key = await lockKey(tx, actor, keyId, version);
  assertCan(actor, "keys.rollback", key.environment);
  const creds = await tx.credential.findMany({ where: { apiKeyId: key.id } });
  const previous = creds.find((c) => c.slot === "PREVIOUS");
  const current = creds.find((c) => c.slot === "CURRENT");
  const answer = rotationState(key, previous, now).rollback;
  if (!answer.ok || !previous) throw new AppError(answer.ok ? "ROLLBACK_UNAVAILABLE" : answer.reason);
  if (current) await tx.credential.delete({ where: { id: current.id } });
  await tx.credential.update({ where: { id: previous.id }, data: { slot: "CURRENT", expiresAt: null, graceExtended: false } });
  await tx.apiKey.update({ where: { id: key.id }, data: { ...touchKey(actor, now) } });
  await recordChange(tx, actor, {
    keyId: key.id,
    action: "key.rolled_back",
    before: { accessKey: current?.accessKey ?? null },
    after: { accessKey: previous.accessKey },
    invalidatesVerification: true,
  });
  // A bulk rollback sends one mail per member for the whole batch instead.
  if (opts.mail !== false)
    await enqueueKeyMail(tx, actor.merchantId, "key-rolled-back", `${key.id}:${now.getTime()}`, await keyMailProps(tx, key, actor, now));
  return { keyId: key.id, name: key.name, accessKey: previous.accessKey };
}

export const rollbackRotation = (
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  { version, now = new Date() }: { version?: number; now?: Date } = {},
) => inTransaction(db, (tx) => rollbackInTx(tx, actor, keyId, now, version));
