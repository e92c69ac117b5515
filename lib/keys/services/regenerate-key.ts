import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import {
  assertAllowed, assertCan, generatedCredential, inTransaction, lockKey, recordChange, type Actor, type IssuedSecret,
} from "./shared";

/**
 * A new generated credential at once; every old one stops working in the same commit (rotation
 * with "Now"). Everything else about the key stays as it was.
 */
export async function regenerateKey(db: Db | Tx, actor: Actor, keyId: string, opts: { version?: number } = {}, now = new Date()): Promise<IssuedSecret> {
  return inTransaction(db, async (tx) => {
    const key = await lockKey(tx, actor, keyId, opts.version);
    assertCan(actor, "rotateKey", key.environment);
    assertAllowed(key, "regenerate");
    const old = await tx.credential.findMany({ where: { apiKeyId: key.id }, select: { id: true, accessKey: true } });
    await tx.credential.deleteMany({ where: { apiKeyId: key.id } });
    const credential = generatedCredential(key.environment, actor.userId);
    await tx.credential.create({ data: { ...credential.data, apiKeyId: key.id, createdAt: now, rotatedAt: now } });
    await tx.apiKey.update({
      where: { id: key.id },
      data: { lastRotatedAt: now, version: { increment: 1 }, updatedById: actor.userId, updatedAt: now },
    });
    await recordChange(tx, actor, {
      keyId: key.id,
      action: "key.regenerated",
      before: { accessKeys: old.map((c) => c.accessKey) },
      after: { accessKey: credential.data.accessKey },
    });
    return { keyId: key.id, name: key.name, accessKey: credential.data.accessKey, secret: credential.secret, environment: key.environment };
  });
}
