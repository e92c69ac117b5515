import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { getMerchantAccess, listMerchantsForUser, type MerchantAccess } from "@/lib/merchants/access";
import { requireUser, type SessionUser } from "@/lib/auth/session";

export const listMyMerchants = cache(async () => {
  const user = await requireUser();
  return listMerchantsForUser(await getDb(), user.id);
});

/** The merchant as the signed-in user may see it, or a 404 (never a hint that it exists). */
export const requireMerchant = cache(async (merchantId: string): Promise<{ user: SessionUser; access: MerchantAccess }> => {
  const user = await requireUser();
  const access = await getMerchantAccess(await getDb(), user.id, merchantId);
  if (!access) notFound();
  return { user, access };
});
