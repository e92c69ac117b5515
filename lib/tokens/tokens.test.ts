import { createHash } from "node:crypto";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { createActor } from "@/prisma/factories";
import { AppError } from "@/lib/core/errors";
import { generateToken, hashToken, isTokenShape, tokenHint } from "./format";
import { createToken, revokeToken } from "./service";
import { authenticateToken, bearerOf, touchToken } from "./authenticate";
import { SCOPE_PERMISSIONS, scopeFor, scopesAllow, TOKEN_SCOPES } from "./scopes";
import { createTokenSchema } from "./schema";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const base62 = (n: number) => {
  let s = "";
  do {
    s = BASE62[n % 62] + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(6, "0");
};

describe("management token format", () => {
  it("is kpm_ + 32 base62 + the base62 CRC32 of those 32", () => {
    for (let i = 0; i < 50; i++) {
      const t = generateToken();
      expect(t).toMatch(/^kpm_[0-9A-Za-z]{38}$/);
      expect(t.slice(36)).toBe(base62(crc32(t.slice(4, 36)) >>> 0));
      expect(isTokenShape(t)).toBe(true);
    }
    expect(new Set(Array.from({ length: 200 }, generateToken)).size).toBe(200);
  });

  it("refuses a typo, a wrong prefix or length before any lookup", () => {
    const t = generateToken();
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "a" ? "b" : "a") + s.slice(i + 1);
    expect(isTokenShape(flip(t, 10))).toBe(false);
    expect(isTokenShape(flip(t, 40))).toBe(false);
    expect(isTokenShape(t.replace("kpm_", "kpx_"))).toBe(false);
    expect(isTokenShape(`${t}a`)).toBe(false);
    for (const bad of [null, undefined, 42, "", "kpm_", "Bearer x"]) expect(isTokenShape(bad)).toBe(false);
  });

  it("is stored as its SHA-256, and the page shows only its end", () => {
    const t = generateToken();
    expect(hashToken(t)).toBe(createHash("sha256").update(t).digest("hex"));
    expect(tokenHint(t)).toBe(`kpm_…${t.slice(-4)}`);
  });

  it("reads only `Authorization: Bearer …`", () => {
    expect(bearerOf("Bearer kpm_abc")).toBe("kpm_abc");
    expect(bearerOf("bearer kpm_abc")).toBe("kpm_abc");
    for (const h of [null, "", "Basic a:b", "Bearer", "Bearer a b", "kpm_abc"]) expect(bearerOf(h)).toBeNull();
  });
});

describe("scopes", () => {
  it("map onto the portal's permission names, each permission to one scope", () => {
    expect(scopeFor("keys.read")).toBe("keys:read");
    expect(scopeFor("keys.write")).toBe("keys:write");
    expect(scopeFor("keys.toggle")).toBe("keys:write");
    expect(scopeFor("keys.rotate")).toBe("keys:rotate");
    expect(scopeFor("keys.rollback")).toBe("keys:rotate");
    expect(scopeFor("keys.revoke")).toBe("keys:delete");
    expect(scopeFor("keys.delete")).toBe("keys:delete");
    expect(scopeFor("audit.read")).toBe("audit:read");
    expect(scopeFor("keys.verify")).toBe("keys:verify");
    expect(scopesAllow(["keys:verify"], "keys.read")).toBe(false); // verify, the stream and usage: nothing else
    const all = TOKEN_SCOPES.flatMap((s) => SCOPE_PERMISSIONS[s]);
    expect(new Set(all).size).toBe(all.length);
    expect(scopesAllow(["keys:read"], "keys.rotate")).toBe(false);
    expect(scopesAllow(["keys:rotate"], "keys.rollback")).toBe(true);
  });
});

describe("tokens in the database", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());
  const input = createTokenSchema.parse({ name: "CI", scopes: ["keys:read", "keys:rotate"], expiry: "30d" });
  const code = (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (e) => (e instanceof AppError ? e.code : `UNEXPECTED ${e}`),
    );

  it("keeps only the hash, shows the token once, audits the creation", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const made = await createToken(db.prisma, owner, input);
    const row = await db.prisma.managementToken.findUniqueOrThrow({ where: { id: made.id } });
    expect(row.tokenHash).toBe(hashToken(made.token));
    expect(JSON.stringify(row)).not.toContain(made.token);
    expect(row.expiresAt!.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000);
    const audit = await db.prisma.auditEvent.findFirstOrThrow({ where: { merchantId: owner.merchantId, action: "token.created" } });
    expect(JSON.stringify(audit)).not.toContain(made.token);
  });

  it("only owners create and revoke; another merchant's token answers like a missing one", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    for (const role of ["ADMIN", "DEVELOPER", "VIEWER"] as const) {
      const other = await createActor(db.prisma, role, owner.merchantId);
      expect(await code(createToken(db.prisma, other, input))).toBe("FORBIDDEN");
    }
    const made = await createToken(db.prisma, owner, input);
    const stranger = await createActor(db.prisma, "OWNER");
    expect(await code(revokeToken(db.prisma, stranger, made.id))).toBe("NOT_FOUND");
    expect(await code(revokeToken(db.prisma, owner, made.id))).toBe("OK");
  });

  it("works only while valid: revoked, expired, another merchant, or a creator who is no longer an owner", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const auth = (t: string, m = owner.merchantId, now?: Date) => code(authenticateToken(db.prisma, t, m, {}, now));
    const made = await createToken(db.prisma, owner, input);
    expect(await auth(made.token)).toBe("OK");
    const ctx = await authenticateToken(db.prisma, made.token, owner.merchantId, { clientIp: "198.51.100.1" });
    expect(ctx.actor).toMatchObject({
      userId: owner.userId,
      role: "OWNER",
      door: "api",
      token: { id: made.id, name: "CI" },
      clientIp: "198.51.100.1",
    });
    expect(ctx.actor.email).toContain("CI");
    expect(await auth(made.token, (await createActor(db.prisma, "OWNER")).merchantId)).toBe("MERCHANT_NOT_FOUND");
    expect(await auth(made.token, owner.merchantId, new Date(Date.now() + 31 * 86_400_000))).toBe("UNAUTHENTICATED");
    expect(await auth(generateToken())).toBe("UNAUTHENTICATED");
    // The creator demoted: the token stops; promoted again: it works again.
    await db.prisma.membership.updateMany({ where: { userId: owner.userId, merchantId: owner.merchantId }, data: { role: "ADMIN" } });
    expect(await auth(made.token)).toBe("UNAUTHENTICATED");
    await db.prisma.membership.updateMany({ where: { userId: owner.userId, merchantId: owner.merchantId }, data: { role: "OWNER" } });
    expect(await auth(made.token)).toBe("OK");
    await revokeToken(db.prisma, owner, made.id);
    expect(await auth(made.token)).toBe("UNAUTHENTICATED");
  });

  it("records last use at most once a minute", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const made = await createToken(db.prisma, owner, input);
    const t0 = new Date();
    await touchToken(db.prisma, made.id, null, t0);
    const first = (await db.prisma.managementToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt;
    expect(first?.getTime()).toBe(t0.getTime());
    await touchToken(db.prisma, made.id, first, new Date(t0.getTime() + 30_000));
    expect((await db.prisma.managementToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime()).toBe(t0.getTime());
    const later = new Date(t0.getTime() + 61_000);
    await touchToken(db.prisma, made.id, first, later);
    expect((await db.prisma.managementToken.findUniqueOrThrow({ where: { id: made.id } })).lastUsedAt?.getTime()).toBe(later.getTime());
  });
});
