import "server-only";
import type { Db } from "@/lib/db/client";
import type { Actor, RequestMeta } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { getMerchantAccess } from "@/lib/merchants/access";
import { hashToken, isTokenShape } from "./format";

export const TOKEN_INVALID = "The management token is missing, malformed, revoked or expired.";
export const TOKEN_INACTIVE = "This management token no longer works: the owner who created it is no longer an owner of this merchant.";

/** `Authorization: Bearer kpm_…`, and nothing else: cookies are never read. */
export function bearerOf(header: string | null): string | null {
  const m = header ? /^Bearer ([^\s]{1,200})$/i.exec(header.trim()) : null;
  return m ? m[1] : null;
}

/**
 * The token's merchant must be the path's (another merchant's id answers "not found", as a key of
 * another merchant does) and its creator must still be an owner of it, now, not when it was made.
 * The actor is the creator acting through the token: the services check the same rules as for them.
 * `pathMerchantId` null: the token's own merchant (a route without one in its path, as the SDK's).
 */
export async function authenticateToken(db: Db, token: string | null, pathMerchantId: string | null, meta: RequestMeta, now = new Date()) {
  if (!isTokenShape(token)) throw new AppError("UNAUTHENTICATED", { message: TOKEN_INVALID });
  const row = await db.managementToken.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { createdBy: { select: { id: true, email: true, disabledAt: true } } },
  });
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= now)) throw new AppError("UNAUTHENTICATED", { message: TOKEN_INVALID });
  const merchantId = pathMerchantId ?? row.merchantId;
  if (row.merchantId !== merchantId) throw new AppError("MERCHANT_NOT_FOUND");
  const access = row.createdBy.disabledAt ? null : await getMerchantAccess(db, row.createdById, merchantId);
  if (access?.role !== "OWNER") throw new AppError("UNAUTHENTICATED", { message: TOKEN_INACTIVE });
  const actor: Actor = {
    userId: row.createdById,
    // What audit rows and mails name: the token, and whose it is.
    email: `${row.createdBy.email} (token “${row.name}”)`.slice(0, 254),
    role: access.role,
    merchantId,
    ...meta,
    door: "api",
    token: { id: row.id, name: row.name },
  };
  return { tokenId: row.id, scopes: row.scopes, actor, lastUsedAt: row.lastUsedAt };
}

const touched = new Map<string, number>();
const TOUCH_EVERY_MS = 60_000;

/** "Last used", written at most once a minute per token (per process, and in the database too). */
export async function touchToken(db: Db, tokenId: string, lastUsedAt: Date | null, now = new Date()) {
  const t = now.getTime();
  if ((lastUsedAt && t - lastUsedAt.getTime() < TOUCH_EVERY_MS) || t - (touched.get(tokenId) ?? 0) < TOUCH_EVERY_MS) return;
  touched.set(tokenId, t);
  if (touched.size > 10_000) touched.clear();
  await db.managementToken.updateMany({
    where: { id: tokenId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(t - TOUCH_EVERY_MS) } }] },
    data: { lastUsedAt: now },
  });
}
