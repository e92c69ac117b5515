import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor, createKey } from "@/prisma/factories";
import { RETENTION, runRetention } from "./retention";
import { holdTransaction } from "@/lib/testing/held-transaction";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const DAY = 24 * 3600_000;

/** Transaction ids are cluster-wide: another test's transaction may hold the horizon for a moment. */
async function retentionUntil(done: () => Promise<boolean>, now?: Date) {
  for (let i = 0; i < 50 && !(await done()); i++) {
    await runRetention(db.prisma, now ?? new Date());
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("retention", () => {
  it("deletes what is past its time and keeps the rest", async () => {
    const now = new Date();
    const old = (ms: number) => new Date(now.getTime() - ms - 60_000);
    const recent = new Date(now.getTime() - 60_000);
    const actor = await createActor(db.prisma, "OWNER");
    const { key } = await createKey(db.prisma, { merchantId: actor.merchantId, environment: "sandbox" });
    const credential = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: key.id } });
    const [oldChange, newChange] = [
      await db.prisma.keyChange.create({ data: { apiKeyId: key.id, kind: "test", createdAt: old(RETENTION.keyChangesMs) } }),
      await db.prisma.keyChange.create({ data: { apiKeyId: key.id, kind: "test", createdAt: recent } }),
    ];
    await db.prisma.previousTraffic.createMany({
      data: [
        { credentialId: credential.id, minute: old(RETENTION.previousTrafficMs), count: 1 },
        { credentialId: credential.id, minute: recent, count: 1 },
      ],
    });
    const [expired, live] = [randomUUID(), randomUUID()];
    await db.prisma.revokedSession.createMany({
      data: [
        { id: expired, userId: actor.userId, expiresAt: recent },
        { id: live, userId: actor.userId, expiresAt: new Date(now.getTime() + DAY) },
      ],
    });
    const tag = randomUUID();
    const mail = (i: string, status: "SENT" | "PENDING" | "DEAD", sentAt: Date | null) => ({
      idempotencyKey: `${tag}:${i}`,
      toAddress: "x@example.test",
      subject: "s",
      template: "key-rotated",
      props: {},
      status,
      sentAt,
    });
    await db.prisma.outboxMail.createMany({
      data: [
        mail("old-sent", "SENT", old(RETENTION.deliveredMailMs)),
        mail("new-sent", "SENT", recent),
        mail("dead", "DEAD", null),
        mail("pending", "PENDING", null),
      ],
    });

    await runRetention(db.prisma, now);
    await retentionUntil(async () => !(await db.prisma.keyChange.findUnique({ where: { id: oldChange.id } })), now);

    expect(await db.prisma.keyChange.findUnique({ where: { id: oldChange.id } })).toBeNull();
    expect(await db.prisma.keyChange.findUnique({ where: { id: newChange.id } })).not.toBeNull();
    expect((await db.prisma.previousTraffic.findMany({ where: { credentialId: credential.id } })).map((r) => r.minute)).toEqual([recent]);
    expect((await db.prisma.revokedSession.findMany({ where: { id: { in: [expired, live] } } })).map((r) => r.id)).toEqual([live]);
    const left = (await db.prisma.outboxMail.findMany({ where: { idempotencyKey: { startsWith: tag } } }))
      .map((r) => r.idempotencyKey.split(":")[1])
      .sort();
    expect(left).toEqual(["dead", "new-sent", "pending"]);
  });

  it("forgets ended limit windows, addresses not seen for 30 days and guessing a week old, and keeps the rest", async () => {
    const now = new Date();
    const actor = await createActor(db.prisma, "OWNER");
    const { key } = await createKey(db.prisma, { merchantId: actor.merchantId, environment: "sandbox" });
    const [a, b] = await db.prisma.credential.findMany({ where: { apiKeyId: key.id } }).then(async (c) => [
      c[0],
      await db.prisma.credential.create({
        data: {
          apiKeyId: key.id,
          slot: "PREVIOUS",
          accessKey: `ak-${randomUUID()}`.slice(0, 40),
          secretHash: randomUUID(),
          secretHint: "x",
        },
      }),
    ]);
    const tag = randomUUID();
    await db.prisma.rateLimit.createMany({
      data: [
        { key: `${tag}:ended`, points: 3, expire: BigInt(now.getTime() - RETENTION.rateLimitsMs - 60_000) },
        { key: `${tag}:open`, points: 3, expire: BigInt(now.getTime() + 60_000) },
      ],
    });
    const long = new Date(now.getTime() - RETENTION.knownAddressesMs - 60_000);
    await db.prisma.knownClientAddress.createMany({
      data: [
        { credentialId: a.id, address: "192.0.2.1", lastSuccessAt: long },
        { credentialId: a.id, address: "192.0.2.2", lastSuccessAt: now },
      ],
    });
    const week = new Date(now.getTime() - RETENTION.guessingReportsMs - 60_000);
    await db.prisma.guessingReport.createMany({
      data: [
        { credentialId: a.id, apiKeyId: key.id, windowStartedAt: week, lastFailureAt: week, failures: 30, addresses: 4 },
        { credentialId: b.id, apiKeyId: key.id, windowStartedAt: now, lastFailureAt: now, failures: 30, addresses: 4 },
      ],
    });
    await runRetention(db.prisma, now);
    expect((await db.prisma.rateLimit.findMany({ where: { key: { startsWith: tag } } })).map((r) => r.key)).toEqual([`${tag}:open`]);
    expect((await db.prisma.knownClientAddress.findMany({ where: { credentialId: a.id } })).map((r) => r.address)).toEqual(["192.0.2.2"]);
    expect((await db.prisma.guessingReport.findMany({ where: { apiKeyId: key.id } })).map((r) => r.credentialId)).toEqual([b.id]);
  });

  it("keeps a committed feed row while an older transaction still runs, however old its timestamp", async () => {
    const actor = await createActor(db.prisma, "OWNER");
    const { key } = await createKey(db.prisma, { merchantId: actor.merchantId, environment: "sandbox" });
    // An older transaction, still running: a poll's horizon (xmin) stays at or below its id, so
    // rows committed after it may not have been seen by every poll yet.
    const older = await holdTransaction(db.prisma, (t) => t.keyChange.create({ data: { apiKeyId: key.id, kind: "older" } }));
    await db.prisma.keyChange.create({ data: { apiKeyId: key.id, kind: "later", createdAt: new Date(0) } });
    await runRetention(db.prisma, new Date());
    expect(await db.prisma.keyChange.count({ where: { apiKeyId: key.id, kind: "later" } })).toBe(1);
    await older.commit();
    await retentionUntil(async () => (await db.prisma.keyChange.count({ where: { apiKeyId: key.id, kind: "later" } })) === 0);
    expect(await db.prisma.keyChange.count({ where: { apiKeyId: key.id, kind: "later" } })).toBe(0);
  });
});
