import "server-only";
import type { Db } from "@/lib/db/client";
import { dummyHash, verifyPassword } from "./password";
import { releaseLoginAttempts, reserveLoginAttempt } from "./login-attempts";

export { LOCK_WINDOW_MS as LOGIN_WINDOW_MS } from "./lockout";

export type LoginFailure = "INVALID_CREDENTIALS" | "LOCKED";

export class LoginError extends Error {
  constructor(
    readonly code: LoginFailure,
    readonly lockedUntil?: Date,
  ) {
    super(code);
  }
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  sessionVersion: number;
}

/**
 * Checks e-mail and password. The attempt is counted for the address before any hash is computed
 * (at most five are ever evaluated per window, however many arrive at once), and an unknown
 * address is counted, hashed and locked exactly like an account: no answer tells them apart.
 */
export async function authenticate(db: Db, email: string, password: string, now = new Date()): Promise<AuthenticatedUser> {
  const address = normaliseEmail(email);
  const attempt = await reserveLoginAttempt(db, address, now);
  if (!attempt.admitted) throw new LoginError("LOCKED", attempt.lockedUntil ?? undefined);
  const user = await db.user.findUnique({ where: { email: address }, omit: { passwordHash: false } });
  const account = user && !user.disabledAt ? user : null;
  const ok = await verifyPassword(account?.passwordHash ?? (await dummyHash()), password);
  if (!account || !ok) {
    // The attempt that used the last try of the window has set the lock already.
    if (attempt.lockedUntil) throw new LoginError("LOCKED", attempt.lockedUntil);
    throw new LoginError("INVALID_CREDENTIALS");
  }
  await releaseLoginAttempts(db, address);
  return { id: account.id, email: account.email, name: account.name, sessionVersion: account.sessionVersion };
}
