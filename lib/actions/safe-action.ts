import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { getMerchantAccess } from "@/lib/merchants/access";
import { KeyError, KEY_ERROR_MESSAGES, type KeyErrorCode } from "@/lib/keys/errors";
import { fieldErrorsOf } from "@/lib/keys/schema";
import type { Actor } from "@/lib/keys/services/shared";

export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; code: KeyErrorCode | "INTERNAL"; error: string; fieldErrors?: Record<string, string> };

const fail = (code: KeyErrorCode, fieldErrors?: Record<string, string>): ActionResult<never> => ({ ok: false, code, error: KEY_ERROR_MESSAGES[code], fieldErrors });

/** The client address the project's server read from the socket (it drops any incoming copy). */
export async function clientIp(): Promise<string | null> {
  return (await headers()).get("x-keyport-client-ip");
}

/** Typed errors to fixed messages; anything else is logged and answered without details. */
export function actionFailure(err: unknown): ActionResult<never> {
  unstable_rethrow(err); // redirects and notFound() are control flow, not failures
  if (err instanceof KeyError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors };
  if (err instanceof ZodError) return fail("VALIDATION", fieldErrorsOf(err));
  console.error("[action] failed:", err instanceof Error ? err.message : err);
  return { ok: false, code: "INTERNAL", error: "Something went wrong and nothing was changed. Please try again." };
}

/**
 * Every key action goes through here: it re-checks the session, resolves the user's role on the
 * merchant (a merchant they may not see answers like a missing key), runs the service and maps
 * typed errors to fixed messages. Actions are public POST endpoints: nothing is assumed from the page.
 */
export async function merchantAction<T>(merchantId: unknown, run: (ctx: { actor: Actor; db: Db }) => Promise<T>): Promise<ActionResult<T>> {
  try {
    const user = await getSessionUser();
    if (!user) return fail("UNAUTHENTICATED");
    const db = await getDb();
    const access = typeof merchantId === "string" ? await getMerchantAccess(db, user.id, merchantId) : null;
    if (!access) return fail("NOT_FOUND");
    const actor: Actor = { userId: user.id, email: user.email, role: access.role, merchantId: access.merchantId, clientIp: await clientIp() };
    return { ok: true, data: await run({ actor, db }) };
  } catch (err) {
    return actionFailure(err);
  }
}
