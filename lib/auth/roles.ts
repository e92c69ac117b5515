import type { Environment, Role } from "@/lib/keys/types";
import { can as canDo, type AppPermission } from "@/lib/core/permissions";

// The older action names, each an alias of one resource.verb permission in lib/core/permissions
// (the one table). New code asks lib/core/permissions directly.
const ALIASES = {
  view: "keys.read",
  copyAccessKey: "keys.copy",
  createKey: "keys.write",
  editKey: "keys.write",
  toggleKey: "keys.toggle",
  rotateKey: "keys.rotate",
  manageMembers: "members.write",
} as const satisfies Record<string, AppPermission>;
export type Action = keyof typeof ALIASES;

export function can(role: Role | null | undefined, action: Action, environment?: Environment): boolean {
  return canDo(role, ALIASES[action], environment);
}

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  DEVELOPER: "Developer",
  VIEWER: "Viewer",
};
