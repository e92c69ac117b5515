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

/** The audit event, the cache-invalidation feed row and the webhook event, in the change's own transaction. */
export async function recordChange(
  tx: Tx,
  actor: Actor,
  e: { keyId: string; action: string; before?: object | null; after?: object | null; feed?: string | null },
) {
  await recordAudit(tx, actor, { merchantId: actor.merchantId, apiKeyId: e.keyId, action: e.action, before: e.before, after: e.after });
  if (e.feed !== null) await tx.keyChange.create({ data: { apiKeyId: e.keyId, kind: e.feed ?? e.action } });
  await enqueueKeyEvent(tx, { merchantId: actor.merchantId, keyId: e.keyId, action: e.action, after: e.after });
}
