import { describe, expect, it } from "vitest";
import { can, PERMISSION_NAMES, STEP_UP_PERMISSIONS, type AppPermission } from "./permissions";
import { ENVIRONMENTS, ROLES, type Role } from "@/lib/keys/types";

// docs/design.md §2's table, written out again here on purpose (not derived from the implementation).
type Rule = "yes" | "no" | "sandbox";
const row = (owner: Rule, admin: Rule, developer: Rule, viewer: Rule): Record<Role, Rule> => ({
  OWNER: owner,
  ADMIN: admin,
  DEVELOPER: developer,
  VIEWER: viewer,
});
const DESIGN: Record<AppPermission, Record<Role, Rule>> = {
  "keys.read": row("yes", "yes", "yes", "yes"), // see merchant, key grid, error rate, history
  "keys.copy": row("yes", "yes", "yes", "no"), // copy a key's access key
  "keys.write": row("yes", "yes", "sandbox", "no"), // create, duplicate, edit, IP allow-list
  "keys.toggle": row("yes", "yes", "no", "no"), // disable / enable
  "keys.rotate": row("yes", "no", "no", "no"), // rotate, regenerate (and extend a grace window)
  "keys.rollback": row("yes", "no", "no", "no"),
  "keys.revoke": row("yes", "no", "no", "no"),
  "keys.delete": row("yes", "no", "no", "no"),
  "members.write": row("yes", "no", "no", "no"), // manage members
  "merchants.write": row("yes", "no", "no", "no"), // sub-accounts: owners only, like members
  "audit.read": row("yes", "yes", "no", "no"), // the merchant-wide audit log: owners and admins
  "tokens.write": row("yes", "no", "no", "no"), // management API tokens: owners only
  "webhooks.write": row("yes", "yes", "no", "no"), // webhook endpoints: owners and admins manage, others read
};

describe("permissions (resource.verb) follow docs/design.md §2", () => {
  it("names every permission once, as resource.verb", () => {
    expect([...PERMISSION_NAMES].sort()).toEqual(Object.keys(DESIGN).sort());
    for (const p of PERMISSION_NAMES) expect(p).toMatch(/^[a-z]+\.[a-z]+$/);
  });

  for (const permission of PERMISSION_NAMES) {
    it(permission, () => {
      for (const role of ROLES) {
        for (const env of ENVIRONMENTS) {
          const rule = DESIGN[permission][role];
          const want = rule === "yes" || (rule === "sandbox" && env === "sandbox");
          expect(can(role, permission, env), `${role} ${permission} in ${env}`).toBe(want);
        }
      }
    });
  }

  it("no role means nothing, and the step-up actions are the owner-only key actions", () => {
    for (const p of PERMISSION_NAMES) expect(can(null, p)).toBe(false);
    expect([...STEP_UP_PERMISSIONS].sort()).toEqual(["keys.delete", "keys.revoke", "keys.rollback", "keys.rotate"]);
  });
});
