import "server-only";
import { getDb } from "@/lib/db/client";
import { findInvitation } from "@/lib/members/invitations";
import { listMembers } from "@/lib/members/membership";

/** The Members tab: members (with inherited roles) and pending invitations of a merchant the caller may see. */
export async function membersOf(merchantId: string) {
  return listMembers(await getDb(), merchantId);
}

/** A pending, unexpired invitation by its link token, or null (unknown, used and expired look alike). */
export async function invitationByToken(token: string) {
  return findInvitation(await getDb(), token);
}
