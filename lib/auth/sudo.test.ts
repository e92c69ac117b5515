// The step-up sudo window: a code spent for a step-up, with "Don't ask again for 5 minutes", lets the same session take that merchant's
// actions that show no secret without another code, for 5 minutes; never rotation; never another
// session or merchant; "End now" closes it; a refused change opens nothing.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { createActor, createMerchant, addMember } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "@/lib/auth/totp";
import { AppError } from "@/lib/core/errors";
import { withOwnerStepUp } from "./owner-step-up";
import { endSudo, SUDO_MS, sudoUntil } from "./sudo";

const SECRET = "JBSWY3DPEHPK3PXP";
let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

async function owner() {
  const o = await createActor(db.prisma, "OWNER");
  await db.prisma.totpEnrollment.create({ data: { userId: o.userId, secretEnc: encrypt(SECRET), confirmedAt: new Date() } });
  return { ...o, sid: randomUUID() };
}
const ok = async () => "done";
const sudo = { sudo: true };
const keep = { sudo: true, keepConfirmed: true };
const at = (a: { sid: string; merchantId: string; userId: string }) => ({ sid: a.sid, merchantId: a.merchantId, userId: a.userId });

describe("the sudo window", () => {
  it("opens with a spent code and lets actions that show no secret go on without one, in that session only", async () => {
    const o = await owner();
    expect(await codeOf(withOwnerStepUp(db.prisma, o, undefined, ok, "keys.revoke", sudo))).toBe("STEP_UP_REQUIRED");
    expect(await sudoUntil(db.prisma, at(o))).toBeNull();
    const before = Date.now();
    // A code without "Don't ask again for 5 minutes" opens nothing.
    await withOwnerStepUp(db.prisma, o, await totpAt(SECRET, new Date()), ok, "keys.revoke", sudo);
    expect(await sudoUntil(db.prisma, at(o))).toBeNull();
    await withOwnerStepUp(db.prisma, o, await totpAt(SECRET, new Date(Date.now() + 30_000)), ok, "keys.revoke", keep);
    const until = (await sudoUntil(db.prisma, at(o)))!.getTime();
    expect(until).toBeGreaterThanOrEqual(before + SUDO_MS);
    expect(until).toBeLessThanOrEqual(Date.now() + SUDO_MS);
    expect(await withOwnerStepUp(db.prisma, o, undefined, ok, "keys.revoke", sudo)).toBe("done");
    // Never for an action that shows a secret (rotation, regenerate): they declare sudo: false.
    expect(await codeOf(withOwnerStepUp(db.prisma, o, undefined, ok, "keys.rotate"))).toBe("STEP_UP_REQUIRED");
    // Not another session of the same user, not another merchant of the same session.
    expect(await codeOf(withOwnerStepUp(db.prisma, { ...o, sid: randomUUID() }, undefined, ok, "keys.revoke", sudo))).toBe(
      "STEP_UP_REQUIRED",
    );
    const other = await createMerchant(db.prisma);
    await addMember(db.prisma, o.userId, other.id, "OWNER");
    expect(await codeOf(withOwnerStepUp(db.prisma, { ...o, merchantId: other.id }, undefined, ok, "keys.revoke", sudo))).toBe(
      "STEP_UP_REQUIRED",
    );
  });

  it("ends after 5 minutes, and at once with End now", async () => {
    const o = await owner();
    await withOwnerStepUp(db.prisma, o, await totpAt(SECRET, new Date()), ok, "keys.revoke", keep);
    expect(await sudoUntil(db.prisma, at(o), new Date(Date.now() + SUDO_MS - 2000))).not.toBeNull();
    expect(await sudoUntil(db.prisma, at(o), new Date(Date.now() + SUDO_MS + 1000))).toBeNull();
    await endSudo(db.prisma, at(o));
    expect(await codeOf(withOwnerStepUp(db.prisma, o, undefined, ok, "keys.revoke", sudo))).toBe("STEP_UP_REQUIRED");
  });

  it("a refused change opens nothing, and an action in the window that is refused keeps it as it was", async () => {
    const o = await owner();
    const refused = async () => {
      throw new AppError("INVALID_TRANSITION");
    };
    expect(await codeOf(withOwnerStepUp(db.prisma, o, await totpAt(SECRET, new Date()), refused, "keys.revoke", keep))).toBe(
      "INVALID_TRANSITION",
    );
    expect(await sudoUntil(db.prisma, at(o))).toBeNull();
  });

  it("a session without an id (the management API's tokens) never has a window", async () => {
    const o = await owner();
    const { sid: _, ...noSession } = o;
    await withOwnerStepUp(db.prisma, noSession, await totpAt(SECRET, new Date()), ok, "keys.revoke", keep);
    expect(await db.prisma.sudoWindow.count({ where: { userId: o.userId } })).toBe(0);
    expect(await codeOf(withOwnerStepUp(db.prisma, noSession, undefined, ok, "keys.revoke", sudo))).toBe("STEP_UP_REQUIRED");
  });
});
