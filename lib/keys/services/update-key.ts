import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { assertAllowed, assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import { lockKey } from "@/lib/keys/services/key-access";
import { recordChange, touchKey } from "@/lib/keys/services/record-change";
import type { Actor } from "@/lib/core/actor";

// Only name and description, and the IP allow-list in its own form. Nothing else of a key is
// editable: permissions, environment and channel are fixed at creation, so no input here names them.

export async function editKey(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  /** A field left out stays as it is (read under the lock, so a partial change never undoes another). */
  input: { name?: string; description?: string; version?: number },
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, input.version);
    assertCan(actor, "keys.write", key.environment);
    assertAllowed(key, "edit");
    const name = input.name ?? key.name;
    const description = input.description ?? key.description;
    if (key.name === name && key.description === description) return { version: key.version, changed: false };
    const updated = await tx.apiKey.update({
      where: { id: key.id },
      data: { name, description, ...touchKey(actor, now) },
    });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.updated",
      before: { name: key.name, description: key.description },
      after: { name: updated.name, description: updated.description },
      invalidatesVerification: false, // verification does not read names
    });
    return { version: updated.version, changed: true };
  });
}

export async function setIpAllowList(
  db: Db | Tx,
  actor: Actor,
  keyId: string,
  input: { ipAllowList: string[]; version?: number },
  now = new Date(),
) {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, input.version);
    assertCan(actor, "keys.write", key.environment);
    assertAllowed(key, "setIpAllowList");
    const updated = await tx.apiKey.update({
      where: { id: key.id },
      data: { ipAllowList: input.ipAllowList, ...touchKey(actor, now) },
    });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.ip_allow_list_updated",
      before: { ipAllowList: key.ipAllowList },
      after: { ipAllowList: updated.ipAllowList },
      invalidatesVerification: true,
    });
    return { version: updated.version };
  });
}
