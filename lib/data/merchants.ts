import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { getMerchantAccess, listMerchantsForUser, type MerchantAccess } from "@/lib/merchants/access";
import { requireUser, type SessionUser } from "@/lib/auth/session";
import { can } from "@/lib/core/permissions";
import { ENVIRONMENTS, type Environment, type Role } from "@/lib/keys/types";

/** What a role may do on a merchant, as per-action flags for pages (every action re-checks on the server). */
export interface MerchantPermissionsDto {
  copy: boolean;
  /** The environments this role may create and edit keys in. */
  writeIn: Environment[];
  toggle: boolean;
  rotate: boolean;
  rollback: boolean;
  revoke: boolean;
  delete: boolean;
  manageMembers: boolean;
  createSubAccount: boolean;
}

export const merchantPermissions = (role: Role): MerchantPermissionsDto => ({
  copy: can(role, "keys.copy"),
  writeIn: ENVIRONMENTS.filter((e) => can(role, "keys.write", e)),
  toggle: can(role, "keys.toggle"),
  rotate: can(role, "keys.rotate"),
  rollback: can(role, "keys.rollback"),
  revoke: can(role, "keys.revoke"),
  delete: can(role, "keys.delete"),
  manageMembers: can(role, "members.write"),
  createSubAccount: can(role, "merchants.write"),
});

export const listMyMerchants = cache(async () => {
  const user = await requireUser();
  return listMerchantsForUser(await getDb(), user.id);
});

/** The merchant as the signed-in user may see it, or a 404 (never a hint that it exists). */
export const requireMerchant = cache(
  async (merchantId: string): Promise<{ user: SessionUser; access: MerchantAccess; may: MerchantPermissionsDto }> => {
    const user = await requireUser();
    const access = await getMerchantAccess(await getDb(), user.id, merchantId);
    if (!access) notFound();
    return { user, access, may: merchantPermissions(access.role) };
  },
);
