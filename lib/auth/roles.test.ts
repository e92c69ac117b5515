import { describe, expect, it } from "vitest";
import { can, type Action } from "./roles";
import { ENVIRONMENTS, ROLES, type Role } from "@/lib/keys/types";

// docs/design.md §2, written out independently of the implementation's table.
const EXPECTED: Record<Action, Record<Role, "yes" | "no" | "sandbox">> = {
  view: { OWNER: "yes", ADMIN: "yes", DEVELOPER: "yes", VIEWER: "yes" },
  copyAccessKey: { OWNER: "yes", ADMIN: "yes", DEVELOPER: "yes", VIEWER: "no" },
  createKey: { OWNER: "yes", ADMIN: "yes", DEVELOPER: "sandbox", VIEWER: "no" },
  editKey: { OWNER: "yes", ADMIN: "yes", DEVELOPER: "sandbox", VIEWER: "no" },
  toggleKey: { OWNER: "yes", ADMIN: "yes", DEVELOPER: "no", VIEWER: "no" },
  rotateKey: { OWNER: "yes", ADMIN: "no", DEVELOPER: "no", VIEWER: "no" },
  manageMembers: { OWNER: "yes", ADMIN: "no", DEVELOPER: "no", VIEWER: "no" },
};

describe("role table", () => {
  for (const [action, byRole] of Object.entries(EXPECTED) as [Action, Record<Role, string>][]) {
    for (const role of ROLES) {
      for (const env of ENVIRONMENTS) {
        const want = byRole[role] === "yes" || (byRole[role] === "sandbox" && env === "sandbox");
        it(`${role} ${want ? "may" : "may not"} ${action} in ${env}`, () => expect(can(role, action, env)).toBe(want));
      }
    }
  }
  it("no role means no access", () => expect(can(null, "view")).toBe(false));
});
