import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Db, Tx } from "@/lib/db/client";
import { recordAudit } from "@/lib/audit/record";
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
import { assertInviterStillReaches, assertNotBelowInherited } from "./role-guards";
import { assertOwnersRemain, lockFamily } from "./membership";

export const INVITATION_TTL_MS = 72 * 3600_000;
const invitationNotFound = () => new AppError("NOT_FOUND", { message: "This invitation does not exist." });
export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

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
    if (existing) throw new AppError("ALREADY_MEMBER", { fieldErrors: { email: "Already a member." } });
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
    throw new AppError("VALIDATION", { fieldErrors: { password: "This password is too common. Choose another." } });
  const passwordHash = await hashPassword(input.password);
  try {
    return await inTransaction(db, async (tx) => {
      const user = await tx.user.create({ data: { email: inv.email, name: input.name, passwordHash } });
      const res = await join(tx, inv, user, now, opts.clientIp);
      return { ...res, email: user.email, userId: user.id };
    });
  } catch (err) {
    if (isUniqueViolation(err, "email")) throw new AppError("ACCOUNT_EXISTS");
    throw err;
  }
}
