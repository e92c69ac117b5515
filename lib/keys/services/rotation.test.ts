import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import { type Database, openDatabase } from "@/lib/db/client";
import { addMember, createActor, createMerchant, createUser } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { createKeySchema } from "../schema";
import { GRACE_OPTIONS, graceEnd } from "../rotation";
import { hashSecret } from "../secret";
import { createKey } from "./create-key";
import { rotateKey } from "./rotate-key";
import { rotateEnvironment } from "./rotate-environment";
import { regenerateKey } from "./regenerate-key";
import { rollbackRotation } from "./rollback-rotation";
import { extendGrace } from "./extend-grace";
import { rollbackEnvironment } from "./rollback-environment";
import { retireExpiredPrevious, sendExpiryReminders } from "../sweep";
import { deliverDueMail, localMailbox } from "@/lib/mail/worker";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const HOUR = 3600_000;
const input = (over: Record<string, unknown> = {}) =>
  createKeySchema.parse({ name: "Rotating", environment: "production", channel: "REST", permissions: ["payments:read"], ...over });
const code = codeOf;
const creds = (keyId: string) =>
  db.prisma.credential.findMany({ where: { apiKeyId: keyId }, omit: { secretHash: false }, orderBy: { slot: "asc" } });

async function ownerWithKey(over: Record<string, unknown> = {}) {
  const owner = await createActor(db.prisma, "OWNER");
  const issued = await createKey(db.prisma, owner, input(over));
  return { owner, issued };
}

describe("rotate", () => {
  it.each(GRACE_OPTIONS.map((g) => [g.value, g.ms] as const))("with %s keeps the previous credential until then", async (grace, ms) => {
    const { owner, issued } = await ownerWithKey();
    const now = new Date();
    const rotated = await rotateKey(db.prisma, owner, issued.keyId, { grace, version: 0 }, now);
    const [current, previous] = await creds(issued.keyId);
    expect(current.secretHash).toBe(hashSecret(rotated.secret));
    expect(previous.slot).toBe("PREVIOUS");
    expect(previous.secretHash).toBe(hashSecret(issued.secret));
    expect(previous.expiresAt!.getTime()).toBe(now.getTime() + ms);
    expect(graceEnd(grace, now).getTime()).toBe(now.getTime() + ms);
    const key = await db.prisma.apiKey.findUniqueOrThrow({ where: { id: issued.keyId } });
    expect(key.lastRotatedAt?.getTime()).toBe(now.getTime());
    expect([key.name, key.status, key.permissions]).toEqual(["Rotating", "ENABLED", ["payments:read"]]);
  });

  it("answers a malformed key id like a missing key", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    expect(await code(rotateKey(db.prisma, owner, "not-a-uuid", { grace: "24h", version: 0 }))).toBe("NOT_FOUND");
  });

  it("is owner-only", async () => {
    const { owner, issued } = await ownerWithKey();
    const admin = await createActor(db.prisma, "ADMIN", owner.merchantId);
    expect(await code(rotateKey(db.prisma, admin, issued.keyId, { grace: "24h", version: 0 }))).toBe("FORBIDDEN");
  });

  it("ten at once: one winner, one new credential, one audit event, one set of mails", async () => {
    const { owner, issued } = await ownerWithKey();
    await addMember(db.prisma, (await createUser(db.prisma)).id, owner.merchantId, "VIEWER");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => code(rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 }))),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(1);
    expect(results.filter((r) => r === "ROTATION_IN_PROGRESS")).toHaveLength(9);
    expect(new AppError("ROTATION_IN_PROGRESS").message).toMatch(/a rotation is already in progress/i);
    expect(await db.prisma.credential.count({ where: { apiKeyId: issued.keyId } })).toBe(2);
    expect(await db.prisma.auditEvent.count({ where: { apiKeyId: issued.keyId, action: "key.rotated" } })).toBe(1);
    expect(
      await db.prisma.outboxMail.count({
        where: { template: "key-rotated", props: { path: ["keyName"], equals: "Rotating" }, toAddress: { in: [owner.email] } },
      }),
    ).toBeGreaterThanOrEqual(1);
    const mails = await db.prisma.outboxMail.findMany({ where: { template: "key-rotated", idempotencyKey: { startsWith: issued.keyId } } });
    expect(mails).toHaveLength(2); // owner + viewer, once each
  });
});

describe("rollback", () => {
  it("inside the window restores the previous credential with no expiry", async () => {
    const { owner, issued } = await ownerWithKey();
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "1h", version: 0 });
    await rollbackRotation(db.prisma, owner, issued.keyId);
    const list = await creds(issued.keyId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ slot: "CURRENT", expiresAt: null, secretHash: hashSecret(issued.secret) });
    expect(await db.prisma.outboxMail.count({ where: { template: "key-rolled-back", idempotencyKey: { startsWith: issued.keyId } } })).toBe(
      1,
    );
  });

  it("after the window, or after a Now rotation, is refused and never revives the old key", async () => {
    const { owner, issued } = await ownerWithKey();
    const t0 = new Date();
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "1h", version: 0 }, t0);
    const after = new Date(t0.getTime() + HOUR);
    expect(await code(rollbackRotation(db.prisma, owner, issued.keyId, { now: after }))).toBe("ROLLBACK_UNAVAILABLE");
    const second = await ownerWithKey();
    await rotateKey(db.prisma, second.owner, second.issued.keyId, { grace: "now", version: 0 });
    expect(await code(rollbackRotation(db.prisma, second.owner, second.issued.keyId))).toBe("ROLLBACK_UNAVAILABLE");
    expect((await creds(second.issued.keyId)).find((c) => c.slot === "CURRENT")?.secretHash).not.toBe(hashSecret(second.issued.secret));
  });

  it("racing the sweep at the window's end: the expired credential is gone either way", async () => {
    const { owner, issued } = await ownerWithKey();
    const t0 = new Date(Date.now() - HOUR - 5);
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "1h", version: 0 }, t0);
    const now = new Date();
    const [rb] = await Promise.all([
      code(rollbackRotation(db.prisma, owner, issued.keyId, { now })),
      retireExpiredPrevious(db.prisma, now),
    ]);
    expect(rb).toBe("ROLLBACK_UNAVAILABLE");
    // Never current again; the sweep may have skipped the row the rollback held locked.
    const list = await creds(issued.keyId);
    expect(list.find((c) => c.slot === "CURRENT")?.secretHash).not.toBe(hashSecret(issued.secret));
    await retireExpiredPrevious(db.prisma, new Date());
    expect((await creds(issued.keyId)).map((c) => c.secretHash)).not.toContain(hashSecret(issued.secret));
  });

  it("bulk: rotates every Enabled key of an environment and rolls them all back", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const a = await createKey(db.prisma, owner, input({ name: "A" }));
    const b = await createKey(db.prisma, owner, input({ name: "B" }));
    await createKey(db.prisma, owner, input({ name: "Sandbox", environment: "sandbox" }));
    const shown = [a, b].map((k) => ({ keyId: k.keyId, version: 0 }));
    const rotated = await rotateEnvironment(db.prisma, owner, "production", "24h", shown);
    expect(rotated.map((r) => r.keyId).sort()).toEqual([a.keyId, b.keyId].sort());
    const back = await rollbackEnvironment(
      db.prisma,
      owner,
      "production",
      shown.map((k) => ({ ...k, version: 1 })),
    );
    expect(back).toHaveLength(2);
    for (const k of [a, b]) expect((await creds(k.keyId)).map((c) => c.secretHash)).toEqual([hashSecret(k.secret)]);
  });
});

describe("extend", () => {
  it("once, and to at most 7 days after the rotation", async () => {
    const { owner, issued } = await ownerWithKey();
    const t0 = new Date();
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 }, t0);
    const tooFar = new Date(t0.getTime() + 7 * 24 * HOUR + 1);
    const err = await extendGrace(db.prisma, owner, issued.keyId, tooFar, { now: t0 }).catch((e) => e);
    expect(err.code).toBe("EXTEND_UNAVAILABLE");
    expect(err.message).toMatch(/at most 7 days/);
    const ok = new Date(t0.getTime() + 7 * 24 * HOUR);
    expect((await extendGrace(db.prisma, owner, issued.keyId, ok, { now: t0 })).previousExpiresAt).toBe(ok.toISOString());
    const again = await extendGrace(db.prisma, owner, issued.keyId, ok, { now: t0 }).catch((e) => e);
    expect(again.message).toMatch(/already been extended once/);
  });
});

describe("sweep and outbox", () => {
  it("retires expired previous credentials and mails once", async () => {
    const { owner, issued } = await ownerWithKey();
    const t0 = new Date(Date.now() - 2 * HOUR);
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "1h", version: 0 }, t0);
    expect(await retireExpiredPrevious(db.prisma)).toBeGreaterThanOrEqual(1);
    expect((await creds(issued.keyId)).map((c) => c.slot)).toEqual(["CURRENT"]);
    expect(await db.prisma.auditEvent.count({ where: { apiKeyId: issued.keyId, action: "key.previous_expired" } })).toBe(1);
    await retireExpiredPrevious(db.prisma);
    expect(
      await db.prisma.outboxMail.count({
        where: { template: "previous-expired", props: { path: ["keyName"], equals: "Rotating" }, toAddress: owner.email },
      }),
    ).toBe(1);
  });

  it("three instances sweeping at once: each expired credential is retired once, with one audit row and one mail per watcher, and each reminder is sent once", async () => {
    const merchant = await createMerchant(db.prisma);
    const owner = await createActor(db.prisma, "OWNER", merchant.id);
    const t0 = new Date(Date.now() - 2 * HOUR);
    const rotated: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { keyId } = await createKey(db.prisma, owner, input({ name: `Swept ${i}` }));
      await rotateKey(db.prisma, owner, keyId, { grace: "1h", version: 0 }, t0);
      rotated.push(keyId);
    }
    const now = new Date();
    const expiring: string[] = [];
    for (let i = 0; i < 12; i++) {
      const { keyId } = await createKey(db.prisma, owner, input({ name: `Expiring ${i}` }));
      await db.prisma.apiKey.update({ where: { id: keyId }, data: { expiresAt: new Date(now.getTime() + 5 * 24 * HOUR) } });
      expiring.push(keyId);
    }
    const others = [await openDatabase(db.url), await openDatabase(db.url)];
    try {
      // Each instance runs its sweep twice, all at once, with small batches so that they interleave.
      await Promise.all(
        [db.prisma, ...others.map((o) => o.prisma)].map(async (d) => {
          for (let round = 0; round < 2; round++) {
            while ((await retireExpiredPrevious(d, now, 3)) > 0) {}
            await sendExpiryReminders(d, now, 3);
          }
        }),
      );
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    for (const keyId of rotated) {
      expect((await creds(keyId)).map((c) => c.slot)).toEqual(["CURRENT"]);
      expect(await db.prisma.auditEvent.count({ where: { apiKeyId: keyId, action: "key.previous_expired" } })).toBe(1);
    }
    const mails = await db.prisma.outboxMail.findMany({
      where: { template: { in: ["previous-expired", "key-expiring"] }, toAddress: owner.email },
      select: { template: true, idempotencyKey: true },
    });
    expect(mails.filter((m) => m.template === "previous-expired")).toHaveLength(rotated.length);
    // Both reminders are due for a key 5 days from expiry, each once.
    expect(mails.filter((m) => m.template === "key-expiring")).toHaveLength(expiring.length * 2);
    expect(new Set(mails.map((m) => m.idempotencyKey)).size).toBe(mails.length);
    for (const keyId of expiring)
      expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).remindersSent.sort()).toEqual([30, 7]);
  });

  it("a Now rotation or a regenerate leaves no later system event when its old row is swept", async () => {
    const { owner, issued } = await ownerWithKey();
    const t0 = new Date(Date.now() - HOUR);
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "now", version: 0 }, t0);
    await regenerateKey(db.prisma, owner, issued.keyId, {}, new Date(t0.getTime() + 1000));
    await retireExpiredPrevious(db.prisma);
    expect((await creds(issued.keyId)).map((c) => c.slot)).toEqual(["CURRENT"]);
    const actions = await db.prisma.auditEvent.findMany({ where: { apiKeyId: issued.keyId }, orderBy: { createdAt: "asc" } });
    expect(actions.map((a) => a.action)).toEqual(["key.created", "key.rotated", "key.regenerated"]);
    const detailsUrl = { path: ["detailsUrl"], string_ends_with: `/developers/keys/${issued.keyId}` };
    expect(await db.prisma.outboxMail.count({ where: { template: "previous-expired", props: detailsUrl } })).toBe(0);
    expect(await db.prisma.outboxMail.count({ where: { template: "key-regenerated", props: detailsUrl } })).toBeGreaterThan(0);
  });

  it("writes outbox rows only when the change commits", async () => {
    const { owner, issued } = await ownerWithKey();
    const before = await db.prisma.outboxMail.count();
    // The rotation (mail rows included) runs inside a transaction that then fails.
    await expect(
      db.prisma.$transaction(async (tx) => {
        await rotateKey(tx, owner, issued.keyId, { grace: "24h", version: 0 });
        expect(await tx.outboxMail.count()).toBeGreaterThan(before);
        throw new Error("forced failure after the change");
      }),
    ).rejects.toThrow("forced failure");
    expect(await db.prisma.outboxMail.count()).toBe(before);
    expect((await creds(issued.keyId)).map((c) => c.slot)).toEqual(["CURRENT"]);
  });

  it("mails the 30- and 7-day expiry reminders once each", async () => {
    const merchant = await createMerchant(db.prisma);
    const user = await createUser(db.prisma);
    await addMember(db.prisma, user.id, merchant.id, "DEVELOPER");
    const owner = await createActor(db.prisma, "OWNER", merchant.id);
    const { keyId } = await createKey(db.prisma, owner, input());
    const now = new Date();
    await db.prisma.apiKey.update({ where: { id: keyId }, data: { expiresAt: new Date(now.getTime() + 20 * 24 * HOUR) } });
    await sendExpiryReminders(db.prisma, now);
    await sendExpiryReminders(db.prisma, now);
    const mails = (id: string) =>
      db.prisma.outboxMail.count({ where: { template: "key-expiring", idempotencyKey: { startsWith: `${keyId}:expiring:${id}` } } });
    expect(await mails("30")).toBe(2);
    expect(await mails("7")).toBe(0);
    const later = new Date(now.getTime() + 14 * 24 * HOUR);
    await sendExpiryReminders(db.prisma, later);
    expect(await mails("7")).toBe(2);
  });

  it("delivers due mail idempotently, with retries and backoff on failure", async () => {
    const { owner, issued } = await ownerWithKey();
    await rotateKey(db.prisma, owner, issued.keyId, { grace: "24h", version: 0 });
    const failing = {
      name: "down",
      send: async () => {
        throw new Error("smtp down");
      },
    };
    const now = new Date(Date.now() + 1000);
    const first = await deliverDueMail(db.prisma, failing, now, 500);
    expect(first.failed).toBeGreaterThan(0);
    const row = await db.prisma.outboxMail.findFirstOrThrow({
      where: { idempotencyKey: { startsWith: issued.keyId }, template: "key-rotated" },
    });
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastError: "smtp down" });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    const sent: string[] = [];
    const ok = { name: "ok", send: async (m: { idempotencyKey: string }) => void sent.push(m.idempotencyKey) };
    await deliverDueMail(db.prisma, ok, new Date(Date.now() + 2 * HOUR), 500);
    await deliverDueMail(db.prisma, ok, new Date(Date.now() + 4 * HOUR), 500);
    expect(sent.filter((k) => k === row.idempotencyKey)).toHaveLength(1);
    const done = await db.prisma.outboxMail.findUniqueOrThrow({ where: { id: row.id } });
    expect(done.status).toBe("SENT");
    // Sent through a provider: nothing of the mail is kept (the local mailbox keeps a sealed copy).
    expect([done.props, done.html]).toEqual([{}, null]);
    expect(localMailbox.name).toBe("local");
  });
});
