import "server-only";
import { getDb } from "@/lib/db/client";
import { getMerchantAccess } from "@/lib/merchants/access";

/** One row of the Management tokens page: never the token or its hash. */
export interface TokenRowDto {
  id: string;
  name: string;
  hint: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  /** Active, or why it does not work. */
  state: "active" | "revoked" | "expired" | "creator-not-owner";
}

export async function listTokens(merchantId: string, now = new Date()): Promise<TokenRowDto[]> {
  const db = await getDb();
  const rows = await db.managementToken.findMany({
    where: { merchantId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    include: { createdBy: { select: { id: true, email: true, disabledAt: true } } },
  });
  const owners = new Map<string, boolean>();
  for (const r of rows) {
    if (!owners.has(r.createdById)) {
      const access = r.createdBy.disabledAt ? null : await getMerchantAccess(db, r.createdById, merchantId);
      owners.set(r.createdById, access?.role === "OWNER");
    }
  }
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    hint: r.tokenHint,
    scopes: r.scopes,
    createdBy: r.createdBy.email,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt?.toISOString() ?? null,
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    state: r.revokedAt
      ? "revoked"
      : r.expiresAt && r.expiresAt <= now
        ? "expired"
        : owners.get(r.createdById)
          ? "active"
          : "creator-not-owner",
  }));
}
