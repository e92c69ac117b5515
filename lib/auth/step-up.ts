import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { decrypt } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/core/errors";
import { matchTotp } from "./totp";
import { hashRecoveryCode, isRecoveryCodeShape } from "./recovery-codes";
import { countFailure } from "./lockout";

export { LOCK_WINDOW_MS as STEP_UP_LOCK_MS } from "./lockout";

export interface StepUpCounter {
  failedCount: number;
  failedWindowAt: Date | null;
  lockedUntil: Date | null;
}

/** A code that was checked and may be spent: its TOTP time step, or the recovery code's hash. */
export type StepUpProof = { kind: "totp"; step: number } | { kind: "recovery"; codeHash: string };

/** A right code that was already spent (a replay, or the same code sent twice at once): refused, never counted as wrong. */
export const CODE_ALREADY_USED = "That code has just been used. Wait for the next code from your authenticator app.";

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
 * Checks a code without spending it. Its own transaction under the enrolment's row lock, committed
 * before any action: the lock is read and a wrong code counted one check at a time, so at most five
 * wrong codes are ever evaluated per window, per account across sessions. Only a code that matches
 * nothing counts: a right code already used is a replay and is refused without counting.
 */
export async function checkStepUpCode(db: Db, userId: string, code: unknown, now = new Date()): Promise<StepUpProof> {
  const token = typeof code === "string" ? code.replace(/\s/g, "") : "";
  const outcome = await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT user_id FROM totp_enrollments WHERE user_id = ${userId}::uuid FOR UPDATE`;
    const e = await tx.totpEnrollment.findUnique({ where: { userId }, omit: { secretEnc: false } });
    if (!e?.confirmedAt) return { error: "STEP_UP_REQUIRED" as const };
    if (e.lockedUntil && e.lockedUntil > now) return { error: "STEP_UP_LOCKED" as const };
    const step = await matchTotp(decrypt(e.secretEnc), token, now);
    if (step !== null) {
      if (e.lastUsedStep !== null && BigInt(step) <= e.lastUsedStep) return { error: "USED" as const };
      return { proof: { kind: "totp" as const, step } };
    }
    if (isRecoveryCodeShape(token)) {
      const codeHash = hashRecoveryCode(token);
      const found = await tx.recoveryCode.findFirst({ where: { userId, codeHash }, select: { usedAt: true } });
      if (found?.usedAt) return { error: "USED" as const };
      if (found) return { proof: { kind: "recovery" as const, codeHash } };
    }
    const next = afterWrongCode(e, now);
    await tx.totpEnrollment.update({ where: { userId }, data: next });
    return { error: next.lockedUntil ? ("STEP_UP_LOCKED" as const) : ("STEP_UP_INVALID" as const) };
  });
  if ("proof" in outcome) return outcome.proof!;
  if (outcome.error === "USED") throw new AppError("STEP_UP_INVALID", { message: CODE_ALREADY_USED });
  throw new AppError(outcome.error);
}

/**
 * Spends a checked code inside the caller's transaction, the one that makes the change: if the
 * change is refused or rolls back, the code stays unused. A compare-and-set on last_used_step (or
 * on the recovery code's used_at) lets exactly one of several concurrent uses through.
 */
export async function spendStepUpCode(tx: Tx, userId: string, proof: StepUpProof, now = new Date()) {
  const won =
    proof.kind === "totp"
      ? await tx.$executeRaw`
          UPDATE totp_enrollments SET last_used_step = ${proof.step}, failed_count = 0, failed_window_at = NULL, locked_until = NULL
          WHERE user_id = ${userId}::uuid AND confirmed_at IS NOT NULL AND (last_used_step IS NULL OR last_used_step < ${proof.step})`
      : (await tx.recoveryCode.updateMany({ where: { userId, codeHash: proof.codeHash, usedAt: null }, data: { usedAt: now } })).count;
  if (won !== 1) throw new AppError("STEP_UP_INVALID", { message: CODE_ALREADY_USED });
  if (proof.kind === "recovery") {
    await tx.totpEnrollment.update({ where: { userId }, data: { failedCount: 0, failedWindowAt: null, lockedUntil: null } });
  }
}

/** Checks and spends a code at once, for sign-in and for settings that change nothing else. */
export async function verifyStepUp(db: Db, userId: string, code: unknown, now = new Date()): Promise<StepUpProof["kind"]> {
  const proof = await checkStepUpCode(db, userId, code, now);
  await db.$transaction((tx) => spendStepUpCode(tx, userId, proof, now));
  return proof.kind;
}
