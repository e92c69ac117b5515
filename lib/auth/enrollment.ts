import "server-only";
import type { Db } from "@/lib/db/client";
import { decrypt, encrypt } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/core/errors";
import { matchTotp, newTotpSecret, totpUri } from "./totp";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes";
import { checkStepUpCode, spendStepUpCode } from "./step-up";
import { authenticate, LoginError } from "./login";
import { LOGIN_MESSAGES } from "./messages";

const WRONG_PASSWORD = "That password is not right. Enter the password you sign in with.";

/** Re-authentication before a new authenticator is bound (ASVS 6.4): a session alone is not enough. */
export async function confirmPassword(db: Db, user: { id: string; email: string }, password: string) {
  try {
    if ((await authenticate(db, user.email, password)).id === user.id) return;
  } catch (err) {
    if (!(err instanceof LoginError)) throw err;
    if (err.code === "LOCKED")
      throw new AppError("VALIDATION", { fieldErrors: { password: LOGIN_MESSAGES.locked }, message: LOGIN_MESSAGES.locked });
  }
  throw new AppError("VALIDATION", { fieldErrors: { password: WRONG_PASSWORD }, message: WRONG_PASSWORD });
}

/**
 * Starts (or restarts) an unconfirmed enrolment, after the user's password (counted like a sign-in).
 * A confirmed one must be reset with a code first.
 */
export async function startEnrollment(db: Db, user: { id: string; email: string }, password: string) {
  const userId = user.id;
  const existing = await db.totpEnrollment.findUnique({ where: { userId }, select: { confirmedAt: true } });
  if (existing?.confirmedAt)
    throw new AppError("VALIDATION", { message: "An authenticator app is already set up. Reset it with a current code first." });
  await confirmPassword(db, user, password);
  const secret = newTotpSecret();
  await db.totpEnrollment.upsert({
    where: { userId },
    create: { userId, secretEnc: encrypt(secret) },
    update: { secretEnc: encrypt(secret), confirmedAt: null, lastUsedStep: null, failedCount: 0, failedWindowAt: null, lockedUntil: null },
  });
  return { secret, uri: totpUri(secret, user.email) };
}

/** One valid code turns TOTP on and yields ten single-use recovery codes, shown once. */
export async function confirmEnrollment(db: Db, userId: string, code: string, now = new Date()): Promise<string[]> {
  return db.$transaction(async (tx) => {
    const e = await tx.totpEnrollment.findUnique({ where: { userId }, omit: { secretEnc: false } });
    if (!e || e.confirmedAt) throw new AppError("VALIDATION", { message: "Start the set-up again: no pending authenticator enrolment." });
    const step = await matchTotp(decrypt(e.secretEnc), code.replace(/\s/g, ""), now);
    if (step === null)
      throw new AppError("STEP_UP_INVALID", {
        fieldErrors: { code: "That code is not valid. Check the time on your device and try the current code." },
      });
    const codes = newRecoveryCodes();
    await tx.totpEnrollment.update({ where: { userId }, data: { confirmedAt: now, lastUsedStep: step } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashRecoveryCode(c) })) });
    return codes;
  });
}

/** Turns TOTP off after a current code (or a recovery code). */
export async function disableTotp(db: Db, userId: string, code: string) {
  const proof = await checkStepUpCode(db, userId, code);
  await db.$transaction(async (tx) => {
    await spendStepUpCode(tx, userId, proof);
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.totpEnrollment.delete({ where: { userId } });
  });
}
