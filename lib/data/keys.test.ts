// The grid's paging: a page past the middle is read from the other end, in reverse. Every page,
// in every order, must hold exactly the rows a plain offset would give.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Database } from "@/lib/db/client";

const ctx = vi.hoisted(() => ({ db: null as unknown as Database }));
vi.mock("@/lib/db/client", async (orig) => ({ ...(await orig<typeof import("@/lib/db/client")>()), getDb: async () => ctx.db.prisma }));

import { createTestDatabase } from "@/lib/testing/db";
import { createKey, createMerchant } from "@/prisma/factories";
import { channelCounts, listKeys, type KeyQuery } from "./keys";
import { listActiveChannels } from "./channels";

beforeAll(async () => (ctx.db = await createTestDatabase()));
afterAll(async () => ctx.db?.close());

describe("listKeys paging", () => {
  it("every page, from either end, in every order, is the slice a plain offset gives", async () => {
    const m = await createMerchant(ctx.db.prisma);
    const t0 = Date.UTC(2026, 0, 1);
    const statuses = ["ENABLED", "DISABLED", "REVOKED"] as const;
    for (let i = 0; i < 11; i++) {
      const { key } = await createKey(ctx.db.prisma, {
        merchantId: m.id,
        name: `Page ${String.fromCharCode(97 + ((i * 7) % 11))}`,
        status: statuses[i % 3],
        // Two keys share a creation time: the id breaks the tie the same way from both ends.
        createdAt: new Date(t0 + Math.min(i, 9) * 60_000),
      });
      if (i % 2) await ctx.db.prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(t0 + (i % 5) * 1000) } });
    }
    const orders: Pick<KeyQuery, "sort" | "dir">[] = [
      { dir: "asc" },
      { sort: "name", dir: "asc" },
      { sort: "name", dir: "desc" },
      { sort: "lastUsedAt", dir: "desc" },
      { sort: "lastUsedAt", dir: "asc" },
      { sort: "createdAt", dir: "asc" },
    ];
    for (const o of orders) {
      const all = (await listKeys(m.id, "OWNER", { ...o, page: 1, pageSize: 100 })).rows.map((r) => r.id);
      expect(all).toHaveLength(11);
      const paged: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const res = await listKeys(m.id, "OWNER", { ...o, page, pageSize: 3 });
        expect(res.total).toBe(11);
        paged.push(...res.rows.map((r) => r.id));
      }
      expect(paged, JSON.stringify(o)).toEqual(all);
      expect((await listKeys(m.id, "OWNER", { ...o, page: 5, pageSize: 3 })).rows).toEqual([]);
    }
  });

  it("an access-key prefix finds its key; a name still matches by its words", async () => {
    const m = await createMerchant(ctx.db.prisma);
    const { key } = await createKey(ctx.db.prisma, { merchantId: m.id, name: "Checkout backend", environment: "production" });
    await createKey(ctx.db.prisma, { merchantId: m.id, name: "Other" });
    const accessKey = (await ctx.db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: key.id } })).accessKey;
    for (const q of [accessKey.slice(0, 14), accessKey, "checkout"]) {
      const res = await listKeys(m.id, "OWNER", { q, dir: "asc", page: 1, pageSize: 25 });
      expect(
        res.rows.map((r) => r.id),
        q,
      ).toEqual([key.id]);
    }
  });
});

describe("kept counts (key_counts)", () => {
  it("follow every insert and delete, concurrent ones included, and agree with a count of the rows", async () => {
    const m = await createMerchant(ctx.db.prisma);
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        createKey(ctx.db.prisma, { merchantId: m.id, environment: i % 2 ? "production" : "sandbox", channel: i % 4 < 2 ? "REST" : "FTP" }),
      ),
    );
    await ctx.db.prisma.apiKey.deleteMany({ where: { id: { in: created.slice(0, 3).map((c) => c.key.id) } } });
    const kept = await ctx.db.prisma.keyCount.findMany({
      where: { merchantId: m.id },
      orderBy: [{ environment: "asc" }, { channel: "asc" }],
    });
    const counted = await ctx.db.prisma.apiKey.groupBy({
      by: ["environment", "channel"],
      where: { merchantId: m.id },
      _count: { _all: true },
      orderBy: [{ environment: "asc" }, { channel: "asc" }],
    });
    expect(kept.map((k) => [k.environment, k.channel, k.n])).toEqual(counted.map((c) => [c.environment, c.channel, c._count._all]));
    expect(kept.reduce((a, k) => a + k.n, 0)).toBe(17);
    // The grid's total and its channel groups read them.
    expect((await listKeys(m.id, "OWNER", { dir: "asc", page: 1, pageSize: 25 })).total).toBe(17);
    const production = (await listKeys(m.id, "OWNER", { env: "production", channel: "FTP", dir: "asc", page: 1, pageSize: 25 })).total;
    expect(production).toBe(await ctx.db.prisma.apiKey.count({ where: { merchantId: m.id, environment: "production", channel: "FTP" } }));
    expect(await channelCounts(m.id)).toMatchObject({ REST: kept.filter((k) => k.channel === "REST").reduce((a, k) => a + k.n, 0) });
    // "Your active API Channels" counts both environments' keys of each active channel.
    await ctx.db.prisma.merchant.update({ where: { id: m.id }, data: { activeChannels: ["REST", "FTP"] } });
    const active = await listActiveChannels(m.id, { changeable: false });
    expect(active.map((c) => [c.channel, c.keys])).toEqual(
      await Promise.all(
        (["REST", "FTP"] as const).map(async (channel) => [
          channel,
          await ctx.db.prisma.apiKey.count({ where: { merchantId: m.id, channel } }),
        ]),
      ),
    );
  });
});

describe("the search's count", () => {
  it("is the number of keys the search lists: by name in any case, literally, or by access-key prefix, in every filter", async () => {
    const m = await createMerchant(ctx.db.prisma);
    const names = ["Alpha 50% off", "alpha_beta", "Gamma", "ALPHABET soup", "Delta"];
    const made = [];
    for (const [i, name] of names.entries())
      made.push(
        await createKey(ctx.db.prisma, {
          merchantId: m.id,
          name,
          environment: i % 2 ? "production" : "sandbox",
          channel: i % 3 ? "REST" : "FTP",
        }),
      );
    const access = (await ctx.db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: made[2].key.id } })).accessKey;
    const searches = ["alpha", "ALPHA", "50%", "_", "a", "ak_", access.slice(0, 12), "nothing like it"];
    const filters = [
      {},
      { env: "production" as const },
      { channel: "FTP" as const },
      { env: "sandbox" as const, channel: "REST" as const },
    ];
    for (const q of searches)
      for (const f of filters) {
        const res = await listKeys(m.id, "OWNER", { q, ...f, dir: "asc", page: 1, pageSize: 100 });
        expect(res.total, `${q} ${JSON.stringify(f)}`).toBe(res.rows.length);
      }
    const found = async (q: string) =>
      (await listKeys(m.id, "OWNER", { q, dir: "asc", page: 1, pageSize: 100 })).rows.map((r) => r.name).sort();
    expect(await found("alpha")).toEqual(["ALPHABET soup", "Alpha 50% off", "alpha_beta"]);
    expect(await found("50%")).toEqual(["Alpha 50% off"]);
    expect(await found("_")).toEqual(["alpha_beta"]); // a literal underscore, not LIKE's any-character
    expect(await found("ak_")).toEqual(names.slice().sort()); // every access key starts so
    expect(await found(access.slice(0, 12))).toEqual(["Gamma"]);
  });
});
