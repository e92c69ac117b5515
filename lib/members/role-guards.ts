import "server-only";
import type { Tx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { AppError } from "@/lib/core/errors";
import type { Actor } from "@/lib/core/actor";
import type { Role } from "@/lib/keys/types";
import { getMerchantAccess } from "@/lib/merchants/access";
import { invitationOutranksInviter, isBelowInherited } from "./roles";

// The member services' guards on roles across a family and on invitations' reach (the rules are
// in ./roles). Each runs inside the caller's transaction, under its family lock.

/** The role a user has on the merchant's master account, if it has one. */
async function inheritedRole(tx: Tx, merchantId: string, where: { userId: string } | { email: string }): Promise<Role | null> {
  const merchant = await tx.merchant.findUnique({ where: { id: merchantId }, select: { parentId: true } });
  if (!merchant?.parentId) return null;
  const m = await tx.membership.findFirst({
    where: { merchantId: merchant.parentId, ...("userId" in where ? { userId: where.userId } : { user: { email: where.email } }) },
    select: { role: true },
  });
  return (m?.role as Role | undefined) ?? null;
}

/** A membership or invitation on a sub-account may not grant less than the master's role. */
export async function assertNotBelowInherited(tx: Tx, merchantId: string, who: { userId: string } | { email: string }, role: Role) {
  const inherited = await inheritedRole(tx, merchantId, who);
  if (inherited && isBelowInherited(role, inherited)) {
    throw new AppError("VALIDATION", {
      fieldErrors: { role: `Choose ${ROLE_LABELS[inherited]} or higher.` },
      message: `This person is ${ROLE_LABELS[inherited]} of the master account: a sub-account can give them more rights, never fewer.`,
    });
  }
}

/**
 * After a member is removed or demoted: the pending invitations they sent (on the merchant and, for
 * a master account, its sub-accounts) that grant more than they still have are revoked, so an
 * Owner invitation from a removed owner cannot bring anyone back in as Owner.
 */
export async function revokeOutrankedInvitations(tx: Tx, actor: Actor, userId: string, merchantId: string) {
  const children = await tx.merchant.findMany({ where: { parentId: merchantId }, select: { id: true } });
  const pending = await tx.invitation.findMany({
    where: { invitedById: userId, acceptedAt: null, merchantId: { in: [merchantId, ...children.map((c) => c.id)] } },
  });
  for (const inv of pending) {
    const kept = (await getMerchantAccess(tx, userId, inv.merchantId))?.role ?? null;
    if (!invitationOutranksInviter(inv.role as Role, kept)) continue;
    await tx.invitation.delete({ where: { id: inv.id } });
    await recordAudit(tx, actor, {
      merchantId: inv.merchantId,
      action: "member.invitation_revoked",
      before: { email: inv.email, role: inv.role },
      after: { reason: "inviter_lost_role" },
    });
  }
}

/**
 * At acceptance: a sender removed, demoted or disabled since (even before their pending invitations
 * were revoked on the way out, or from before that rule) no longer lends the invitation its role.
 */
export async function assertInviterStillReaches(tx: Tx, inv: { merchantId: string; role: Role; invitedById: string | null }) {
  if (!inv.invitedById) return;
  const inviter = await tx.user.findUnique({ where: { id: inv.invitedById }, select: { disabledAt: true } });
  const inviterRole =
    inviter && !inviter.disabledAt ? ((await getMerchantAccess(tx, inv.invitedById, inv.merchantId))?.role ?? null) : null;
  if (invitationOutranksInviter(inv.role, inviterRole)) throw new AppError("INVITATION_INVALID");
}
