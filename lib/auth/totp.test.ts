import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createUser } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { AppError } from "@/lib/core/errors";
import { matchTotp, newTotpSecret, totpAt, totpUri } from "./totp";
import { afterWrongCode, CODE_ALREADY_USED, STEP_UP_LOCK_MS, verifyStepUp } from "./step-up";
import { hashRecoveryCode, newRecoveryCodes } from "./recovery-codes";

// RFC 6238 Appendix B, SHA-1: the 20-byte ASCII seed "12345678901234567890", 8 digits.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const VECTORS: [number, string][] = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

describe("TOTP (RFC 6238)", () => {
  it.each(VECTORS)("at %i s gives %s", async (t, code) => {
    expect(await totpAt(RFC_SECRET, new Date(t * 1000), 8)).toBe(code);
  });

  it("accepts the current step and one either side, refuses two away", async () => {
    const secret = newTotpSecret();
    const now = new Date("2026-11-23T12:00:15Z");
    const at = (s: number) => new Date(now.getTime() + s * 30_000);
    const step = Math.floor(now.getTime() / 30_000);
    for (const d of [-1, 0, 1]) expect(await matchTotp(secret, await totpAt(secret, at(d)), now)).toBe(step + d);
    for (const d of [-2, 2]) expect(await matchTotp(secret, await totpAt(secret, at(d)), now)).toBeNull();
    expect(await matchTotp(secret, "12345", now)).toBeNull();
    expect(await matchTotp(secret, "abcdef", now)).toBeNull();
  });

  it("works with the documented 10-byte demo secret", async () => {
    const now = new Date();
    expect(await matchTotp("JBSWY3DPEHPK3PXP", await totpAt("JBSWY3DPEHPK3PXP", now), now)).toBe(Math.floor(now.getTime() / 30_000));
  });

  it("builds an otpauth URI with the secret, SHA1, 6 digits, 30 s", () => {
    const uri = totpUri("JBSWY3DPEHPK3PXP", "owner@acme.test");
    expect(uri).toMatch(/^otpauth:\/\/totp\/Keyport:owner%40acme\.test\?/);
    const q = new URL(uri).searchParams;
    expect(q.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(q.get("issuer")).toBe("Keyport");
    // Stated, or left at the otpauth defaults (SHA1, 6, 30): either way what an authenticator uses.
    expect(q.get("algorithm") ?? "SHA1").toBe("SHA1");
    expect(q.get("digits") ?? "6").toBe("6");
    expect(q.get("period") ?? "30").toBe("30");
  });
});

describe("step-up", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());

  async function enrolled() {
    const user = await createUser(db.prisma);
    const secret = newTotpSecret();
    await db.prisma.totpEnrollment.create({ data: { userId: user.id, secretEnc: encrypt(secret), confirmedAt: new Date() } });
    return { user, secret };
  }
  const code = (p: Promise<unknown>) =>
    p.then(
      (v) => v,
      (e) => (e instanceof AppError ? e.code : `UNEXPECTED ${e}`),
    );

  it("asks a user without TOTP to enrol", async () => {
    const user = await createUser(db.prisma);
    expect(await code(verifyStepUp(db.prisma, user.id, "123456"))).toBe("STEP_UP_REQUIRED");
  });

  it("accepts a fresh code once and refuses its replay", async () => {
    const { user, secret } = await enrolled();
    const now = new Date();
    const c = await totpAt(secret, now);
    expect(await code(verifyStepUp(db.prisma, user.id, c, now))).toBe("totp");
    expect(await code(verifyStepUp(db.prisma, user.id, c, now))).toBe("STEP_UP_INVALID");
    // An older step after a newer one is a replay too.
    const older = await totpAt(secret, new Date(now.getTime() - 30_000));
    expect(await code(verifyStepUp(db.prisma, user.id, older, now))).toBe("STEP_UP_INVALID");
  });

  it("lets only one of two concurrent uses of a code through", async () => {
    const { user, secret } = await enrolled();
    const now = new Date();
    const c = await totpAt(secret, now);
    const results = await Promise.all([verifyStepUp(db.prisma, user.id, c, now), verifyStepUp(db.prisma, user.id, c, now)].map(code));
    expect(results.sort()).toEqual(["STEP_UP_INVALID", "totp"]);
  });

  it("one right code sent six times at once: one use, and no wrong code counted", async () => {
    const { user, secret } = await enrolled();
    const now = new Date();
    const c = await totpAt(secret, now);
    const results = await Promise.all(Array.from({ length: 6 }, () => code(verifyStepUp(db.prisma, user.id, c, now))));
    expect(results.sort()).toEqual(["STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_INVALID", "totp"]);
    const e = await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId: user.id } });
    expect([e.failedCount, e.lockedUntil]).toEqual([0, null]);
    // Replays afterwards are refused as used, not counted either: the owner is never locked out by them.
    for (let i = 0; i < 6; i++)
      expect(await verifyStepUp(db.prisma, user.id, c, now).catch((err: AppError) => err.message)).toBe(CODE_ALREADY_USED);
    expect(await code(verifyStepUp(db.prisma, user.id, await totpAt(secret, new Date(now.getTime() + 30_000)), now))).toBe("totp");
  });

  it("evaluates at most 5 of 50 wrong codes sent at once, then locks", async () => {
    const { user } = await enrolled();
    const now = new Date();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => code(verifyStepUp(db.prisma, user.id, String(100000 + i), now))),
    );
    expect(results.filter((r) => r === "STEP_UP_INVALID")).toHaveLength(4);
    expect(results.filter((r) => r === "STEP_UP_LOCKED")).toHaveLength(46);
    const e = await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId: user.id } });
    expect(e.failedCount).toBe(5);
  });

  it("locks for 15 minutes after 5 wrong codes, and then refuses even a right one", async () => {
    const { user, secret } = await enrolled();
    const now = new Date();
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await code(verifyStepUp(db.prisma, user.id, "000000", now)));
    expect(results).toEqual(["STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_INVALID", "STEP_UP_LOCKED"]);
    expect(await code(verifyStepUp(db.prisma, user.id, await totpAt(secret, now), now))).toBe("STEP_UP_LOCKED");
    const later = new Date(now.getTime() + STEP_UP_LOCK_MS + 1000);
    expect(await code(verifyStepUp(db.prisma, user.id, await totpAt(secret, later), later))).toBe("totp");
  });

  it("resets the failure window after 15 minutes", () => {
    const t0 = new Date("2026-01-01T00:00:00Z");
    let c = { failedCount: 0, failedWindowAt: null as Date | null, lockedUntil: null as Date | null };
    for (let i = 0; i < 4; i++) c = afterWrongCode(c, t0);
    expect(afterWrongCode(c, new Date(t0.getTime() + STEP_UP_LOCK_MS + 1)).failedCount).toBe(1);
  });

  it("accepts each recovery code once", async () => {
    const { user } = await enrolled();
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    await db.prisma.recoveryCode.createMany({ data: codes.map((c) => ({ userId: user.id, codeHash: hashRecoveryCode(c) })) });
    expect(await code(verifyStepUp(db.prisma, user.id, codes[3].toUpperCase()))).toBe("recovery");
    expect(await code(verifyStepUp(db.prisma, user.id, codes[3]))).toBe("STEP_UP_INVALID");
    expect(await code(verifyStepUp(db.prisma, user.id, codes[4]))).toBe("recovery");
  });
});
