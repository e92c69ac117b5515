import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { AppError } from "@/lib/core/errors";
import { createActor, createKey, createMerchant } from "@/prisma/factories";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { hourOf, MAX_BUCKET_IPS, UsageRecorder } from "@/lib/verify/usage";
import { readImpact } from "./impact";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const currentCredential = (keyId: string) => db.prisma.credential.findFirstOrThrow({ where: { apiKeyId: keyId, slot: "CURRENT" } });

describe("readImpact", () => {
  it("reads the recorded traffic of the last 7 days, with the distinct client addresses the verifier saw", async () => {
    const m = await createMerchant(db.prisma);
    const { key } = await createKey(db.prisma, { merchantId: m.id });
    const cred = await currentCredential(key.id);
    const now = Date.now();
    const u = new UsageRecorder();
    const t = now - 4 * 60_000;
    u.record(key.id, cred.id, false, "198.51.100.1", t);
    for (let i = 0; i < 5; i++) u.record(key.id, cred.id, true, "203.0.113.7", t);
    u.record(key.id, cred.id, true, "192.0.2.10", now - 8 * 24 * 3600_000); // older than the window
    await u.flush(db.prisma);
    // A second flush into the same bucket merges the addresses instead of replacing them.
    u.record(key.id, cred.id, true, "192.0.2.44", t);
    await u.flush(db.prisma);
    const bucket = await db.prisma.usageBucket.findFirstOrThrow({ where: { credentialId: cred.id, hour: new Date(hourOf(t)) } });
    // The refused request (from 198.51.100.1) is counted apart: its address is not a user's.
    expect([...bucket.clientIps].sort()).toEqual(["192.0.2.44", "203.0.113.7"]);
    const p = await readImpact(db.prisma, m.id, [key.id], "all", new Date(now));
    expect(p).toMatchObject({ requests: 6, refused: 1, distinctIps: 2, recent: true });
    expect(p.text).toBe(
      "6 successful requests from 2 IP addresses in the last 7 days. Last used 4 minutes ago from 192.0.2.44. 1 refused request in the last 7 days is not counted.",
    );
  });

  it("a key only ever refused (disabled, then tried) is not in use: no warning, no last use", async () => {
    const m = await createMerchant(db.prisma);
    const { key } = await createKey(db.prisma, { merchantId: m.id, status: "DISABLED" });
    const cred = await currentCredential(key.id);
    const u = new UsageRecorder();
    for (let i = 0; i < 3; i++) u.record(key.id, cred.id, false, "203.0.113.9", Date.now() - 60_000);
    await u.flush(db.prisma);
    const p = await readImpact(db.prisma, m.id, [key.id], "all");
    expect(p).toMatchObject({ requests: 0, refused: 3, recent: false, lastUsedAt: null });
    expect(p.text).toBe("No successful requests in the last 7 days. 3 refused requests in the last 7 days are not counted.");
    expect((await db.prisma.credential.findUniqueOrThrow({ where: { id: cred.id } })).lastUsedAt).toBeNull();
  });

  it("a fresh key has no requests; several keys are summed; rollback's scope leaves the previous credential out", async () => {
    const m = await createMerchant(db.prisma);
    const owner = await createActor(db.prisma, "OWNER", m.id);
    const fresh = await createKey(db.prisma, { merchantId: m.id });
    expect((await readImpact(db.prisma, m.id, [fresh.key.id], "all")).text).toBe("No successful requests in the last 7 days.");
    const a = await createKey(db.prisma, { merchantId: m.id });
    const old = await currentCredential(a.key.id);
    await rotateKey(db.prisma, owner, a.key.id, { grace: "24h", version: a.key.version });
    const next = await currentCredential(a.key.id);
    const u = new UsageRecorder();
    const now = Date.now();
    u.record(a.key.id, old.id, true, "192.0.2.1", now - 60 * 60_000, true);
    u.record(a.key.id, next.id, true, "192.0.2.2", now - 30 * 60_000);
    u.record(fresh.key.id, (await currentCredential(fresh.key.id)).id, true, "192.0.2.3", now - 20 * 60_000);
    await u.flush(db.prisma);
    expect((await readImpact(db.prisma, m.id, [a.key.id, fresh.key.id], "all")).requests).toBe(3);
    const rollback = await readImpact(db.prisma, m.id, [a.key.id], "current");
    expect(rollback).toMatchObject({ requests: 1, distinctIps: 1, lastIp: "192.0.2.2", recent: false });
  });

  it("keeps at most 64 addresses per bucket, in memory and in the row, and then counts them as a lower bound", async () => {
    const m = await createMerchant(db.prisma);
    const { key } = await createKey(db.prisma, { merchantId: m.id });
    const cred = await currentCredential(key.id);
    const t = Date.now() - 60_000;
    const u = new UsageRecorder();
    for (let i = 0; i < 70; i++) u.record(key.id, cred.id, true, `198.51.100.${i}`, t);
    await u.flush(db.prisma);
    for (let i = 70; i < 80; i++) u.record(key.id, cred.id, true, `198.51.100.${i}`, t);
    await u.flush(db.prisma);
    const bucket = await db.prisma.usageBucket.findFirstOrThrow({ where: { credentialId: cred.id } });
    expect(bucket.success).toBe(80);
    expect(bucket.clientIps).toHaveLength(MAX_BUCKET_IPS);
    expect((await readImpact(db.prisma, m.id, [key.id], "all")).text).toMatch(
      /^80 successful requests from at least 64 IP addresses in the last 7 days\./,
    );
  });

  it("answers another merchant's key, or a malformed id, like a missing key", async () => {
    const mine = await createMerchant(db.prisma);
    const theirs = await createKey(db.prisma, { merchantId: (await createMerchant(db.prisma)).id });
    const err = (p: Promise<unknown>) =>
      p.then(
        () => "OK",
        (e) => (e instanceof AppError ? e.code : String(e)),
      );
    expect(await err(readImpact(db.prisma, mine.id, [theirs.key.id], "all"))).toBe("NOT_FOUND");
    expect(await err(readImpact(db.prisma, mine.id, ["nope"], "all"))).toBe("NOT_FOUND");
  });
});
