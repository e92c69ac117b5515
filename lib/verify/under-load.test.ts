import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { deleteKey } from "@/lib/keys/services/delete-key";
import { startVerifierRuntime, type VerifierRuntime } from "./runtime";
import { VERIFY_PATH } from "./handler";

// A steady stream of verifications while keys change underneath it, through the real runtime
// (cache, 250 ms change feed, usage flush). Bounded: each scenario streams for a few seconds.
let db: Database;
let runtime: VerifierRuntime;
let server: Server;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  runtime = await startVerifierRuntime(db.prisma);
  server = createServer((req, res) => void runtime.handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
});
afterAll(async () => {
  server?.close();
  await runtime?.stop();
  await db?.close();
});

const verify = async (key: string) =>
  (await (await fetch(url, { method: "POST", body: JSON.stringify({ key }) })).json()).outcome as string;

/** Verifies `key` every 5 ms for `ms`, calling `change` at `at` ms; returns each outcome with its time. */
async function stream(key: string, ms: number, at: number, change: () => Promise<void>) {
  const results: { t: number; outcome: string }[] = [];
  const start = Date.now();
  let changedAt = 0;
  let changeStartedAt = 0;
  const changer = new Promise<void>((resolve) =>
    setTimeout(async () => {
      changeStartedAt = Date.now();
      await change();
      changedAt = Date.now();
      resolve();
    }, at),
  );
  while (Date.now() - start < ms) {
    const outcome = await verify(key);
    results.push({ t: Date.now(), outcome });
    await new Promise((r) => setTimeout(r, 5));
  }
  await changer;
  return { results, changedAt, changeStartedAt };
}

async function warmKey() {
  const owner = await createActor(db.prisma, "OWNER");
  const k = await createKey(
    db.prisma,
    owner,
    createKeySchema.parse({ name: "Busy", environment: "production", channel: "REST", permissions: ["payments:read"] }),
  );
  expect(await verify(k.secret)).toBe("VALID"); // now in the cache
  return { owner, ...k };
}

describe("changes under a steady stream of verifications", () => {
  it("rotation with a short window: no rejection inside it, rejection within 1 s after it closes", async () => {
    const k = await warmKey();
    let windowEnd = 0;
    const { results } = await stream(k.secret, 3500, 300, async () => {
      // A one-hour window that started 58.5 minutes ago: it closes 1.5 s from now.
      const rotated = await rotateKey(db.prisma, k.owner, k.keyId, { grace: "1h", version: 0 }, new Date(Date.now() - 3600_000 + 1500));
      windowEnd = Date.parse(rotated.previousExpiresAt);
    });
    const inside = results.filter((r) => r.t < windowEnd - 50);
    const after = results.filter((r) => r.t > windowEnd + 1000);
    expect(inside.length).toBeGreaterThan(20);
    expect(inside.filter((r) => r.outcome !== "VALID")).toEqual([]);
    expect(after.length).toBeGreaterThan(5);
    expect(after.every((r) => r.outcome === "REVOKED")).toBe(true);
  });

  for (const [label, change, expected] of [
    [
      "disable",
      (k: Awaited<ReturnType<typeof warmKey>>) => changeKeyStatus(db.prisma, k.owner, k.keyId, "disable").then(() => {}),
      "DISABLED",
    ],
    [
      "revoke",
      async (k: Awaited<ReturnType<typeof warmKey>>) => {
        await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
        await changeKeyStatus(db.prisma, k.owner, k.keyId, "revoke");
      },
      "REVOKED",
    ],
    ["delete", (k: Awaited<ReturnType<typeof warmKey>>) => deleteKey(db.prisma, k.owner, k.keyId).then(() => {}), "NOT_FOUND"],
  ] as const) {
    it(`${label} of a cached key takes effect within 1 second`, async () => {
      const k = await warmKey();
      const { results, changedAt, changeStartedAt } = await stream(k.secret, 2500, 300, () => change(k));
      // Answered before the change began: all VALID, and there are such answers.
      const before = results.filter((r) => r.t < changeStartedAt);
      expect(before.length).toBeGreaterThan(10);
      expect(new Set(before.map((r) => r.outcome))).toEqual(new Set(["VALID"]));
      const firstRejected = results.find((r) => r.t >= changeStartedAt && r.outcome !== "VALID");
      expect(firstRejected).toBeDefined();
      expect(firstRejected!.t - changedAt).toBeLessThanOrEqual(1000);
      // Everything answered more than a second after the change: exactly the change's outcome, and there is such traffic.
      const after = results.filter((r) => r.t > changedAt + 1000);
      expect(after.length).toBeGreaterThan(10);
      expect(new Set(after.map((r) => r.outcome))).toEqual(new Set([expected]));
    });
  }

  it("flushes counted verifications on shutdown", async () => {
    const k = await warmKey();
    for (let i = 0; i < 3; i++) await verify(k.secret);
    await runtime.stop();
    const sum = await db.prisma.usageBucket.aggregate({ where: { apiKeyId: k.keyId }, _sum: { success: true } });
    expect(sum._sum.success).toBe(4);
    runtime = await startVerifierRuntime(db.prisma);
  });
});
