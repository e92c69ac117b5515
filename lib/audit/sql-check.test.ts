// The README shows how to re-check a chain with SQL alone: that query is run here, as written there.
import { afterAll, beforeAll, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import type { Database } from "@/lib/db/client";
import { createTestDatabase } from "@/lib/testing/db";
import { createMerchant } from "@/prisma/factories";
import { recordAudit } from "@/lib/audit/record";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

it("the README's SQL check accepts every link of a chain, and rejects the edited row", async () => {
  const m = await createMerchant(db.prisma);
  for (const a of ["x", "y", "z"])
    await db.prisma.$transaction((tx) =>
      recordAudit(tx, { userId: null, email: 'é"s' }, { merchantId: m.id, action: a, after: { q: 'a"\\\n', n: [1, 2.5] } }),
    );
  const readme = readFileSync("README.md", "utf8");
  const sql = /```sql\n([\s\S]*?)```/.exec(readme.slice(readme.indexOf("## Audit log and exports")))![1].replace("'…'", `'${m.id}'`);
  const rows = await db.prisma.$queryRawUnsafe<{ seq: number; ok: boolean }[]>(sql);
  expect(rows.map((r) => r.ok)).toEqual([true, true, true]);
  await db.prisma.$executeRaw`UPDATE audit_events SET action = 'w' WHERE merchant_id = ${m.id}::uuid AND seq = 2`;
  const after = await db.prisma.$queryRawUnsafe<{ seq: number; ok: boolean }[]>(sql);
  expect(after.map((r) => r.ok)).toEqual([true, false, true]);
});
