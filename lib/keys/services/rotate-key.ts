import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import type { KeyMailTemplate } from "@/lib/mail/types";
import { AppError } from "@/lib/core/errors";
import { capGraceAtKeyExpiry, graceEnd, rotationState, type GraceOption } from "../rotation";
import { keyMailProps } from "./mail-props";
import { ownCredential, type OwnCredential } from "./own-credential";
import { assertCan } from "@/lib/keys/services/guards";
import { generatedCredential } from "@/lib/keys/services/credential";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange, touchKey } from "@/lib/keys/services/record-change";
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
  /** The mail's template when it is not the action's own ("Change credentials"). */
  template?: KeyMailTemplate;
  /** New own credentials (username and password), prepared outside the transaction; else a generated pair. */
  own?: OwnCredential;
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
    throw new AppError("USERNAME_TAKEN", { fieldErrors: { username: "This username is already in use. Choose another." } });
  }
  const fresh = opts.own ?? generatedCredential(key.environment, actor.userId);
  await tx.credential.create({ data: { ...fresh.data, apiKeyId: key.id, createdAt: now, rotatedAt: now } });
  await tx.apiKey.update({
    where: { id: key.id },
    // A new secret ends an "Exposed" badge: the leaked one is on its way out.
    data: { lastRotatedAt: now, exposedAt: null, exposedUrl: null, ...touchKey(actor, now) },
  });
  const action = opts.action ?? "key.rotated";
  await recordChange(tx, actor, {
    keyId: key.id,
    action,
    before: { accessKey: current?.accessKey ?? null },
    after: { accessKey: fresh.data.accessKey, grace: opts.grace, previousExpiresAt: until.toISOString() },
    invalidatesVerification: true,
  });
  const template: KeyMailTemplate = opts.template ?? (action === "key.regenerated" ? "key-regenerated" : "key-rotated");
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
  opts: { grace: GraceOption; version: number; own?: { username: string; password: string }; purpose?: "change-credentials" },
  now = new Date(),
) {
  if (!Number.isInteger(opts.version)) throw new AppError("CONFLICT");
  const own = opts.own ? await ownCredential(opts.own.username, opts.own.password, actor.userId) : undefined;
  return inTransaction(db, (tx) =>
    rotateInTx(
      tx,
      actor,
      keyId,
      {
        grace: opts.grace,
        version: opts.version,
        action: "key.rotated",
        own,
        template: opts.purpose === "change-credentials" ? "credentials-changed" : undefined,
      },
      now,
    ),
  );
}
