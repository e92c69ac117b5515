import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { statusAfter } from "../rules";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { keyMailProps } from "./mail-props";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange, snapshot, touchKey } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";

type StatusAction = "enable" | "disable" | "revoke";

/**
 * Disable and Enable toggle (owners and admins); Revoke ends a Disabled key for good (owners,
 * behind step-up checked by the caller). Verification sees the change through the key feed.
 */
export async function changeKeyStatus(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  action: StatusAction,
  opts: { version?: number } = {},
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, opts.version);
    assertCan(actor, action === "revoke" ? "keys.revoke" : "keys.toggle", key.environment);
    assertAllowed(key, action);
    const updated = await tx.apiKey.update({
      where: { id: key.id },
      data: {
        status: statusAfter(key.status, action),
        // A revoked key has nothing left to leak: its "Exposed" badge ends.
        ...(action === "revoke" ? { exposedAt: null, exposedUrl: null } : {}),
        ...touchKey(actor, now),
      },
    });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: `key.${action}d`,
      before: { status: key.status },
      after: { status: updated.status },
      invalidatesVerification: true,
    });
    if (action === "revoke") {
      await enqueueKeyMail(
        tx,
        actor.merchantId,
        "key-revoked",
        `${key.id}:${now.getTime()}`,
        await keyMailProps(tx, key, actor, now, { previousExpiresAt: null }),
      );
    }
    return snapshot(updated);
  });
}

export const disableKey = (db: Db | Tx, actor: Actor, keyId: string, opts?: { version?: number }) =>
  changeKeyStatus(db, actor, keyId, "disable", opts);
export const revokeKey = (db: Db | Tx, actor: Actor, keyId: string, opts?: { version?: number }) =>
  changeKeyStatus(db, actor, keyId, "revoke", opts);
