import "server-only";
import type { NextAuthConfig } from "next-auth";
import { getDb } from "@/lib/db/client";
import { revokeSessionId } from "./revoke-session";

/** next-auth's events, kept apart from its Next.js wrapper so the sign-out path is tested as is. */
export const authEvents: NextAuthConfig["events"] = {
  // Every sign-out path ends here: the app's button and next-auth's own POST /api/auth/signout.
  // Clearing the cookie is not enough, a saved copy of it would still work: the id is revoked.
  async signOut(message) {
    const token = "token" in message ? message.token : null;
    await revokeSessionId(await getDb(), token?.sid, token?.uid);
  },
};
