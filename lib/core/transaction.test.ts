import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import type { Tx } from "@/lib/db/client";
import { createMerchant } from "@/prisma/factories";
import { inTransaction } from "./transaction";

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

/**
 * Two transactions that each lock one merchant's row and then wait for the other's: PostgreSQL
 * ends one of them as a deadlock. `touch` takes a row lock, through the client or a raw statement.
 */
async function deadlock(touch: (tx: Tx, id: string) => Promise<unknown>) {
  const [a, b] = [await createMerchant(db.prisma), await createMerchant(db.prisma)];
  let runs = 0;
  let arrived = 0;
  let bothHold!: () => void;
  const barrier = new Promise<void>((r) => (bothHold = r));
  const crossing = (first: string, second: string) =>
    inTransaction(db.prisma, async (tx) => {
      runs++;
      await touch(tx, first);
      if (++arrived === 2) bothHold();
      await Promise.race([barrier, new Promise((r) => setTimeout(r, 2000))]); // a re-run does not wait
      await touch(tx, second);
      return first;
    });
  const results = await Promise.all([crossing(a.id, b.id), crossing(b.id, a.id)]);
  return { results, runs, ids: [a.id, b.id] };
}

describe("inTransaction", () => {
  it("runs a transaction ended as one side of a deadlock again: both sides commit (client statements)", async () => {
    const { results, runs, ids } = await deadlock((tx, id) => tx.merchant.update({ where: { id }, data: { name: `Touched ${id}` } }));
    expect(results).toEqual(ids);
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it("runs it again when the deadlock surfaces from a raw statement (P2010)", async () => {
    const { results, runs, ids } = await deadlock((tx, id) => tx.$executeRaw`UPDATE merchants SET name = name WHERE id = ${id}::uuid`);
    expect(results).toEqual(ids);
    expect(runs).toBeGreaterThanOrEqual(3);
  });

  it("runs it again on the driver adapter's own conflict error (as a failed commit throws it)", async () => {
    let runs = 0;
    const conflict = Object.assign(new Error("conflict"), { name: "DriverAdapterError", cause: { kind: "TransactionWriteConflict" } });
    const result = await inTransaction(db.prisma, async () => {
      if (++runs === 1) throw conflict;
      return "committed";
    });
    expect([result, runs]).toEqual(["committed", 2]);
  });

  it("does not run again on any other error", async () => {
    let runs = 0;
    await expect(
      inTransaction(db.prisma, async () => {
        runs++;
        throw new Error("not a conflict");
      }),
    ).rejects.toThrow("not a conflict");
    expect(runs).toBe(1);
  });
});
