import { ENVIRONMENTS, type Environment, type Role } from "@/lib/keys/types";

// docs/design.md §2's table, as data, named resource.verb: the words management tokens' scopes use too.
// Every server action and route asks `can` itself; pages get the answers as per-action flags.
export const PERMISSION_NAMES = [
  "keys.read", // see the merchant, the key grid, error rates and history
  "keys.copy", // copy a key's access key (its public part)
  "keys.write", // create, duplicate, edit name/description and the IP allow-list
  "keys.toggle", // disable / enable
  "keys.rotate", // rotate, regenerate, extend a grace window
  "keys.rollback",
  "keys.revoke",
  "keys.delete",
  "members.write", // invite, change roles, remove, revoke invitations
  "merchants.write", // create a sub-account
  "audit.read", // the merchant's whole audit log (every key's and member's events), its integrity check and CSV
  "tokens.write", // create and revoke management API tokens
  "webhooks.write", // add, edit, disable, enable, delete webhook endpoints, send a test event, resend
] as const;
export type AppPermission = (typeof PERMISSION_NAMES)[number];

const ALL: readonly Role[] = ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"];
const OWNER: readonly Role[] = ["OWNER"];

export const PERMISSIONS: Record<AppPermission, readonly Role[]> = {
  "keys.read": ALL,
  "keys.copy": ["OWNER", "ADMIN", "DEVELOPER"],
  "keys.write": ["OWNER", "ADMIN", "DEVELOPER"],
  "keys.toggle": ["OWNER", "ADMIN"],
  // Owner-only, behind OTP step-up.
  "keys.rotate": OWNER,
  "keys.rollback": OWNER,
  "keys.revoke": OWNER,
  "keys.delete": OWNER,
  "members.write": OWNER,
  "merchants.write": OWNER,
  // Each key's own history stays visible to everyone on its page (docs/design.md §2); the merchant-wide
  // log also names members, their roles and client addresses: owners and admins only.
  "audit.read": ["OWNER", "ADMIN"],
  "tokens.write": OWNER,
  // Everyone who may see the keys reads the endpoints (keys.read); owners and admins manage them.
  "webhooks.write": ["OWNER", "ADMIN"],
};

/** Developers may create and edit sandbox keys only. */
const SANDBOX_ONLY: Partial<Record<AppPermission, readonly Role[]>> = {
  "keys.write": ["DEVELOPER"],
};

export function can(role: Role | null | undefined, permission: AppPermission, environment?: Environment): boolean {
  if (!role || !PERMISSIONS[permission].includes(role)) return false;
  if (SANDBOX_ONLY[permission]?.includes(role)) return environment === "sandbox";
  return true;
}

/** Which permissions need a fresh authenticator code on every use (docs/design.md §4). */
export const STEP_UP_PERMISSIONS: readonly AppPermission[] = ["keys.rotate", "keys.rollback", "keys.revoke", "keys.delete"];

/** The role may do this in at least one environment: the door's check before the input is read. */
export const canInSomeEnvironment = (role: Role | null | undefined, permission: AppPermission) =>
  ENVIRONMENTS.some((e) => can(role, permission, e));
