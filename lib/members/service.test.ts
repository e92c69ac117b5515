import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { addMember, createActor, createMerchant, createUser } from "@/prisma/factories";
import type { Actor } from "@/lib/core/actor";
import { inviteSchema } from "./schema";
import {
  acceptInvitation,
  createAccountFromInvitation,
  findInvitation,
  INVITATION_TTL_MS,
  inviteMember,
  revokeInvitation,
} from "./invitations";
import { changeMemberRole, effectiveOwnerCount, listMembers, removeMember } from "./membership";
import { createSubAccount } from "@/lib/merchants/service";
import { getMerchantAccess } from "@/lib/merchants/access";
import { invitationTokenOf, membershipOf as membershipIn } from "./testing";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());
const code = codeOf;
const tokenOf = (email: string) => invitationTokenOf(db.prisma, email);
const membershipOf = (userId: string, merchantId: string) => membershipIn(db.prisma, userId, merchantId);

describe("invitations", () => {
  it("mails a one-time link through the outbox that expires in 72 hours; only its hash is stored", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const now = new Date();
    const res = await inviteMember(db.prisma, owner, { email: "new.dev@example.test", role: "DEVELOPER" }, now);
    expect(new Date(res.expiresAt).getTime() - now.getTime()).toBe(INVITATION_TTL_MS);
    const token = await tokenOf("new.dev@example.test");
    const inv = await db.prisma.invitation.findFirstOrThrow({ where: { merchantId: owner.merchantId } });
    expect(inv.tokenHash).not.toContain(token);
    expect(JSON.stringify(inv)).not.toContain(token);
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId, action: "member.invited" } })).toBe(1);
    expect(await findInvitation(db.prisma, token, new Date(now.getTime() + INVITATION_TTL_MS - 1000))).not.toBeNull();
    expect(await findInvitation(db.prisma, token, new Date(now.getTime() + INVITATION_TTL_MS + 1))).toBeNull();
  });

  it("is single-use: the second acceptance, even by the same user, is refused", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const user = await createUser(db.prisma);
    await inviteMember(db.prisma, owner, { email: user.email, role: "VIEWER" });
    const token = await tokenOf(user.email);
    expect(await code(acceptInvitation(db.prisma, token, user))).toBe("OK");
    expect((await membershipOf(user.id, owner.merchantId)).role).toBe("VIEWER");
    expect(await code(acceptInvitation(db.prisma, token, user))).toBe("INVITATION_INVALID");
    // Two tabs at once: exactly one joins.
    const racer = await createUser(db.prisma);
    await inviteMember(db.prisma, owner, { email: racer.email, role: "ADMIN" });
    const raced = await tokenOf(racer.email);
    const results = await Promise.all([code(acceptInvitation(db.prisma, raced, racer)), code(acceptInvitation(db.prisma, raced, racer))]);
    expect(results.sort()).toEqual(["INVITATION_INVALID", "OK"]);
  });

  it("expires: an accepted link after 72 hours joins nobody", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const user = await createUser(db.prisma);
    const sent = new Date(Date.now() - INVITATION_TTL_MS - 1000);
    await inviteMember(db.prisma, owner, { email: user.email, role: "ADMIN" }, sent);
    expect(await code(acceptInvitation(db.prisma, await tokenOf(user.email), user))).toBe("INVITATION_INVALID");
    expect(await db.prisma.membership.count({ where: { userId: user.id } })).toBe(0);
  });

  it("belongs to the invited address; someone else signed in cannot use it", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const invited = await createUser(db.prisma);
    const other = await createUser(db.prisma);
    await inviteMember(db.prisma, owner, { email: invited.email, role: "ADMIN" });
    const token = await tokenOf(invited.email);
    expect(await code(acceptInvitation(db.prisma, token, other))).toBe("INVITATION_EMAIL_MISMATCH");
    expect(await db.prisma.membership.count({ where: { userId: other.id } })).toBe(0);
    expect(await code(acceptInvitation(db.prisma, token, invited))).toBe("OK");
  });

  it("creates an account for a new address, once; a weak password changes nothing", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const email = `fresh-${Date.now()}@example.test`;
    await inviteMember(db.prisma, owner, { email, role: "DEVELOPER" });
    const token = await tokenOf(email);
    expect(await code(createAccountFromInvitation(db.prisma, token, { name: "Fresh", password: "password1234" }))).toBe("VALIDATION");
    expect(await db.prisma.user.count({ where: { email } })).toBe(0);
    expect(await code(createAccountFromInvitation(db.prisma, token, { name: "Fresh", password: "a long and unusual passphrase" }))).toBe(
      "OK",
    );
    const user = await db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect((await membershipOf(user.id, owner.merchantId)).role).toBe("DEVELOPER");
    expect(await code(createAccountFromInvitation(db.prisma, token, { name: "Again", password: "a long and unusual passphrase" }))).toBe(
      "INVITATION_INVALID",
    );
  });

  it("a new invitation to the same address replaces the pending one; revoking kills the link", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const user = await createUser(db.prisma);
    await inviteMember(db.prisma, owner, { email: user.email, role: "VIEWER" });
    const first = await tokenOf(user.email);
    await new Promise((r) => setTimeout(r, 5));
    const second = await inviteMember(db.prisma, owner, { email: user.email, role: "ADMIN" });
    expect(await findInvitation(db.prisma, first)).toBeNull();
    expect(await code(revokeInvitation(db.prisma, owner, second.id))).toBe("OK");
    expect(await code(acceptInvitation(db.prisma, await tokenOf(user.email), user))).toBe("INVITATION_INVALID");
  });

  it("refuses inviting an existing member, and look-alike or malformed addresses", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const self = await db.prisma.user.findUniqueOrThrow({ where: { id: owner.userId } });
    expect(await code(inviteMember(db.prisma, owner, { email: self.email, role: "VIEWER" }))).toBe("ALREADY_MEMBER");
    for (const email of [
      "оwner@acme.test",
      "owner@acme.test\u200b",
      "not-an-email",
      "a@b",
      "x".repeat(300) + "@example.test",
      "",
      42,
      null,
    ]) {
      expect(inviteSchema.safeParse({ email, role: "VIEWER" }).success, String(email)).toBe(false);
    }
    expect(inviteSchema.safeParse({ email: "  Dev@Example.TEST ", role: "VIEWER" }).data?.email).toBe("dev@example.test");
    expect(inviteSchema.safeParse({ email: "dev@example.test", role: "ROOT" }).success).toBe(false);
  });
});

describe("members", () => {
  it("only owners manage members", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    for (const role of ["ADMIN", "DEVELOPER", "VIEWER"] as const) {
      const actor = await createActor(db.prisma, role, owner.merchantId);
      const m = await membershipOf(owner.userId, owner.merchantId);
      expect(await code(inviteMember(db.prisma, actor, { email: "x@example.test", role: "OWNER" }))).toBe("FORBIDDEN");
      expect(await code(changeMemberRole(db.prisma, actor, m.id, "VIEWER"))).toBe("FORBIDDEN");
      expect(await code(removeMember(db.prisma, actor, m.id))).toBe("FORBIDDEN");
    }
    expect(await db.prisma.invitation.count({ where: { merchantId: owner.merchantId } })).toBe(0);
  });

  it("the last owner can be neither demoted nor removed; with two owners, one can go", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const mine = await membershipOf(owner.userId, owner.merchantId);
    expect(await code(changeMemberRole(db.prisma, owner, mine.id, "ADMIN"))).toBe("LAST_OWNER");
    expect(await code(removeMember(db.prisma, owner, mine.id))).toBe("LAST_OWNER");
    expect((await membershipOf(owner.userId, owner.merchantId)).role).toBe("OWNER");
    const second = await createActor(db.prisma, "OWNER", owner.merchantId);
    const theirs = await membershipOf(second.userId, owner.merchantId);
    // Both owners demote each other at once: exactly one wins, one owner remains.
    const results = await Promise.all([
      code(changeMemberRole(db.prisma, owner, theirs.id, "ADMIN")),
      code(changeMemberRole(db.prisma, second, mine.id, "ADMIN")),
    ]);
    expect(results.sort()).toEqual(["LAST_OWNER", "OK"]);
    expect(await effectiveOwnerCount(db.prisma, owner.merchantId)).toBe(1);
  });

  it("removing a member deletes the membership, ends their sessions and is audited", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const dev = await createActor(db.prisma, "DEVELOPER", owner.merchantId);
    const before = (await db.prisma.user.findUniqueOrThrow({ where: { id: dev.userId } })).sessionVersion;
    const m = await membershipOf(dev.userId, owner.merchantId);
    expect(await code(removeMember(db.prisma, owner, m.id))).toBe("OK");
    expect(await db.prisma.membership.count({ where: { id: m.id } })).toBe(0);
    expect((await db.prisma.user.findUniqueOrThrow({ where: { id: dev.userId } })).sessionVersion).toBe(before + 1);
    expect(await db.prisma.auditEvent.count({ where: { merchantId: owner.merchantId, action: "member.removed" } })).toBe(1);
  });

  it("another merchant's membership id answers like a missing one and changes nothing", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const stranger = await createActor(db.prisma, "VIEWER");
    const theirs = await membershipOf(stranger.userId, stranger.merchantId);
    expect(await code(changeMemberRole(db.prisma, owner, theirs.id, "OWNER"))).toBe("NOT_FOUND");
    expect(await code(removeMember(db.prisma, owner, theirs.id))).toBe("NOT_FOUND");
    expect(await code(removeMember(db.prisma, owner, "not-a-uuid"))).toBe("NOT_FOUND");
    expect((await membershipOf(stranger.userId, stranger.merchantId)).role).toBe("VIEWER");
  });

  it("a master-account membership applies to sub-accounts unless one there says otherwise", async () => {
    const master = await createMerchant(db.prisma);
    const ownerUser = await createUser(db.prisma);
    await addMember(db.prisma, ownerUser.id, master.id, "OWNER");
    const owner: Actor = { userId: ownerUser.id, email: ownerUser.email, role: "OWNER", merchantId: master.id };
    const sub = await createSubAccount(db.prisma, owner, { name: "Acme Nordics" });
    const dev = await createUser(db.prisma);
    await addMember(db.prisma, dev.id, master.id, "DEVELOPER");
    expect((await getMerchantAccess(db.prisma, dev.id, sub.id))?.role).toBe("DEVELOPER");
    expect((await getMerchantAccess(db.prisma, ownerUser.id, sub.id))?.role).toBe("OWNER");
    await addMember(db.prisma, dev.id, sub.id, "ADMIN");
    expect((await getMerchantAccess(db.prisma, dev.id, sub.id))?.role).toBe("ADMIN");
    const list = await listMembers(db.prisma, sub.id);
    expect(list.members.map((m) => [m.email, m.role, m.inheritedFrom?.id ?? null])).toEqual([
      [ownerUser.email, "OWNER", master.id],
      [dev.email, "ADMIN", null],
    ]);
    // The sub-account's only owner is inherited: the master's last owner still cannot go.
    expect(await code(removeMember(db.prisma, owner, (await membershipOf(ownerUser.id, master.id)).id))).toBe("LAST_OWNER");
    // A sub-account's sub-account is refused; a non-owner cannot create one.
    expect(await code(createSubAccount(db.prisma, { ...owner, merchantId: sub.id }, { name: "Deeper" }))).toBe("VALIDATION");
    expect(await code(createSubAccount(db.prisma, { ...owner, role: "ADMIN" }, { name: "Nope" }))).toBe("FORBIDDEN");
    expect(await db.prisma.apiKey.count({ where: { merchantId: sub.id } })).toBe(0);
  });
});
