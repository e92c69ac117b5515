import "server-only";
import { z } from "zod";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { recordAudit } from "@/lib/audit/record";
import { confirmedField, otpField } from "@/lib/keys/schema";
import { can } from "@/lib/core/permissions";
import { hasPasskey } from "./passkeys";
import { enqueueSecurityMail, merchantOwners } from "@/lib/mail/outbox";

export const passkeyPolicySchema = z.strictObject({
  requirePasskey: z.boolean(),
  confirmed: confirmedField("Tick “I confirm changing how step-up is confirmed”."),
  otp: otpField,
});

export const PASSKEY_REQUIRED_MESSAGE =
  "This merchant requires a passkey for step-up: authenticator codes are not accepted. Use a passkey, or one of your recovery codes.";
export const NO_PASSKEY_MESSAGE = "This merchant requires a passkey for step-up, and you have none. Add one on the Security page.";

export async function requiresPasskey(db: Db | Tx, merchantId: string) {
  return (await db.merchant.findUnique({ where: { id: merchantId }, select: { requirePasskey: true } }))?.requirePasskey ?? false;
}

/**
 * "Require a passkey for step-up", set by an owner (the change itself is confirmed with step-up).
 * Turning it on needs a passkey of one's own, so that no owner locks themselves out by it.
 */
export async function setPasskeyPolicy(tx: Tx, actor: Actor, requirePasskey: boolean) {
  if (!can(actor.role, "members.write")) throw new AppError("FORBIDDEN");
  if (requirePasskey && !(await hasPasskey(tx, actor.userId)))
    throw new AppError("VALIDATION", { message: "Add a passkey of your own on the Security page first." });
  const before = await requiresPasskey(tx, actor.merchantId);
  if (before === requirePasskey) return { requirePasskey };
  await tx.merchant.update({ where: { id: actor.merchantId }, data: { requirePasskey } });
  await recordAudit(tx, actor, {
    merchantId: actor.merchantId,
    action: "merchant.passkey_policy_updated",
    before: { requirePasskey: before },
    after: { requirePasskey },
  });
  const { name, owners } = await merchantOwners(tx, actor.merchantId);
  const at = new Date();
  await enqueueSecurityMail(
    tx,
    owners,
    { event: requirePasskey ? "passkey-policy-on" : "passkey-policy-off", subject: name, actor: actor.email, at: at.toISOString() },
    `passkey-policy:${actor.merchantId}:${at.getTime()}`,
  );
  return { requirePasskey };
}

/** Whether the user owns a merchant that requires passkeys (then their last passkey stays). */
export async function ownsPasskeyMerchant(db: Db | Tx, userId: string) {
  return (await db.membership.count({ where: { userId, role: "OWNER", merchant: { requirePasskey: true } } })) > 0;
}
