import { describe, expect, it } from "vitest";
import { AppError, ERROR_CODES, ERROR_MESSAGES, HTTP_STATUS, httpStatusOf } from "./errors";
import { isUuid } from "./ids";

describe("AppError", () => {
  it("has a fixed message and an HTTP status for every code", () => {
    for (const code of ERROR_CODES) {
      expect(ERROR_MESSAGES[code], code).toMatch(/\S/);
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(500);
    }
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_CODES].sort());
  });

  it("maps the codes a door answers most to the usual statuses", () => {
    expect(new AppError("NOT_FOUND").status).toBe(404);
    expect(new AppError("MERCHANT_NOT_FOUND").status).toBe(404);
    expect(new AppError("FORBIDDEN").status).toBe(403);
    expect(new AppError("UNAUTHENTICATED").status).toBe(401);
    expect(new AppError("VALIDATION").status).toBe(422);
    expect(new AppError("CONFLICT").status).toBe(409);
    expect(new AppError("STEP_UP_LOCKED").status).toBe(429);
    expect(httpStatusOf(new Error("boom"))).toBe(500);
  });

  it("says a missing merchant is a merchant, not a key", () => {
    expect(new AppError("MERCHANT_NOT_FOUND").message).not.toBe(new AppError("NOT_FOUND").message);
    expect(new AppError("MERCHANT_NOT_FOUND").message).toMatch(/merchant/i);
  });

  it("keeps field errors and an overriding message", () => {
    const err = new AppError("CONFLICT", { name: "Taken" }, "Reload.");
    expect([err.code, err.message, err.fieldErrors]).toEqual(["CONFLICT", "Reload.", { name: "Taken" }]);
  });
});

describe("isUuid", () => {
  it("accepts UUIDs only", () => {
    expect(isUuid("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe(true);
    for (const bad of ["", "not-a-uuid", null, 1, "3f2504e0-4f89-11d3-9a0c-0305e82c330"]) expect(isUuid(bad)).toBe(false);
  });
});
