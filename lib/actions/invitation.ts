"use server";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/lib/auth/next-auth";
import { issueLoginChallenge } from "@/lib/auth/login-challenge";
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

/**
 * Someone without an account: creates it from the invitation and is signed in at once (they just
 * chose the password; a new account has no authenticator app yet), landing on the merchant.
 */
export async function createAccountAction(token: unknown, input: unknown): Promise<ActionResult<never>> {
  const refused = notPlainData(token, input);
  if (refused) return refused;
  let joined: { email: string; userId: string; merchantId: string };
  try {
    const data = newAccountSchema.parse(input);
    joined = await createAccountFromInvitation(await getDb(), String(token ?? ""), data, { clientIp: await clientIp() });
  } catch (err) {
    return actionFailure(err);
  }
  try {
    await signIn("credentials", {
      challenge: issueLoginChallenge(joined.userId),
      otp: "",
      redirectTo: `/merchants/${joined.merchantId}/developers`,
    });
  } catch (err) {
    if (!(err instanceof AuthError)) throw err; // the success redirect
  }
  // Signing in failed after the account was made (it exists; nothing is half-written): the sign-in page.
  redirect(`/login?email=${encodeURIComponent(joined.email)}&joined=1`);
}
