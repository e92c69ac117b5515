// Issue 11, items 10, 11 and 15: expiry, required versions and stale bulk batches.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { AppError, STALE_BATCH_MESSAGE } from "@/lib/core/errors";
import { createKeySchema } from "../schema";
import { createKey } from "./create-key";
import { rotateKey } from "./rotate-key";
import { rotateEnvironment } from "./rotate-environment";
import { regenerateKey } from "./regenerate-key";
import { extendGrace } from "./extend-grace";
import { rollbackEnvironment } from "./rollback-environment";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const HOUR = 3600_000;
const input = (over: Record<string, unknown> = {}) =>
  createKeySchema.parse({ name: "Guarded", environment: "production", channel: "REST", permissions: ["payments:read"], ...over });
const code = codeOf;
const snapshot = async (merchantId: string) =>
  JSON.stringify(await db.prisma.credential.findMany({ where: { apiKey: { merchantId } }, orderBy: { id: "asc" } })) +
  JSON.stringify(await db.prisma.apiKey.findMany({ where: { merchantId }, orderBy: { id: "asc" }, select: { id: true, version: true } }));
const versions = async (keyIds: string[]) =>
  (await db.prisma.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, version: true } })).map((k) => ({
    keyId: k.id,
    version: k.version,
  }));

async function ownerWithKey(expiresAt?: Date) {
  const owner = await createActor(db.prisma, "OWNER");
  const issued = await createKey(db.prisma, owner, input());
  if (expiresAt) await db.prisma.apiKey.update({ where: { id: issued.keyId }, data: { expiresAt } });
  return { owner, issued };
}

describe("expiry (item 10)", () => {
  it("an expired key is refused by a single rotation and a regenerate, and nothing changes", async () => {
    const { owner, issued } = await ownerWithKey(new Date(Date.now() - 1000));
    const before = await snapshot(owner.merchantId);
    expect(await code(rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 }))).toBe("KEY_EXPIRED");
    expect(await code(regenerateKey(db.prisma, owner, issued.keyId, { version: 0 }))).toBe("KEY_EXPIRED");
    expect(await snapshot(owner.merchantId)).toBe(before);
    expect(await db.prisma.outboxMail.count({ where: { idempotencyKey: { startsWith: issued.keyId } } })).toBe(0);
  });

  it("a grace window ends at the key's expiry, and the mail says so", async () => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 2 * HOUR);
    const { owner, issued } = await ownerWithKey(expiresAt);
    const rotated = await rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 }, now);
    expect(rotated.previousExpiresAt).toBe(expiresAt.toISOString());
    const previous = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: issued.keyId, slot: "PREVIOUS" } });
    expect(previous.expiresAt?.toISOString()).toBe(expiresAt.toISOString());
    const mail = await db.prisma.outboxMail.findFirstOrThrow({
      where: { template: "key-rotated", idempotencyKey: { startsWith: issued.keyId } },
    });
    expect((mail.props as { previousExpiresAt: string }).previousExpiresAt).toBe(expiresAt.toISOString());
  });

  it("an extension ends at the key's expiry too", async () => {
    const now = new Date();
    const expiresAt = new Date(now.getTime() + 30 * HOUR);
    const { owner, issued } = await ownerWithKey(expiresAt);
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 }, now);
    const res = await extendGrace(db.prisma, owner, issued.keyId, new Date(now.getTime() + 72 * HOUR), { now });
    expect(res.previousExpiresAt).toBe(expiresAt.toISOString());
    const mail = await db.prisma.outboxMail.findFirstOrThrow({
      where: { template: "grace-extended", idempotencyKey: { startsWith: issued.keyId } },
    });
    expect((mail.props as { previousExpiresAt: string }).previousExpiresAt).toBe(expiresAt.toISOString());
  });
});

describe("versions (item 11)", () => {
  it("a rotation without the version it was shown is refused; three Now rotations from one page: one succeeds", async () => {
    const { owner, issued } = await ownerWithKey();
    const before = await snapshot(owner.merchantId);
    expect(await code(rotateKey(db.prisma, owner, issued.keyId, { grace: "now" } as never))).toBe("CONFLICT");
    expect(await snapshot(owner.merchantId)).toBe(before);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await code(rotateKey(db.prisma, owner, issued.keyId, { grace: "now", version: 0 })));
    expect(results).toEqual(["OK", "CONFLICT", "CONFLICT"]);
    expect(await db.prisma.auditEvent.count({ where: { apiKeyId: issued.keyId, action: "key.rotated" } })).toBe(1);
  });
});

describe("bulk batches (item 15)", () => {
  async function merchantWithKeys(n: number) {
    const owner = await createActor(db.prisma, "OWNER");
    const keys = [];
    for (let i = 0; i < n; i++) keys.push(await createKey(db.prisma, owner, input({ name: `Bulk ${i}` })));
    return { owner, ids: keys.map((k) => k.keyId) };
  }

  it("a second tab's Now rotation with the same batch is refused whole, with a clear message", async () => {
    const { owner, ids } = await merchantWithKeys(3);
    const shown = await versions(ids);
    expect(await rotateEnvironment(db.prisma, owner, "production", "now", shown)).toHaveLength(3);
    const before = await snapshot(owner.merchantId);
    const err = await rotateEnvironment(db.prisma, owner, "production", "now", shown).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect([err.code, err.message]).toEqual(["CONFLICT", STALE_BATCH_MESSAGE]);
    expect(await snapshot(owner.merchantId)).toBe(before);
  });

  it("two tabs at once: exactly one batch rotates, one new credential per key", async () => {
    const { owner, ids } = await merchantWithKeys(3);
    const shown = await versions(ids);
    const results = await Promise.all([0, 1].map(() => code(rotateEnvironment(db.prisma, owner, "production", "now", shown))));
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.find((r) => r !== "OK")).toMatch(/^(CONFLICT|ROTATION_IN_PROGRESS)$/);
    expect(await db.prisma.auditEvent.count({ where: { apiKeyId: { in: ids }, action: "key.rotated" } })).toBe(3);
  });

  it("one key changed, added or missing since the page was loaded makes the whole batch stale", async () => {
    const { owner, ids } = await merchantWithKeys(2);
    const shown = await versions(ids);
    await rotateKey(db.prisma, owner, ids[0], { grace: "now", version: 0 });
    const before = await snapshot(owner.merchantId);
    expect(await code(rotateEnvironment(db.prisma, owner, "production", "24h", shown))).toBe("CONFLICT");
    expect(await code(rotateEnvironment(db.prisma, owner, "production", "24h", (await versions(ids)).slice(1)))).toBe("CONFLICT");
    expect(await snapshot(owner.merchantId)).toBe(before);
    const fresh = await versions(ids);
    await createKey(db.prisma, owner, input({ name: "Created meanwhile" }));
    expect(await code(rotateEnvironment(db.prisma, owner, "production", "24h", fresh))).toBe("CONFLICT");
  });

  it("another merchant's key in the batch answers like a missing key", async () => {
    const { owner, ids } = await merchantWithKeys(1);
    const other = await merchantWithKeys(1);
    const shown = [...(await versions(ids)), ...(await versions(other.ids))];
    expect(await code(rotateEnvironment(db.prisma, owner, "production", "24h", shown))).toBe("NOT_FOUND");
    expect(await code(rotateEnvironment(db.prisma, owner, "production", "24h", [{ keyId: "not-a-uuid", version: 0 }]))).toBe("NOT_FOUND");
  });

  it("a bulk rollback with a stale batch is refused whole", async () => {
    const { owner, ids } = await merchantWithKeys(2);
    await rotateEnvironment(db.prisma, owner, "production", "24h", await versions(ids));
    const shown = await versions(ids);
    await extendGrace(db.prisma, owner, ids[1], new Date(Date.now() + 48 * HOUR));
    const before = await snapshot(owner.merchantId);
    const err = await rollbackEnvironment(db.prisma, owner, "production", shown).catch((e) => e);
    expect([err.code, err.message]).toEqual(["CONFLICT", STALE_BATCH_MESSAGE]);
    expect(await snapshot(owner.merchantId)).toBe(before);
    expect(await rollbackEnvironment(db.prisma, owner, "production", await versions(ids))).toHaveLength(2);
  });

  it("leaves expired keys out, as a single rotation refuses them", async () => {
    const { owner, ids } = await merchantWithKeys(2);
    await db.prisma.apiKey.update({ where: { id: ids[1] }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const rotated = await rotateEnvironment(db.prisma, owner, "production", "24h", (await versions(ids)).slice(0, 1));
    expect(rotated.map((r) => r.keyId)).toEqual([ids[0]]);
  });
});
