import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "@/lib/auth/totp";
import { KeyError } from "@/lib/keys/errors";
import { requireOwnerStepUp } from "./step-up";

describe("owner step-up on the server", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());
  const code = (p: Promise<unknown>) => p.then(() => "OK", (e) => (e instanceof KeyError ? e.code : `UNEXPECTED ${e}`));

  it("refuses admins, developers and viewers before looking at any code", async () => {
    for (const role of ["ADMIN", "DEVELOPER", "VIEWER"] as const) {
      const actor = await createActor(db.prisma, role);
      expect(await code(requireOwnerStepUp(db.prisma, actor, "123456"))).toBe("FORBIDDEN");
    }
  });

  it("asks an owner without a code, or without an authenticator app, to provide one", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    expect(await code(requireOwnerStepUp(db.prisma, owner, undefined))).toBe("STEP_UP_REQUIRED");
    expect(await code(requireOwnerStepUp(db.prisma, owner, "123456"))).toBe("STEP_UP_REQUIRED");
  });

  it("lets an enrolled owner through with a fresh code only", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    const secret = "JBSWY3DPEHPK3PXP";
    await db.prisma.totpEnrollment.create({ data: { userId: owner.userId, secretEnc: encrypt(secret), confirmedAt: new Date() } });
    expect(await code(requireOwnerStepUp(db.prisma, owner, "000000"))).toBe("STEP_UP_INVALID");
    const fresh = await totpAt(secret, new Date());
    expect(await code(requireOwnerStepUp(db.prisma, owner, fresh))).toBe("OK");
    expect(await code(requireOwnerStepUp(db.prisma, owner, fresh))).toBe("STEP_UP_INVALID");
  });
});
