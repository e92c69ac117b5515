import "server-only";
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/db/client";
import { GENESIS_HASH, chainHash, toJsonValue, type ChainedRow } from "@/lib/audit/chain";

/** Who an audit row names: a user, or the system (no id) for the sweep. */
export interface AuditActor {
  userId: string | null;
  email: string;
  clientIp?: string | null;
}

export interface AuditEntry {
  merchantId: string;
  apiKeyId?: string | null;
  action: string;
  before?: object | null;
  after?: object | null;
  /** When it happened, if not now: the demo seed's history only. */
  at?: Date;
}

/**
 * One audit row, in the caller's transaction: it exists exactly when the change commits. It is
 * the next link of its merchant's hash chain (lib/audit/chain.ts), written under the merchant's
 * row lock so that concurrent writers queue instead of forking the chain; the unique
 * (merchant_id, seq) index refuses a fork should a lock ever be missed.
 *
 * Lock order: callers have locked their keys (or the family's master row) already, and no caller
 * locks a key after this. FOR NO KEY UPDATE does not conflict with the FOR KEY SHARE locks that
 * inserting a key or any other row referencing the merchant takes, so it waits only for other
 * audit writers of the merchant and for a membership change holding the master's row (which
 * waits for no key). The lock is held to commit: this runs late, so that is short.
 */
export async function recordAudit(tx: Tx, actor: AuditActor, e: AuditEntry): Promise<{ id: string; seq: number; hash: string }> {
  await tx.$queryRaw`SELECT id FROM merchants WHERE id = ${e.merchantId}::uuid FOR NO KEY UPDATE`;
  // A statement of its own, after the lock: in READ COMMITTED it sees the row the previous holder committed.
  const [last] = await tx.$queryRaw<{ seq: number; hash: string }[]>`
    SELECT seq, hash FROM audit_events WHERE merchant_id = ${e.merchantId}::uuid ORDER BY seq DESC LIMIT 1`;
  const row: ChainedRow = {
    seq: (last?.seq ?? 0) + 1,
    id: randomUUID(),
    merchantId: e.merchantId,
    apiKeyId: e.apiKeyId ?? null,
    actorId: actor.userId,
    actorEmail: actor.email,
    action: e.action,
    clientIp: actor.clientIp ?? null,
    before: toJsonValue(e.before),
    after: toJsonValue(e.after),
    // Milliseconds: what the column keeps, so the hash covers exactly what is stored.
    createdAt: new Date(e.at?.getTime() ?? Date.now()),
  };
  const hash = chainHash(last?.hash ?? GENESIS_HASH, row);
  const json = (v: ChainedRow["before"]) => (v === null ? null : JSON.stringify(v));
  await tx.$executeRaw`
    INSERT INTO audit_events (id, merchant_id, api_key_id, actor_id, actor_email, action, client_ip, before, after, created_at, seq, hash)
    VALUES (${row.id}::uuid, ${row.merchantId}::uuid, ${row.apiKeyId}::uuid, ${row.actorId}::uuid, ${row.actorEmail}, ${row.action},
            ${row.clientIp}, ${json(row.before)}::jsonb, ${json(row.after)}::jsonb, ${row.createdAt.toISOString()}::timestamptz, ${row.seq}, ${hash})`;
  return { id: row.id, seq: row.seq, hash };
}

/**
 * For a transaction that audits several merchants (the expiry sweep's batch): takes their chain
 * locks up front in one fixed order, a master before its sub-accounts as a membership change
 * does, so two such transactions, or one and a membership change, never wait on each other in a
 * circle. Call it before the first recordAudit.
 */
export async function lockAuditChains(tx: Tx, merchantIds: readonly string[]) {
  const ids = [...new Set(merchantIds)];
  if (ids.length < 2) return;
  await tx.$queryRaw`
    SELECT id FROM merchants WHERE id = ANY(${ids}::uuid[])
    ORDER BY COALESCE(parent_id, id), parent_id NULLS FIRST, id
    FOR NO KEY UPDATE`;
}
