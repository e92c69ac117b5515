import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createServer, type Server } from "node:http";
import { type AddressInfo, connect } from "node:net";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import type { SqlTarget } from "./sql";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { setChannelIpAllowList } from "@/lib/keys/services/channel-ip-allow-list";
import { clientAddress, reloadTrustedProxies } from "@/lib/server/client-ip";
import { generateSecret } from "@/lib/keys/secret";
import { KeyCache } from "./cache";
import { randomUUID } from "node:crypto";
import { MAX_SEEN_PER_FLUSH, UsageRecorder, hourOf } from "./usage";
import { createVerifyHandler, VERIFY_PATH } from "./handler";
import { KeyChangeFeed } from "./change-feed";

let db: Database;
let server: Server;
let base: string;
const cache = new KeyCache();
const usage = new UsageRecorder();
// The servers hand the verifier the pg pool behind Prisma (see SqlTarget); so does this one.
const dbGetter = vi.fn(async (): Promise<SqlTarget> => db.pool);
/** The handler's clock: real time, moved ahead by a test when it needs time to pass. */
let ahead = 0;

beforeAll(async () => {
  db = await createTestDatabase();
  const handle = createVerifyHandler({ db: dbGetter, cache, usage, clientIp: clientAddress, now: () => Date.now() + ahead });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
});
afterAll(async () => {
  server?.close();
  await db?.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(base, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const verify = async (body: unknown, headers?: Record<string, string>) => (await post(body, headers)).json();

async function key(over: Record<string, unknown> = {}) {
  const owner = await createActor(db.prisma, "OWNER");
  const issued = await createKey(
    db.prisma,
    owner,
    createKeySchema.parse({ name: "Verify me", environment: "production", channel: "REST", permissions: ["payments:read"], ...over }),
  );
  return { owner, ...issued };
}

describe("the answer", () => {
  it("answers with the server's own headers (the portal's HSTS) as well as the JSON ones, on every answer", async () => {
    const k = await key();
    const handle = createVerifyHandler({
      db: dbGetter,
      cache,
      usage,
      clientIp: clientAddress,
      headers: { "strict-transport-security": "max-age=1" },
    });
    const own = createServer((req, res) => void handle(req, res));
    await new Promise<void>((r) => own.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(own.address() as AddressInfo).port}${VERIFY_PATH}`;
    try {
      for (const [body, status] of [
        [{ key: k.secret }, 200],
        [{ key: k.secret }, 200], // from the cache
        [{ key: "nope" }, 200],
        ["{", 400],
      ] as const) {
        const r = await fetch(url, { method: "POST", body: typeof body === "string" ? body : JSON.stringify(body) });
        expect(r.status).toBe(status);
        expect(r.headers.get("strict-transport-security")).toBe("max-age=1");
        expect(r.headers.get("cache-control")).toBe("no-store");
        expect(r.headers.get("content-type")).toBe("application/json; charset=utf-8");
        const text = await r.text();
        expect(Number(r.headers.get("content-length"))).toBe(Buffer.byteLength(text));
      }
    } finally {
      own.close();
    }
  });
});

describe("outcomes", () => {
  it("VALID with the key's facts", async () => {
    const k = await key();
    const res = await verify({ key: k.secret });
    expect(res).toMatchObject({
      valid: true,
      outcome: "VALID",
      keyId: k.keyId,
      environment: "production",
      channel: "REST",
      permissions: ["payments:read"],
    });
    expect(res.merchantId).toBe(k.owner.merchantId);
    expect(new Date(res.expiresAt).getTime()).toBeGreaterThan(Date.now());
  });

  it("MALFORMED for garbage or a bad checksum, without touching cache or database", async () => {
    const k = await key();
    dbGetter.mockClear();
    const sizeBefore = cache.size;
    const typo = k.secret.slice(0, -1) + (k.secret.endsWith("A") ? "B" : "A");
    for (const bad of ["nope", typo, 42, null, `kp_live_${"a".repeat(38)}`]) expect((await verify({ key: bad })).outcome).toBe("MALFORMED");
    expect(dbGetter).not.toHaveBeenCalled();
    expect(cache.size).toBe(sizeBefore);
  });

  it("NOT_FOUND for a well-formed unknown key (and caches the miss)", async () => {
    const unknown = generateSecret("sandbox");
    expect((await verify({ key: unknown })).outcome).toBe("NOT_FOUND");
    dbGetter.mockClear();
    expect((await verify({ key: unknown })).outcome).toBe("NOT_FOUND");
    expect(dbGetter).not.toHaveBeenCalled();
  });

  it("DISABLED, REVOKED, EXPIRED, IP_NOT_ALLOWED, INSUFFICIENT_PERMISSIONS", async () => {
    const d = await key();
    await changeKeyStatus(db.prisma, d.owner, d.keyId, "disable");
    expect((await verify({ key: d.secret })).outcome).toBe("DISABLED");
    await changeKeyStatus(db.prisma, d.owner, d.keyId, "revoke");
    cache.invalidateKey(d.keyId);
    expect((await verify({ key: d.secret })).outcome).toBe("REVOKED");
    const e = await key();
    await db.prisma.apiKey.update({ where: { id: e.keyId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await verify({ key: e.secret })).outcome).toBe("EXPIRED");
    const ip = await key({ ipAllowList: "10.0.0.0/8" });
    expect((await verify({ key: ip.secret })).outcome).toBe("IP_NOT_ALLOWED");
    const p = await key();
    expect((await verify({ key: p.secret, permissions: ["refunds:write"] })).outcome).toBe("INSUFFICIENT_PERMISSIONS");
    expect((await verify({ key: p.secret, permissions: ["payments:read"] })).outcome).toBe("VALID");
  });

  it("follows the documented order: revoked before disabled before expired before IP before permissions", async () => {
    const k = await key({ ipAllowList: "10.0.0.0/8" });
    await db.prisma.apiKey.update({ where: { id: k.keyId }, data: { expiresAt: new Date(Date.now() - 1000), status: "DISABLED" } });
    expect((await verify({ key: k.secret, permissions: ["refunds:write"] })).outcome).toBe("DISABLED");
    cache.invalidateKey(k.keyId);
    await db.prisma.apiKey.update({ where: { id: k.keyId }, data: { status: "ENABLED" } });
    expect((await verify({ key: k.secret, permissions: ["refunds:write"] })).outcome).toBe("EXPIRED");
    cache.invalidateKey(k.keyId);
    await db.prisma.apiKey.update({ where: { id: k.keyId }, data: { expiresAt: new Date(Date.now() + 1e9) } });
    expect((await verify({ key: k.secret, permissions: ["refunds:write"] })).outcome).toBe("IP_NOT_ALLOWED");
    cache.invalidateKey(k.keyId);
    await db.prisma.apiKey.update({ where: { id: k.keyId }, data: { status: "REVOKED", expiresAt: new Date(Date.now() - 1000) } });
    // Expired, outside its allow-list and asked for a permission it lacks, all at once: REVOKED.
    expect((await verify({ key: k.secret, permissions: ["refunds:write"] })).outcome).toBe("REVOKED");
  });

  it("a previous credential in its grace window is VALID with rotation.previousExpiresAt and a Sunset header", async () => {
    const k = await key();
    const rotated = await rotateKey(db.prisma, k.owner, k.keyId, { grace: "1h", version: 0 });
    const res = await post({ key: k.secret });
    const body = await res.json();
    expect(body.outcome).toBe("VALID");
    expect(body.rotation.previousExpiresAt).toBe(rotated.previousExpiresAt);
    expect(res.headers.get("sunset")).toBe(new Date(rotated.previousExpiresAt).toUTCString());
    expect((await verify({ key: rotated.secret })).rotation).toBeUndefined();
  });

  it("checks expiry against the clock on every hit, not when the entry was cached", async () => {
    const k = await key();
    const soon = new Date(Date.now() + 60_000);
    await db.prisma.apiKey.update({ where: { id: k.keyId }, data: { expiresAt: soon } });
    expect((await verify({ key: k.secret })).outcome).toBe("VALID"); // cached now
    try {
      ahead = 61_000; // a minute later, the same cached entry
      expect((await verify({ key: k.secret })).outcome).toBe("EXPIRED");
    } finally {
      ahead = 0;
    }
    expect((await verify({ key: k.secret })).outcome).toBe("VALID");
  });

  it("the change feed drops a disabled key's cache entry (read on the pg pool, as the servers do)", async () => {
    const k = await key();
    const feed = await KeyChangeFeed.start(db.pool);
    expect((await verify({ key: k.secret })).outcome).toBe("VALID");
    await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
    expect((await verify({ key: k.secret })).outcome).toBe("VALID"); // still cached
    await feed.poll(db.pool, cache);
    expect((await verify({ key: k.secret })).outcome).toBe("DISABLED");
  });
});

describe("HTTP Basic for user-chosen credentials", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const user = `basic-${Date.now()}`;
    const k = await key({ channel: "HTTP", credentialType: "custom", username: user, password: "Long-enough-pass-42" });
    const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString("base64")}` });
    expect(await verify("", basic(user, "Long-enough-pass-42"))).toMatchObject({ outcome: "VALID", keyId: k.keyId });
    expect((await verify("", basic(user, "wrong-password-123"))).outcome).toBe("NOT_FOUND");
    expect((await post("", { authorization: "Basic !!!" })).status).toBe(401);
    expect((await post("", { authorization: "Bearer x" })).status).toBe(401);
  });
});

describe("the body on the wire", () => {
  /** Writes `parts` to one raw connection, a moment apart, and resolves with everything read until `until` matches. */
  function raw(parts: string[], until: RegExp): Promise<string> {
    const { port } = server.address() as AddressInfo;
    return new Promise((resolve, reject) => {
      const socket = connect(port, "127.0.0.1");
      let got = "";
      socket.on("data", (d) => {
        got += d.toString("latin1");
        if (until.test(got)) {
          socket.destroy();
          resolve(got);
        }
      });
      socket.on("close", () => resolve(got));
      socket.on("error", reject);
      socket.once("connect", async () => {
        for (const p of parts) {
          if (socket.destroyed) break;
          socket.write(p);
          await new Promise((r) => setTimeout(r, 20));
        }
      });
    });
  }

  it("reads a body that arrives in pieces, chunked or not, and keeps the connection for the next request", async () => {
    const k = await key();
    const body = JSON.stringify({ key: k.secret });
    const head = `POST ${VERIFY_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n`;
    const split = await raw(
      [
        `${head}Content-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
        body.slice(10, 30),
        `${body.slice(30)}${head}Content-Length: 2\r\n\r\n{}`,
      ],
      /missing_key/,
    );
    expect(split).toMatch(/"outcome":"VALID"[\s\S]*HTTP\/1\.1 400 [\s\S]*missing_key/); // both answers, in order, on one connection
    const chunked = await raw(
      [
        `${head}Transfer-Encoding: chunked\r\n\r\n`,
        `5\r\n${body.slice(0, 5)}\r\n`,
        `${(body.length - 5).toString(16)}\r\n${body.slice(5)}\r\n0\r\n\r\n`,
      ],
      /"outcome":"VALID"/,
    );
    expect(chunked).toMatch(/^HTTP\/1\.1 200 /);
  });

  it("cuts a chunked body off at the limit with 413", async () => {
    const head = `POST ${VERIFY_PATH} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const piece = `400\r\n${"x".repeat(1024)}\r\n`;
    const answer = await raw([head, piece, piece, piece, piece, piece, "0\r\n\r\n"], /body_too_large/);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe("bad requests get JSON 4xx, never 500", () => {
  it("wrong method, key in the query, oversize, bad JSON, wrong shapes", async () => {
    expect((await fetch(base)).status).toBe(405);
    expect((await fetch(`${base}?key=kp_live_x`, { method: "POST" })).status).toBe(400);
    expect((await post({ key: "x".repeat(5000) })).status).toBe(413);
    expect((await post("{not json")).status).toBe(400);
    expect((await post("[1,2]")).status).toBe(400);
    expect((await post({})).status).toBe(400);
    expect((await post({ key: generateSecret("sandbox"), permissions: "payments:read" })).status).toBe(400);
    const res = await post("{not json");
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(await res.json()).toMatchObject({ error: "invalid_json" });
  });

  it("a database failure answers 503", async () => {
    const broken = createVerifyHandler({
      db: async () => {
        throw new Error("db down");
      },
      cache: new KeyCache(),
      usage: new UsageRecorder(),
      clientIp: () => "127.0.0.1",
    });
    const s = createServer((q, r) => void broken(q, r));
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}${VERIFY_PATH}`;
    const res = await fetch(url, { method: "POST", body: JSON.stringify({ key: generateSecret("sandbox") }) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    s.close();
  });
});

describe("channel IP Whitelist", () => {
  // The test client connects from 127.0.0.1.
  it("a verification must match both the channel's list and the key's own list when both are set", async () => {
    const both = await key({ ipAllowList: "127.0.0.1" });
    await setChannelIpAllowList(db.prisma, both.owner, "REST", ["10.0.0.0/8"]);
    expect((await verify({ key: both.secret })).outcome).toBe("IP_NOT_ALLOWED");

    const keyRefuses = await key({ ipAllowList: "10.0.0.0/8" });
    await setChannelIpAllowList(db.prisma, keyRefuses.owner, "REST", ["127.0.0.0/8"]);
    expect((await verify({ key: keyRefuses.secret })).outcome).toBe("IP_NOT_ALLOWED");

    const bothAllow = await key({ ipAllowList: "127.0.0.1" });
    await setChannelIpAllowList(db.prisma, bothAllow.owner, "REST", ["127.0.0.0/8", "10.0.0.0/8"]);
    expect((await verify({ key: bothAllow.secret })).outcome).toBe("VALID");
  });

  it("the channel's list alone restricts a key with none, and only keys of that channel of that account", async () => {
    const k = await key();
    await setChannelIpAllowList(db.prisma, k.owner, "REST", ["10.0.0.0/8"]);
    expect((await verify({ key: k.secret })).outcome).toBe("IP_NOT_ALLOWED");

    const otherChannel = await key();
    await setChannelIpAllowList(db.prisma, otherChannel.owner, "HTTP", ["10.0.0.0/8"]);
    expect((await verify({ key: otherChannel.secret })).outcome).toBe("VALID");
    const otherAccount = await key();
    expect((await verify({ key: otherAccount.secret })).outcome).toBe("VALID");
  });

  it("a changed channel list reaches a cached key through the change feed", async () => {
    const k = await key();
    expect((await verify({ key: k.secret })).outcome).toBe("VALID"); // cached now
    const feed = await KeyChangeFeed.start(db.prisma);
    await setChannelIpAllowList(db.prisma, k.owner, "REST", ["10.0.0.0/8"]);
    await feed.poll(db.prisma, cache);
    expect((await verify({ key: k.secret })).outcome).toBe("IP_NOT_ALLOWED");
    await setChannelIpAllowList(db.prisma, k.owner, "REST", []);
    await feed.poll(db.prisma, cache);
    expect((await verify({ key: k.secret })).outcome).toBe("VALID");
  });
});

describe("client address", () => {
  it("ignores X-Forwarded-For, X-Real-IP and Forwarded from an untrusted peer", async () => {
    const k = await key({ ipAllowList: "203.0.113.0/24" });
    const spoofs: Record<string, string>[] = [
      { "x-forwarded-for": "203.0.113.5" },
      { "x-real-ip": "203.0.113.5" },
      { forwarded: "for=203.0.113.5" },
    ];
    for (const h of spoofs) {
      expect((await verify({ key: k.secret }, h)).outcome).toBe("IP_NOT_ALLOWED");
    }
  });

  it("reads X-Forwarded-For from the right when the peer is a trusted proxy", async () => {
    const k = await key({ ipAllowList: "203.0.113.0/24" });
    process.env.TRUSTED_PROXIES = "127.0.0.1/32";
    reloadTrustedProxies();
    try {
      expect((await verify({ key: k.secret }, { "x-forwarded-for": "198.51.100.1, 203.0.113.5" })).outcome).toBe("VALID");
      expect((await verify({ key: k.secret }, { "x-forwarded-for": "203.0.113.5, 198.51.100.1" })).outcome).toBe("IP_NOT_ALLOWED");
    } finally {
      delete process.env.TRUSTED_PROXIES;
      reloadTrustedProxies();
    }
  });
});

describe("usage", () => {
  it.each(["prisma", "pool"] as const)(
    "counts success and failure in the right hour bucket, with last used and client IPs, flushed (%s)",
    async (via) => {
      const target = (): SqlTarget => (via === "pool" ? db.pool : db.prisma);
      const k = await key();
      const u = new UsageRecorder();
      const cred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: k.keyId } });
      const t = Date.parse("2026-11-23T10:59:59.500Z");
      u.record(k.keyId, cred.id, true, "203.0.113.1", t);
      u.record(k.keyId, cred.id, false, "203.0.113.2", t);
      u.record(k.keyId, cred.id, true, "203.0.113.1", t + 1000); // next hour
      expect(await u.flush(target())).toBe(2);
      const buckets = await db.prisma.usageBucket.findMany({ where: { apiKeyId: k.keyId }, orderBy: { hour: "asc" } });
      expect(buckets.map((b) => [b.hour.toISOString(), b.success, b.failure])).toEqual([
        ["2026-11-23T10:00:00.000Z", 1, 1],
        ["2026-11-23T11:00:00.000Z", 1, 0],
      ]);
      expect(hourOf(t)).toBe(Date.parse("2026-11-23T10:00:00.000Z"));
      const after = await db.prisma.credential.findUniqueOrThrow({ where: { id: cred.id } });
      expect(after.lastUsedAt?.getTime()).toBe(t + 1000);
      expect(after.lastClientIps).toEqual(["203.0.113.1"]); // the refused request's address is not a use
      expect((await db.prisma.apiKey.findUniqueOrThrow({ where: { id: k.keyId } })).lastUsedAt?.getTime()).toBe(t + 1000);
      expect(await u.flush(target())).toBe(0);
      // The same hour again, in the next flush: added to the bucket, not a second row.
      u.record(k.keyId, cred.id, true, "203.0.113.9", t + 2000);
      expect(await u.flush(target())).toBe(1);
      const hour11 = await db.prisma.usageBucket.findFirstOrThrow({ where: { apiKeyId: k.keyId, hour: new Date(hourOf(t + 1000)) } });
      expect([hour11.success, hour11.clientIps.sort()]).toEqual([2, ["203.0.113.1", "203.0.113.9"]]);
    },
  );

  it("writes last used once a minute per credential, at once for a new client address", async () => {
    const k = await key();
    const u = new UsageRecorder();
    const cred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: k.keyId } });
    const t = Date.parse("2026-11-23T12:00:00.000Z");
    const lastUsed = async () => (await db.prisma.credential.findUniqueOrThrow({ where: { id: cred.id } })).lastUsedAt?.getTime();
    u.record(k.keyId, cred.id, true, "203.0.113.1", t);
    await u.flush(db.prisma);
    expect(await lastUsed()).toBe(t);
    u.record(k.keyId, cred.id, true, "203.0.113.1", t + 30_000);
    await u.flush(db.prisma);
    expect(await lastUsed()).toBe(t); // within the minute, same address: not rewritten
    u.record(k.keyId, cred.id, true, "203.0.113.7", t + 31_000);
    await u.flush(db.prisma);
    expect(await lastUsed()).toBe(t + 31_000);
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: cred.id } })).lastClientIps[0]).toBe("203.0.113.7");
    u.record(k.keyId, cred.id, true, "203.0.113.7", t + 125_000); // a minute (and its jitter) later
    await u.flush(db.prisma);
    expect(await lastUsed()).toBe(t + 125_000);
    expect((await db.prisma.usageBucket.findFirstOrThrow({ where: { credentialId: cred.id } })).success).toBe(4);
  });

  it("spreads a wave of last-used writes over several flushes, never delaying a first one", async () => {
    const u = new UsageRecorder();
    const ids = Array.from({ length: MAX_SEEN_PER_FLUSH + 100 }, () => randomUUID());
    const t = Date.now();
    for (const id of ids) u.record(id, id, true, "203.0.113.1", t);
    await u.flush(db.prisma);
    expect(u.pendingLastUsed).toBe(0); // first sightings: all written
    for (const id of ids) u.record(id, id, true, "203.0.113.1", t + 100_000);
    await u.flush(db.prisma);
    expect(u.pendingLastUsed).toBe(100); // the rest wait
    await u.flush(db.prisma);
    expect(u.pendingLastUsed).toBe(0);
  });

  it("counts traffic on a previous credential per minute, and only while it is the previous one", async () => {
    const k = await key();
    const u = new UsageRecorder();
    const cred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: k.keyId } });
    const now = Date.now();
    u.record(k.keyId, cred.id, true, "203.0.113.1", now - 5 * 60_000, false); // before the rotation
    u.record(k.keyId, cred.id, true, "203.0.113.1", now - 2 * 60_000, true);
    u.record(k.keyId, cred.id, false, "203.0.113.1", now - 2 * 60_000, true);
    u.record(k.keyId, cred.id, true, "203.0.113.1", now - 61 * 60_000, true); // more than an hour ago
    await u.flush(db.prisma);
    const { previousTraffic } = await import("@/lib/data/usage");
    const traffic = await previousTraffic(db.prisma, cred.id, new Date(now));
    expect(traffic.lastHour).toBe(1); // the successful one: a refused request is not traffic that breaks
    expect(traffic.safeToRevoke).toBe(false);
  });

  it("the server's verifications are recorded and flushed", async () => {
    const k = await key();
    await verify({ key: k.secret });
    await verify({ key: k.secret, permissions: ["refunds:write"] });
    await usage.flush(db.pool);
    const b = await db.prisma.usageBucket.findFirstOrThrow({ where: { apiKeyId: k.keyId } });
    expect([b.success, b.failure]).toEqual([1, 1]);
  });
});
