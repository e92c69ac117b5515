import "server-only";
import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { unstable_rethrow } from "next/navigation";
import { ZodError, type z } from "zod";
import { getSessionUser } from "@/lib/auth/session";
import { getDb, type Db, type Tx } from "@/lib/db/client";
import { canInSomeEnvironment, type AppPermission } from "@/lib/core/permissions";
import { withOwnerStepUp } from "@/lib/auth/owner-step-up";
import { subjectOf } from "@/lib/auth/passkeys";
import { getMerchantAccess } from "@/lib/merchants/access";
import { AppError, ERROR_MESSAGES, type ErrorCode } from "@/lib/core/errors";
import { fieldErrorsOf } from "@/lib/keys/schema";
import type { Actor, RequestMeta } from "@/lib/core/actor";
import { isPlainData } from "@/lib/core/plain-data";
import { errorMessage, logger } from "@/lib/core/log";

export type ActionResult<T = null> =
  | { ok: true; data: T }
  | { ok: false; code: ErrorCode | "INTERNAL"; error: string; fieldErrors?: Record<string, string> };

const fail = (code: ErrorCode, fieldErrors?: Record<string, string>): ActionResult<never> => ({
  ok: false,
  code,
  error: ERROR_MESSAGES[code],
  fieldErrors,
});

/** The client address the project's server read from the socket (it drops any incoming copy). */
export async function clientIp(): Promise<string | null> {
  return (await headers()).get("x-keyport-client-ip");
}

/** Where this server action's request came from, for the audit. */
export async function requestMeta(): Promise<RequestMeta> {
  const h = await headers();
  return { door: "action", clientIp: h.get("x-keyport-client-ip"), userAgent: h.get("user-agent")?.slice(0, 300) ?? null };
}

/** A decoded Flight value that no form sends (a Promise, a temporary reference, a Map…): refused before anything reads it. */
export const notPlainData = (...args: unknown[]): ActionResult<never> | null => (isPlainData(args) ? null : fail("VALIDATION"));

/** Typed errors to fixed messages; anything else is logged and answered without details. */
export function actionFailure(err: unknown): ActionResult<never> {
  unstable_rethrow(err); // redirects and notFound() are control flow, not failures
  // One not-found code for the client whatever is missing (the tenancy contract); the message says what.
  if (err instanceof AppError && err.code === "MERCHANT_NOT_FOUND") return { ok: false, code: "NOT_FOUND", error: err.message };
  if (err instanceof AppError) return { ok: false, code: err.code, error: err.message, fieldErrors: err.fieldErrors };
  // A key id that is not one answers like a key that does not exist, as the services do.
  if (err instanceof ZodError && err.issues.every((i) => i.path[0] === "keyId")) return fail("NOT_FOUND");
  if (err instanceof ZodError) return fail("VALIDATION", fieldErrorsOf(err));
  logger().error({ area: "action", err: errorMessage(err) }, "server action failed");
  return { ok: false, code: "INTERNAL", error: "Something went wrong and nothing was changed. Please try again." };
}

/**
 * Every key action goes through here: it re-checks the session, resolves the user's role on the
 * merchant (a merchant they may not see answers like a missing key), runs the service and maps
 * typed errors to fixed messages. Actions are public POST endpoints: nothing is assumed from the page.
 */
export async function merchantAction<T>(
  merchantId: unknown,
  run: (ctx: { actor: Actor; db: Db }) => Promise<T>,
  permission?: AppPermission,
): Promise<ActionResult<T>> {
  try {
    const user = await getSessionUser();
    if (!user) return fail("UNAUTHENTICATED");
    const db = await getDb();
    const access = typeof merchantId === "string" ? await getMerchantAccess(db, user.id, merchantId) : null;
    if (!access) throw new AppError("MERCHANT_NOT_FOUND");
    // The role alone first (the service checks it again against the key's environment).
    if (permission && !canInSomeEnvironment(access.role, permission)) throw new AppError("FORBIDDEN");
    const actor: Actor = {
      userId: user.id,
      email: user.email,
      role: access.role,
      merchantId: access.merchantId,
      sid: user.sid,
      ...(await requestMeta()),
    };
    return { ok: true, data: await run({ actor, db }) };
  } catch (err) {
    return actionFailure(err);
  }
}

/** Pages a change shows on: refreshed after it commits. */
const REVALIDATE = {
  developers: (merchantId: string) => revalidatePath(`/merchants/${merchantId}/developers`, "layout"),
  members: (merchantId: string) => revalidatePath(`/merchants/${merchantId}/members`),
  tokens: (merchantId: string) => revalidatePath(`/merchants/${merchantId}/tokens`),
  merchants: () => revalidatePath("/merchants"),
} as const;

/** One server action, declared once: what it needs, what it reads, what it runs and what it refreshes. */
interface Declaration<S extends z.ZodType, T, R> {
  permission: AppPermission;
  schema: S;
  /** What the browser gets back; the service's own result by default. */
  result?: (out: T) => R;
  revalidate?: keyof typeof REVALIDATE;
}
type Ctx<S extends z.ZodType> = { actor: Actor; input: z.output<S> };

/**
 * The door every merchant-scoped server action goes through, in this order: session -> merchant ->
 * permission -> schema -> (step-up) -> service -> error mapping -> revalidation. The returned
 * function keeps the (merchantId, input) signature the components call.
 */
export function defineMerchantAction<S extends z.ZodType, T, R = T>(
  d: Declaration<S, T, R> & { run: (ctx: Ctx<S> & { db: Db }) => Promise<T> },
) {
  return pipeline(d, (actor, db, input) => d.run({ actor, db, input }));
}

/**
 * Actions that break an integration: the input's `otp` is checked before the change (a wrong one
 * is counted) and spent inside the change's own transaction, last; a refused change keeps it unused.
 * Each declares `sudo`: whether the session's sudo window may stand in for a code (only actions
 * that show no secret; rotation and regenerate ask every time).
 */
export function defineStepUpAction<S extends z.ZodType<{ otp?: string; keepConfirmed?: boolean }>, T, R = T>(
  d: Declaration<S, T, R> & { run: (ctx: Ctx<S> & { tx: Tx }) => Promise<T>; sudo: boolean },
) {
  return pipeline(d, (actor, db, input) =>
    withOwnerStepUp(db, actor, input.otp, (tx) => d.run({ actor, tx, input }), d.permission, {
      sudo: d.sudo,
      keepConfirmed: d.sudo && input.keepConfirmed === true,
      // A passkey's challenge is bound to this action and what it acts on.
      binding: { action: d.permission, subject: subjectOf(input) },
    }),
  );
}

/**
 * The action as components call it: `(merchantId, input)`, with the input typed by the action's own
 * schema, so a wrong or missing field in any call fails the type-check. At run time both
 * arguments are still untrusted (an action is a public POST endpoint) and parsed again.
 */
export type MerchantAction<S extends z.ZodType, R> = (merchantId: string, input: z.input<S>) => Promise<ActionResult<R>>;

function pipeline<S extends z.ZodType, T, R>(
  d: Declaration<S, T, R>,
  change: (actor: Actor, db: Db, input: z.output<S>) => Promise<T>,
): MerchantAction<S, R> {
  return async (merchantId: string, raw: z.input<S>): Promise<ActionResult<R>> => {
    const refused = notPlainData(merchantId, raw);
    if (refused) return refused;
    const res = await merchantAction(
      merchantId,
      async ({ actor, db }) => {
        const input = d.schema.parse(raw);
        const out = await change(actor, db, input);
        return d.result ? d.result(out) : (out as unknown as R);
      },
      d.permission,
    );
    if (res.ok && d.revalidate) REVALIDATE[d.revalidate](merchantId);
    return res;
  };
}

/** Actions on the signed-in user's own account (their authenticator app): session -> schema -> service -> errors. */
export function defineUserAction<S extends z.ZodType, T, R = T>(d: {
  schema: S;
  run: (ctx: { user: { id: string; email: string }; db: Db; input: z.output<S> }) => Promise<T>;
  result?: (out: T) => R;
}) {
  return async (input: unknown): Promise<ActionResult<R>> => {
    const refused = notPlainData(input);
    if (refused) return refused;
    try {
      const user = await getSessionUser();
      if (!user) return fail("UNAUTHENTICATED");
      const out = await d.run({ user, db: await getDb(), input: d.schema.parse(input) });
      return { ok: true, data: d.result ? d.result(out) : (out as unknown as R) };
    } catch (err) {
      return actionFailure(err);
    }
  };
}
