import "server-only";
import type { Db } from "@/lib/db/client";
import { isUuid } from "@/lib/core/ids";
import { ABSOLUTE_TIMEOUT_S } from "./config";

/**
 * Ends one session for good: its id is remembered until the token could have expired anyway, so a
 * copy of the cookie saved before sign-out is refused (clearing the cookie alone would not do that).
 */
export async function revokeSessionId(db: Db, sid: unknown, userId: unknown) {
  if (!isUuid(sid) || !isUuid(userId)) return;
  await db.revokedSession.upsert({
    where: { id: sid },
    create: { id: sid, userId, expiresAt: new Date(Date.now() + ABSOLUTE_TIMEOUT_S * 1000) },
    update: {},
  });
}
