import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor, createMerchant } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "./create-key";
import { setChannelIpAllowList } from "./channel-ip-allow-list";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.close());

const input = (channel: string) =>
  createKeySchema.parse({ name: "Channel key", environment: "production", channel, permissions: ["payments:read"] });
const active = async (merchantId: string) => (await db.prisma.merchant.findUniqueOrThrow({ where: { id: merchantId } })).activeChannels;

describe("active channels", () => {
  it("a new account starts with none; a channel becomes active with its first key, once", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    expect(await active(owner.merchantId)).toEqual([]);
    await createKey(db.prisma, owner, input("FTP"));
    await createKey(db.prisma, owner, input("FTP"));
    await createKey(db.prisma, owner, input("EMAIL"));
    expect(await active(owner.merchantId)).toEqual(["FTP", "EMAIL"]);
  });

  it("a sub-account starts with none whatever its master has", async () => {
    const master = await createMerchant(db.prisma);
    await db.prisma.merchant.update({ where: { id: master.id }, data: { activeChannels: ["FTP", "HTTP", "EMAIL", "WEB_SERVICE"] } });
    const sub = await createMerchant(db.prisma, { parentId: master.id });
    expect(await active(sub.id)).toEqual([]);
  });
});

describe("setChannelIpAllowList", () => {
  it("saves the channel's list with an audit row and a change-feed row for each key of the channel", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const a = await createKey(db.prisma, owner, input("HTTP"));
    const b = await createKey(db.prisma, owner, input("HTTP"));
    const other = await createKey(db.prisma, owner, input("FTP"));
    const res = await setChannelIpAllowList(db.prisma, owner, "HTTP", ["10.0.0.0/8"]);
    expect(res.ipAllowList).toEqual(["10.0.0.0/8"]);
    const feed = await db.prisma.keyChange.findMany({
      where: { apiKeyId: { in: [a.keyId, b.keyId, other.keyId] }, kind: "channel.ip_allow_list_updated" },
    });
    expect(feed.map((f) => f.apiKeyId).sort()).toEqual([a.keyId, b.keyId].sort());
    const audit = await db.prisma.auditEvent.findFirstOrThrow({
      where: { merchantId: owner.merchantId, action: "channel.ip_allow_list_updated" },
    });
    expect(audit.before).toEqual({ channel: "HTTP", ipAllowList: [] });
    expect(audit.after).toEqual({ channel: "HTTP", ipAllowList: ["10.0.0.0/8"] });
    await setChannelIpAllowList(db.prisma, owner, "HTTP", []);
    expect(
      (
        await db.prisma.channelSetting.findUniqueOrThrow({
          where: { merchantId_channel: { merchantId: owner.merchantId, channel: "HTTP" } },
        })
      ).ipAllowList,
    ).toEqual([]);
  });

  it("takes an owner or an admin: developers and viewers are refused and nothing is written", async () => {
    const admin = await createActor(db.prisma, "ADMIN");
    await expect(setChannelIpAllowList(db.prisma, admin, "FTP", ["10.0.0.1"])).resolves.toBeTruthy();
    for (const role of ["DEVELOPER", "VIEWER"] as const) {
      const actor = await createActor(db.prisma, role);
      await expect(setChannelIpAllowList(db.prisma, actor, "FTP", ["10.0.0.1"])).rejects.toMatchObject({ code: "FORBIDDEN" });
      expect(await db.prisma.channelSetting.count({ where: { merchantId: actor.merchantId } })).toBe(0);
    }
  });
});
