"use server";
import { changeRoleSchema, inviteSchema, removeMemberSchema, revokeInvitationSchema } from "@/lib/members/schema";
import { inviteMember, revokeInvitation } from "@/lib/members/invitations";
import { changeMemberRole, removeMember } from "@/lib/members/membership";
import { defineMerchantAction } from "./safe-action";

export const inviteMemberAction = defineMerchantAction({
  permission: "members.write",
  schema: inviteSchema,
  run: ({ actor, db, input }) => inviteMember(db, actor, input),
  result: (res) => ({ email: res.email, expiresAt: res.expiresAt }),
  revalidate: "members",
});

export const changeMemberRoleAction = defineMerchantAction({
  permission: "members.write",
  schema: changeRoleSchema,
  run: ({ actor, db, input }) => changeMemberRole(db, actor, input.membershipId, input.role),
  result: () => null,
  revalidate: "members",
});

export const removeMemberAction = defineMerchantAction({
  permission: "members.write",
  schema: removeMemberSchema,
  run: ({ actor, db, input }) => removeMember(db, actor, input.membershipId),
  revalidate: "members",
});

export const revokeInvitationAction = defineMerchantAction({
  permission: "members.write",
  schema: revokeInvitationSchema,
  run: ({ actor, db, input }) => revokeInvitation(db, actor, input.invitationId),
  revalidate: "members",
});
