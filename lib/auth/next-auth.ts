import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { authConfig } from "./config";
import { authenticate, LoginError } from "./login";
import { authSecret } from "./secret";

class InvalidCredentials extends CredentialsSignin {
  code = "invalid_credentials";
}
class AccountLocked extends CredentialsSignin {
  code = "locked";
}

export const loginSchema = z.object({
  email: z.string().trim().min(1, "Enter your e-mail").max(254).email("Enter a valid e-mail"),
  password: z.string().min(1, "Enter your password").max(200),
});

// Lazy so that nothing (secret file, database) is touched at import or during `next build`.
export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig,
  secret: authSecret(),
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(raw) {
        const parsed = loginSchema.safeParse(raw);
        if (!parsed.success) throw new InvalidCredentials();
        try {
          const user = await authenticate(await getDb(), parsed.data.email, parsed.data.password);
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        } catch (err) {
          if (err instanceof LoginError) throw err.code === "LOCKED" ? new AccountLocked() : new InvalidCredentials();
          throw err;
        }
      },
    }),
  ],
}));
