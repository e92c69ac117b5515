"use server";
import { signOut } from "@/lib/auth/next-auth";
import { getSessionUser } from "@/lib/auth/session";
import { ABSOLUTE_TIMEOUT_S } from "@/lib/auth/config";
import { getDb } from "@/lib/db/client";

/** Ends this session for good: the id is remembered until it could have expired anyway. */
export async function signOutAction() {
  const user = await getSessionUser();
  if (user) {
    const db = await getDb();
    await db.revokedSession.upsert({
      where: { id: user.sid },
      create: { id: user.sid, userId: user.id, expiresAt: new Date(Date.now() + ABSOLUTE_TIMEOUT_S * 1000) },
      update: {},
    });
  }
  await signOut({ redirectTo: "/login" });
}
