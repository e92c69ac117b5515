"use server";
import { redirect } from "next/navigation";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { newAccountSchema } from "@/lib/members/schema";
import { acceptInvitation, createAccountFromInvitation } from "@/lib/members/invitations";
import { actionFailure, clientIp, notPlainData, type ActionResult } from "./safe-action";

/** The signed-in user accepts an invitation sent to their address; the link then stops working. */
export async function acceptInvitationAction(token: unknown): Promise<ActionResult<never>> {
  const refused = notPlainData(token);
  if (refused) return refused;
  let merchantId: string;
  try {
    const user = await getSessionUser();
    if (!user) return { ok: false, code: "UNAUTHENTICATED", error: "Sign in to accept the invitation." };
    ({ merchantId } = await acceptInvitation(await getDb(), String(token ?? ""), user, { clientIp: await clientIp() }));
  } catch (err) {
    return actionFailure(err);
  }
  redirect(`/merchants/${merchantId}/developers`);
}

/** Someone without an account: creates it from the invitation, then signs in as usual. */
export async function createAccountAction(token: unknown, input: unknown): Promise<ActionResult<never>> {
  const refused = notPlainData(token, input);
  if (refused) return refused;
  let email: string;
  try {
    const data = newAccountSchema.parse(input);
    ({ email } = await createAccountFromInvitation(await getDb(), String(token ?? ""), data, { clientIp: await clientIp() }));
  } catch (err) {
    return actionFailure(err);
  }
  redirect(`/login?email=${encodeURIComponent(email)}&joined=1`);
}
