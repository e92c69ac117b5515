// @keyport/verify against a real Keyport (the verification API and the SDK routes over a test
// database, with the LISTEN-fed change feed): answers, pushed invalidation, a restart, failMode
// both ways, one merchant's stream, and usage counted from cached answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { createActor, createKey } from "@/prisma/factories";
import { createToken } from "@/lib/tokens/service";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { revokePreviousKey } from "@/lib/keys/services/revoke-previous";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { createVerifier, KeyportTokenError, KeyportUnavailableError, type Verifier, type VerifierEvent } from "@/packages/verify/src/index";
import { parseEventId } from "./server";
import { startTestKeyport, type TestKeyport } from "./testing";

let db: Database;
let kp: TestKeyport;
let port = 0;
let owner: Awaited<ReturnType<typeof createActor>>;
let token: string;
const verifiers: Verifier[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  kp = await startTestKeyport(db);
  port = Number(new URL(kp.url).port);
  owner = await createActor(db.prisma, "OWNER");
  token = (await createToken(db.prisma, owner, { name: "SDK", scopes: ["keys:verify"], expiry: "30d" })).token;
});
afterAll(async () => {
  for (const v of verifiers) await v.close().catch(() => {});
  await kp?.stop().catch(() => {});
  await db?.close();
});

async function connected(opts: Partial<Parameters<typeof createVerifier>[0]> = {}) {
  const v = createVerifier({ url: kp.url, token, usageFlushMs: 60_000, ...opts });
  verifiers.push(v);
  await v.ready();
  return v;
}
const version = async (keyId: string) => (await db.prisma.apiKey.findUniqueOrThrow({ where: { id: keyId } })).version;

/** How long after `change` until `verify` answers `outcome` for `secret` (polled every 5 ms), or null after 2 s. */
async function msUntil(v: Verifier, secret: string, outcome: string, change: () => Promise<unknown>) {
  await change();
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) {
    const r = await v.verify(secret);
    if (r.outcome === outcome) return { ms: performance.now() - t0, outcome: r.outcome };
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
}

describe("@keyport/verify", () => {
  it("asks Keyport once, then answers in-process exactly as POST /api/v1/keys/verify does", async () => {
    const v = await connected();
    const { secret } = await createKey(db.prisma, {
      merchantId: owner.merchantId,
      environment: "production",
      permissions: ["payments:read"],
    });
    const first = await v.verify(secret);
    const second = await v.verify(secret);
    expect([first.cached, second.cached]).toEqual([false, true]);
    const http = await (await fetch(`${kp.url}/api/v1/keys/verify`, { method: "POST", body: JSON.stringify({ key: secret }) })).json();
    const { cached: _, sunset, ...fields } = second;
    expect(fields).toEqual(http);
    expect(sunset).toBeNull();
    // Permissions and malformed keys, in the API's words, without asking.
    expect((await v.verify(secret, { permissions: ["refunds:write"] })).outcome).toBe("INSUFFICIENT_PERMISSIONS");
    expect(await v.verify(`${secret.slice(0, -1)}x`)).toMatchObject({ valid: false, outcome: "MALFORMED" });
    expect(v.stats().misses).toBe(1);
    // A token without keys:verify is a configuration error, whatever the failMode.
    const other = (await createToken(db.prisma, owner, { name: "read", scopes: ["keys:read"], expiry: "30d" })).token;
    const wrong = createVerifier({ url: kp.url, token: other, failMode: "open" });
    verifiers.push(wrong);
    await expect(wrong.verify(secret)).rejects.toBeInstanceOf(KeyportTokenError);
  });

  it("a revoke, a disable, the end of a rotation's grace window and a rollback each reach a connected SDK within a second", async () => {
    const v = await connected();
    type Case = { secret: string; before?: string; after: string; change: () => Promise<unknown> };
    const cases: [string, (keyId: string, secret: string) => Promise<Case>][] = [
      [
        "revoke", // a key is disabled before it is revoked
        async (keyId, secret) => {
          await changeKeyStatus(db.prisma, owner, keyId, "disable");
          return { secret, before: "DISABLED", after: "REVOKED", change: () => changeKeyStatus(db.prisma, owner, keyId, "revoke") };
        },
      ],
      [
        "disable",
        async (keyId, secret) => ({ secret, after: "DISABLED", change: () => changeKeyStatus(db.prisma, owner, keyId, "disable") }),
      ],
      [
        "rotation end",
        async (keyId, secret) => {
          await rotateKey(db.prisma, owner, keyId, { grace: "24h", version: await version(keyId) });
          const previous = await v.verify(secret);
          expect(previous).toMatchObject({ valid: true });
          expect(previous.sunset).toMatch(/GMT$/);
          // The previous credential is deleted: the old secret is then unknown.
          return { secret, after: "NOT_FOUND", change: async () => revokePreviousKey(db.prisma, owner, keyId, await version(keyId)) };
        },
      ],
      [
        "rollback",
        async (keyId) => {
          const fresh = await rotateKey(db.prisma, owner, keyId, { grace: "24h", version: await version(keyId) });
          return {
            secret: fresh.secret,
            after: "NOT_FOUND", // the rotation's new credential is gone
            change: async () => rollbackRotation(db.prisma, owner, keyId, { version: await version(keyId) }),
          };
        },
      ],
    ];
    for (const [name, prepare] of cases) {
      const { key, secret } = await createKey(db.prisma, { merchantId: owner.merchantId });
      const c = await prepare(key.id, secret);
      // Before the change: answered from the cache (once any earlier step's invalidation has arrived).
      await expect
        .poll(async () => {
          const r = await v.verify(c.secret);
          return `${r.outcome}${r.cached ? " (cached)" : ""}`;
        })
        .toBe(`${c.before ?? "VALID"} (cached)`);
      const refused = await msUntil(v, c.secret, c.after, c.change);
      expect(refused, name).not.toBeNull();
      expect(refused!.ms, name).toBeLessThan(1000);
      console.log(`${name}: refused after ${refused!.ms.toFixed(0)} ms (${refused!.outcome})`);
    }
  });

  it("one merchant's stream never carries another merchant's key ids, and another merchant's key is never cached", async () => {
    const stranger = await createActor(db.prisma, "OWNER");
    const mine = await createKey(db.prisma, { merchantId: owner.merchantId });
    const theirs = await createKey(db.prisma, { merchantId: stranger.merchantId });
    const ac = new AbortController();
    const res = await fetch(`${kp.url}/api/v1/keys/changes`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    let text = "";
    const reading = (async () => {
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) text += Buffer.from(chunk).toString();
      } catch {
        // aborted
      }
    })();
    await expect.poll(() => text).toContain("event: ready");
    await changeKeyStatus(db.prisma, stranger, theirs.key.id, "disable");
    await changeKeyStatus(db.prisma, owner, mine.key.id, "disable");
    await expect.poll(() => text).toContain(mine.key.id);
    await new Promise((r) => setTimeout(r, 300));
    ac.abort();
    await reading;
    expect(text).not.toContain(theirs.key.id);
    expect(text).not.toContain(stranger.merchantId);

    const v = await connected();
    const live = await createKey(db.prisma, { merchantId: stranger.merchantId });
    expect((await v.verify(live.secret)).valid).toBe(true);
    expect((await v.verify(live.secret)).cached).toBe(false); // asked again: never cached
    expect(v.stats().entries).toBe(0);
    // Without a token, or with a bad one: 401.
    expect((await fetch(`${kp.url}/api/v1/keys/changes`)).status).toBe(401);
    expect((await fetch(`${kp.url}/api/v1/keys/changes`, { headers: { authorization: "Bearer kpm_nope" } })).status).toBe(401);
  });

  it("usage from cached answers reaches the key's counts and last use, as if verified centrally", async () => {
    const v = await connected();
    const { key, secret } = await createKey(db.prisma, { merchantId: owner.merchantId });
    for (let i = 0; i < 25; i++) await v.verify(secret, { ip: "203.0.113.9" });
    await v.flushUsage();
    await expect
      .poll(async () => {
        const rows = await db.prisma.usageBucket.findMany({ where: { apiKeyId: key.id } });
        return rows.reduce((n, r) => n + r.success, 0);
      })
      .toBe(25); // 1 verified by Keyport (its own counter), 24 from the cache
    const cred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: key.id, slot: "CURRENT" } });
    expect(cred.lastUsedAt).not.toBeNull();
    expect(cred.lastClientIps).toContain("203.0.113.9");
    // A report naming another merchant's credential is ignored.
    const stranger = await createActor(db.prisma, "OWNER");
    const theirs = await createKey(db.prisma, { merchantId: stranger.merchantId });
    const theirCred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: theirs.key.id } });
    const res = await fetch(`${kp.url}/api/v1/sdk/usage`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        entries: [{ keyId: theirs.key.id, credentialId: theirCred.id, success: 5, failure: 0, ips: [], lastAt: Date.now() }],
      }),
    });
    expect(await res.json()).toEqual({ recorded: 0 });
    expect(await db.prisma.usageBucket.count({ where: { apiKeyId: theirs.key.id } })).toBe(0);
    // A million answers in one report are counted in bulk: every one, with its addresses and its previous-key minute.
    const big = await createKey(db.prisma, { merchantId: owner.merchantId });
    const bigCred = await db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: big.key.id } });
    const bulk = await fetch(`${kp.url}/api/v1/sdk/usage`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({
        entries: [
          {
            keyId: big.key.id,
            credentialId: bigCred.id,
            success: 1_000_000,
            failure: 5,
            ips: ["203.0.113.1", "203.0.113.2"],
            previous: true,
            lastAt: Date.now(),
          },
        ],
      }),
    });
    expect(await bulk.json()).toEqual({ recorded: 1_000_005 });
    const buckets = await db.prisma.usageBucket.findMany({ where: { apiKeyId: big.key.id } });
    expect([buckets.reduce((n, b) => n + b.success, 0), buckets.reduce((n, b) => n + b.failure, 0)]).toEqual([1_000_000, 5]);
    expect(buckets.flatMap((b) => b.clientIps).sort()).toEqual(["203.0.113.1", "203.0.113.2"]);
    const minutes = await db.prisma.previousTraffic.findMany({ where: { credentialId: bigCred.id } });
    expect(minutes.reduce((n, m) => n + m.count, 0)).toBe(1_000_000);
  });

  it("survives a Keyport restart: it reconnects, resumes from its last event, and a change made meanwhile is applied", async () => {
    const events: VerifierEvent[] = [];
    const v = await connected({ onEvent: (e) => events.push(e) });
    const { key, secret } = await createKey(db.prisma, { merchantId: owner.merchantId });
    await v.verify(secret);
    expect((await v.verify(secret)).cached).toBe(true);
    await kp.stop();
    await expect.poll(() => v.connected).toBe(false);
    await changeKeyStatus(db.prisma, owner, key.id, "disable"); // while Keyport is down
    kp = await startTestKeyport(db, port);
    await expect.poll(() => v.connected, { timeout: 15_000 }).toBe(true);
    // Resumed from its last event id: the change made while it was away came as an invalidation.
    expect(events).toContainEqual({ type: "connected", resumed: true });
    // The resumed stream's first event may arrive just after "connected". It resumes from a
    // snapshot horizon, which a transaction anywhere in the cluster can hold back: it may name
    // keys changed before too (dropping those is harmless), never fewer.
    await expect.poll(() => events.some((e) => e.type === "invalidated" && e.keyIds.includes(key.id)), { timeout: 5_000 }).toBe(true);
    expect(await v.verify(secret)).toMatchObject({ valid: false, outcome: "DISABLED" });
    expect(parseEventId("1.1")).toBe("reset"); // not an id of ours: start over
    expect(parseEventId(`5.${Date.now() - 25 * 3600_000}`)).toBe("reset"); // older than the feed keeps
  });

  it("failMode: closed refuses when Keyport is down past the safety TTL; open answers what it has seen, and only that", async () => {
    const closed = await connected({ cache: { ttlMs: 300 } });
    const open = await connected({ cache: { ttlMs: 300 }, failMode: "open" });
    const seen = await createKey(db.prisma, { merchantId: owner.merchantId });
    const unseen = await createKey(db.prisma, { merchantId: owner.merchantId });
    for (const v of [closed, open]) await v.verify(seen.secret);
    await kp.stop();
    await expect.poll(() => closed.connected && open.connected).toBe(false);
    await new Promise((r) => setTimeout(r, 400)); // past the safety TTL
    await expect(closed.verify(seen.secret)).rejects.toBeInstanceOf(KeyportUnavailableError);
    await expect(closed.verify(unseen.secret)).rejects.toBeInstanceOf(KeyportUnavailableError);
    expect(await open.verify(seen.secret)).toMatchObject({ valid: true, cached: true });
    await expect(open.verify(unseen.secret)).rejects.toBeInstanceOf(KeyportUnavailableError);
    kp = await startTestKeyport(db, port);
  });
});
