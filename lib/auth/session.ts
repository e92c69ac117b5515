import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { auth } from "./next-auth";
import { isUuid } from "@/lib/core/ids";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  sid: string;
}

/**
 * The signed-in user, re-checked against the database on every request: a disabled user, a bumped
 * session version (removal, sign-out everywhere) or a signed-out session id ends the session at once.
 */
export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  // Ids the database would refuse (only a token signed with a leaked secret could carry them) end here.
  if (!isUuid(session?.user?.id) || !isUuid(session?.sid)) return null;
  const db = await getDb();
  const [user, revoked] = await Promise.all([
    db.user.findUnique({
      where: { id: session.user.id },
      select: { id: true, email: true, name: true, disabledAt: true, sessionVersion: true },
    }),
    db.revokedSession.findUnique({ where: { id: session.sid }, select: { id: true } }),
  ]);
  if (!user || user.disabledAt || user.sessionVersion !== session.sessionVersion || revoked) return null;
  return { id: user.id, email: user.email, name: user.name, sid: session.sid };
});

/** For pages: the user, or a redirect to the login page. */
export async function requireUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
