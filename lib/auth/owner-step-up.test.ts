import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "@/lib/testing/db";
import { codeOf } from "@/lib/testing/outcome";
import type { Database } from "@/lib/db/client";
import { createActor } from "@/prisma/factories";
import { encrypt } from "@/lib/crypto/encryption";
import { totpAt } from "@/lib/auth/totp";
import { createKeySchema } from "@/lib/keys/schema";
import { createKey } from "@/lib/keys/services/create-key";
import { rotateKey } from "@/lib/keys/services/rotate-key";
import { rollbackRotation } from "@/lib/keys/services/rollback-rotation";
import { revokeKey } from "@/lib/keys/services/change-key-status";
import { withOwnerStepUp } from "./owner-step-up";

const SECRET = "JBSWY3DPEHPK3PXP";

describe("owner step-up on the server", () => {
  let db: Database;
  beforeAll(async () => (db = await createTestDatabase()));
  afterAll(async () => db?.close());
  const code = codeOf;
  const noChange = async () => null;

  async function enrolledOwner() {
    const owner = await createActor(db.prisma, "OWNER");
    await db.prisma.totpEnrollment.create({ data: { userId: owner.userId, secretEnc: encrypt(SECRET), confirmedAt: new Date() } });
    return owner;
  }
  async function ownerWithKey() {
    const owner = await enrolledOwner();
    const issued = await createKey(
      db.prisma,
      owner,
      createKeySchema.parse({ name: "Step-up", environment: "production", channel: "REST", permissions: ["payments:read"] }),
    );
    return { owner, keyId: issued.keyId };
  }
  const lastUsedStep = async (userId: string) => (await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId } })).lastUsedStep;

  it("refuses admins, developers and viewers before looking at any code", async () => {
    for (const role of ["ADMIN", "DEVELOPER", "VIEWER"] as const) {
      const actor = await createActor(db.prisma, role);
      expect(await code(withOwnerStepUp(db.prisma, actor, "123456", noChange))).toBe("FORBIDDEN");
    }
  });

  it("asks an owner without a code, or without an authenticator app, to provide one", async () => {
    const owner = await createActor(db.prisma, "OWNER");
    expect(await code(withOwnerStepUp(db.prisma, owner, undefined, noChange))).toBe("STEP_UP_REQUIRED");
    expect(await code(withOwnerStepUp(db.prisma, owner, "123456", noChange))).toBe("STEP_UP_REQUIRED");
  });

  it("lets an enrolled owner through with a fresh code only", async () => {
    const owner = await enrolledOwner();
    expect(await code(withOwnerStepUp(db.prisma, owner, "000000", noChange))).toBe("STEP_UP_INVALID");
    const fresh = await totpAt(SECRET, new Date());
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, noChange))).toBe("OK");
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, noChange))).toBe("STEP_UP_INVALID");
  });

  it("keeps the code unspent when the key changed meanwhile, so the same code works on the retry", async () => {
    const { owner, keyId } = await ownerWithKey();
    const fresh = await totpAt(SECRET, new Date());
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, (tx) => rotateKey(tx, owner, keyId, { grace: "1h", version: 7 })))).toBe(
      "CONFLICT",
    );
    expect(await lastUsedStep(owner.userId)).toBeNull();
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, (tx) => rotateKey(tx, owner, keyId, { grace: "1h", version: 0 })))).toBe(
      "OK",
    );
    expect(await lastUsedStep(owner.userId)).not.toBeNull();
  });

  it("keeps the code unspent when a rotation is in progress, and for a refused status change", async () => {
    const { owner, keyId } = await ownerWithKey();
    await rotateKey(db.prisma, owner, keyId, { grace: "24h", version: 0 });
    const fresh = await totpAt(SECRET, new Date());
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, (tx) => rotateKey(tx, owner, keyId, { grace: "1h", version: 1 })))).toBe(
      "ROTATION_IN_PROGRESS",
    );
    // Revoke is only for a Disabled key: refused, and the code is still good.
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, (tx) => revokeKey(tx, owner, keyId, { version: 1 })))).toBe(
      "INVALID_TRANSITION",
    );
    expect(await lastUsedStep(owner.userId)).toBeNull();
    expect(await code(withOwnerStepUp(db.prisma, owner, fresh, (tx) => rollbackRotation(tx, owner, keyId)))).toBe("OK");
    const creds = await db.prisma.credential.findMany({ where: { apiKeyId: keyId } });
    expect(creds.map((c) => c.slot)).toEqual(["CURRENT"]);
  });

  it("undoes the change when the code was spent meanwhile (one code, two changes at once)", async () => {
    const a = await ownerWithKey();
    const { keyId: other } = await createKey(
      db.prisma,
      a.owner,
      createKeySchema.parse({ name: "Other", environment: "production", channel: "REST", permissions: ["payments:read"] }),
    );
    const fresh = await totpAt(SECRET, new Date());
    const results = await Promise.all(
      [a.keyId, other].map((keyId) =>
        code(withOwnerStepUp(db.prisma, a.owner, fresh, (tx) => rotateKey(tx, a.owner, keyId, { grace: "1h", version: 0 }))),
      ),
    );
    expect(results.sort()).toEqual(["OK", "STEP_UP_INVALID"]);
    const rotated = await db.prisma.apiKey.count({ where: { id: { in: [a.keyId, other] }, lastRotatedAt: { not: null } } });
    expect(rotated).toBe(1);
    const enrolment = await db.prisma.totpEnrollment.findUniqueOrThrow({ where: { userId: a.owner.userId } });
    expect(enrolment.failedCount).toBe(0);
  });
});
