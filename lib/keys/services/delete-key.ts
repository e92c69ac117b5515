import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { assertAllowed, assertCan, inTransaction, lockKey, recordChange, snapshot, type Actor } from "./shared";

/** Removes a key and its credentials for good; its audit history stays (no foreign key there). */
export async function deleteKey(db: Db | Tx, actor: Actor, keyId: string, opts: { version?: number } = {}) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, opts.version);
    assertCan(actor, "rotateKey", key.environment);
    assertAllowed(key, "delete");
    await recordChange(tx, actor, { keyId: key.id, action: "key.deleted", before: snapshot(key), feed: "deleted" });
    await tx.apiKey.delete({ where: { id: key.id } });
    return { keyId: key.id, name: key.name };
  });
}
