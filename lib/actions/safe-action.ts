import "server-only";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { ZodError } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { getDb, type Db } from "@/lib/db/client";
import { getMerchantAccess } from "@/lib/merchants/access";
import { AppError, ERROR_MESSAGES, type ErrorCode } from "@/lib/core/errors";
import { fieldErrorsOf } from "@/lib/keys/schema";
import type { Actor, RequestMeta } from "@/lib/core/actor";

export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode | "INTERNAL"; error: string; fieldErrors?: Record<string, string> };

const fail = (code: ErrorCode, fieldErrors?: Record<string, string>): ActionResult<never> => ({ ok: false, code, error: ERROR_MESSAGES[code], fieldErrors });

/** The client address the project's server read from the socket (it drops any incoming copy). */
export async function clientIp(): Promise<string | null> {
  return (await headers()).get("x-keyport-client-ip");
}

/** Where this server action's request came from, for the audit. */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return { door: "action", clientIp: h.get("x-keyport-client-ip"), userAgent: h.get("user-agent")?.slice(0, 300) ?? null };
}

/** Typed errors to fixed messages; anything else is logged and answered without details. */
export function actionFailure(err: unknown): ActionResult<never> {
  unstable_rethrow(err); // redirects and notFound() are control flow, not failures
  // One not-found code for the client whatever is missing (the tenancy contract); the message says what.
  if (err instanceof AppError && err.code === "MERCHANT_NOT_FOUND") return { ok: false, code: "NOT_FOUND", error: err.message };
  if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors };
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
    if (!access) throw new AppError("MERCHANT_NOT_FOUND");
    const actor: Actor = { userId: user.id, email: user.email, role: access.role, merchantId: access.merchantId, ...(await requestMeta()) };
    return { ok: true, data: await run({ actor, db }) };
  } catch (err) {
    return actionFailure(err);
  }
}
