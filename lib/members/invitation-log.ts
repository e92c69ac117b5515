import "server-only";
import type { Db } from "@/lib/db/client";
import { isProduction } from "@/lib/env";
import { logger } from "@/lib/core/log";

/**
 * Outside production, the link of an invitation to an address with no account is printed in the
 * server log: the local mailbox shows mail only to its signed-in recipient, who cannot sign in yet.
 * Called after the invitation committed, so a printed link always works.
 */
export async function logInvitationLink(db: Db, email: string, acceptUrl: string) {
  if (isProduction()) return;
  const account = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!account) logger().info(`[mail] Invitation for ${email} (no account yet): ${acceptUrl}`);
}
