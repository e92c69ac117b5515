import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { checkStepUpCode, spendStepUpCode, type StepUpProof } from "@/lib/auth/step-up";
import { AppError } from "@/lib/core/errors";
import { can, type AppPermission } from "@/lib/core/permissions";
import type { Actor } from "@/lib/core/actor";
import type { Role } from "@/lib/keys/types";

/**
 * The first half of every step-up, shared by single and bulk actions: the role (a code is never
 * checked or counted for someone who may not act), then the code (a wrong one is counted and
 * committed). Returns the proof the change spends inside its own transaction, last.
 */
export async function checkOwnerStepUp(
  db: Db,
  actor: Actor,
  otp: string | undefined,
  mayAct: (role: Role) => boolean,
): Promise<StepUpProof> {
  if (!mayAct(actor.role)) throw new AppError("FORBIDDEN");
  if (!otp) throw new AppError("STEP_UP_REQUIRED");
  return checkStepUpCode(db, actor.userId, otp);
}

/**
 * Owner-only actions that break an integration: the role first (a code is never spent or counted
 * for someone who may not act), then the code is checked (a wrong one is counted and committed),
 * then the change runs in one transaction that spends the code last. A change refused for the
 * key's status, its version or a rotation in progress rolls back with the code still unused.
 */
export async function withOwnerStepUp<T>(
  db: Db,
  actor: Actor,
  otp: string | undefined,
  change: (tx: Tx) => Promise<T>,
  permission: AppPermission = "keys.rotate",
): Promise<T> {
  const proof = await checkOwnerStepUp(db, actor, otp, (role) => can(role, permission));
  return db.$transaction(
    async (tx) => {
      const result = await change(tx);
      // Last, after the key rows: the enrolment row is always the last lock such a transaction takes.
      await spendStepUpCode(tx, actor.userId, proof);
      return result;
    },
    { timeout: 15_000, maxWait: 15_000 },
  );
}
