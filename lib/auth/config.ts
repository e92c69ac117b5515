import type { NextAuthConfig } from "next-auth";
import { logger } from "@/lib/core/log";

// Session limits: 30 minutes idle (the JWT is re-issued on each request through proxy.ts, so its
// expiry slides) and 12 hours absolute, checked in the jwt callback from the sign-in time.
export const IDLE_TIMEOUT_S = 30 * 60;
export const ABSOLUTE_TIMEOUT_S = 12 * 3600;

declare module "next-auth" {
  interface User {
    sessionVersion?: number;
  }
  interface Session {
    sid: string;
    sessionVersion: number;
    user: { id: string; email: string; name: string };
  }
}

/** Provider-free part of the config: safe for proxy.ts, which must not load the database. */
export const authConfig = {
  trustHost: true,
  session: { strategy: "jwt", maxAge: IDLE_TIMEOUT_S },
  pages: { signIn: "/login" },
  providers: [],
  callbacks: {
    jwt({ token, user }) {
      const now = Math.floor(Date.now() / 1000);
      if (user) {
        token.uid = user.id;
        token.sv = user.sessionVersion ?? 0;
        token.authAt = now;
        token.sid = crypto.randomUUID();
      }
      if (typeof token.authAt !== "number" || now - token.authAt > ABSOLUTE_TIMEOUT_S) return null;
      return token;
    },
    session({ session, token }) {
      session.user = { id: String(token.uid), email: String(token.email), name: String(token.name) } as typeof session.user;
      session.sid = String(token.sid);
      session.sessionVersion = Number(token.sv ?? 0);
      return session;
    },
  },
  logger: {
    // A failed sign-in is an expected outcome, not a server error.
    error(error) {
      if ((error as { type?: string }).type !== "CredentialsSignin") logger().error({ area: "auth", err: error.message }, "sign-in error");
    },
  },
} satisfies NextAuthConfig;
