import "server-only";
import type { Db, Tx } from "@/lib/db/client";
import { isUuid } from "@/lib/core/ids";
import type { Role } from "@/lib/keys/types";
import { effectiveRole } from "@/lib/members/roles";

export interface MerchantAccess {
  merchantId: string;
  name: string;
  parentId: string | null;
  /** The master account of a sub-account: its name, and whether this user may open it. */
  parent: { name: string; member: boolean } | null;
  role: Role;
}

/**
 * The user's role on a merchant: the higher of a membership there and the one on its master account.
 * Null when the user may not see the merchant at all (callers answer 404, never 403).
 */
export async function getMerchantAccess(db: Db | Tx, userId: string, merchantId: string): Promise<MerchantAccess | null> {
  if (!isUuid(merchantId)) return null;
  const merchant = await db.merchant.findUnique({
    where: { id: merchantId },
    select: {
      id: true,
      name: true,
      parentId: true,
      memberships: { where: { userId }, select: { role: true } },
      parent: { select: { name: true, memberships: { where: { userId }, select: { role: true } } } },
    },
  });
  if (!merchant) return null;
  const role = effectiveRole(merchant.memberships[0]?.role, merchant.parent?.memberships[0]?.role);
  if (!role) return null;
  const parent = merchant.parent ? { name: merchant.parent.name, member: merchant.parent.memberships.length > 0 } : null;
  return { merchantId: merchant.id, name: merchant.name, parentId: merchant.parentId, parent, role };
}

export interface MerchantListItem {
  id: string;
  name: string;
  parentId: string | null;
  role: Role;
  keyCount: number;
  subAccounts: MerchantListItem[];
}

/** Every merchant the user may see, masters first with their sub-accounts nested under them. */
export async function listMerchantsForUser(db: Db, userId: string): Promise<MerchantListItem[]> {
  const memberships = await db.membership.findMany({ where: { userId }, select: { merchantId: true, role: true } });
  const direct = new Map(memberships.map((m) => [m.merchantId, m.role as Role]));
  const ids = [...direct.keys()];
  const merchants = await db.merchant.findMany({
    where: { OR: [{ id: { in: ids } }, { parentId: { in: ids } }] },
    select: { id: true, name: true, parentId: true, _count: { select: { apiKeys: true } } },
    orderBy: { name: "asc" },
  });
  const items = new Map<string, MerchantListItem>();
  for (const m of merchants) {
    const role = effectiveRole(direct.get(m.id), m.parentId ? direct.get(m.parentId) : undefined);
    if (!role) continue;
    items.set(m.id, { id: m.id, name: m.name, parentId: m.parentId, role, keyCount: m._count.apiKeys, subAccounts: [] });
  }
  const roots: MerchantListItem[] = [];
  for (const item of items.values()) {
    const parent = item.parentId ? items.get(item.parentId) : undefined;
    if (parent) parent.subAccounts.push(item);
    else roots.push(item);
  }
  return roots;
}
