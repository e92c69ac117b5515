import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { keyMailProps } from "./mail-props";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange, snapshot } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";

/** Removes a key and its credentials for good; its audit history stays (no foreign key there). */
export async function deleteKey(db: Db | Tx, actor: Actor, keyId: string, opts: { version?: number } = {}, now = new Date()) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, opts.version);
    assertCan(actor, "keys.delete", key.environment);
    assertAllowed(key, "delete");
    await recordChange(tx, actor, { keyId: key.id, action: "key.deleted", before: snapshot(key), invalidatesVerification: true });
    const props = await keyMailProps(tx, key, actor, now, { previousExpiresAt: null, detailsUrl: undefined });
    await tx.apiKey.delete({ where: { id: key.id } });
    await enqueueKeyMail(tx, actor.merchantId, "key-deleted", `${key.id}:${now.getTime()}`, props);
    return { keyId: key.id, name: key.name };
  });
}
