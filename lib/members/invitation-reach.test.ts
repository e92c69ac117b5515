// Issue 11, items 12 and 13: an invitation reaches no further than its sender still does, and a
// sub-account membership never takes away the role inherited from the master account.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { addMember, createActor, createMerchant, createUser } from "@/prisma/factories";
import type { Actor } from "@/lib/core/actor";
import type { Role } from "@/lib/keys/types";
import { getMerchantAccess, listMerchantsForUser } from "@/lib/merchants/access";
import { createSubAccount } from "@/lib/merchants/service";
import { invitationTokenOf, membershipOf as membershipIn } from "./testing";
import { acceptInvitation, findInvitation, inviteMember } from "./invitations";
import { changeMemberRole, effectiveOwnerCount, listMembers, removeMember } from "./membership";
import { effectiveRole, invitationOutranksInviter, isBelowInherited } from "./roles";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());
const code = codeOf;
const tokenOf = (email: string) => invitationTokenOf(db.prisma, email);
const membershipOf = (userId: string, merchantId: string) => membershipIn(db.prisma, userId, merchantId);
const actorOn = (user: { id: string; email: string }, merchantId: string, role: Role = "OWNER"): Actor => ({
  userId: user.id,
  email: user.email,
  role,
  merchantId,
});

describe("pure role rules", () => {
  it("the effective role is the higher of the two; a lower one on a sub-account is refused", () => {
    expect(effectiveRole("VIEWER", "OWNER")).toBe("OWNER");
    expect(effectiveRole("ADMIN", "DEVELOPER")).toBe("ADMIN");
    expect(effectiveRole(null, "DEVELOPER")).toBe("DEVELOPER");
    expect(effectiveRole("VIEWER", null)).toBe("VIEWER");
    expect(isBelowInherited("VIEWER", "OWNER")).toBe(true);
    expect(isBelowInherited("OWNER", "OWNER")).toBe(false);
    expect(isBelowInherited("VIEWER", null)).toBe(false);
    expect(invitationOutranksInviter("OWNER", "ADMIN")).toBe(true);
    expect(invitationOutranksInviter("ADMIN", "ADMIN")).toBe(false);
    expect(invitationOutranksInviter("VIEWER", null)).toBe(true);
  });
});

describe("a removed or demoted sender's invitations (item 12)", () => {
  it("demoted: the invitations above their new role are revoked; removed: all of them", async () => {
    const a = await createActor(db.prisma, "OWNER");
    const b = await createActor(db.prisma, "OWNER", a.merchantId);
    const [x, y, z] = await Promise.all([createUser(db.prisma), createUser(db.prisma), createUser(db.prisma)]);
    await inviteMember(db.prisma, a, { email: x.email, role: "OWNER" });
    await inviteMember(db.prisma, a, { email: y.email, role: "ADMIN" });
    await inviteMember(db.prisma, a, { email: z.email, role: "VIEWER" });
    const [tx_, ty, tz] = [await tokenOf(x.email), await tokenOf(y.email), await tokenOf(z.email)];
    const mine = await membershipOf(a.userId, a.merchantId);
    expect(await code(changeMemberRole(db.prisma, b, mine.id, "ADMIN"))).toBe("OK");
    expect(await findInvitation(db.prisma, tx_)).toBeNull();
    expect(await code(acceptInvitation(db.prisma, tx_, x))).toBe("INVITATION_INVALID");
    expect(await findInvitation(db.prisma, ty)).not.toBeNull();
    expect(await db.prisma.auditEvent.count({ where: { merchantId: a.merchantId, action: "member.invitation_revoked" } })).toBe(1);
    expect(await code(removeMember(db.prisma, b, mine.id))).toBe("OK");
    expect(await findInvitation(db.prisma, ty)).toBeNull();
    expect(await findInvitation(db.prisma, tz)).toBeNull();
    expect(await db.prisma.membership.count({ where: { userId: { in: [x.id, y.id, z.id] } } })).toBe(0);
  });

  it("a master owner's invitation to a sub-account goes with their master membership", async () => {
    const master = await createMerchant(db.prisma);
    const [a, b, x] = await Promise.all([createUser(db.prisma), createUser(db.prisma), createUser(db.prisma)]);
    await addMember(db.prisma, a.id, master.id, "OWNER");
    await addMember(db.prisma, b.id, master.id, "OWNER");
    const sub = await createSubAccount(db.prisma, actorOn(a, master.id), { name: "Acme Reach" });
    await inviteMember(db.prisma, actorOn(a, sub.id), { email: x.email, role: "OWNER" });
    const token = await tokenOf(x.email);
    expect(await code(removeMember(db.prisma, actorOn(b, master.id), (await membershipOf(a.id, master.id)).id))).toBe("OK");
    expect(await code(acceptInvitation(db.prisma, token, x))).toBe("INVITATION_INVALID");
    expect(await getMerchantAccess(db.prisma, x.id, sub.id)).toBeNull();
  });

  it("an invitation left pending from before is refused at acceptance once its sender lost the role", async () => {
    const a = await createActor(db.prisma, "OWNER");
    await createActor(db.prisma, "OWNER", a.merchantId);
    const x = await createUser(db.prisma);
    await inviteMember(db.prisma, a, { email: x.email, role: "OWNER" });
    const token = await tokenOf(x.email);
    await db.prisma.membership.delete({ where: { id: (await membershipOf(a.userId, a.merchantId)).id } }); // no revocation ran
    expect(await code(acceptInvitation(db.prisma, token, x))).toBe("INVITATION_INVALID");
    expect(await db.prisma.membership.count({ where: { userId: x.id } })).toBe(0);
  });
});

describe("sub-account memberships never demote (item 13)", () => {
  async function family() {
    const master = await createMerchant(db.prisma);
    const [owner, subOwner] = await Promise.all([createUser(db.prisma), createUser(db.prisma)]);
    await addMember(db.prisma, owner.id, master.id, "OWNER");
    const sub = await createSubAccount(db.prisma, actorOn(owner, master.id), { name: "Acme Nordics" });
    await addMember(db.prisma, subOwner.id, sub.id, "OWNER");
    return { master, owner, subOwner, sub, subActor: actorOn(subOwner, sub.id) };
  }

  it("inviting the master's owner to the sub-account as Viewer is refused; as Owner it is not", async () => {
    const f = await family();
    for (const role of ["VIEWER", "DEVELOPER", "ADMIN"] as const) {
      const err = await inviteMember(db.prisma, f.subActor, { email: f.owner.email, role }).catch((e) => e);
      expect(err.code, role).toBe("VALIDATION");
      expect(err.message).toMatch(/never fewer/);
    }
    expect(await db.prisma.invitation.count({ where: { merchantId: f.sub.id } })).toBe(0);
    expect(await code(inviteMember(db.prisma, f.subActor, { email: f.owner.email, role: "OWNER" }))).toBe("OK");
  });

  it("an existing lower membership (old data) does not demote, and cannot be set lower", async () => {
    const f = await family();
    const explicit = await addMember(db.prisma, f.owner.id, f.sub.id, "VIEWER");
    expect((await getMerchantAccess(db.prisma, f.owner.id, f.sub.id))?.role).toBe("OWNER");
    const listed = await listMerchantsForUser(db.prisma, f.owner.id);
    expect(listed.find((m) => m.id === f.master.id)?.subAccounts.find((s) => s.id === f.sub.id)?.role).toBe("OWNER");
    expect((await listMembers(db.prisma, f.sub.id)).members.find((m) => m.userId === f.owner.id)).toMatchObject({
      role: "OWNER",
      inheritedFrom: { id: f.master.id },
    });
    expect(await effectiveOwnerCount(db.prisma, f.sub.id)).toBe(2);
    await db.prisma.membership.update({ where: { id: explicit.id }, data: { role: "ADMIN" } });
    expect(await code(changeMemberRole(db.prisma, f.subActor, explicit.id, "VIEWER"))).toBe("VALIDATION");
    expect((await membershipOf(f.owner.id, f.sub.id)).role).toBe("ADMIN");
    // The master's owner still manages the sub-account: they can remove its owner.
    expect(await code(removeMember(db.prisma, actorOn(f.owner, f.sub.id), (await membershipOf(f.subOwner.id, f.sub.id)).id))).toBe("OK");
  });
});
