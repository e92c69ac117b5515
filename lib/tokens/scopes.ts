import type { AppPermission } from "@/lib/core/permissions";

// A management token's scopes, in the API's words, mapped onto the portal's permission names:
// the services then ask the same `can` they ask for a signed-in owner.
export const TOKEN_SCOPES = ["keys:read", "keys:write", "keys:rotate", "keys:delete", "audit:read", "keys:verify"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

export const SCOPE_LABELS: Record<TokenScope, string> = {
  "keys:read": "Read keys",
  "keys:write": "Create, edit, IP allow-list, duplicate, disable and enable keys",
  "keys:rotate": "Rotate, roll back, extend and regenerate keys",
  "keys:delete": "Revoke and delete keys",
  "audit:read": "Read the audit log",
  "keys:verify": "Verify keys in your own services (the @keyport/verify SDK: verify, the change stream, usage)",
};

/**
 * Which permissions each scope grants. `audit:read` is its own: reading history is not reading keys.
 * `keys:verify` grants only what a verifying service needs (no portal role has it: it is no action on a key).
 */
export const SCOPE_PERMISSIONS: Record<TokenScope, readonly ScopedPermission[]> = {
  "keys:read": ["keys.read", "keys.copy"],
  "keys:write": ["keys.write", "keys.toggle"],
  "keys:rotate": ["keys.rotate", "keys.rollback"],
  "keys:delete": ["keys.revoke", "keys.delete"],
  "audit:read": ["audit.read"],
  "keys:verify": ["keys.verify"],
};
export type ScopedPermission = AppPermission | "audit.read" | "keys.verify";

/** The scope that grants a permission (one each). */
export const scopeFor = (permission: ScopedPermission): TokenScope =>
  TOKEN_SCOPES.find((s) => SCOPE_PERMISSIONS[s].includes(permission as never))!;

export const scopesAllow = (scopes: readonly string[], permission: ScopedPermission) => scopes.includes(scopeFor(permission));
