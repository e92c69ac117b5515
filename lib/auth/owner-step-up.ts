import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { spendStepUpCode, type StepUpProof } from "@/lib/auth/step-up";
import { openSudo, sudoUntil } from "@/lib/auth/sudo";
import { AppError } from "@/lib/core/errors";
import { can, type AppPermission } from "@/lib/core/permissions";
import type { Actor } from "@/lib/core/actor";
import type { Role } from "@/lib/keys/types";
import { checkCodeOrPasskey, hasPasskey, type PasskeyProof, spendAssertion, stepUpPurpose } from "./passkeys";
import { NO_PASSKEY_MESSAGE, PASSKEY_REQUIRED_MESSAGE, requiresPasskey } from "./passkey-policy";
import { recordAudit } from "@/lib/audit/record";

/** A checked code or passkey assertion, or the session's open sudo window standing in for one. */
export type OwnerProof = StepUpProof | PasskeyProof | { kind: "sudo" };

/** What a step-up confirms (a passkey's challenge is bound to it): the action, and its key, batch or environment. */
export interface StepUpBinding {
  action: string;
  subject: string;
}

/**
 * The first half of every step-up, shared by single and bulk actions: the role (a code is never
 * checked or counted for someone who may not act), then the code (a wrong one is counted and
 * committed). Without a code, an action that shows no secret (`sudo`) may go on in the session's
 * open sudo window. Returns the proof the change spends inside its own transaction, last.
 */
export async function checkOwnerStepUp(
  db: Db,
  actor: Actor,
  otp: string | undefined,
  mayAct: (role: Role) => boolean,
  { sudo = false, binding = { action: "step-up", subject: "merchant" } }: { sudo?: boolean; binding?: StepUpBinding } = {},
): Promise<OwnerProof> {
  if (!mayAct(actor.role)) throw new AppError("FORBIDDEN");
  if (!otp) {
    if (sudo && actor.sid && (await sudoUntil(db, { sid: actor.sid, merchantId: actor.merchantId, userId: actor.userId })))
      return { kind: "sudo" };
    throw new AppError("STEP_UP_REQUIRED");
  }
  // "Use a passkey" gets a challenge bound to this user, merchant, action and key.
  const proof = await checkCodeOrPasskey(
    db,
    actor.userId,
    otp,
    stepUpPurpose(actor.userId, actor.merchantId, binding.action, binding.subject),
  );
  // "Require a passkey for step-up": an authenticator code is refused (a recovery code still works).
  if (proof.kind === "totp" && (await requiresPasskey(db, actor.merchantId)))
    throw new AppError("STEP_UP_INVALID", {
      message: (await hasPasskey(db, actor.userId)) ? PASSKEY_REQUIRED_MESSAGE : NO_PASSKEY_MESSAGE,
    });
  return proof;
}

/**
 * The second half, inside the change's transaction and last: a code is spent and, when the user
 * asked ("Don't ask again for 5 minutes"), opens or moves on the session's sudo window; a sudo
 * proof is checked again under the transaction, so an "End now" that committed meanwhile stops it.
 */
export async function spendOwnerStepUp(tx: Tx, actor: Actor, proof: OwnerProof, { keepConfirmed = false } = {}) {
  const at = actor.sid ? { sid: actor.sid, merchantId: actor.merchantId, userId: actor.userId } : null;
  if (proof.kind === "sudo") {
    if (!at || !(await sudoUntil(tx, at))) throw new AppError("STEP_UP_REQUIRED");
    return;
  }
  if (proof.kind === "passkey") await spendAssertion(tx, proof);
  else await spendStepUpCode(tx, actor.userId, proof);
  // Where passkeys are required, a recovery code standing in for one is audited.
  if (proof.kind === "recovery" && (await requiresPasskey(tx, actor.merchantId)))
    await recordAudit(tx, actor, { merchantId: actor.merchantId, action: "step_up.recovery_code_used" });
  if (at && keepConfirmed) await openSudo(tx, at);
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
  opts: { sudo?: boolean; keepConfirmed?: boolean; binding?: StepUpBinding } = {},
): Promise<T> {
  const proof = await checkOwnerStepUp(db, actor, otp, (role) => can(role, permission), {
    sudo: opts.sudo,
    binding: opts.binding ?? { action: permission, subject: "merchant" },
  });
  return db.$transaction(
    async (tx) => {
      const result = await change(tx);
      // Last, after the key rows: the enrolment row is always the last lock such a transaction takes.
      await spendOwnerStepUp(tx, actor, proof, { keepConfirmed: opts.keepConfirmed });
      return result;
    },
    { timeout: 15_000, maxWait: 15_000 },
  );
}
