// What each typed error becomes at each door, written out by hand: the HTTP status and problem
// type the management API answers with, and the code and fixed message a server action returns.
import { describe, expect, it, vi } from "vitest";

vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => null }));
vi.mock("@/lib/auth/next-auth", () => ({ auth: async () => null }));
vi.mock("next-auth", () => ({ default: () => ({}) }));

import { problemOf } from "@/lib/api/problem";
import { actionFailure } from "@/lib/actions/safe-action";
import { AppError, ERROR_CODES, type ErrorCode } from "./errors";
import { isUuid } from "./ids";

const API: Record<ErrorCode, [number, string]> = {
  NOT_FOUND: [404, "not-found"],
  MERCHANT_NOT_FOUND: [404, "not-found"], // one answer for a missing merchant and a missing key
  FORBIDDEN: [403, "forbidden"],
  INVALID_TRANSITION: [409, "invalid-transition"],
  CONFLICT: [409, "conflict"],
  VALIDATION: [422, "validation"],
  USERNAME_TAKEN: [409, "username-taken"],
  STEP_UP_REQUIRED: [401, "step-up-required"],
  STEP_UP_INVALID: [401, "step-up-invalid"],
  STEP_UP_LOCKED: [429, "step-up-locked"],
  PASSKEY_CHALLENGE: [401, "passkey-challenge"],
  ROTATION_IN_PROGRESS: [409, "rotation-in-progress"],
  ROLLBACK_UNAVAILABLE: [409, "rollback-unavailable"],
  EXTEND_UNAVAILABLE: [409, "extend-unavailable"],
  KEY_EXPIRED: [409, "key-expired"],
  UNAUTHENTICATED: [401, "invalid-token"],
  LAST_OWNER: [409, "last-owner"],
  ALREADY_MEMBER: [409, "already-member"],
  INVITATION_INVALID: [410, "invitation-invalid"],
  INVITATION_EMAIL_MISMATCH: [403, "invitation-email-mismatch"],
  ACCOUNT_EXISTS: [409, "account-exists"],
};

describe("a typed error at each door", () => {
  it.each(ERROR_CODES.map((c) => [c]))("%s: the API's status and problem type", async (code) => {
    const res = problemOf(new AppError(code));
    const body = await res.json();
    expect([res.status, body.type]).toEqual([API[code][0], `urn:keyport:problem:${API[code][1]}`]);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(body.detail).toBe(new AppError(code).message);
  });

  it.each(ERROR_CODES.map((c) => [c]))("%s: an action's code and fixed message", (code) => {
    const res = actionFailure(new AppError(code));
    expect(res.ok).toBe(false);
    // A missing merchant answers as NOT_FOUND, with its own words.
    expect(res).toMatchObject({ code: code === "MERCHANT_NOT_FOUND" ? "NOT_FOUND" : code, error: new AppError(code).message });
    expect((res as { error: string }).error).toMatch(/^[A-Z].*[.!]$/);
  });

  it("anything else is answered without its details: 500 internal at the API, INTERNAL from an action", async () => {
    const api = problemOf(new Error("connection to 10.0.0.5 refused"));
    expect(api.status).toBe(500);
    expect(JSON.stringify(await api.json())).not.toContain("10.0.0.5");
    const action = actionFailure(new Error("connection to 10.0.0.5 refused"));
    expect(action).toEqual({ ok: false, code: "INTERNAL", error: "Something went wrong and nothing was changed. Please try again." });
  });

  it("field errors and an overriding message reach both doors", async () => {
    const err = new AppError("CONFLICT", { fieldErrors: { name: "Taken" }, message: "Reload." });
    expect(actionFailure(err)).toEqual({ ok: false, code: "CONFLICT", error: "Reload.", fieldErrors: { name: "Taken" } });
    const body = await problemOf(err).json();
    expect([body.detail, body.errors]).toEqual(["Reload.", { name: "Taken" }]);
  });

  it("a missing merchant is said to be a merchant, not a key", () => {
    expect(actionFailure(new AppError("MERCHANT_NOT_FOUND"))).toMatchObject({ error: expect.stringMatching(/merchant/i) });
  });
});

describe("isUuid", () => {
  it("accepts UUIDs only", () => {
    expect(isUuid("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe(true);
    for (const bad of ["", "not-a-uuid", null, 1, "3f2504e0-4f89-11d3-9a0c-0305e82c330"]) expect(isUuid(bad)).toBe(false);
  });
});
