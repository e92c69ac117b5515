import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import type { Actor } from "@/lib/core/actor";
import { AppError } from "@/lib/core/errors";
import { can } from "@/lib/core/permissions";
import { isUuid } from "@/lib/core/ids";
import { inTransaction } from "@/lib/core/transaction";
import { recordAudit } from "@/lib/audit/record";
import { generateToken, hashToken, tokenHint } from "./format";
import { expiryDate, type TokenExpiry } from "./schema";
import type { TokenScope } from "./scopes";

export const TOKEN_NOT_FOUND = "This token does not exist.";

/** Creates a token for the actor's merchant; the plaintext is returned once and never stored. */
export async function createToken(
  db: Db | Tx,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; expiry: TokenExpiry },
  now = new Date(),
) {
  if (!can(actor.role, "tokens.write")) throw new AppError("FORBIDDEN");
  const token = generateToken();
  const scopes = [...new Set(input.scopes)];
  return inTransaction(db, async (tx) => {
    const row = await tx.managementToken.create({
      data: {
        merchantId: actor.merchantId,
        createdById: actor.userId,
        name: input.name,
        tokenHash: hashToken(token),
        tokenHint: tokenHint(token),
        scopes,
        expiresAt: expiryDate(input.expiry, now),
        createdAt: now,
      },
    });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "token.created",
      after: { tokenId: row.id, name: row.name, scopes, expiresAt: row.expiresAt?.toISOString() ?? null },
    });
    return { id: row.id, name: row.name, token, scopes, expiresAt: row.expiresAt?.toISOString() ?? null };
  });
}

/** Revokes a token of the actor's merchant; another merchant's token id answers like a missing one. */
export async function revokeToken(db: Db | Tx, actor: Actor, tokenId: string, now = new Date()) {
  if (!can(actor.role, "tokens.write")) throw new AppError("FORBIDDEN");
  if (!isUuid(tokenId)) throw new AppError("NOT_FOUND", { message: TOKEN_NOT_FOUND });
  return inTransaction(db, async (tx) => {
    const found = await tx.managementToken.findFirst({ where: { id: tokenId, merchantId: actor.merchantId } });
    if (!found) throw new AppError("NOT_FOUND", { message: TOKEN_NOT_FOUND });
    if (found.revokedAt) return { id: found.id, name: found.name };
    await tx.managementToken.update({ where: { id: found.id }, data: { revokedAt: now } });
    await recordAudit(tx, actor, {
      merchantId: actor.merchantId,
      action: "token.revoked",
      before: { tokenId: found.id, name: found.name },
    });
    return { id: found.id, name: found.name };
  });
}
