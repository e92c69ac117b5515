import "server-only";
import { getSessionUser } from "@/lib/auth/session";
import { getDb } from "@/lib/db/client";
import { getMerchantAccess, type MerchantAccess } from "@/lib/merchants/access";
import { can, type AppPermission } from "@/lib/core/permissions";
import { AppError, ERROR_MESSAGES, type ErrorCode } from "@/lib/core/errors";

/** A plain-text answer with a fixed message: what a download link shows when it cannot be served. */
export const textError = (code: ErrorCode, status = new AppError(code).status, message = ERROR_MESSAGES[code]) =>
  new Response(`${message}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

/**
 * The checks a page makes, for a route handler: a session re-checked against the database, then
 * the merchant through the user's memberships (another merchant's id answers 404, exactly like one
 * that does not exist), then the role's permission.
 */
export async function routeAccess(
  merchantId: string,
  permission: AppPermission,
): Promise<{ access: MerchantAccess } | { error: Response }> {
  const user = await getSessionUser();
  if (!user) return { error: textError("UNAUTHENTICATED") };
  const access = await getMerchantAccess(await getDb(), user.id, merchantId);
  if (!access) return { error: textError("MERCHANT_NOT_FOUND") };
  if (!can(access.role, permission)) return { error: textError("FORBIDDEN") };
  return { access };
}
