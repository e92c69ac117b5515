import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { AppError } from "@/lib/core/errors";
import { capGraceAtKeyExpiry, extensionError, rotationState, type ShownKey } from "../rotation";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import type { Environment } from "../types";
import { keyMailProps } from "./mail-props";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";

/**
 * Deletes the new credential and makes the previous one current again, with no expiry. Decided
 * under the key's row lock against the clock, so a rollback racing the window's end can never
 * revive an expired credential.
 */
export async function rollbackInTx(tx: Tx, actor: Actor, keyId: string, now: Date, version?: number) {
  const key = await lockKey(tx, actor, keyId, version);
  assertCan(actor, "keys.rollback", key.environment);
  const creds = await tx.credential.findMany({ where: { apiKeyId: key.id } });
  const previous = creds.find((c) => c.slot === "PREVIOUS");
  const current = creds.find((c) => c.slot === "CURRENT");
  const answer = rotationState(key, previous, now).rollback;
  if (!answer.ok || !previous) throw new AppError(answer.ok ? "ROLLBACK_UNAVAILABLE" : answer.reason);
  if (current) await tx.credential.delete({ where: { id: current.id } });
  await tx.credential.update({ where: { id: previous.id }, data: { slot: "CURRENT", expiresAt: null, graceExtended: false } });
  await tx.apiKey.update({ where: { id: key.id }, data: { version: { increment: 1 }, updatedById: actor.userId, updatedAt: now } });
  await recordChange(tx, actor, {
    keyId: key.id,
    action: "key.rolled_back",
    before: { accessKey: current?.accessKey ?? null },
    after: { accessKey: previous.accessKey },
    feed: "rolled_back",
  });
  await enqueueKeyMail(tx, actor.merchantId, "key-rolled-back", `${key.id}:${now.getTime()}`, await keyMailProps(tx, key, actor, now));
  return { keyId: key.id, accessKey: previous.accessKey };
}

export const rollbackRotation = (db: Db | Tx, actor: Actor, keyId: string, now = new Date()) =>
  inTransaction(db, (tx) => rollbackInTx(tx, actor, keyId, now));

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

/** Moves an open window's end later, once, to at most 7 days after the rotation and never past the key's expiry. */
export async function extendGrace(db: Db | Tx, actor: Actor, keyId: string, until: Date, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId);
    assertCan(actor, "keys.rotate", key.environment);
    assertAllowed(key, "extend");
    const previous = await tx.credential.findFirst({ where: { apiKeyId: key.id, slot: "PREVIOUS" } });
    const problem = extensionError(previous, until, now, key.expiresAt);
    if (problem || !previous) throw new AppError("EXTEND_UNAVAILABLE", undefined, problem ?? undefined);
    const end = capGraceAtKeyExpiry(until, key.expiresAt);
    await tx.credential.update({ where: { id: previous.id }, data: { expiresAt: end, graceExtended: true } });
    await tx.apiKey.update({ where: { id: key.id }, data: { version: { increment: 1 }, updatedById: actor.userId, updatedAt: now } });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.grace_extended",
      before: { previousExpiresAt: previous.expiresAt?.toISOString() },
      after: { previousExpiresAt: end.toISOString() },
      feed: "updated",
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
