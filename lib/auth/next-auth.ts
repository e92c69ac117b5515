import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { authConfig } from "./config";
import { authenticate, LoginError } from "./login";
import { authSecret } from "./secret";
import { CODE_ALREADY_USED, hasTotp, verifyStepUp } from "./step-up";
import { readLoginChallenge } from "./login-challenge";
import { authEvents } from "./events";
import { checkAssertion, spendAssertion } from "./passkeys";
import { addressKey } from "./login-attempts";

class SignInRefused extends CredentialsSignin {
  constructor(readonly code: string) {
    super();
  }
}

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your e-mail").max(254).email("Enter a valid e-mail"),
  password: z.string().min(1, "Enter your password").max(200),
});

const otpOf = (raw: Record<string, unknown> | undefined) => (typeof raw?.otp === "string" ? raw.otp : "");

async function checkCode(userId: string, otp: string) {
  try {
    await verifyStepUp(await getDb(), userId, otp);
  } catch (err) {
    if (err instanceof AppError)
      throw new SignInRefused(
        err.code === "STEP_UP_LOCKED" ? "otp_locked" : err.message === CODE_ALREADY_USED ? "otp_used" : "otp_invalid",
      );
    throw err;
  }
}

// Lazy so that nothing (secret file, database) is touched at import or during `next build`.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  events: authEvents,
  providers: [
    Credentials({
      credentials: { email: {}, password: {}, otp: {}, challenge: {}, passkey: {} },
      async authorize(raw) {
        const db = await getDb();
        // "Sign in with a passkey": a discoverable credential answering a sign-in challenge.
        if (typeof raw?.passkey === "string") {
          let proof: Awaited<ReturnType<typeof checkAssertion>>;
          try {
            proof = await checkAssertion(db, JSON.parse(raw.passkey), "sign-in", null);
          } catch {
            throw new SignInRefused("passkey_refused");
          }
          const user = await db.user.findUnique({
            where: { id: proof.userId },
            select: { id: true, email: true, name: true, sessionVersion: true, disabledAt: true },
          });
          if (!user || user.disabledAt) throw new SignInRefused("passkey_refused");
          // The address's sign-in lock holds for passkeys too.
          const attempts = await db.loginAttempt.findUnique({
            where: { emailHash: addressKey(user.email) },
            select: { lockedUntil: true },
          });
          if (attempts?.lockedUntil && attempts.lockedUntil > new Date()) throw new SignInRefused("locked");
          try {
            await spendAssertion(db, proof);
          } catch {
            throw new SignInRefused("passkey_refused");
          }
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        }
        // Second step: a signed proof of the password plus an authenticator code.
        const challengedUser = readLoginChallenge(raw?.challenge);
        if (challengedUser) {
          const user = await db.user.findUnique({
            where: { id: challengedUser },
            select: { id: true, email: true, name: true, sessionVersion: true, disabledAt: true },
          });
          if (!user || user.disabledAt) throw new SignInRefused("invalid_credentials");
          if (await hasTotp(db, user.id)) await checkCode(user.id, otpOf(raw));
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        }
        const parsed = loginSchema.safeParse(raw);
        if (!parsed.success) throw new SignInRefused("invalid_credentials");
        try {
          const user = await authenticate(db, parsed.data.email, parsed.data.password);
          if (await hasTotp(db, user.id)) {
            if (!otpOf(raw)) throw new SignInRefused("otp_required");
            await checkCode(user.id, otpOf(raw));
          }
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        } catch (err) {
          if (err instanceof LoginError) throw new SignInRefused(err.code === "LOCKED" ? "locked" : "invalid_credentials");
          throw err;
        }
      },
    }),
  ],
}));
