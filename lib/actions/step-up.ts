import "server-only";
import type { Db } from "@/lib/db/client";
import { verifyStepUp } from "@/lib/auth/step-up";
import { KeyError } from "@/lib/keys/errors";
import { can } from "@/lib/auth/roles";
import type { Actor } from "@/lib/keys/services/shared";

/**
 * Owner-only actions that break an integration: the role first (a code is never spent or counted
 * for someone who may not act), then a fresh authenticator code, then the change.
 */
export async function requireOwnerStepUp(db: Db, actor: Actor, otp: string | undefined) {
  if (!can(actor.role, "rotateKey")) throw new KeyError("FORBIDDEN");
  if (!otp) throw new KeyError("STEP_UP_REQUIRED");
  await verifyStepUp(db, actor.userId, otp);
}
