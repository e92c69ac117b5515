import type { Environment, Role } from "@/lib/keys/types";

// DESIGN.md §2's table, as data. Every server action and route asks `can` itself.
export type Action =
  | "view"
  | "copyAccessKey"
  | "createKey"
  | "editKey"
  | "toggleKey"
  | "rotateKey"
  | "manageMembers";

const TABLE: Record<Action, readonly Role[]> = {
  view: ["OWNER", "ADMIN", "DEVELOPER", "VIEWER"],
  copyAccessKey: ["OWNER", "ADMIN", "DEVELOPER"],
  createKey: ["OWNER", "ADMIN", "DEVELOPER"],
  editKey: ["OWNER", "ADMIN", "DEVELOPER"],
  toggleKey: ["OWNER", "ADMIN"],
  // rotate, roll back, regenerate, revoke, delete, extend: owner-only, behind OTP step-up.
  rotateKey: ["OWNER"],
  manageMembers: ["OWNER"],
};

/** Developers may create and edit sandbox keys only. */
const SANDBOX_ONLY: Partial<Record<Action, readonly Role[]>> = {
  createKey: ["DEVELOPER"],
  editKey: ["DEVELOPER"],
};

export function can(role: Role | null | undefined, action: Action, environment?: Environment): boolean {
  if (!role || !TABLE[action].includes(role)) return false;
  if (SANDBOX_ONLY[action]?.includes(role)) return environment === "sandbox";
  return true;
}

export const ROLE_LABELS: Record<Role, string> = {
  OWNER: "Owner",
  ADMIN: "Admin",
  DEVELOPER: "Developer",
  VIEWER: "Viewer",
};
