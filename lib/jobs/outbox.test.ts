import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database, Db } from "@/lib/db/client";
import { openDatabase } from "@/lib/db/client";
import { claimDue, drainOutbox, exponentialBackoff, runOutbox, type ClaimedRow, type OutboxQueue } from "./outbox";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const MIN = 60_000;

/** A queue over the mail outbox whose delivery is the test's to decide. */
function queue(
  deliver: (row: ClaimedRow) => Promise<void>,
  maxAttempts = 3,
  lanes: Pick<OutboxQueue<ClaimedRow, null>, "concurrency" | "laneOf"> = {},
): OutboxQueue<ClaimedRow, null> {
  return {
    ...lanes,
    name: "test",
    table: "outbox_mails",
    columns: [],
    leaseMs: 5 * MIN,
    maxAttempts,
    backoffMs: exponentialBackoff(10_000, 3600_000),
    deliver: async (row) => (await deliver(row), null),
    delivered: async (d: Db, row) =>
      void (await d.outboxMail.update({ where: { id: row.id }, data: { status: "SENT", sentAt: new Date() } })),
    failed: async (d: Db, row, f) =>
      void (await d.outboxMail.update({
        where: { id: row.id },
        data: { status: f.dead ? "DEAD" : "PENDING", lastError: f.error, nextAttemptAt: f.retryAt },
      })),
  };
}

async function rows(n: number, at = new Date()) {
  const tag = randomUUID();
  await db.prisma.outboxMail.createMany({
    data: Array.from({ length: n }, (_, i) => ({
      idempotencyKey: `${tag}:${i}`,
      toAddress: `r${i}@example.test`,
      subject: "s",
      template: "key-rotated",
      props: {},
      nextAttemptAt: at,
      createdAt: at,
    })),
  });
  return tag;
}
const mine = (tag: string) =>
  db.prisma.outboxMail.findMany({ where: { idempotencyKey: { startsWith: tag } }, orderBy: { idempotencyKey: "asc" } });

describe("the outbox job runner", () => {
  it("three instances draining one outbox at once: every row delivered exactly once, none lost", async () => {
    const at = new Date(Date.now() - 13 * 365 * 24 * 60 * MIN); // older than anything else queued
    const tag = await rows(300, at);
    const others = [await openDatabase(db.url), await openDatabase(db.url)];
    try {
      const sent: string[] = [];
      const q = queue(async (r) => {
        if (r.idempotency_key.startsWith(tag)) sent.push(r.idempotency_key);
        await new Promise((res) => setTimeout(res, Math.random() * 3));
      });
      await Promise.all([db.prisma, ...others.map((o) => o.prisma)].map((d) => drainOutbox(d, q, 20, 100)));
      expect(sent).toHaveLength(300);
      expect(new Set(sent).size).toBe(300);
      expect((await mine(tag)).every((r) => r.status === "SENT" && r.attempts === 1)).toBe(true);
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
  });

  it("a process that drains lets go of the rows it claimed and has not started: due at once, the claim not counted", async () => {
    const at = new Date(Date.now() - 12 * 365 * 24 * 60 * MIN); // older than anything else queued
    const tag = await rows(5, at);
    const abort = new AbortController();
    const started: string[] = [];
    const res = await runOutbox(
      db.prisma,
      queue(async (r) => {
        started.push(r.idempotency_key);
        abort.abort(); // SIGTERM arrives while the first row is being sent
      }),
      new Date(),
      5,
      abort.signal,
    );
    expect(res).toEqual({ sent: 1, failed: 0, released: 4 });
    const after = await mine(tag);
    expect(after.filter((r) => r.status === "SENT").map((r) => r.idempotencyKey)).toEqual(started);
    const released = after.filter((r) => r.status === "PENDING");
    expect(released).toHaveLength(4);
    for (const r of released) {
      expect(r.attempts).toBe(0);
      expect(r.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    }
    // Another instance claims them at once, without waiting out the 5-minute lease.
    expect(
      (
        await claimDue(
          db.prisma,
          queue(async () => {}),
          new Date(),
          500,
        )
      ).filter((r) => r.idempotency_key.startsWith(tag)),
    ).toHaveLength(4);
  });

  it("backoff doubles from its base and is capped", () => {
    const b = exponentialBackoff(10_000, 3600_000);
    expect([1, 2, 3, 4, 20].map(b)).toEqual([10_000, 20_000, 40_000, 80_000, 3600_000]);
  });

  it("delivers each row once under its idempotency key and marks it", async () => {
    const at = new Date(Date.now() - 10 * 365 * 24 * 60 * MIN); // older than anything else queued
    const tag = await rows(3, at);
    const keys: string[] = [];
    await runOutbox(
      db.prisma,
      queue(async (r) => void keys.push(r.idempotency_key)),
      new Date(),
      500,
    );
    const done = await mine(tag);
    expect(done.map((r) => r.status)).toEqual(["SENT", "SENT", "SENT"]);
    expect(keys.filter((k) => k.startsWith(tag)).sort()).toEqual(done.map((r) => r.idempotencyKey));
  });

  it("delivers lanes side by side, up to its concurrency, and each lane's rows one at a time", async () => {
    const at = new Date(Date.now() - 11 * 365 * 24 * 60 * MIN); // older than anything else queued
    const tag = await rows(9, at);
    const lane = (r: ClaimedRow) => String(Number(r.idempotency_key.split(":")[1]) % 4); // 4 lanes: 0 4 8 | 1 5 | 2 6 | 3 7
    let inFlight = 0;
    let most = 0;
    const done: string[] = [];
    const busy = new Map<string, number>();
    const deliver = async (r: ClaimedRow) => {
      if (!r.idempotency_key.startsWith(tag)) return;
      const l = lane(r);
      busy.set(l, (busy.get(l) ?? 0) + 1);
      expect(busy.get(l)).toBe(1); // never two of one lane at once
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 30));
      done.push(r.idempotency_key.split(":")[1]);
      inFlight--;
      busy.set(l, 0);
    };
    await runOutbox(db.prisma, queue(deliver, 3, { concurrency: 3, laneOf: lane }), new Date(), 500);
    expect(most).toBe(3); // four lanes, three at a time
    expect((await mine(tag)).every((r) => r.status === "SENT")).toBe(true);
    expect(done.sort()).toEqual(["0", "1", "2", "3", "4", "5", "6", "7", "8"]);
    // Without lanes, one at a time.
    const tag2 = await rows(3, at);
    inFlight = 0;
    most = 0;
    await runOutbox(
      db.prisma,
      queue(async (r) => {
        if (!r.idempotency_key.startsWith(tag2)) return;
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
        inFlight--;
      }),
      new Date(),
      500,
    );
    expect(most).toBe(1);
  });

  it("a claimed row is leased: not claimed again before the lease ends, claimed again after it", async () => {
    const tag = await rows(1, new Date(0));
    const now = new Date();
    const first = (
      await claimDue(
        db.prisma,
        queue(async () => {}),
        now,
        10_000,
      )
    ).filter((r) => r.idempotency_key.startsWith(tag));
    expect(first).toHaveLength(1);
    expect(first[0].attempts).toBe(1);
    const during = (
      await claimDue(
        db.prisma,
        queue(async () => {}),
        new Date(now.getTime() + 4 * MIN),
        10_000,
      )
    ).filter((r) => r.idempotency_key.startsWith(tag));
    expect(during).toHaveLength(0);
    const after = (
      await claimDue(
        db.prisma,
        queue(async () => {}),
        new Date(now.getTime() + 6 * MIN),
        10_000,
      )
    ).filter((r) => r.idempotency_key.startsWith(tag));
    expect(after.map((r) => [r.idempotency_key, r.attempts])).toEqual([[first[0].idempotency_key, 2]]);
  });

  it("two runners at once share the rows (SKIP LOCKED): every row delivered exactly once", async () => {
    const tag = await rows(40, new Date(1000));
    const seen: string[] = [];
    const q = queue(async (r) => {
      if (r.idempotency_key.startsWith(tag)) seen.push(r.idempotency_key);
      await new Promise((res) => setTimeout(res, 5));
    });
    await Promise.all([runOutbox(db.prisma, q, new Date(), 10_000), runOutbox(db.prisma, q, new Date(), 10_000)]);
    expect(seen.length).toBe(40);
    expect(new Set(seen).size).toBe(40);
    expect((await mine(tag)).every((r) => r.status === "SENT")).toBe(true);
  });

  it("a failure is retried after its backoff, and given up on (DEAD) after the last attempt", async () => {
    const tag = await rows(1, new Date(2000));
    const failing = queue(async (r) => {
      if (r.idempotency_key.startsWith(tag)) throw new Error("provider down");
    }, 2);
    let now = new Date();
    await runOutbox(db.prisma, failing, now, 10_000);
    let [row] = await mine(tag);
    expect(row).toMatchObject({ status: "PENDING", attempts: 1, lastError: "provider down" });
    expect(row.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    now = new Date(row.nextAttemptAt.getTime() + 1);
    await runOutbox(db.prisma, failing, now, 10_000);
    [row] = await mine(tag);
    expect(row).toMatchObject({ status: "DEAD", attempts: 2 });
    await runOutbox(db.prisma, failing, new Date(now.getTime() + 24 * 60 * MIN), 10_000);
    expect((await mine(tag))[0].attempts).toBe(2); // never claimed again
  });

  it("refuses a table name that is not a plain identifier", () => {
    expect(() => claimDue(db.prisma, { ...queue(async () => {}), table: "outbox_mails; DROP TABLE users" }, new Date(), 1)).toThrow(
      /identifier/,
    );
  });
});

describe("lanes across instances (laneColumn)", () => {
  it("three instances deliver one endpoint's rows one at a time between them, each once, and other endpoints side by side", async () => {
    const merchant = await db.prisma.merchant.create({ data: { name: "Lanes", slug: `lanes-${randomUUID()}` } });
    const endpoint = (url: string) =>
      db.prisma.webhookEndpoint.create({ data: { merchantId: merchant.id, environment: "sandbox", url, events: ["ping"] } });
    const [a, b] = [await endpoint("https://a.example/hooks"), await endpoint("https://b.example/hooks")];
    const event = await db.prisma.webhookEvent.create({
      data: { merchantId: merchant.id, environment: "sandbox", type: "ping", payload: {} },
    });
    const tag = randomUUID();
    await db.prisma.webhookDelivery.createMany({
      data: Array.from({ length: 12 }, (_, i) => ({
        eventId: event.id,
        endpointId: i % 2 ? a.id : b.id,
        idempotencyKey: `${tag}:${i}`,
        createdAt: new Date(Date.now() - 20 * 365 * 24 * 60 * MIN + i), // before anything else queued
      })),
    });
    const inFlight = new Map<string, number>();
    let worst = 0;
    let sideBySide = false;
    const seen: string[] = [];
    const q: OutboxQueue<ClaimedRow & { endpoint_id: string }, null> = {
      name: "lanes",
      table: "webhook_deliveries",
      columns: ["endpoint_id"],
      leaseMs: 5 * MIN,
      maxAttempts: 3,
      backoffMs: () => MIN,
      concurrency: 4,
      laneOf: (r) => r.endpoint_id,
      laneColumn: "endpoint_id",
      deliver: async (row) => {
        if (!row.idempotency_key.startsWith(tag)) return null;
        const n = (inFlight.get(row.endpoint_id) ?? 0) + 1;
        inFlight.set(row.endpoint_id, n);
        worst = Math.max(worst, n);
        if ([...inFlight.values()].filter((v) => v > 0).length > 1) sideBySide = true;
        seen.push(row.idempotency_key);
        await new Promise((r) => setTimeout(r, 20));
        inFlight.set(row.endpoint_id, n - 1);
        return null;
      },
      delivered: async (d, row) => void (await d.webhookDelivery.update({ where: { id: row.id }, data: { status: "SENT" } })),
      failed: async () => {},
    };
    const others = [await openDatabase(db.url), await openDatabase(db.url)];
    try {
      const instances = [db.prisma, ...others.map((o) => o.prisma)];
      // Each instance drains until nothing of ours is left: a lane another holds is skipped, not waited on.
      const left = () => db.prisma.webhookDelivery.count({ where: { idempotencyKey: { startsWith: tag }, status: "PENDING" } });
      await Promise.all(
        instances.map(async (d) => {
          for (let i = 0; i < 200 && (await left()) > 0; i++) await runOutbox(d, q, new Date(), 4);
        }),
      );
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    expect(worst).toBe(1);
    expect(sideBySide).toBe(true);
    expect(seen.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `${tag}:${i}`).sort());
    expect(await db.prisma.webhookDelivery.count({ where: { idempotencyKey: { startsWith: tag }, leasedUntil: { not: null } } })).toBe(0);
  });
});
