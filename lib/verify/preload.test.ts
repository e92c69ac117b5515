import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createKey, createMerchant } from "@/prisma/factories";
import { hashSecret } from "@/lib/keys/secret";
import { startVerifierRuntime } from "./runtime";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

const HOUR = 3600_000;
const usedAt = (keyId: string, at: Date) => db.prisma.credential.updateMany({ where: { apiKeyId: keyId }, data: { lastUsedAt: at } });

describe("a verifier's start", () => {
  it("reads the keys used in the last day into its cache before it serves, most recent first, up to VERIFIER_PRELOAD_KEYS", async () => {
    const merchant = await createMerchant(db.prisma);
    const now = Date.now();
    // Later than anything else in the shared test database, so that these are the most recent.
    const recent = [];
    for (let i = 0; i < 3; i++) {
      const k = await createKey(db.prisma, { merchantId: merchant.id, environment: "production" });
      await usedAt(k.key.id, new Date(now + HOUR + i * 1000));
      recent.push(k);
    }
    const yesterday = await createKey(db.prisma, { merchantId: merchant.id });
    await usedAt(yesterday.key.id, new Date(now - 25 * HOUR));
    const never = await createKey(db.prisma, { merchantId: merchant.id });

    const runtime = await startVerifierRuntime(db.prisma, { preloadKeys: 2 });
    try {
      // The two most recent, answered from memory without a read; the third waits for first use.
      expect(runtime.cache.peek(hashSecret(recent[2].secret))).toMatchObject({ keyId: recent[2].key.id, status: "ENABLED" });
      expect(runtime.cache.peek(hashSecret(recent[1].secret))).toMatchObject({ keyId: recent[1].key.id });
      expect(runtime.cache.peek(hashSecret(recent[0].secret))).toBeUndefined();
      expect(runtime.cache.peek(hashSecret(yesterday.secret))).toBeUndefined();
      expect(runtime.cache.peek(hashSecret(never.secret))).toBeUndefined();
    } finally {
      await runtime.stop();
    }
    const off = await startVerifierRuntime(db.prisma, { preloadKeys: 0 });
    try {
      expect(off.cache.peek(hashSecret(recent[2].secret))).toBeUndefined();
    } finally {
      await off.stop();
    }
  });
});
