import { describe, expect, it } from "vitest";
import { bulkRotationStep, capGraceAtKeyExpiry, extensionError, isStaleBatch, rotationState, type RotationAnswer } from "./rotation";
import type { KeyStatus } from "./types";

const HOUR = 3600_000;
const t0 = new Date("2026-06-01T12:00:00Z");
const at = (h: number) => new Date(t0.getTime() + h * HOUR);

// rotationState: every status × window × expiry case, written out by hand (docs/design.md §3 rules 7–11).
const OK: RotationAnswer = { ok: true };
const NO = (reason: Exclude<RotationAnswer, { ok: true }>["reason"]): RotationAnswer => ({ ok: false, reason });
type Window = "none" | "open" | "ended" | "open, extended";
const previousOf = (w: Window) =>
  w === "none" ? null : { expiresAt: w === "ended" ? at(-1) : at(24), rotatedAt: at(-2), graceExtended: w === "open, extended" };
const T: [
  KeyStatus,
  Window,
  "live" | "expired",
  { rotate: RotationAnswer; regenerate: RotationAnswer; rollback: RotationAnswer; extend: RotationAnswer; revokePrevious: RotationAnswer },
][] = [];
for (const status of ["ENABLED", "DISABLED"] as const) {
  for (const expiry of ["live", "expired"] as const) {
    const fresh = expiry === "expired" ? NO("KEY_EXPIRED") : OK;
    T.push([
      status,
      "none",
      expiry,
      {
        rotate: fresh,
        regenerate: fresh,
        rollback: NO("ROLLBACK_UNAVAILABLE"),
        extend: NO("EXTEND_UNAVAILABLE"),
        revokePrevious: NO("INVALID_TRANSITION"),
      },
    ]);
    T.push([
      status,
      "ended",
      expiry,
      {
        rotate: fresh,
        regenerate: fresh,
        rollback: NO("ROLLBACK_UNAVAILABLE"),
        extend: NO("EXTEND_UNAVAILABLE"),
        revokePrevious: NO("INVALID_TRANSITION"),
      },
    ]);
    // An expired key's window: the previous key fails verification anyway, and nothing extends past the key's expiry.
    T.push([
      status,
      "open",
      expiry,
      {
        rotate: expiry === "expired" ? NO("KEY_EXPIRED") : NO("ROTATION_IN_PROGRESS"),
        regenerate: fresh,
        rollback: OK,
        extend: expiry === "expired" ? NO("EXTEND_UNAVAILABLE") : OK,
        revokePrevious: OK,
      },
    ]);
    T.push([
      status,
      "open, extended",
      expiry,
      {
        rotate: expiry === "expired" ? NO("KEY_EXPIRED") : NO("ROTATION_IN_PROGRESS"),
        regenerate: fresh,
        rollback: OK,
        extend: NO("EXTEND_UNAVAILABLE"),
        revokePrevious: OK,
      },
    ]);
  }
}
for (const w of ["none", "ended", "open", "open, extended"] as const)
  for (const expiry of ["live", "expired"] as const) {
    const terminal = NO("INVALID_TRANSITION");
    T.push([
      "REVOKED",
      w,
      expiry,
      { rotate: terminal, regenerate: terminal, rollback: terminal, extend: terminal, revokePrevious: terminal },
    ]);
  }

describe("rotationState: the one answer for rotate, regenerate, roll back, extend and revoke previous", () => {
  it("covers every status × window × expiry case", () => expect(T).toHaveLength(24));

  it.each(T)("%s key, window %s, %s", (status, window, expiry, expected) => {
    const key = { status, expiresAt: expiry === "expired" ? at(-1) : at(24 * 300) };
    const state = rotationState(key, previousOf(window), t0);
    const { windowOpen, extendOptions, ...answers } = state;
    expect(answers).toEqual(expected);
    expect(windowOpen).toBe(window === "open" || window === "open, extended");
    // The extension choices are exactly what the server would accept: some while extend is allowed, none otherwise.
    expect(extendOptions.length > 0).toBe(expected.extend.ok);
  });

  it("bulk rotation asks the same rule with the window left aside", () => {
    expect(rotationState({ status: "DISABLED", expiresAt: at(1) }, null, t0).rotate).toEqual(OK);
    expect(rotationState({ status: "ENABLED", expiresAt: at(-1) }, null, t0).rotate).toEqual(NO("KEY_EXPIRED"));
    expect(rotationState({ status: "ENABLED", expiresAt: t0 }, null, t0).rotate).toEqual(NO("KEY_EXPIRED")); // expiry is inclusive
  });
});

describe("grace windows", () => {
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
