import { describe, expect, it } from "vitest";
import { isAllowed, LIFECYCLE_ACTIONS, statusAfter, type LifecycleAction } from "./rules";
import { KEY_STATUSES, type KeyStatus } from "./types";

// Every pair of status × action, written out from docs/design.md §3.
const TABLE: Record<KeyStatus, Record<LifecycleAction, boolean>> = {
  ENABLED: {
    enable: false,
    disable: true,
    revoke: false,
    delete: true,
    edit: true,
    setIpAllowList: true,
    duplicate: true,
    regenerate: true,
    rotate: true,
    rollback: true,
    extend: true,
    revokePrevious: true,
  },
  DISABLED: {
    enable: true,
    disable: false,
    revoke: true,
    delete: true,
    edit: true,
    setIpAllowList: true,
    duplicate: true,
    regenerate: true,
    rotate: true,
    rollback: true,
    extend: true,
    revokePrevious: true,
  },
  REVOKED: {
    enable: false,
    disable: false,
    revoke: false,
    delete: false,
    edit: false,
    setIpAllowList: false,
    duplicate: false,
    regenerate: false,
    rotate: false,
    rollback: false,
    extend: false,
    revokePrevious: false,
  },
};

describe("key transitions", () => {
  for (const status of KEY_STATUSES) {
    for (const action of LIFECYCLE_ACTIONS) {
      const want = TABLE[status][action];
      it(`${status} × ${action} is ${want ? "allowed" : "refused"}`, () => expect(isAllowed(status, action)).toBe(want));
    }
  }
  it("toggles and revokes to the right status", () => {
    expect(statusAfter("ENABLED", "disable")).toBe("DISABLED");
    expect(statusAfter("DISABLED", "enable")).toBe("ENABLED");
    expect(statusAfter("DISABLED", "revoke")).toBe("REVOKED");
    expect(statusAfter("ENABLED", "edit")).toBe("ENABLED");
  });
});
