import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { changeKeyStatus } from "@/lib/keys/services/change-key-status";
import { KeyCache } from "./cache";
import { UsageRecorder } from "./usage";
import { createVerifyHandler, VERIFY_PATH } from "./handler";
import { FEED_BATCH, KeyChangeFeed } from "./change-feed";
import { holdTransaction } from "@/lib/testing/held-transaction";

// Real PostgreSQL: two transactions on two connections, committing out of sequence order.
let db: Database;
let server: Server;
let url: string;
const cache = new KeyCache();

beforeAll(async () => {
  db = await createTestDatabase();
  const handle = createVerifyHandler({ db: async () => db.prisma, cache, usage: new UsageRecorder(), clientIp: () => "127.0.0.1" });
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${VERIFY_PATH}`;
});
afterAll(async () => {
  server?.close();
  await db?.close();
});

const verify = async (key: string) =>
  (await (await fetch(url, { method: "POST", body: JSON.stringify({ key }) })).json()).outcome as string;

async function warmKey() {
  const owner = await createActor(db.prisma, "OWNER");
  const k = await createKey(
    db.prisma,
    owner,
    createKeySchema.parse({ name: "Feed", environment: "production", channel: "REST", permissions: ["payments:read"] }),
  );
  expect(await verify(k.secret)).toBe("VALID"); // now cached
  return { owner, ...k };
}

const lastChangeId = async (keyId: string) =>
  (await db.prisma.keyChange.findFirstOrThrow({ where: { apiKeyId: keyId }, orderBy: { id: "desc" } })).id;

/** Disables `k` in a transaction held open until `commit()` is called. */
const heldDisable = (k: Awaited<ReturnType<typeof warmKey>>) =>
  holdTransaction(db.prisma, (tx) => changeKeyStatus(tx, k.owner, k.keyId, "disable"));

/** A transaction with a transaction id, which holds every snapshot's horizon (xmin) at or below it until committed. */
const heldHorizon = () => holdTransaction(db.prisma, (tx) => tx.$queryRaw`SELECT pg_current_xact_id()::text`);

describe("key change feed", () => {
  it("applies a change that took a lower id but committed after a higher one was read", async () => {
    const feed = await KeyChangeFeed.start(db.prisma);
    const early = await warmKey();
    const late = await warmKey();
    const held = await heldDisable(early); // takes its key_changes id first...
    await changeKeyStatus(db.prisma, late.owner, late.keyId, "disable"); // ...this one takes a higher id and commits first
    await feed.poll(db.prisma, cache);
    expect(await verify(late.secret)).toBe("DISABLED");
    expect(await verify(early.secret)).toBe("VALID"); // not committed yet: still the cached truth

    await held.commit();
    expect(await lastChangeId(early.keyId)).toBeLessThan(await lastChangeId(late.keyId));
    expect(await verify(early.secret)).toBe("VALID"); // cached until the feed says otherwise
    await feed.poll(db.prisma, cache);
    expect(await verify(early.secret)).toBe("DISABLED");
  });

  it("applies each change once, and a rolled-back transaction neither shows up nor holds the feed back", async () => {
    const k = await warmKey();
    const feed = await KeyChangeFeed.start(db.prisma);
    const rolledBack = db.prisma.$transaction(async (tx) => {
      await changeKeyStatus(tx, k.owner, k.keyId, "disable");
      throw new Error("changed my mind");
    });
    await expect(rolledBack).rejects.toThrow("changed my mind");
    expect(await feed.poll(db.prisma, cache)).toBe(0);
    expect(await verify(k.secret)).toBe("VALID");

    await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
    expect(await feed.poll(db.prisma, cache)).toBe(1);
    expect(await verify(k.secret)).toBe("DISABLED");
    expect(await feed.poll(db.prisma, cache)).toBe(0); // read again while its horizon is open, never re-applied
  });

  it("too far behind to track row by row, it drops the whole cache, then carries on", async () => {
    const k = await warmKey();
    const feed = await KeyChangeFeed.start(db.prisma);
    await db.prisma
      .$executeRaw`INSERT INTO key_changes (api_key_id, kind) SELECT gen_random_uuid(), 'bench' FROM generate_series(1, ${FEED_BATCH})`;
    expect(cache.size).toBeGreaterThan(0);
    expect(await feed.poll(db.prisma, cache)).toBe(FEED_BATCH);
    expect(cache.size).toBe(0);
    expect(await feed.poll(db.prisma, cache)).toBe(0);
    await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
    expect(await feed.poll(db.prisma, cache)).toBe(1);
  });

  it("starts at the present: earlier changes are not replayed", async () => {
    const k = await warmKey();
    await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
    const feed = await KeyChangeFeed.start(db.prisma);
    expect(await feed.poll(db.prisma, cache)).toBe(0);
  });

  it("while another transaction holds the horizon back, a backlog is read once: a feed started after it replays nothing, one started before resets once", async () => {
    const held = await heldHorizon();
    try {
      const before = await KeyChangeFeed.start(db.prisma);
      await db.prisma
        .$executeRaw`INSERT INTO key_changes (api_key_id, kind) SELECT gen_random_uuid(), 'bench' FROM generate_series(1, ${FEED_BATCH})`;
      const k = await warmKey();
      const after = await KeyChangeFeed.start(db.prisma);
      expect(await after.poll(db.prisma, cache)).toBe(0);
      expect(cache.size).toBeGreaterThan(0);
      expect(await before.poll(db.prisma, cache)).toBe(FEED_BATCH);
      expect(cache.size).toBe(0);
      expect(await before.poll(db.prisma, cache)).toBe(0);

      expect(await verify(k.secret)).toBe("VALID"); // cached again
      await changeKeyStatus(db.prisma, k.owner, k.keyId, "disable");
      expect(await after.poll(db.prisma, cache)).toBe(1);
      expect(await before.poll(db.prisma, cache)).toBe(1);
      expect(await verify(k.secret)).toBe("DISABLED");
      expect(await after.poll(db.prisma, cache)).toBe(0);
      expect(await before.poll(db.prisma, cache)).toBe(0);
    } finally {
      await held.commit();
    }
  });
});
