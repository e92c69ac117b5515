import "server-only";
import type { Db } from "@/lib/db/client";
import { enqueueKeyMail } from "@/lib/mail/outbox";
import { compareLockOrder } from "@/lib/audit/record";
import { invalidateVerification, recordChange, systemActor } from "./services/record-change";
import { enqueueKeyEvent } from "@/lib/webhooks/outbox";
import { keyMailProps } from "./services/mail-props";

const DAY = 24 * 3600_000;
export const REMINDER_DAYS = [30, 7] as const;

/**
 * Retires previous credentials whose grace window has ended. Verification already refuses them by
 * the clock; this removes them, tells the caches, writes history and mails the watchers. Rows
 * locked by another instance (or a concurrent rollback) are skipped and picked up next time.
 */
export async function retireExpiredPrevious(db: Db, now = new Date(), batch = 100): Promise<number> {
  return db.$transaction(async (tx) => {
    const due = await tx.$queryRaw<
      { id: string; api_key_id: string; merchantId: string; parentId: string | null; rotated_at: Date | null; expires_at: Date }[]
    >`
      SELECT c.id, c.api_key_id, k.merchant_id AS "merchantId", m.parent_id AS "parentId", c.rotated_at, c.expires_at FROM credentials c
      JOIN api_keys k ON k.id = c.api_key_id
      JOIN merchants m ON m.id = k.merchant_id
      WHERE c.slot = 'PREVIOUS' AND c.expires_at <= ${now}
      ORDER BY c.expires_at LIMIT ${batch}
      FOR UPDATE OF k, c SKIP LOCKED`;
    // The batch spans merchants: their audit rows are written (and their chains locked at commit)
    // in the one order every such transaction uses.
    due.sort(compareLockOrder);
    for (const c of due) {
      const key = await tx.apiKey.findUniqueOrThrow({ where: { id: c.api_key_id } });
      await tx.credential.delete({ where: { id: c.id } });
      // A "Now" rotation (or a regenerate) already recorded and mailed that the old key stopped at
      // once: its row only lingered for the clock. The caches still hear of it; history gets no
      // second, later event for it.
      if (!c.rotated_at || c.expires_at.getTime() - c.rotated_at.getTime() <= 1000) {
        await invalidateVerification(tx, [key.id], "key.previous_expired");
        continue;
      }
      await recordChange(tx, systemActor(key.merchantId), {
        keyId: key.id,
        action: "key.previous_expired",
        after: { previousExpiresAt: c.expires_at.toISOString() },
        invalidatesVerification: true,
        at: now,
      });
      await enqueueKeyMail(
        tx,
        key.merchantId,
        "previous-expired",
        `${c.id}:expired`,
        await keyMailProps(tx, key, null, now, { previousExpiresAt: c.expires_at.toISOString() }),
      );
    }
    return due.length;
  });
}

/** Mails the 30- and 7-day reminders before a key's expiry, each once per key. */
export async function sendExpiryReminders(db: Db, now = new Date(), batch = 200): Promise<number> {
  let sent = 0;
  for (const days of REMINDER_DAYS) {
    sent += await db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM api_keys
        WHERE status <> 'REVOKED' AND expires_at > ${now} AND expires_at <= ${new Date(now.getTime() + days * DAY)}
          AND NOT (${days}::int = ANY(reminders_sent))
        ORDER BY expires_at LIMIT ${batch}
        FOR UPDATE SKIP LOCKED`;
      for (const { id } of due) {
        const key = await tx.apiKey.update({ where: { id }, data: { remindersSent: { push: days } } });
        const daysLeft = Math.max(1, Math.ceil((key.expiresAt.getTime() - now.getTime()) / DAY));
        await enqueueKeyEvent(tx, { merchantId: key.merchantId, keyId: key.id, action: "key.expiring", after: { daysLeft }, at: now });
        await enqueueKeyMail(
          tx,
          key.merchantId,
          "key-expiring",
          `${key.id}:expiring:${days}`,
          await keyMailProps(tx, key, null, now, { daysLeft, expiresAt: key.expiresAt.toISOString() }),
        );
      }
      return due.length;
    });
  }
  return sent;
}
