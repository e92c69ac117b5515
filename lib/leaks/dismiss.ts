import "server-only";
import type { Db } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { assertCan } from "@/lib/keys/services/guards";
import { recordChange } from "@/lib/keys/services/record-change";

/** An owner clears a key's "Exposed" badge (a false alarm, or handled another way); the audit keeps it. */
export async function dismissExposure(db: Db, actor: Actor, keyId: string) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId);
    assertCan(actor, "keys.rotate", key.environment);
    if (!key.exposedAt) return;
    await tx.apiKey.update({ where: { id: key.id }, data: { exposedAt: null, exposedUrl: null } });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.exposure_dismissed",
      before: { exposedAt: key.exposedAt.toISOString(), url: key.exposedUrl },
      invalidatesVerification: false,
    });
  });
}
