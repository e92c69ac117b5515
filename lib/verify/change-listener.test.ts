import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { randomUUID } from "node:crypto";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { createKey, createMerchant } from "@/prisma/factories";
import { listenForKeyChanges, KEY_CHANGES_CHANNEL } from "./change-listener";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

describe("change listener (LISTEN/NOTIFY)", () => {
  it("is told of a committed change-feed write, and not of a rolled-back one", async () => {
    const merchant = await createMerchant(db.prisma);
    const { key } = await createKey(db.prisma, { merchantId: merchant.id });
    const onChange = vi.fn();
    const listener = listenForKeyChanges(db.url, onChange);
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1)); // the replay on connect
    await expect(
      db.prisma.$transaction(async (tx) => {
        await tx.keyChange.create({ data: { apiKeyId: key.id, kind: "TEST" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    await db.prisma.keyChange.create({ data: { apiKeyId: key.id, kind: "DISABLED" } });
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(2));
    // Notifications arrive in commit order on the one connection: once a later NOTIFY has arrived,
    // one from the rolled-back transaction would have too. So the count is exact, not "at least".
    await db.prisma.$executeRawUnsafe(`NOTIFY ${KEY_CHANGES_CHANNEL}`);
    await vi.waitFor(() => expect(onChange.mock.calls.length).toBeGreaterThanOrEqual(3));
    expect(onChange).toHaveBeenCalledTimes(3);
    await listener.stop();
  });

  it("reconnects after losing its connection and replays (calls back) once listening again", async () => {
    const onChange = vi.fn();
    const tag = randomUUID();
    const listener = listenForKeyChanges(`${db.url}${db.url.includes("?") ? "&" : "?"}application_name=${tag}`, onChange, {
      error: () => {},
    });
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(1));
    await db.prisma.$queryRawUnsafe(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${tag}'`);
    await vi.waitFor(() => expect(onChange).toHaveBeenCalledTimes(2), { timeout: 10_000 });
    expect(listener.connected).toBe(true);
    await listener.stop();
  });
});
