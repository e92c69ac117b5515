"use server";
import { signOut } from "@/lib/auth/next-auth";
import { getSessionUser } from "@/lib/auth/session";
import { revokeSessionId } from "@/lib/auth/revoke-session";
import { getDb } from "@/lib/db/client";

/**
 * Ends this session for good. next-auth's signOut event revokes the id on every path; it is revoked
 * here first as well because next-auth only logs an error in that event and clears the cookie
 * anyway: a failure here stops the sign-out instead, and the user can see it and try again.
 */
export async function signOutAction() {
  const user = await getSessionUser();
  if (user) await revokeSessionId(await getDb(), user.sid, user.id);
  await signOut({ redirectTo: "/login" });
}
