import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { isWeakPassword } from "@/lib/keys/password-strength";
import { AppError } from "@/lib/core/errors";
import { assertCan } from "@/lib/keys/services/guards";
import { inTransaction, isUniqueViolation } from "@/lib/core/transaction";
import type { Actor } from "@/lib/core/actor";
import { appUrl } from "@/lib/core/app-url";
import { isUuid } from "@/lib/core/ids";
import { enqueueMail } from "@/lib/mail/outbox";
import { logInvitationLink } from "./invitation-log";
import type { Role } from "@/lib/keys/types";
import { effectiveRole } from "./roles";
import { assertInviterStillReaches, assertNotBelowInherited, revokeOutrankedInvitations } from "./role-guards";

export const INVITATION_TTL_MS = 72 * 3600_000;
const memberNotFound = () => new AppError("NOT_FOUND", undefined, "This member does not exist.");
const invitationNotFound = () => new AppError("NOT_FOUND", undefined, "This invitation does not exist.");
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Serialises membership changes within one merchant family (a master and its sub-accounts) by
 * locking the master's row, so two owners demoting each other at once cannot both succeed.
 */
async function lockFamily(tx: Tx, merchantId: string) {
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
async function assertOwnersRemain(tx: Tx, merchantId: string) {
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
export async function inviteMember(db: Db, actor: Actor, input: { email: string; role: Role }, now = new Date()) {
  assertCan(actor, "members.write");
  const token = randomBytes(32).toString("base64url");
  const acceptUrl = `${appUrl()}/invite/${token}`;
  const invited = await inTransaction(db, async (tx) => {
    const merchant = await tx.merchant.findUniqueOrThrow({ where: { id: actor.merchantId }, select: { name: true } });
    const existing = await tx.membership.findFirst({
      where: { merchantId: actor.merchantId, user: { email: input.email } },
      select: { id: true },
    });
    if (existing) throw new AppError("ALREADY_MEMBER", { email: "Already a member." });
    await assertNotBelowInherited(tx, actor.merchantId, { email: input.email }, input.role);
    await tx.invitation.deleteMany({ where: { merchantId: actor.merchantId, email: input.email, acceptedAt: null } });
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
    const invitation = await tx.invitation.create({
      data: {
        merchantId: actor.merchantId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedById: actor.userId,
        expiresAt,
      },
    });
    await enqueueMail(tx, {
      to: input.email,
      template: "member-invited",
      eventKey: `invitation:${invitation.id}`,
      props: { merchantName: merchant.name, role: input.role, inviter: actor.email, acceptUrl, expiresAt: expiresAt.toISOString() },
    });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "member.invited",
      after: { email: input.email, role: input.role, expiresAt: expiresAt.toISOString() },
    });
    return { id: invitation.id, email: input.email, expiresAt: expiresAt.toISOString() };
  });
  await logInvitationLink(db, input.email, acceptUrl);
  return invited;
}

export async function revokeInvitation(db: Db, actor: Actor, invitationId: string) {
  assertCan(actor, "members.write");
  if (!isUuid(invitationId)) throw invitationNotFound();
  return inTransaction(db, async (tx) => {
    const inv = await tx.invitation.findFirst({ where: { id: invitationId, merchantId: actor.merchantId, acceptedAt: null } });
    if (!inv) throw invitationNotFound();
    await tx.invitation.delete({ where: { id: inv.id } });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "member.invitation_revoked",
      before: { email: inv.email, role: inv.role },
    });
    return { email: inv.email };
  });
}

/** A pending, unexpired invitation by its link token, or null (unknown, used and expired look alike). */
export async function findInvitation(db: Db, token: unknown, now = new Date()) {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { merchant: { select: { id: true, name: true } } },
  });
  if (!inv || inv.acceptedAt || inv.expiresAt <= now) return null;
  const account = await db.user.findUnique({ where: { email: inv.email }, select: { id: true } });
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role as Role,
    merchantId: inv.merchant.id,
    merchantName: inv.merchant.name,
    expiresAt: inv.expiresAt,
    hasAccount: !!account,
    invitedById: inv.invitedById,
  };
}

/**
 * Uses the link once: a compare-and-set on accepted_at, so two tabs (or a replayed link) cannot
 * both join. The signed-in user must own the invited address.
 */
export async function acceptInvitation(
  db: Db,
  token: string,
  user: { id: string; email: string },
  opts: { clientIp?: string | null; now?: Date } = {},
) {
  const now = opts.now ?? new Date();
  const inv = await findInvitation(db, token, now);
  if (!inv) throw new AppError("INVITATION_INVALID");
  if (inv.email !== user.email.toLowerCase()) throw new AppError("INVITATION_EMAIL_MISMATCH");
  return inTransaction(db, (tx) => join(tx, inv, user, now, opts.clientIp));
}

type FoundInvitation = NonNullable<Awaited<ReturnType<typeof findInvitation>>>;

/** Uses the invitation once (compare-and-set on accepted_at) and gives the user its role. */
async function join(tx: Tx, inv: FoundInvitation, user: { id: string; email: string }, now: Date, clientIp?: string | null) {
  await lockFamily(tx, inv.merchantId);
  await assertInviterStillReaches(tx, inv); // under the family lock
  const used = await tx.invitation.updateMany({
    where: { id: inv.id, acceptedAt: null, expiresAt: { gt: now } },
    data: { acceptedAt: now },
  });
  if (used.count !== 1) throw new AppError("INVITATION_INVALID");
  await tx.membership.upsert({
    where: { userId_merchantId: { userId: user.id, merchantId: inv.merchantId } },
    create: { userId: user.id, merchantId: inv.merchantId, role: inv.role },
    update: { role: inv.role },
  });
  await assertOwnersRemain(tx, inv.merchantId);
  await recordAudit(
    tx,
    { userId: user.id, email: user.email, clientIp },
    { merchantId: inv.merchantId, action: "member.joined", after: { email: inv.email, role: inv.role } },
  );
  return { merchantId: inv.merchantId };
}

/** First visit of someone without an account: creates it from the invitation and joins. */
export async function createAccountFromInvitation(
  db: Db,
  token: string,
  input: { name: string; password: string },
  opts: { clientIp?: string | null; now?: Date } = {},
) {
  const now = opts.now ?? new Date();
  const inv = await findInvitation(db, token, now);
  if (!inv) throw new AppError("INVITATION_INVALID");
  if (inv.hasAccount) throw new AppError("ACCOUNT_EXISTS");
  if (isWeakPassword(input.password, [input.name, inv.email]))
    throw new AppError("VALIDATION", { password: "This password is too common. Choose another." });
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(db, async (tx) => {
      const user = await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash } });
      const res = await join(tx, inv, user, now, opts.clientIp);
      return { ...res, email: user.email };
    });
  } catch (err) {
    if (isUniqueViolation(err, "email")) throw new AppError("ACCOUNT_EXISTS");
    throw err;
  }
}

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
