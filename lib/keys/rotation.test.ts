import { describe, expect, it } from "vitest";
import {
  bulkRotationStep,
  canRevokePrevious,
  canRotate,
  capGraceAtKeyExpiry,
  extensionError,
  isBulkRotatable,
  isStaleBatch,
} from "./rotation";

const HOUR = 3600_000;
const t0 = new Date("2026-06-01T12:00:00Z");
const at = (h: number) => new Date(t0.getTime() + h * HOUR);

describe("expiry and rotation", () => {
  it("an expired key is never rotated, singly or in bulk", () => {
    expect(canRotate({ expiresAt: at(1) }, t0)).toBe(true);
    expect(canRotate({ expiresAt: t0 }, t0)).toBe(false);
    expect(canRotate({ expiresAt: at(-1) }, t0)).toBe(false);
    expect(isBulkRotatable({ status: "ENABLED", expiresAt: at(1) }, t0)).toBe(true);
    expect(isBulkRotatable({ status: "ENABLED", expiresAt: at(-1) }, t0)).toBe(false);
    expect(isBulkRotatable({ status: "DISABLED", expiresAt: at(1) }, t0)).toBe(false);
  });

  it("a grace window ends at the key's own expiry at the latest", () => {
    expect(capGraceAtKeyExpiry(at(24), at(48)).getTime()).toBe(at(24).getTime());
    expect(capGraceAtKeyExpiry(at(24), at(2)).getTime()).toBe(at(2).getTime());
  });

  it("an extension is judged at its capped end", () => {
    const prev = { expiresAt: at(24), rotatedAt: t0, graceExtended: false };
    expect(extensionError(prev, at(72), t0, at(48))).toBeNull();
    expect(extensionError(prev, at(72), t0, at(24))).toMatch(/expires before then/);
    expect(extensionError(prev, at(72), t0)).toBeNull();
  });
});

describe("a bulk rotation, key by key", () => {
  it("rotates a key with no open window, and leaves one mid-rotation alone unless its window is to be finished", () => {
    expect(bulkRotationStep(false, false)).toBe("rotate");
    expect(bulkRotationStep(false, true)).toBe("rotate");
    expect(bulkRotationStep(true, false)).toBe("leave-mid-rotation");
    expect(bulkRotationStep(true, true)).toBe("finish-window-and-rotate");
  });
});

describe("revoke previous key now", () => {
  it("only while the previous key still works", () => {
    const now = new Date("2026-11-30T12:00:00Z");
    expect(canRevokePrevious({ expiresAt: new Date(now.getTime() + 1000), rotatedAt: now, graceExtended: false }, now)).toBe(true);
    expect(canRevokePrevious({ expiresAt: now, rotatedAt: now, graceExtended: false }, now)).toBe(false);
    expect(canRevokePrevious(null, now)).toBe(false);
  });
});

describe("bulk batches", () => {
  const current = [
    { id: "a", version: 3 },
    { id: "b", version: 0 },
  ];
  it("are current only with exactly the keys shown, at the versions shown", () => {
    expect(
      isStaleBatch(
        [
          { keyId: "b", version: 0 },
          { keyId: "a", version: 3 },
        ],
        current,
      ),
    ).toBe(false);
    expect(
      isStaleBatch(
        [
          { keyId: "a", version: 2 },
          { keyId: "b", version: 0 },
        ],
        current,
      ),
    ).toBe(true);
    expect(isStaleBatch([{ keyId: "a", version: 3 }], current)).toBe(true);
    expect(
      isStaleBatch(
        [
          { keyId: "a", version: 3 },
          { keyId: "a", version: 3 },
        ],
        current,
      ),
    ).toBe(true);
    expect(isStaleBatch([...current.map((k) => ({ keyId: k.id, version: k.version })), { keyId: "c", version: 0 }], current)).toBe(true);
    expect(isStaleBatch([], [])).toBe(false);
  });
});
