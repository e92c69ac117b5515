import "server-only";
import type { Db, Tx } from "@/lib/db/client";

/**
 * The step-up "sudo" window, as GitHub's sudo mode: an authenticator code accepted for a step-up
 * lets the same session take that merchant's step-up actions that show no secret (revoke, delete,
 * roll back, extend, revoke the previous key, bulk revoke and delete) without another code, for
 * 5 minutes. Rotation and regenerate, which show a new secret, still ask every time. The window
 * lives in the database, so every instance sees it, and it can be ended at once.
 */
export const SUDO_MS = 5 * 60_000;

/** Opened (or moved on) by a code spent in the change's own transaction: a refused change opens nothing. */
export async function openSudo(tx: Tx, at: { sid: string; merchantId: string; userId: string }, now = new Date()) {
  const expiresAt = new Date(now.getTime() + SUDO_MS);
  await tx.sudoWindow.upsert({
    where: { sessionId_merchantId: { sessionId: at.sid, merchantId: at.merchantId } },
    create: { sessionId: at.sid, merchantId: at.merchantId, userId: at.userId, expiresAt },
    update: { userId: at.userId, expiresAt },
  });
}

/** When this session's window on this merchant ends, or null when none is open. */
export async function sudoUntil(db: Db | Tx, at: { sid: string; merchantId: string; userId: string }, now = new Date()) {
  const w = await db.sudoWindow.findUnique({
    where: { sessionId_merchantId: { sessionId: at.sid, merchantId: at.merchantId } },
    select: { userId: true, expiresAt: true },
  });
  return w && w.userId === at.userId && w.expiresAt > now ? w.expiresAt : null;
}

/** "End now": the next step-up asks for a code again. */
export async function endSudo(db: Db, at: { sid: string; merchantId: string; userId: string }) {
  await db.sudoWindow.deleteMany({ where: { sessionId: at.sid, merchantId: at.merchantId, userId: at.userId } });
}
