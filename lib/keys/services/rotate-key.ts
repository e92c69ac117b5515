import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import type { KeyMailTemplate } from "@/lib/mail/types";
import { AppError } from "@/lib/core/errors";
import { canRotate, capGraceAtKeyExpiry, graceEnd, isBulkRotatable, isWindowOpen, type GraceOption, type ShownKey } from "../rotation";
import type { Environment } from "../types";
import { keyMailProps } from "./mail-props";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { generatedCredential } from "@/lib/keys/services/credential";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";
import type { IssuedSecret } from "@/lib/keys/types";

interface RotateOptions {
  grace: GraceOption;
  /** Regenerate may omit it; a rotation never does (see rotateKey). */
  version?: number;
  /** Regenerate: replaces even an open window's previous credential. */
  replaceOpenWindow?: boolean;
  action?: "key.rotated" | "key.regenerated";
}

/** The core of rotate and regenerate, inside the caller's transaction. */
export async function rotateInTx(tx: Tx, actor: Actor, keyId: string, opts: RotateOptions, now: Date): Promise<IssuedSecret & { previousExpiresAt: string }> {
  const key = await lockKey(tx, actor, keyId, undefined, { noWait: true });
  assertCan(actor, "keys.rotate", key.environment);
  assertAllowed(key, opts.action === "key.regenerated" ? "regenerate" : "rotate");
  if (!canRotate(key, now)) throw new AppError("KEY_EXPIRED");
  const creds = await tx.credential.findMany({ where: { apiKeyId: key.id } });
  const previous = creds.find((c) => c.slot === "PREVIOUS");
  const current = creds.find((c) => c.slot === "CURRENT");
  // A second rotation while the first one's window is open would silently drop a working key.
  if (!opts.replaceOpenWindow && isWindowOpen(previous, now)) throw new AppError("ROTATION_IN_PROGRESS");
  if (opts.version !== undefined && key.version !== opts.version) throw new AppError("CONFLICT");
  const until = capGraceAtKeyExpiry(graceEnd(opts.grace, now), key.expiresAt);
  if (previous) await tx.credential.delete({ where: { id: previous.id } });
  if (current) {
    await tx.credential.update({ where: { id: current.id }, data: { slot: "PREVIOUS", expiresAt: until, rotatedAt: now, graceExtended: false } });
  }
  const fresh = generatedCredential(key.environment, actor.userId);
  await tx.credential.create({ data: { ...fresh.data, apiKeyId: key.id, createdAt: now, rotatedAt: now } });
  await tx.apiKey.update({ where: { id: key.id }, data: { lastRotatedAt: now, version: { increment: 1 }, updatedById: actor.userId, updatedAt: now } });
  const action = opts.action ?? "key.rotated";
  await recordChange(tx, actor, {
    keyId: key.id,
    action,
    before: { accessKey: current?.accessKey ?? null },
    after: { accessKey: fresh.data.accessKey, grace: opts.grace, previousExpiresAt: until.toISOString() },
    feed: "rotated",
  });
  const template: KeyMailTemplate = action === "key.regenerated" ? "key-regenerated" : "key-rotated";
  const eventKey = `${key.id}:${now.getTime()}`;
  await enqueueKeyMail(tx, actor.merchantId, template, eventKey, await keyMailProps(tx, key, actor, now, { previousExpiresAt: opts.grace === "now" ? null : until.toISOString() }));
  return { keyId: key.id, name: key.name, accessKey: fresh.data.accessKey, secret: fresh.secret, environment: key.environment, previousExpiresAt: until.toISOString() };
}

/**
 * The version the caller was shown is required: without it, three "Now" rotations sent at once
 * from one page would each succeed in turn and show two secrets that were revoked at once.
 */
export async function rotateKey(db: Db | Tx, actor: Actor, keyId: string, opts: { grace: GraceOption; version: number }, now = new Date()) {
  if (!Number.isInteger(opts.version)) throw new AppError("CONFLICT");
  return inTransaction(db, (tx) => rotateInTx(tx, actor, keyId, { grace: opts.grace, version: opts.version, action: "key.rotated" }, now));
}

/**
 * Every Enabled, unexpired key of one environment, in one transaction: all rotate, or none does.
 * `shown` is what the page listed; if any of it changed meanwhile the whole batch is refused.
 */
export async function rotateEnvironment(db: Db | Tx, actor: Actor, environment: Environment, grace: GraceOption, shown: readonly ShownKey[], now = new Date()) {
  assertCan(actor, "keys.rotate", environment);
  return inTransaction(db, async (tx) => {
    await assertShownKeysExist(tx, actor, shown);
    const keys = await tx.apiKey.findMany({
      where: { merchantId: actor.merchantId, environment, status: "ENABLED", expiresAt: { gt: now } },
      orderBy: { createdAt: "asc" },
      select: { id: true, version: true, status: true, expiresAt: true },
    });
    const current = keys.filter((k) => isBulkRotatable(k, now));
    assertBatchCurrent(shown, current);
    const shownVersion = new Map(shown.map((s) => [s.keyId, s.version]));
    // Each key is locked and its version checked again: a rotation that committed after the read
    // above still makes the whole batch stale.
    return staleAsBatch(async () => {
      const issued = [];
      for (const k of current) issued.push(await rotateInTx(tx, actor, k.id, { grace, version: shownVersion.get(k.id)!, action: "key.rotated" }, now));
      return issued;
    });
  });
}
