import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { decrypt } from "@/lib/crypto/encryption";
import { DEMO_TOTP_SECRET, seedDemo } from "./seed";
import { listMerchantsForUser } from "@/lib/merchants/access";

describe("demo seed", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.close());

  it("creates the documented merchants, users, roles and keys once", async () => {
    expect(await seedDemo(db.prisma)).toBe(true);
    expect(await seedDemo(db.prisma)).toBe(false);
    const p = db.prisma;
    expect((await p.merchant.findMany({ orderBy: { name: "asc" } })).map((m) => m.name)).toEqual([
      "Acme EU",
      "Acme Payments",
      "Globex Retail",
    ]);
    const eu = await p.merchant.findUniqueOrThrow({ where: { slug: "acme-eu" }, include: { parent: true } });
    expect(eu.parent?.name).toBe("Acme Payments");
    const roles = await p.membership.findMany({ include: { user: true, merchant: true } });
    expect(Object.fromEntries(roles.map((r) => [r.user.email, `${r.role}@${r.merchant.name}`]))).toEqual({
      "owner@acme.test": "OWNER@Acme Payments",
      "admin@acme.test": "ADMIN@Acme Payments",
      "developer@acme.test": "DEVELOPER@Acme Payments",
      "viewer@acme.test": "VIEWER@Acme Payments",
      "owner@globex.test": "OWNER@Globex Retail",
    });
    const acmeKeys = await p.apiKey.findMany({ where: { merchant: { slug: "acme-payments" } } });
    expect(new Set(acmeKeys.map((k) => k.environment))).toEqual(new Set(["sandbox", "production"]));
    expect(new Set(acmeKeys.map((k) => k.channel)).size).toBeGreaterThanOrEqual(3);
    expect(acmeKeys.filter((k) => k.status === "DISABLED")).toHaveLength(1);
    expect(acmeKeys.filter((k) => k.status === "REVOKED")).toHaveLength(1);
    expect(await p.apiKey.count({ where: { merchant: { slug: "globex-retail" } } })).toBeGreaterThan(0);
    expect(await p.credential.count()).toBe(await p.apiKey.count());
  });

  it("keeps active channels as data: the old master account has four from the start, the others only those of their keys", async () => {
    const m = Object.fromEntries((await db.prisma.merchant.findMany()).map((x) => [x.name, x]));
    expect(m["Acme Payments"].createdAt.toISOString()).toBe("2022-03-01T00:00:00.000Z");
    expect(m["Acme Payments"].activeChannels).toEqual(expect.arrayContaining(["FTP", "HTTP", "EMAIL", "WEB_SERVICE"]));
    expect(m["Acme EU"].activeChannels).toEqual([]);
    const globexChannels = new Set(
      (await db.prisma.apiKey.findMany({ where: { merchantId: m["Globex Retail"].id } })).map((k) => k.channel),
    );
    expect(new Set(m["Globex Retail"].activeChannels)).toEqual(globexChannels);
    expect(m["Globex Retail"].activeChannels).not.toContain("FTP");
  });

  it("enrols owner@acme.test in TOTP with the documented secret, encrypted at rest", async () => {
    const owner = await db.prisma.user.findUniqueOrThrow({ where: { email: "owner@acme.test" } });
    const totp = await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId: owner.id }, omit: { secretEnc: false } });
    expect(totp.secretEnc).not.toContain(DEMO_TOTP_SECRET);
    expect(decrypt(totp.secretEnc)).toBe(DEMO_TOTP_SECRET);
    expect(await db.prisma.totpEnrollment.count()).toBe(1);
  });

  it("lists the sub-account under its master for a master-account member", async () => {
    const owner = await db.prisma.user.findUniqueOrThrow({ where: { email: "owner@acme.test" } });
    const list = await listMerchantsForUser(db.prisma, owner.id);
    expect(list.map((m) => m.name)).toEqual(["Acme Payments"]);
    expect(list[0].subAccounts.map((m) => [m.name, m.role])).toEqual([["Acme EU", "OWNER"]]);
  });

  it("never selects secret columns unless asked", async () => {
    const user = await db.prisma.user.findFirstOrThrow();
    expect(user).not.toHaveProperty("passwordHash");
    const cred = await db.prisma.credential.findFirstOrThrow();
    expect(cred).not.toHaveProperty("secretHash");
  });
});
