import "server-only";
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

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
  /** When it happened, if not the transaction's start: the demo seed's history only. */
  at?: Date;
}

/**
 * One audit row, in the caller's transaction: it exists exactly when the change commits. The
 * database makes it the next link of its merchant's hash chain as that transaction commits (a
 * deferred trigger sets seq and hash under the merchant's row lock; see the migration
 * 20261201110000_audit_chain and lib/audit/chain.ts), so taking that lock never comes between
 * the locks a change takes. A transaction that audits several merchants locks them in the order
 * it wrote their rows: write them in lockOrder.
 */
export function recordAudit(tx: Tx, actor: AuditActor, e: AuditEntry) {
  return tx.auditEvent.create({
    data: {
      merchantId: e.merchantId,
      apiKeyId: e.apiKeyId ?? null,
      actorId: actor.userId,
      actorEmail: actor.email,
      action: e.action,
      clientIp: actor.clientIp ?? null,
      before: e.before ?? Prisma.DbNull,
      after: e.after ?? Prisma.DbNull,
      ...(e.at ? { createdAt: e.at } : {}),
    },
    select: { id: true },
  });
}

/**
 * The one order in which a transaction auditing several merchants (the expiry sweep's batch) must
 * write their rows, and so take their chain locks at commit: a master before its sub-accounts,
 * as a membership change holds the master's row first. Two such transactions, or one and a
 * membership change, then never wait on each other in a circle.
 */
export const lockOrder = (m: { merchantId: string; parentId: string | null }) => [
  m.parentId ?? m.merchantId,
  m.parentId ? 1 : 0,
  m.merchantId,
];

export const compareLockOrder = (a: Parameters<typeof lockOrder>[0], b: Parameters<typeof lockOrder>[0]) => {
  const [x, y] = [lockOrder(a), lockOrder(b)];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
};
