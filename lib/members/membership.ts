import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
import { AppError } from "@/lib/core/errors";
import { assertCan } from "@/lib/keys/services/guards";
import { inTransaction } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { isUuid } from "@/lib/core/ids";
import type { Role } from "@/lib/keys/types";
import { effectiveRole } from "./roles";
import { assertNotBelowInherited, revokeOutrankedInvitations } from "./role-guards";

const memberNotFound = () => new AppError("NOT_FOUND", { message: "This member does not exist." });

/**
 * Serialises membership changes within one merchant family (a master and its sub-accounts) by
 * locking the master's row, so two owners demoting each other at once cannot both succeed.
 */
export async function lockFamily(tx: Tx, merchantId: string) {
  const [m] = await tx.$queryRaw<
    { root: string }[]
  >`SELECT COALESCE(parent_id, id)::text AS root FROM merchants WHERE id = ${merchantId}::uuid`;
  if (m) await tx.$queryRaw`SELECT id FROM merchants WHERE id = ${m.root}::uuid FOR UPDATE`;
}

/**
 * Users whose effective role on the merchant is OWNER: the higher of a membership there and the
 * master's (see effectiveRole), so an owner membership on either makes an owner.
 */
export async function effectiveOwnerCount(tx: Db | Tx, merchantId: string): Promise<number> {
  const [row] = await tx.$queryRaw<{ n: bigint }[]>`
    SELECT COUNT(DISTINCT x.user_id) AS n
    FROM merchants m
    JOIN memberships x ON x.merchant_id IN (m.id, m.parent_id) AND x.role = 'OWNER'
    JOIN users u ON u.id = x.user_id AND u.disabled_at IS NULL
    WHERE m.id = ${merchantId}::uuid`;
  return Number(row?.n ?? 0);
}

/** After a change inside the transaction: the merchant and each of its sub-accounts still has an owner. */
export async function assertOwnersRemain(tx: Tx, merchantId: string) {
  const children = await tx.merchant.findMany({ where: { parentId: merchantId }, select: { id: true } });
  for (const id of [merchantId, ...children.map((c) => c.id)]) {
    if ((await effectiveOwnerCount(tx, id)) < 1) throw new AppError("LAST_OWNER");
  }
}

/** A direct membership of the actor's merchant, locked; another merchant's id answers "does not exist". */
async function findMembership(tx: Tx, actor: Actor, membershipId: string) {
  if (!isUuid(membershipId)) throw memberNotFound();
  const m = await tx.membership.findFirst({
    where: { id: membershipId, merchantId: actor.merchantId },
    include: { user: { select: { email: true } } },
  });
  if (!m) throw memberNotFound();
  return m;
}

export async function changeMemberRole(db: Db | Tx, actor: Actor, membershipId: string, role: Role) {
  assertCan(actor, "members.write");
  return inTransaction(db, async (tx) => {
    await lockFamily(tx, actor.merchantId);
    const m = await findMembership(tx, actor, membershipId);
    if (m.role === role) return m;
    await assertNotBelowInherited(tx, actor.merchantId, { userId: m.userId }, role);
    const updated = await tx.membership.update({ where: { id: m.id }, data: { role } });
    await assertOwnersRemain(tx, actor.merchantId);
    await revokeOutrankedInvitations(tx, actor, m.userId, actor.merchantId);
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "member.role_changed",
      before: { email: m.user.email, role: m.role },
      after: { email: m.user.email, role },
    });
    return updated;
  });
}

/** Removes a membership and ends the member's sessions at once (their session version moves on). */
export async function removeMember(db: Db | Tx, actor: Actor, membershipId: string) {
  assertCan(actor, "members.write");
  return inTransaction(db, async (tx) => {
    await lockFamily(tx, actor.merchantId);
    const m = await findMembership(tx, actor, membershipId);
    await tx.membership.delete({ where: { id: m.id } });
    await assertOwnersRemain(tx, actor.merchantId);
    await revokeOutrankedInvitations(tx, actor, m.userId, actor.merchantId);
    await tx.user.update({ where: { id: m.userId }, data: { sessionVersion: { increment: 1 } } });
    await recordAudit(tx, actor, { merchantId: actor.merchantId, action: "member.removed", before: { email: m.user.email, role: m.role } });
    return { email: m.user.email };
  });
}

/** Disables a user everywhere: every session of theirs ends on its next request. */
export async function disableUser(db: Db, userId: string) {
  await db.user.update({ where: { id: userId }, data: { disabledAt: new Date(), sessionVersion: { increment: 1 } } });
}

/**
 * Invites an address: a one-time link (only its SHA-256 is stored) that expires in 72 hours,
 * mailed through the outbox in the same transaction. Inviting the same address again replaces
 * the pending invitation, so the newest link is the only one that works.
 */
export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  /** Set when the role comes from the master account (managed there). */
  inheritedFrom: { id: string; name: string } | null;
  disabled: boolean;
}

/** Members of a merchant: its own, then the master account's that no membership here overrides. */
export async function listMembers(
  db: Db,
  merchantId: string,
): Promise<{ members: MemberRow[]; invitations: { id: string; email: string; role: Role; expiresAt: string; expired: boolean }[] }> {
  const merchant = await db.merchant.findUniqueOrThrow({
    where: { id: merchantId },
    select: { parent: { select: { id: true, name: true } } },
  });
  const sel = {
    id: true,
    role: true,
    merchantId: true,
    user: { select: { id: true, name: true, email: true, disabledAt: true } },
  } as const;
  const [own, inherited, invitations] = await Promise.all([
    db.membership.findMany({ where: { merchantId }, select: sel }),
    merchant.parent ? db.membership.findMany({ where: { merchantId: merchant.parent.id }, select: sel }) : [],
    db.invitation.findMany({
      where: { merchantId, acceptedAt: null },
      orderBy: { createdAt: "desc" },
      select: { id: true, email: true, role: true, expiresAt: true },
    }),
  ]);
  const ownIds = new Set(own.map((m) => m.user.id));
  const inheritedBy = new Map(inherited.map((m) => [m.user.id, m.role as Role]));
  const row = (m: (typeof own)[number], from: MemberRow["inheritedFrom"], role = m.role as Role): MemberRow => ({
    membershipId: m.id,
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    role,
    inheritedFrom: from,
    disabled: !!m.user.disabledAt,
  });
  // A membership here shows the effective role: the master's when that one is higher.
  const ownRow = (m: (typeof own)[number]) => {
    const role = effectiveRole(m.role as Role, inheritedBy.get(m.user.id))!;
    return row(m, role !== m.role ? merchant.parent : null, role);
  };
  const order = { OWNER: 0, ADMIN: 1, DEVELOPER: 2, VIEWER: 3 } as const;
  const members = [...own.map(ownRow), ...inherited.filter((m) => !ownIds.has(m.user.id)).map((m) => row(m, merchant.parent))].sort(
    (a, b) => order[a.role] - order[b.role] || a.email.localeCompare(b.email),
  );
  const now = Date.now();
  return {
    members,
    invitations: invitations.map((i) => ({
      id: i.id,
      email: i.email,
      role: i.role as Role,
      expiresAt: i.expiresAt.toISOString(),
      expired: i.expiresAt.getTime() <= now,
    })),
  };
}
