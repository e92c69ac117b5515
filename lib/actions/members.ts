"use server";
import { revalidatePath } from "next/cache";
import { changeRoleSchema, inviteSchema, removeMemberSchema, revokeInvitationSchema } from "@/lib/members/schema";
import { changeMemberRole, inviteMember, removeMember, revokeInvitation } from "@/lib/members/service";
import { merchantAction, type ActionResult } from "./safe-action";

const refresh = (merchantId: string) => revalidatePath(`/merchants/${merchantId}/members`);

export async function inviteMemberAction(merchantId: string, input: unknown): Promise<ActionResult<{ email: string; expiresAt: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const res = await inviteMember(db, actor, inviteSchema.parse(input));
    refresh(merchantId);
    return { email: res.email, expiresAt: res.expiresAt };
  });
}

export async function changeMemberRoleAction(merchantId: string, input: unknown): Promise<ActionResult<null>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { membershipId, role } = changeRoleSchema.parse(input);
    await changeMemberRole(db, actor, membershipId, role);
    refresh(merchantId);
    return null;
  });
}

export async function removeMemberAction(merchantId: string, input: unknown): Promise<ActionResult<{ email: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const { membershipId } = removeMemberSchema.parse(input);
    const res = await removeMember(db, actor, membershipId);
    refresh(merchantId);
    return res;
  });
}

export async function revokeInvitationAction(merchantId: string, input: unknown): Promise<ActionResult<{ email: string }>> {
  return merchantAction(merchantId, async ({ actor, db }) => {
    const res = await revokeInvitation(db, actor, revokeInvitationSchema.parse(input).invitationId);
    refresh(merchantId);
    return res;
  });
}
