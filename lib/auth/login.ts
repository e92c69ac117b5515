import "server-only";
import type { Tx, Db } from "@/lib/db/client";
import { dummyHash, verifyPassword } from "./password";
import { countFailure } from "./lockout";

export { MAX_FAILURES as MAX_LOGIN_FAILURES, LOCK_WINDOW_MS as LOGIN_WINDOW_MS } from "./lockout";

export type LoginFailure = "INVALID_CREDENTIALS" | "LOCKED";

export class LoginError extends Error {
  constructor(
    readonly code: LoginFailure,
    readonly lockedUntil?: Date,
  ) {
    super(code);
  }
}

export interface LoginCounter {
  failedLoginCount: number;
  failedLoginWindowAt: Date | null;
  loginLockedUntil: Date | null;
}

/** Pure: is the account locked right now? */
export const isLocked = (c: LoginCounter, now: Date) => !!c.loginLockedUntil && c.loginLockedUntil > now;

/** Pure: the counter after one more failure (the shared lockout rule). */
export function afterFailure(c: LoginCounter, now: Date): LoginCounter {
  const next = countFailure({ count: c.failedLoginCount, windowStartedAt: c.failedLoginWindowAt, lockedUntil: c.loginLockedUntil }, now);
  return { failedLoginCount: next.count, failedLoginWindowAt: next.windowStartedAt, loginLockedUntil: next.lockedUntil };
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
}

/**
 * Checks e-mail and password. A wrong e-mail and a wrong password fail alike (same error, same
 * Argon2 work); five failures on one account within 15 minutes lock it for 15 minutes.
 */
export async function authenticate(db: Db, email: string, password: string, now = new Date()): Promise<AuthenticatedUser> {
  const user = await db.user.findUnique({
    where: { email: normaliseEmail(email) },
    omit: { passwordHash: false },
  });
  if (!user || user.disabledAt) {
    await verifyPassword(await dummyHash(), password);
    throw new LoginError("INVALID_CREDENTIALS");
  }
  if (isLocked(user, now)) throw new LoginError("LOCKED", user.loginLockedUntil!);
  if (!(await verifyPassword(user.passwordHash, password))) {
    const next = await recordFailure(db, user.id, now);
    if (isLocked(next, now)) throw new LoginError("LOCKED", next.loginLockedUntil!);
    throw new LoginError("INVALID_CREDENTIALS");
  }
  if (user.failedLoginCount > 0 || user.loginLockedUntil) {
    await db.user.update({
      where: { id: user.id },
      data: { failedLoginCount: 0, failedLoginWindowAt: null, loginLockedUntil: null },
    });
  }
  return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
}

// Row lock so that parallel wrong guesses are all counted.
async function recordFailure(db: Db, userId: string, now: Date): Promise<LoginCounter> {
  return db.$transaction(async (tx: Tx) => {
    await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    const current = await tx.user.findUniqueOrThrow({
      where: { id: userId },
      select: { failedLoginCount: true, failedLoginWindowAt: true, loginLockedUntil: true },
    });
    const next = afterFailure(current, now);
    await tx.user.update({ where: { id: userId }, data: next });
    return next;
  });
}
