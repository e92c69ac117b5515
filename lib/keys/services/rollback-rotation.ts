import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { KeyError } from "../errors";
import { canRollback, extensionError } from "../rotation";
import type { Environment } from "../types";
import { keyMailProps } from "./mail-props";
import { assertAllowed, assertCan, inTransaction, lockKey, recordChange, type Actor } from "./shared";

/**
 * Deletes the new credential and makes the previous one current again, with no expiry. Decided
 * under the key's row lock against the clock, so a rollback racing the window's end can never
 * revive an expired credential.
 */
export async function rollbackInTx(tx: Tx, actor: Actor, keyId: string, now: Date) {
  const key = await lockKey(tx, actor, keyId);
  assertCan(actor, "rotateKey", key.environment);
  assertAllowed(key, "rollback");
  const creds = await tx.credential.findMany({ where: { apiKeyId: key.id } });
  const previous = creds.find((c) => c.slot === "PREVIOUS");
  const current = creds.find((c) => c.slot === "CURRENT");
  if (!previous || !canRollback(previous, now)) throw new KeyError("ROLLBACK_UNAVAILABLE");
  if (current) await tx.credential.delete({ where: { id: current.id } });
  await tx.credential.update({ where: { id: previous.id }, data: { slot: "CURRENT", expiresAt: null, graceExtended: false } });
  await tx.apiKey.update({ where: { id: key.id }, data: { version: { increment: 1 }, updatedById: actor.userId, updatedAt: now } });
  await recordChange(tx, actor, { keyId: key.id, action: "key.rolled_back", before: { accessKey: current?.accessKey ?? null }, after: { accessKey: previous.accessKey }, feed: "rolled_back" });
  await enqueueKeyMail(tx, actor.merchantId, "key-rolled-back", `${key.id}:${now.getTime()}`, await keyMailProps(tx, key, actor, now));
  return { keyId: key.id, accessKey: previous.accessKey };
}

export const rollbackRotation = (db: Db | Tx, actor: Actor, keyId: string, now = new Date()) => inTransaction(db, (tx) => rollbackInTx(tx, actor, keyId, now));

/** Every key of the environment whose rotation window is still open, in one transaction. */
export async function rollbackEnvironment(db: Db | Tx, actor: Actor, environment: Environment, now = new Date()) {
  assertCan(actor, "rotateKey", environment);
  return inTransaction(db, async (tx) => {
    const keys = await tx.apiKey.findMany({
      where: { merchantId: actor.merchantId, environment, status: { not: "REVOKED" }, credentials: { some: { slot: "PREVIOUS", expiresAt: { gt: now } } } },
      select: { id: true },
    });
    if (!keys.length) throw new KeyError("ROLLBACK_UNAVAILABLE");
    const done = [];
    for (const k of keys) done.push(await rollbackInTx(tx, actor, k.id, now));
    return done;
  });
}

/** Moves an open window's end later, once, to at most 7 days after the rotation. */
export async function extendGrace(db: Db | Tx, actor: Actor, keyId: string, until: Date, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId);
    assertCan(actor, "rotateKey", key.environment);
    assertAllowed(key, "extend");
    const previous = await tx.credential.findFirst({ where: { apiKeyId: key.id, slot: "PREVIOUS" } });
    const problem = extensionError(previous, until, now);
    if (problem || !previous) throw new KeyError("EXTEND_UNAVAILABLE", undefined, problem ?? undefined);
    await tx.credential.update({ where: { id: previous.id }, data: { expiresAt: until, graceExtended: true } });
    await tx.apiKey.update({ where: { id: key.id }, data: { version: { increment: 1 }, updatedById: actor.userId, updatedAt: now } });
    await recordChange(tx, actor, { keyId: key.id, action: "key.grace_extended", before: { previousExpiresAt: previous.expiresAt?.toISOString() }, after: { previousExpiresAt: until.toISOString() }, feed: "updated" });
    await enqueueKeyMail(tx, actor.merchantId, "grace-extended", `${key.id}:${now.getTime()}:extend`, await keyMailProps(tx, key, actor, now, { previousExpiresAt: until.toISOString() }));
    return { previousExpiresAt: until.toISOString() };
  });
}
