import "server-only";
import type { Db } from "@/lib/db/client";
import { decrypt } from "@/lib/crypto/encryption";
import { KeyError } from "@/lib/keys/errors";
import { matchTotp } from "./totp";
import { hashRecoveryCode, isRecoveryCodeShape } from "./recovery-codes";
import { countFailure } from "./lockout";

export { MAX_FAILURES as MAX_STEP_UP_FAILURES, LOCK_WINDOW_MS as STEP_UP_LOCK_MS } from "./lockout";

export interface StepUpCounter {
  failedCount: number;
  failedWindowAt: Date | null;
  lockedUntil: Date | null;
}

/** Pure: the counter after a wrong code (the shared lockout rule). */
export function afterWrongCode(c: StepUpCounter, now: Date): StepUpCounter {
  const next = countFailure({ count: c.failedCount, windowStartedAt: c.failedWindowAt, lockedUntil: c.lockedUntil }, now);
  return { failedCount: next.count, failedWindowAt: next.windowStartedAt, lockedUntil: next.lockedUntil };
}

export async function hasTotp(db: Db, userId: string) {
  const e = await db.totpEnrollment.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return !!e?.confirmedAt;
}

/**
 * Checks a fresh authenticator code (or a single-use recovery code) for a sensitive action.
 * Its own transaction, committed before the action runs: a wrong code is counted even though the
 * action never happens, per account across sessions. A code's time step is consumed by a
 * compare-and-set on last_used_step, so the same code never works twice, even concurrently.
 */
export async function verifyStepUp(db: Db, userId: string, code: unknown, now = new Date()): Promise<"totp" | "recovery"> {
  const token = typeof code === "string" ? code.replace(/\s/g, "") : "";
  const outcome = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT user_id FROM totp_enrollments WHERE user_id = ${userId}::uuid FOR UPDATE`;
    const e = await tx.totpEnrollment.findUnique({ where: { userId }, omit: { secretEnc: false } });
    if (!e?.confirmedAt) return { error: "STEP_UP_REQUIRED" as const };
    if (e.lockedUntil && e.lockedUntil > now) return { error: "STEP_UP_LOCKED" as const };
    let ok: "totp" | "recovery" | null = null;
    const step = await matchTotp(decrypt(e.secretEnc), token, now);
    if (step !== null) {
      // Compare-and-set: only a step newer than the last accepted one may pass.
      const won = await tx.$executeRaw`
        UPDATE totp_enrollments SET last_used_step = ${step}
        WHERE user_id = ${userId}::uuid AND (last_used_step IS NULL OR last_used_step < ${step})`;
      if (won === 1) ok = "totp";
    } else if (isRecoveryCodeShape(token)) {
      const used = await tx.recoveryCode.updateMany({ where: { userId, codeHash: hashRecoveryCode(token), usedAt: null }, data: { usedAt: now } });
      if (used.count === 1) ok = "recovery";
    }
    if (ok) {
      await tx.totpEnrollment.update({ where: { userId }, data: { failedCount: 0, failedWindowAt: null, lockedUntil: null } });
      return { ok };
    }
    const next = afterWrongCode(e, now);
    await tx.totpEnrollment.update({ where: { userId }, data: next });
    return { error: next.lockedUntil ? ("STEP_UP_LOCKED" as const) : ("STEP_UP_INVALID" as const) };
  });
  if ("error" in outcome) throw new KeyError(outcome.error!);
  return outcome.ok;
}
