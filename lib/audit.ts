import "server-only";
import type { Tx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

/** Who an audit row names: a user, or the system (no id) for the sweep. */
export interface AuditActor {
  userId: string | null;
  email: string;
  clientIp?: string | null;
}

/** One audit row, in the caller's transaction: it exists exactly when the change commits. */
export function recordAudit(
  tx: Tx,
  actor: AuditActor,
  e: { merchantId: string; apiKeyId?: string | null; action: string; before?: object | null; after?: object | null },
) {
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
    },
  });
}
