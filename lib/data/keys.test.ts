import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createKey, createMerchant } from "@/prisma/factories";
import { escapeLike, keySearchWhere } from "./keys";

let db: Database;
beforeAll(async () => (db = await createTestDatabase()));
afterAll(async () => db?.close());

describe("key search", () => {
  it("searches for % and _ literally, not as wildcards", async () => {
    const m = await createMerchant(db.prisma);
    for (const name of ["50% off", "500 off", "a_b", "axb", "back\\slash"]) await createKey(db.prisma, { merchantId: m.id, name });
    const find = async (q: string) =>
      (
        await db.prisma.apiKey.findMany({
          where: { merchantId: m.id, ...keySearchWhere(q) },
          select: { name: true },
          orderBy: { name: "asc" },
        })
      ).map((k) => k.name);
    expect(await find("50%")).toEqual(["50% off"]);
    expect(await find("%")).toEqual(["50% off"]);
    expect(await find("a_b")).toEqual(["a_b"]);
    expect(await find("_")).toEqual(["a_b"]);
    expect(await find("k\\s")).toEqual(["back\\slash"]);
    expect(await find("OFF")).toEqual(["50% off", "500 off"]);
    expect(escapeLike("100%_\\")).toBe("100\\%\\_\\\\");
  });
});
