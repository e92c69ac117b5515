import "server-only";
import type { Tx } from "@/lib/db/client";
import type { ApiKey } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/core/actor";
import { recordAudit } from "@/lib/audit/record";
import { enqueueKeyEvent } from "@/lib/webhooks/outbox";

/** What an audit row may hold of a key: never a secret or a hash. */
export const snapshot = (k: ApiKey) => ({
  name: k.name,
  description: k.description,
  environment: k.environment,
  channel: k.channel,
  status: k.status,
  permissions: k.permissions,
  ipAllowList: k.ipAllowList,
  expiresAt: k.expiresAt.toISOString(),
});

/** Keyport itself (the expiry sweep): the audit names "system", and no person or request. */
export interface SystemActor {
  system: true;
  merchantId: string;
}
export const systemActor = (merchantId: string): SystemActor => ({ system: true, merchantId });

/**
 * The fields every change to a key's row writes: its version moves (what an action or API caller
 * last saw is then stale), and who and when. One place, so no change forgets the version.
 */
export const touchKey = (actor: Actor, now: Date) => ({ version: { increment: 1 }, updatedById: actor.userId, updatedAt: now });

/**
 * Tells every process's verification cache that a key changed (a row of the change feed, which
 * NOTIFYs at commit). `kind` says which change, for an operator reading the table.
 */
export async function invalidateVerification(tx: Tx, keyIds: readonly string[], kind: string) {
  if (keyIds.length) await tx.keyChange.createMany({ data: keyIds.map((apiKeyId) => ({ apiKeyId, kind })) });
}

/**
 * Everything a change writes besides itself, in its own transaction (docs/architecture.md, "The
 * change pipeline"): the audit row, the webhook event, and, when verification could answer
 * differently afterwards, the change-feed row that drops the key from every cache.
 */
export async function recordChange(
  tx: Tx,
  by: Actor | SystemActor,
  e: { keyId: string; action: string; before?: object | null; after?: object | null; invalidatesVerification: boolean; at?: Date },
) {
  const auditActor = "system" in by ? { userId: null, email: "system" } : by;
  await recordAudit(tx, auditActor, { merchantId: by.merchantId, apiKeyId: e.keyId, action: e.action, before: e.before, after: e.after });
  if (e.invalidatesVerification) await invalidateVerification(tx, [e.keyId], e.action);
  await enqueueKeyEvent(tx, { merchantId: by.merchantId, keyId: e.keyId, action: e.action, after: e.after, at: e.at });
}
