import "server-only";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { LOCK_WINDOW_MS, MAX_FAILURES } from "./lockout";

export interface LoginAttempt {
  /** False when the address is locked: the password must not even be checked. */
  admitted: boolean;
  /** Set once this attempt used the window's last try (or the address was already locked). */
  lockedUntil: Date | null;
}

// Per address, not per account, so that an unknown address is counted and locked like a real one.
export const addressKey = (normalisedEmail: string) => createHash("sha256").update(`login:${normalisedEmail}`).digest("hex");

/**
 * Counts one sign-in attempt for the address and says whether it may be evaluated. One statement
 * under the row's lock: parallel attempts are numbered one after another, and the one that takes
 * the fifth try of a window sets the lock, so a sixth is refused before its hash is computed,
 * however many arrive at once. The rule is lockout.ts's countFailure, written as SQL.
 */
export async function reserveLoginAttempt(db: Db, normalisedEmail: string, now: Date): Promise<LoginAttempt> {
  const key = addressKey(normalisedEmail);
  const windowStart = new Date(now.getTime() - LOCK_WINDOW_MS);
  const lockEnd = new Date(now.getTime() + LOCK_WINDOW_MS);
  const rows = await db.$queryRaw<{ attempts: number; locked_until: Date | null }[]>`
    INSERT INTO login_attempts AS a (email_hash, attempts, window_started_at, locked_until)
    VALUES (${key}, 1, ${now}::timestamptz, NULL)
    ON CONFLICT (email_hash) DO UPDATE SET
      attempts = CASE WHEN a.window_started_at > ${windowStart}::timestamptz THEN a.attempts + 1 ELSE 1 END,
      window_started_at = CASE WHEN a.window_started_at > ${windowStart}::timestamptz THEN a.window_started_at ELSE ${now}::timestamptz END,
      locked_until = CASE WHEN a.window_started_at > ${windowStart}::timestamptz AND a.attempts + 1 >= ${MAX_FAILURES} THEN ${lockEnd}::timestamptz ELSE NULL END
    WHERE a.locked_until IS NULL OR a.locked_until <= ${now}::timestamptz
    RETURNING attempts, locked_until`;
  if (Math.random() < 0.01) await purgeStaleLoginAttempts(db, now);
  if (rows.length === 0) return { admitted: false, lockedUntil: null };
  return { admitted: true, lockedUntil: rows[0].locked_until ? new Date(rows[0].locked_until) : null };
}

/** A right password clears the address's count (and the lock its own try may have set). */
export async function releaseLoginAttempts(db: Db, normalisedEmail: string) {
  await db.loginAttempt.deleteMany({ where: { emailHash: addressKey(normalisedEmail) } });
}

/** Rows whose window and lock are over say nothing any more; guessed addresses must not pile up. */
export async function purgeStaleLoginAttempts(db: Db, now: Date) {
  await db.loginAttempt.deleteMany({
    where: {
      windowStartedAt: { lte: new Date(now.getTime() - LOCK_WINDOW_MS) },
      OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }],
    },
  });
}
