import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor, createKey, createMerchant } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "@/lib/auth/totp";
import { AppError } from "@/lib/core/errors";
import type { KeyStatus } from "../types";
import { planBulkAction, runBulkAction } from "./bulk-keys";
import { bulkSkipReason, skipSummary } from "./bulk-rules";

const SECRET = "JBSWY3DPEHPK3PXP";
let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const code = (p: Promise<unknown>) =>
  p.then(
    () => "OK",
    (e) => (e instanceof AppError ? e.code : `UNEXPECTED ${e}`),
  );

async function owner() {
  const actor = await createActor(db.prisma, "OWNER");
  await db.prisma.totpEnrollment.create({ data: { userId: actor.userId, secretEnc: encrypt(SECRET), confirmedAt: new Date() } });
  return actor;
}
const keysOf = async (merchantId: string, statuses: KeyStatus[]) => {
  const out = [];
  for (const status of statuses) out.push((await createKey(db.prisma, { merchantId, status, environment: "production" })).key);
  return out;
};
const ref = (k: { id: string; version: number }) => ({ keyId: k.id, version: k.version });
const statusOf = async (id: string) => (await db.prisma.apiKey.findUnique({ where: { id } }))?.status ?? "GONE";
const auditOf = (id: string) => db.prisma.auditEvent.findMany({ where: { apiKeyId: id }, select: { action: true } });
const mailsOf = (id: string) => db.prisma.outboxMail.count({ where: { idempotencyKey: { startsWith: `${id}:` } } });
const lastUsedStep = async (userId: string) => (await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId } })).lastUsedStep;

describe("bulk rules", () => {
  it("revoke applies to Disabled keys only, nothing applies to Revoked ones, and the role comes first", () => {
    const k = (status: KeyStatus) => ({ status, environment: "production" as const });
    expect(bulkSkipReason(k("DISABLED"), "revoke", "OWNER")).toBeNull();
    expect(bulkSkipReason(k("ENABLED"), "revoke", "OWNER")).toBe("still enabled (only disabled keys can be revoked)");
    for (const action of ["disable", "enable", "revoke", "delete"] as const)
      expect(bulkSkipReason(k("REVOKED"), action, "OWNER")).toBe("revoked");
    expect(bulkSkipReason(k("DISABLED"), "disable", "ADMIN")).toBe("already disabled");
    expect(bulkSkipReason(k("ENABLED"), "enable", "ADMIN")).toBe("already enabled");
    expect(bulkSkipReason(k("DISABLED"), "revoke", "ADMIN")).toBe("not allowed for your role");
    expect(bulkSkipReason(k("ENABLED"), "disable", "DEVELOPER")).toBe("not allowed for your role");
    expect(skipSummary([{ reason: "revoked" }, { reason: "already disabled" }, { reason: "revoked" }])).toBe(
      "3 keys will be skipped: 2 revoked, 1 already disabled.",
    );
    expect(skipSummary([])).toBeNull();
  });
});

describe("bulk actions on the grid", () => {
  it("plans before anyone confirms: what applies, what is skipped and why, and the traffic of the keys it applies to", async () => {
    const actor = await owner();
    const [enabled, disabled, revoked] = await keysOf(actor.merchantId, ["ENABLED", "DISABLED", "REVOKED"]);
    const plan = await planBulkAction(db.prisma, actor, "revoke", [enabled.id, disabled.id, revoked.id]);
    expect(plan.apply.map((a) => a.keyId)).toEqual([disabled.id]);
    expect(plan.skipped.map((s) => [s.keyId, s.reason])).toEqual([
      [enabled.id, "still enabled (only disabled keys can be revoked)"],
      [revoked.id, "revoked"],
    ]);
    expect(plan.stepUp).toBe(true);
    expect(plan.impact?.text).toBe("No successful requests in the last 7 days.");
    expect((await planBulkAction(db.prisma, actor, "enable", [disabled.id])).impact).toBeNull();
  });

  it("disables key by key, one audit row each, and reports the refused ones with their reason", async () => {
    const actor = await createActor(db.prisma, "ADMIN");
    const [a, b, revoked, off] = await keysOf(actor.merchantId, ["ENABLED", "ENABLED", "REVOKED", "DISABLED"]);
    const res = await runBulkAction(db.prisma, actor, "disable", [a, b, revoked, off].map(ref));
    expect(res.done.map((d) => d.keyId)).toEqual([a.id, b.id]);
    expect(res.refused.map((r) => [r.keyId, r.reason])).toEqual([
      [revoked.id, "revoked"],
      [off.id, "already disabled"],
    ]);
    for (const k of [a, b]) {
      expect(await statusOf(k.id)).toBe("DISABLED");
      expect((await auditOf(k.id)).map((e) => e.action)).toEqual(["key.disabled"]);
      expect(await db.prisma.keyChange.count({ where: { apiKeyId: k.id } })).toBe(1);
    }
    expect(await auditOf(revoked.id)).toEqual([]);
  });

  it("revokes with one code for the whole batch: each key its own audit row and mail, the code spent once", async () => {
    const actor = await owner();
    const [a, b, c, on] = await keysOf(actor.merchantId, ["DISABLED", "DISABLED", "DISABLED", "ENABLED"]);
    const otp = await totpAt(SECRET, new Date());
    const res = await runBulkAction(db.prisma, actor, "revoke", [a, b, c, on].map(ref), otp);
    expect(res.done).toHaveLength(3);
    expect(res.refused.map((r) => [r.keyId, r.reason])).toEqual([[on.id, "still enabled (only disabled keys can be revoked)"]]);
    for (const k of [a, b, c]) {
      expect(await statusOf(k.id)).toBe("REVOKED");
      expect((await auditOf(k.id)).map((e) => e.action)).toEqual(["key.revoked"]);
      expect(await mailsOf(k.id)).toBe(1);
    }
    expect(await statusOf(on.id)).toBe("ENABLED");
    expect(await lastUsedStep(actor.userId)).not.toBeNull();
    // The same code again is a replay: refused whole, nothing changed.
    const [d] = await keysOf(actor.merchantId, ["DISABLED"]);
    expect(await code(runBulkAction(db.prisma, actor, "revoke", [ref(d)], otp))).toBe("STEP_UP_INVALID");
    expect(await statusOf(d.id)).toBe("DISABLED");
  });

  it("a key refused on the way does not stop the others, and a batch where nothing changed keeps the code unused", async () => {
    const actor = await owner();
    const [stale, a, b] = await keysOf(actor.merchantId, ["ENABLED", "ENABLED", "DISABLED"]);
    const otp = await totpAt(SECRET, new Date());
    // Changed meanwhile (another tab): its version no longer matches.
    const res = await runBulkAction(db.prisma, actor, "delete", [{ keyId: stale.id, version: stale.version + 7 }, ref(a), ref(b)], otp);
    expect(res.refused.map((r) => [r.keyId, r.reason])).toEqual([
      [stale.id, "This key was changed meanwhile. Reload the page and try again."],
    ]);
    expect(res.done.map((d) => d.keyId)).toEqual([a.id, b.id]);
    expect([await statusOf(stale.id), await statusOf(a.id), await statusOf(b.id)]).toEqual(["ENABLED", "GONE", "GONE"]);
    expect((await auditOf(a.id)).map((e) => e.action)).toEqual(["key.deleted"]);

    const other = await owner();
    const [x] = await keysOf(other.merchantId, ["ENABLED"]);
    const unused = await totpAt(SECRET, new Date());
    const none = await runBulkAction(db.prisma, other, "delete", [{ keyId: x.id, version: x.version + 1 }], unused);
    expect(none.done).toEqual([]);
    expect(await lastUsedStep(other.userId)).toBeNull();
  });

  it("refuses the role, a wrong code and another merchant's key before changing anything", async () => {
    const admin = await createActor(db.prisma, "ADMIN");
    const [k] = await keysOf(admin.merchantId, ["DISABLED"]);
    expect(await code(runBulkAction(db.prisma, admin, "revoke", [ref(k)], "123456"))).toBe("FORBIDDEN");
    const actor = await owner();
    const [mine] = await keysOf(actor.merchantId, ["DISABLED"]);
    expect(await code(runBulkAction(db.prisma, actor, "revoke", [ref(mine)]))).toBe("STEP_UP_REQUIRED");
    expect(await code(runBulkAction(db.prisma, actor, "revoke", [ref(mine)], "000000"))).toBe("STEP_UP_INVALID");
    const [theirs] = await keysOf((await createMerchant(db.prisma)).id, ["DISABLED"]);
    const otp = await totpAt(SECRET, new Date());
    expect(await code(runBulkAction(db.prisma, actor, "revoke", [ref(mine), ref(theirs)], otp))).toBe("NOT_FOUND");
    expect(await code(planBulkAction(db.prisma, actor, "revoke", [theirs.id]))).toBe("NOT_FOUND");
    expect([await statusOf(mine.id), await statusOf(theirs.id)]).toEqual(["DISABLED", "DISABLED"]);
    expect(await lastUsedStep(actor.userId)).toBeNull();
  });
});
