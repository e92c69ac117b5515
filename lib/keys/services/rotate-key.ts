import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import type { KeyMailTemplate } from "@/lib/mail/types";
import { AppError } from "@/lib/core/errors";
import { bulkRotationStep, capGraceAtKeyExpiry, graceEnd, rotationState, type GraceOption, type ShownKey } from "../rotation";
import { customSecretHint, hashCustomSecret } from "../custom-credentials";
import type { Environment } from "../types";
import { keyMailProps } from "./mail-props";
import { assertBatchCurrent, assertShownKeysExist, staleAsBatch } from "./batch";
import { assertCan } from "@/lib/keys/services/guards";
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
  /** A bulk rotation sends one mail per member for the whole batch instead. */
  mail?: boolean;
  /** New own credentials (username and password), prepared outside the transaction; else a generated pair. */
  own?: OwnCredential;
}

/** A user-chosen credential ready to insert: the password's slow hash is computed before the transaction. */
export interface OwnCredential {
  secret: string;
  data: { kind: "USER_CHOSEN"; accessKey: string; secretHash: string; secretHint: string; createdById: string };
}

export async function ownCredential(username: string, password: string, actorId: string): Promise<OwnCredential> {
  return {
    secret: password,
    data: {
      kind: "USER_CHOSEN",
      accessKey: username,
      secretHash: await hashCustomSecret(password),
      secretHint: customSecretHint(password),
      createdById: actorId,
    },
  };
}

/** The core of rotate and regenerate, inside the caller's transaction. */
export async function rotateInTx(
  tx: Tx,
  actor: Actor,
  keyId: string,
  opts: RotateOptions,
  now: Date,
): Promise<IssuedSecret & { previousExpiresAt: string }> {
  const key = await lockKey(tx, actor, keyId, undefined, { noWait: true });
  assertCan(actor, "keys.rotate", key.environment);
  const creds = await tx.credential.findMany({ where: { apiKeyId: key.id } });
  const previous = creds.find((c) => c.slot === "PREVIOUS");
  const current = creds.find((c) => c.slot === "CURRENT");
  const state = rotationState(key, previous, now);
  const answer = opts.replaceOpenWindow ? state.regenerate : state.rotate;
  if (!answer.ok) throw new AppError(answer.reason);
  if (opts.version !== undefined && key.version !== opts.version) throw new AppError("CONFLICT");
  const until = capGraceAtKeyExpiry(graceEnd(opts.grace, now), key.expiresAt);
  if (previous) await tx.credential.delete({ where: { id: previous.id } });
  if (current) {
    await tx.credential.update({
      where: { id: current.id },
      data: { slot: "PREVIOUS", expiresAt: until, rotatedAt: now, graceExtended: false },
    });
  }
  // The current credential keeps its username until its window ends: a new one must be another.
  if (opts.own && (await tx.credential.findUnique({ where: { accessKey: opts.own.data.accessKey }, select: { id: true } }))) {
    throw new AppError("USERNAME_TAKEN", { username: "This username is already in use. Choose another." });
  }
  const fresh = opts.own ?? generatedCredential(key.environment, actor.userId);
  await tx.credential.create({ data: { ...fresh.data, apiKeyId: key.id, createdAt: now, rotatedAt: now } });
  await tx.apiKey.update({
    where: { id: key.id },
    data: { lastRotatedAt: now, version: { increment: 1 }, updatedById: actor.userId, updatedAt: now },
  });
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
  if (opts.mail !== false)
    await enqueueKeyMail(
      tx,
      actor.merchantId,
      template,
      eventKey,
      await keyMailProps(tx, key, actor, now, { previousExpiresAt: opts.grace === "now" ? null : until.toISOString() }),
    );
  return {
    keyId: key.id,
    name: key.name,
    accessKey: fresh.data.accessKey,
    secret: fresh.secret,
    environment: key.environment,
    previousExpiresAt: until.toISOString(),
  };
}

/**
 * The version the caller was shown is required: without it, three "Now" rotations sent at once
 * from one page would each succeed in turn and show two secrets that were revoked at once.
 */
export async function rotateKey(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  opts: { grace: GraceOption; version: number; own?: { username: string; password: string } },
  now = new Date(),
) {
  if (!Number.isInteger(opts.version)) throw new AppError("CONFLICT");
  const own = opts.own ? await ownCredential(opts.own.username, opts.own.password, actor.userId) : undefined;
  return inTransaction(db, (tx) =>
    rotateInTx(tx, actor, keyId, { grace: opts.grace, version: opts.version, action: "key.rotated", own }, now),
  );
}

/** What a bulk rotation did to one key: rotated (its new secret, shown once), or left mid-rotation. */
export type BulkRotationResult =
  | (IssuedSecret & { outcome: "rotated"; previousExpiresAt: string; finishedWindow: boolean })
  | { outcome: "left-mid-rotation"; keyId: string; name: string; previousExpiresAt: string };

/**
 * Every Enabled, unexpired key of one environment, in one transaction: all of them are handled,
 * or none is. A key mid-rotation is left as it is (reported, not refused) unless `finishWindows`:
 * then its previous key stops at once and it is rotated too. One mail per member lists the keys.
 * `shown` is what the page listed; if any of it changed meanwhile the whole batch is refused.
 */
export async function rotateEnvironment(
  db: Db | Tx,
  actor: Actor,
  environment: Environment,
  grace: GraceOption,
  shown: readonly ShownKey[],
  now = new Date(),
  opts: { finishWindows?: boolean } = {},
): Promise<BulkRotationResult[]> {
  assertCan(actor, "keys.rotate", environment);
  return inTransaction(db, async (tx) => {
    await assertShownKeysExist(tx, actor, shown);
    const keys = await tx.apiKey.findMany({
      where: { merchantId: actor.merchantId, environment, status: { not: "REVOKED" } },
      orderBy: { createdAt: "asc" },
      select: { id: true, version: true, status: true, expiresAt: true },
    });
    // The single rotation's rule, its window aside: a bulk rotation decides open windows itself (bulkRotationStep).
    const current = keys.filter((k) => rotationState(k, null, now).rotate.ok);
    assertBatchCurrent(shown, current);
    const shownVersion = new Map(shown.map((s) => [s.keyId, s.version]));
    // Each key is locked and its version checked again: a rotation that committed after the read
    // above still makes the whole batch stale.
    const results = await staleAsBatch(async () => {
      const done: BulkRotationResult[] = [];
      for (const k of current) {
        const version = shownVersion.get(k.id)!;
        const key = await lockKey(tx, actor, k.id, version, { noWait: true });
        const previous = await tx.credential.findFirst({ where: { apiKeyId: k.id, slot: "PREVIOUS" } });
        const step = bulkRotationStep(rotationState(k, previous, now).windowOpen, !!opts.finishWindows);
        if (step === "leave-mid-rotation") {
          done.push({ outcome: "left-mid-rotation", keyId: k.id, name: key.name, previousExpiresAt: previous!.expiresAt!.toISOString() });
          continue;
        }
        const finishedWindow = step === "finish-window-and-rotate";
        const issued = await rotateInTx(
          tx,
          actor,
          k.id,
          { grace, version, action: "key.rotated", replaceOpenWindow: finishedWindow, mail: false },
          now,
        );
        done.push({ ...issued, outcome: "rotated", finishedWindow });
      }
      return done;
    });
    const rotated = results.filter((r) => r.outcome === "rotated");
    if (rotated.length) {
      const first = await tx.apiKey.findUniqueOrThrow({
        where: { id: rotated[0].keyId },
        select: { id: true, name: true, environment: true, merchantId: true },
      });
      const keys = rotated.map((r) => ({ name: r.name, previousExpiresAt: grace === "now" ? null : r.previousExpiresAt }));
      const props = await keyMailProps(tx, first, actor, now, {
        keyName: `${keys.length} ${keys.length === 1 ? "key" : "keys"}`,
        keys,
        keysCount: keys.length,
      });
      await enqueueKeyMail(tx, actor.merchantId, "keys-rotated", `bulk:${actor.merchantId}:${environment}:${now.getTime()}`, props);
    }
    return results;
  });
}
